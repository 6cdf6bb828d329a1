"""The Campaigns page: the list's figures, filters and sorting, and each step through its form."""

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import campaigns, deals, leads
from app.models import AuditEntry, Campaign, CampaignSpend
from ui.campaigns_page import COLUMNS, CampaignFilterModel, CampaignsPage, CampaignTableModel

TODAY = dt.date(2026, 11, 16)  # the clock fixture's day
HEADERS = [header for header, _show, _key in COLUMNS]


def _campaign(company, clock, name, channel="social_ads", **values):
    return campaigns.add_campaign(
        name=name,
        channel=channel,
        starts_on=values.pop("starts_on", dt.date(2026, 10, 1)),
        ends_on=values.pop("ends_on", dt.date(2026, 12, 31)),
        planned_budget=values.pop("planned_budget", "1000"),
        **values,
        by=company.marketer,
        clock=clock,
    )


def _won_lead(company, clock, campaign, name, value):
    lead = leads.add_lead(name=name, campaign=campaign, by=company.marketer, clock=clock)
    leads.qualify(lead, by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
    leads.accept(lead, by=company.seller, clock=clock)
    deal = leads.convert_to_deal(lead, value=value, currency="EUR", by=company.seller, clock=clock)
    deals.win(deal, by=company.seller, clock=clock)


def _rejected_lead(company, clock, campaign, name, label):
    lead = leads.add_lead(name=name, campaign=campaign, by=company.marketer, clock=clock)
    leads.qualify(lead, by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
    reason = next(r for r in company.reasons["rejection"] if r.label == label)
    leads.reject(lead, reason, by=company.seller, clock=clock)


@pytest.fixture
def sample(company, clock):
    """Social ads spent 900 for three leads and a 2,700 win; Radio has spent nothing yet."""
    social = _campaign(company, clock, "Social ads: garden care", starts_on=dt.date(2026, 9, 1))
    campaigns.record_spend(social, "900", spent_on=TODAY, by=company.owner, clock=clock)
    _won_lead(company, clock, social, "Winner", "2700")
    _rejected_lead(company, clock, social, "Broke", "No budget")
    _rejected_lead(company, clock, social, "Elsewhere", "Not our target customer")
    radio = _campaign(
        company, clock, "Radio spots", channel="radio", starts_on=dt.date(2026, 11, 1)
    )
    fair = _campaign(company, clock, "Trade fair", channel="event", starts_on=dt.date(2026, 12, 5))
    campaigns.start(social, by=company.owner, clock=clock)
    return {"social": social, "radio": radio, "fair": fair}


@pytest.fixture
def page(qtbot, store, clock, sample):
    widget = CampaignsPage(clock)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    loaded(qtbot, widget)
    yield widget
    widget.wait()


def loaded(qtbot, page):
    qtbot.waitUntil(lambda: not page.is_loading())


def answer_dialog(fill, press_ok=True):
    """Fill in the dialog the next step opens, then press its OK (or Cancel) button."""

    def act():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "the step opened no dialog"
        fill(dialog)
        if press_ok:
            assert dialog.ok_button.isEnabled(), dialog.problem.text()
            dialog.ok_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, act)


def cell(page, name, header):
    """The text shown for a campaign in a column, as the (sorted, filtered) table shows it."""
    column = HEADERS.index(header)
    for row in range(page.proxy.rowCount()):
        if page.proxy.index(row, 0).data() == name:
            return page.proxy.index(row, column).data()
    raise AssertionError(f"{name} is not in the list")


def names(page):
    return [page.proxy.index(row, 0).data() for row in range(page.proxy.rowCount())]


def select(qtbot, page, campaign):
    assert page.select_campaign(campaign.id)
    loaded(qtbot, page)


def test_the_models_are_well_behaved_qt_models(qtmodeltester, page):
    assert page.model.rowCount() == 3
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    empty = CampaignFilterModel()
    empty.setSourceModel(CampaignTableModel())
    qtmodeltester.check(empty)


def test_the_list_shows_each_campaigns_figures(page):
    assert page.count_label.text() == "3 campaigns"
    assert names(page) == ["Trade fair", "Radio spots", "Social ads: garden care"]  # newest first
    social = "Social ads: garden care"
    assert [cell(page, social, h) for h in HEADERS] == [
        social,
        "Social ads",
        "Active",
        "1 Sep – 31 Dec 2026",
        "1,000",
        "900",
        "3",
        "1",
        "300.00",  # 900 ÷ 3 leads
        "+200%",  # (2,700 − 900) ÷ 900
    ]
    assert cell(page, "Radio spots", "Cost/lead") == "—"
    assert cell(page, "Radio spots", "Return\non spend") == "—"
    header = page.model.headerData(HEADERS.index("Budget"), Qt.Orientation.Horizontal)
    assert header == "Budget\n(EUR)"


def test_sorting_puts_campaigns_without_a_figure_last(qtbot, company, clock, page):
    cheap = _campaign(company, clock, "newsletter", channel="email_newsletter")
    campaigns.record_spend(cheap, "10", spent_on=TODAY, by=company.owner, clock=clock)
    leads.add_lead(name="Reader", campaign=cheap, by=company.marketer, clock=clock)
    page.refresh()
    loaded(qtbot, page)
    cost = HEADERS.index("Cost/lead")

    page.table.sortByColumn(cost, Qt.SortOrder.AscendingOrder)
    assert names(page)[:2] == ["newsletter", "Social ads: garden care"]  # 10.00, then 300.00
    assert set(names(page)[2:]) == {"Radio spots", "Trade fair"}
    page.table.sortByColumn(cost, Qt.SortOrder.DescendingOrder)
    assert names(page)[:2] == ["Social ads: garden care", "newsletter"]
    assert set(names(page)[2:]) == {"Radio spots", "Trade fair"}

    page.table.sortByColumn(HEADERS.index("Name"), Qt.SortOrder.AscendingOrder)
    assert names(page) == ["newsletter", "Radio spots", "Social ads: garden care", "Trade fair"]
    page.table.sortByColumn(HEADERS.index("Status"), Qt.SortOrder.DescendingOrder)
    assert names(page)[0] == "Social ads: garden care"  # active after planned


def test_filters_and_search_narrow_the_list(qtbot, page):
    page.status.setCurrentIndex(page.status.findData("planned"))
    assert names(page) == ["Trade fair", "Radio spots"]
    assert page.count_label.text() == "2 of 3 campaigns"
    page.channel.setCurrentIndex(page.channel.findData("radio"))
    assert names(page) == ["Radio spots"]
    page.status.setCurrentIndex(0)
    page.channel.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "GARDEN")
    assert names(page) == ["Social ads: garden care"]
    page.search.setText("mara")  # the owner's name finds her campaigns too
    assert names(page) == []
    page.search.clear()
    assert page.count_label.text() == "3 campaigns"


