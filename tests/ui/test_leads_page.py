"""The Leads page: search and filters, and every lifecycle step through its real dialog."""

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import leads
from app.models import Activity, Deal, Handover, Lead
from ui.lead_model import LeadTableModel
from ui.leads_page import LeadsPage


@pytest.fixture
def page(qtbot, store, clock, company):
    for name, firm in (
        ("Zoë Łukasiewicz", "東京商事"),
        ("Anna Müller", "Gärtnerei"),
        ("Ben Adams", "Adams & Sons"),
    ):
        clock.advance(minutes=5)
        leads.add_lead(name=name, company=firm, source="referral", by=company.owner, clock=clock)
    widget = LeadsPage(clock)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    return widget


def answer_dialog(fill):
    """Fill in the dialog the next step opens, then press its OK button."""

    def act():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "the step opened no dialog"
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.problem.text()
        dialog.ok_button.click()

    QTimer.singleShot(0, act)


def select(page, name):
    page.search.setText(name)
    page.apply_filter()
    page.table.selectRow(0)
    assert page.selected_lead().name == name


def test_model_is_a_well_behaved_qt_model(qtbot, qtmodeltester, store, clock, company):
    for index in range(250):  # more than two pages
        leads.add_lead(name=f"Lead {index}", source="referral", by=company.owner, clock=clock)
    model = LeadTableModel()
    model.reload()
    assert model.rowCount() == 100  # the first page shows at once; the count follows
    qtmodeltester.check(model)
    qtbot.waitUntil(model.is_counted)
    assert model.rowCount() == 250
    assert model.index(249, 0).data() is not None  # the last page is fetched on demand


def test_search_filters_and_counts(qtbot, page):
    assert page.count_label.text() == "3 leads"
    qtbot.keyClicks(page.search, "muller")
    qtbot.waitUntil(lambda: page.count_label.text() == "1 lead")
    assert page.model.index(0, 0).data() == "Anna Müller"
    page.search.clear()
    page.stage.setCurrentIndex(page.stage.findData("handed_over"))
    assert page.count_label.text() == "0 leads"


def test_only_the_steps_a_lead_can_take_are_offered(page):
    select(page, "Ben Adams")
    enabled = {key for key, action in page.step_actions.items() if action.isEnabled()}
    steps = enabled - {"find", "new", "undo", "redo"}
    assert steps == {"qualify", "disqualify", "log", "edit", "history", "merge", "trash"}


def test_a_lead_through_its_whole_life(qtbot, page, company):
    select(page, "Zoë Łukasiewicz")
    page.step_actions["qualify"].trigger()
    assert page.selected_lead().stage == "qualified"

    def pick_seller(dialog):
        dialog.member.setCurrentIndex(dialog.member.findData(company.seller.id))

    answer_dialog(pick_seller)
    page.step_actions["hand_over"].trigger()
    lead = page.selected_lead()
    assert (lead.stage, lead.sales_owner.id) == ("handed_over", company.seller.id)
    assert Handover.select().where(Handover.lead == lead).count() == 1

    answer_dialog(lambda d: d.outcome.setText("Spoke to Zoë, keen on a demo"))
    page.step_actions["log"].trigger()
    assert Activity.get(Activity.lead == lead).outcome == "Spoke to Zoë, keen on a demo"
    assert any(
        "Spoke to Zoë" in page.detail.history.item(i).text()
        for i in range(page.detail.history.count())
    )

    page.step_actions["accept"].trigger()
    assert page.selected_lead().stage == "accepted"

    def deal_terms(dialog):
        dialog.value.setText("2,500.50")

    answer_dialog(deal_terms)
    page.step_actions["convert_to_deal"].trigger()
    deal = Deal.get(Deal.lead == lead)
    assert (deal.value, deal.title, page.selected_lead().stage) == (
        Decimal("2500.50"),
        "東京商事",
        "converted",
    )


def test_reject_needs_a_reason_and_pause_a_date(qtbot, page, company, clock):
    select(page, "Anna Müller")
    lead = page.selected_lead()
    leads.qualify(lead, by=company.owner, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.owner, clock=clock)
    page.refresh()

    def no_reason_then_reason(dialog):
        assert not dialog.ok_button.isEnabled()
        assert "Pick a reason" in dialog.problem.text()
        dialog.reason.setCurrentIndex(1)
        dialog.note.setText("Wants garden furniture, we sell plants")

    answer_dialog(lambda d: d.until.setDate(d.until.date().addDays(3)))
    page.step_actions["pause"].trigger()
    assert page.selected_lead().paused_until == dt.date(2026, 11, 26)
    assert page.step_actions["resume"].isEnabled()

    answer_dialog(no_reason_then_reason)
    page.step_actions["reject"].trigger()
    rejected = page.selected_lead()
    assert rejected.stage == "rejected"
    assert rejected.reason_note == "Wants garden furniture, we sell plants"
    assert rejected.paused_until is None