def test_the_detail_shows_results_reasons_and_spend(qtbot, page, sample):
    select(qtbot, page, sample["social"])
    figure = page.detail.figure
    assert page.detail.title.text() == "Social ads: garden care"
    assert [figure[n].text() for n in ("Leads", "Qualified", "Handed over", "Rejected")] == [
        "3",
        "3",
        "3",
        "2",
    ]
    assert figure["Accepted"].text() == "1 (33%)"
    assert figure["Deals won"].text() == "1"
    assert figure["Revenue"].text() == "2,700 EUR"
    assert figure["Cost per lead"].text() == "300.00 EUR"
    assert figure["Cost per qualified lead"].text() == "300.00 EUR"
    assert figure["Cost per won deal"].text() == "900.00 EUR"
    assert figure["Return on spend"].text() == "+200%"
    reasons = page.detail.reasons
    assert sorted(
        (reasons.item(r, 0).text(), reasons.item(r, 1).text()) for r in range(reasons.rowCount())
    ) == [("No budget", "1"), ("Not our target customer", "1")]
    spend = page.detail.spend
    assert [spend.item(0, c).text() for c in range(3)] == ["16 Nov 2026", "900.00 EUR", ""]
    assert page.detail.fact["Budget"].text() == "1,000 EUR planned, 90% of it spent"

    select(qtbot, page, sample["radio"])
    assert figure["Cost per lead"].text() == "—"
    assert figure["Return on spend"].text() == "—"
    assert reasons.rowCount() == 0
    assert page.detail.no_rejections.isVisible()
    assert not reasons.isVisible()


def test_adding_a_campaign_through_the_form(qtbot, page, company):
    seen = {}

    def fill(dialog):
        seen["empty"] = (dialog.ok_button.isEnabled(), dialog.problem.text())
        dialog.name.setText("Spring catalogue")
        dialog.channel.setCurrentIndex(dialog.channel.findData("direct_mail"))
        dialog.owner.setCurrentIndex(dialog.owner.findData(company.marketer.id))
        dialog.objective.setPlainText("Put the catalogue on buyers' desks")
        dialog.audience.setText("Landscapers")
        dialog.starts_on.setDate(QDate(2027, 3, 1))
        dialog.ends_on.setDate(QDate(2027, 2, 1))
        seen["backwards"] = (dialog.ok_button.isEnabled(), dialog.problem.text())
        dialog.ends_on.setDate(QDate(2027, 4, 15))
        dialog.budget.setText("-5")
        seen["negative"] = dialog.problem.text()
        dialog.budget.setText("4.500,50")
        seen["hint"] = dialog.budget_hint.text()
        dialog.reach["impressions"].setValue(25000)

    answer_dialog(fill)
    page.step_actions["new"].trigger()
    loaded(qtbot, page)

    assert seen["empty"] == (False, "A campaign needs a name.")
    assert seen["backwards"] == (
        False,
        "The campaign cannot end (1 Feb 2027) before it starts (1 Mar 2027).",
    )
    assert seen["negative"] == "The planned budget cannot be negative."
    assert seen["hint"] == "Reads as 4,500.50 EUR"
    added = Campaign.get(Campaign.name == "Spring catalogue")
    assert (added.channel, added.owner.id, added.status) == (
        "direct_mail",
        company.marketer.id,
        "planned",
    )
    assert (added.starts_on, added.ends_on, added.planned_budget, added.impressions) == (
        dt.date(2027, 3, 1),
        dt.date(2027, 4, 15),
        Decimal("4500.50"),
        25000,
    )
    assert page.selected_id() == added.id
    assert cell(page, "Spring catalogue", "Budget") == "4,501"


def test_cancel_leaves_nothing_behind(qtbot, page):
    answer_dialog(lambda d: d.name.setText("Never mind"), press_ok=False)
    page.add_campaign()
    assert Campaign.select().where(Campaign.name == "Never mind").count() == 0
    assert page.model.rowCount() == 3


def test_enter_edits_the_selected_campaign(qtbot, page, sample, company):
    select(qtbot, page, sample["radio"])
    seen = {}

    def fill(dialog):
        seen["prefilled"] = (dialog.name.text(), dialog.channel.currentData(), dialog.budget.text())
        dialog.name.setText("Radio spots: spring")
        dialog.has_end.setChecked(False)
        dialog.budget.setText("1,250")

    answer_dialog(fill)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    loaded(qtbot, page)

    assert seen["prefilled"] == ("Radio spots", "radio", "1000")
    radio = Campaign.get_by_id(sample["radio"].id)
    assert (radio.name, radio.ends_on, radio.planned_budget) == (
        "Radio spots: spring",
        None,
        Decimal("1250.00"),
    )
    assert cell(page, "Radio spots: spring", "Dates") == "from 1 Nov 2026"
    assert page.selected_id() == radio.id  # still selected after the reload
    update = AuditEntry.select().where(AuditEntry.action == "update").get()
    assert (update.row_id, update.member.id) == (radio.id, company.owner.id)


def test_double_click_edits_and_an_unchanged_form_changes_nothing(qtbot, page, sample):
    select(qtbot, page, sample["fair"])
    opened = []
    answer_dialog(lambda d: opened.append(d.windowTitle()))
    centre = page.table.visualRect(page.table.currentIndex()).center()
    # A double click is a press, release, then the double-click event, as a mouse sends it.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    loaded(qtbot, page)
    assert opened == ["Edit Trade fair"]
    assert AuditEntry.select().where(AuditEntry.action == "update").count() == 0


def test_start_and_finish_step_a_campaign_along(qtbot, page, sample):
    select(qtbot, page, sample["radio"])
    actions = page.step_actions
    assert (actions["start"].isEnabled(), actions["finish"].isEnabled()) == (True, False)

    actions["start"].trigger()
    loaded(qtbot, page)
    assert cell(page, "Radio spots", "Status") == "Active"
    assert (actions["start"].isEnabled(), actions["finish"].isEnabled()) == (False, True)

    actions["finish"].trigger()
    loaded(qtbot, page)
    radio = Campaign.get_by_id(sample["radio"].id)
    assert (radio.status, radio.ends_on) == ("finished", TODAY)  # ended early: today
    assert cell(page, "Radio spots", "Status") == "Finished"
    assert (actions["start"].isEnabled(), actions["finish"].isEnabled()) == (False, False)