def test_a_refused_step_explains_itself_and_changes_nothing(
    qtbot, page, company, clock, monkeypatch
):
    select(page, "Ben Adams")
    lead = page.selected_lead()
    leads.qualify(lead, by=company.owner, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.owner, clock=clock)
    page.refresh()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    unresponsive = next(r for r in company.reasons["rejection"] if r.unresponsive)

    def pick_unresponsive(dialog):
        dialog.reason.setCurrentIndex(dialog.reason.findData(unresponsive.id))

    answer_dialog(pick_unresponsive)
    page.step_actions["reject"].trigger()
    assert "contact attempts" in shown[0]
    assert Lead.get_by_id(lead.id).stage == "handed_over"


def test_new_lead_warns_about_a_duplicate(qtbot, page, company, clock):
    leads.add_lead(
        name="Dora Dup", email="dora@example.com", source="referral", by=company.owner, clock=clock
    )
    seen = {}

    def type_duplicate(dialog):
        dialog.name.setText("Dora Again")
        dialog.source.setCurrentIndex(dialog.source.findData("referral"))
        dialog.email.setText("DORA@example.com")
        dialog.email.editingFinished.emit()
        seen["warning"] = dialog.duplicate.text()
        seen["offer"] = dialog.open_other.isVisible()

    answer_dialog(type_duplicate)
    page.add_lead()
    assert "Dora Dup already has this email" in seen["warning"]
    assert seen["offer"]
    assert Lead.select().where(Lead.email == "dora@example.com").count() == 2


def test_delete_goes_to_the_trash_and_ctrl_z_brings_it_back(qtbot, page):
    select(page, "Ben Adams")
    lead_id = page.selected_id()
    page.search.clear()
    page.apply_filter()
    page.select_lead(lead_id)
    page.step_actions["trash"].trigger()
    assert Lead.get_by_id(lead_id).deleted_at is not None
    qtbot.waitUntil(lambda: page.count_label.text() == "2 leads")

    page.step_actions["undo"].trigger()
    assert Lead.get_by_id(lead_id).deleted_at is None
    qtbot.waitUntil(lambda: page.count_label.text() == "3 leads")

    page.step_actions["redo"].trigger()
    page.show_trash.setChecked(True)
    assert page.model.rowCount() == 1
    page.table.selectRow(0)
    assert {k for k, a in page.step_actions.items() if a.isEnabled()} - {
        "find",
        "new",
        "undo",
        "redo",
    } == {"restore", "history"}
    page.step_actions["restore"].trigger()
    assert Lead.get_by_id(lead_id).deleted_at is None


def test_merge_a_duplicate_keeps_one_lead_with_both_histories(qtbot, page, company, clock):
    from app import activities

    first = leads.add_lead(
        name="Dora", email="dora@example.com", source="referral", by=company.owner, clock=clock
    )
    second = leads.add_lead(
        name="",
        company="Dora's Garden",
        email="dora@example.com",
        phone="+1 555 0100",
        source="referral",
        by=company.owner,
        clock=clock,
    )
    activities.log_activity(
        kind="call", lead=second, outcome="Called", by=company.owner, clock=clock
    )
    page.refresh()
    page.show_lead(first.id)
    assert page.selected_id() == first.id
    answer_dialog(lambda dialog: dialog.other.setCurrentIndex(0))
    page.step_actions["merge"].trigger()
    kept = Lead.get_by_id(first.id)
    assert (kept.company, kept.phone) == ("Dora's Garden", "+1 555 0100")
    assert Activity.get(Activity.outcome == "Called").lead.id == first.id
    assert Lead.get_by_id(second.id).deleted_at is not None


def test_edit_a_lead(qtbot, page):
    select(page, "Ben Adams")
    lead_id = page.selected_id()

    def change(dialog):
        assert dialog.name.text() == "Ben Adams"  # the form opens filled in
        dialog.email.setText("Ben@Adams.example")
        dialog.phone.setText("+44 20 0000")

    answer_dialog(change)
    page.step_actions["edit"].trigger()
    edited = Lead.get_by_id(lead_id)
    assert (edited.email, edited.phone) == ("ben@adams.example", "+44 20 0000")


def test_history_shows_who_changed_what(qtbot, page, company, clock):
    select(page, "Ben Adams")
    leads.qualify(page.selected_lead(), by=company.owner, clock=clock)
    seen = {}

    def read(dialog):
        top = dialog.entries.topLevelItem(0)
        seen["first"] = (top.text(1), top.text(2))
        seen["lines"] = [top.child(i).text(2) for i in range(top.childCount())]
        dialog.reject()

    QTimer.singleShot(0, lambda: read(QApplication.activeModalWidget()))
    page.step_actions["history"].trigger()
    assert seen["first"] == ("Olga Owner", "Qualify")
    assert "stage: new → qualified" in seen["lines"]