def test_a_refused_step_explains_itself(qtbot, page, sample, company, clock, monkeypatch):
    select(qtbot, page, sample["radio"])
    campaigns.start(sample["radio"], by=company.owner, clock=clock)  # someone else, meanwhile
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))

    page.step_actions["start"].trigger()

    assert shown == [
        "A campaign goes from planned to active to finished, so only a planned campaign can be "
        "started; 'Radio spots' is active."
    ]


def test_recording_spend_through_its_form(qtbot, page, sample):
    select(qtbot, page, sample["social"])
    seen = {}

    def fill(dialog):
        seen["latest day"] = dialog.spent_on.maximumDate().toPython()
        dialog.amount.setText("0")
        seen["zero"] = (dialog.ok_button.isEnabled(), dialog.problem.text())
        dialog.amount.setText("1.234,50")
        seen["hint"] = dialog.amount_hint.text()
        dialog.spent_on.setDate(QDate(2026, 11, 10))
        dialog.note.setText("Invoice 114")

    answer_dialog(fill)
    page.step_actions["record_spend"].trigger()
    loaded(qtbot, page)

    assert seen["latest day"] == TODAY
    assert seen["zero"] == (False, "The amount spent must be more than zero.")
    assert seen["hint"] == "Reads as 1,234.50 EUR"
    assert Campaign.get_by_id(sample["social"].id).actual_spend == Decimal("2134.50")
    assert cell(page, "Social ads: garden care", "Spend") == "2,135"  # half a euro rounds up
    assert cell(page, "Social ads: garden care", "Cost/lead") == "711.50"
    spend = page.detail.spend
    assert [spend.item(1, c).text() for c in range(3)] == [
        "10 Nov 2026",
        "1,234.50 EUR",
        "Invoice 114",
    ]
    assert page.detail.figure["Spend"].text() == "2,135 EUR"


def test_a_mistaken_entry_is_removed_after_asking(qtbot, page, sample, monkeypatch):
    select(qtbot, page, sample["social"])
    asked = []

    def answer(*args):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not page.step_actions["remove_spend"].isEnabled()
    page.detail.spend.selectRow(0)
    assert page.step_actions["remove_spend"].isEnabled()

    page.step_actions["remove_spend"].trigger()
    loaded(qtbot, page)

    assert asked == [
        "Remove 900.00 EUR spent on 16 Nov 2026? The campaign's spend drops by that much."
    ]
    assert CampaignSpend.select().count() == 0
    assert cell(page, "Social ads: garden care", "Spend") == "0"


def test_a_total_without_entries_shows_as_earlier_spend(qtbot, page, sample):
    # The sample company writes campaigns with a spend total and no entries.
    radio = sample["radio"]
    Campaign.update(actual_spend=Decimal(480)).where(Campaign.id == radio.id).execute()
    page.refresh()
    loaded(qtbot, page)
    select(qtbot, page, radio)

    spend = page.detail.spend
    assert [spend.item(0, c).text() for c in range(3)] == [
        "earlier",
        "480.00 EUR",
        "Spent before entries were kept",
    ]
    spend.selectRow(0)
    assert not page.step_actions["remove_spend"].isEnabled()  # nothing to remove: no entry
    assert cell(page, "Radio spots", "Spend") == "480"


def test_changes_elsewhere_show_after_a_refresh_keeping_the_selection(
    qtbot, page, sample, company, clock
):
    select(qtbot, page, sample["fair"])
    _won_lead(company, clock, sample["fair"], "Visitor", "500")

    page.refresh()
    loaded(qtbot, page)

    assert page.selected_id() == sample["fair"].id
    assert cell(page, "Trade fair", "Leads") == "1"
    assert page.detail.figure["Revenue"].text() == "500 EUR"


def test_changed_is_signalled_after_a_step(qtbot, page, sample):
    select(qtbot, page, sample["radio"])
    with qtbot.waitSignal(page.changed, timeout=2000):
        page.step_actions["start"].trigger()
    loaded(qtbot, page)


def test_delete_a_campaign_to_the_trash_and_undo(qtbot, store, clock, company):
    import datetime as dt

    from app import campaigns as campaign_rules
    from app.models import Campaign
    from ui.campaigns_page import CampaignsPage

    made = campaign_rules.add_campaign(
        name="Autumn flyers",
        channel="print",
        starts_on=dt.date(2026, 10, 1),
        by=company.owner,
        clock=clock,
    )
    page = CampaignsPage(clock)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.select_campaign(made.id))
    page.step_actions["trash"].trigger()
    assert Campaign.get_by_id(made.id).deleted_at is not None
    page.step_actions["undo"].trigger()
    assert Campaign.get_by_id(made.id).deleted_at is None
