"""The SLA page: the scorecard as the core works it out, the agreement, the clocks, the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from app import sla, team
from app.models import ClosingDay, SlaAgreement
from tests.app.test_sla import contact, handed_over, local
from ui.sla_clocks_list import business_duration
from ui.sla_page import AGREEMENT_TAB, CLOCKS_TAB, SlaPage

WAIT_MS = 10_000


def loaded(qtbot, page: SlaPage) -> SlaPage:
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)
    return page


@pytest.fixture
def made(company, clock):
    """Monday 16 November 2026 in Berlin: three leads handed over at 09:00, two answered."""
    clock.at = local(2026, 11, 16, 9, 0)
    quick = handed_over(company, clock, "Quick Answer")
    slow = handed_over(company, clock, "Slow Answer")
    waiting = handed_over(company, clock, "Still Waiting", to=company.other_seller)
    clock.at = local(2026, 11, 16, 10, 30)
    contact(quick, company.seller, clock)
    clock.at = local(2026, 11, 16, 15, 0)
    contact(slow, company.seller, clock)
    clock.at = local(2026, 11, 16, 17, 0)  # the third is past 4 business hours: breached
    return {"quick": quick, "slow": slow, "waiting": waiting}


@pytest.fixture
def page(qtbot, store, clock, company, made):
    widget = SlaPage(clock)
    qtbot.addWidget(widget)
    widget.resize(1000, 720)
    widget.show()
    widget.refresh()
    yield loaded(qtbot, widget)
    widget.wait()


def answer_dialog(qtbot, fill, expect_problem: str | None = None):
    """Fill in the dialog the next step opens and press OK; the dialog saves in the background.
    With expect_problem, wait for that sentence in the dialog, then cancel it."""
    seen = {}

    def act():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "the step opened no dialog"
        fill(dialog)
        assert dialog.ok_button.isEnabled(), dialog.problem.text()
        dialog.ok_button.click()
        if expect_problem is not None:
            qtbot.waitUntil(lambda: dialog.problem.text() == expect_problem, timeout=WAIT_MS)
            seen["problem"] = dialog.problem.text()
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()

    QTimer.singleShot(0, act)
    return seen


# --- the scorecard ---------------------------------------------------------------------------


def test_the_scorecard_shows_the_figures_the_core_works_out(qtbot, page, clock, company):
    card = sla.scorecard("2026-11", now=clock.now())
    response = card.figures["first_response"]
    assert (response.met, response.breached, response.compliance) == (1, 2, 33.3)

    texts = page.scorecard.texts()
    assert texts["first_response"] == (
        "Sales answered 33.3% of handed-over leads within 4 business hours."
    )
    assert page.scorecard.rows["first_response"].badge.text() == "33.3% kept"
    assert page.scorecard.rows["first_response"].bar.counts == (1, 2, 0)
    assert texts["lead_volume"] == (
        "Marketing handed over 3 qualified leads; the promise is at least 20 a month."
    )
    assert page.scorecard.rows["lead_volume"].badge.text() == "Not yet judged"
    median = business_duration(card.response_median_minutes)
    assert (
        f"Half were answered within {median}" in page.scorecard.rows["first_response"].detail.text()
    )

    people = page.scorecard.people
    rows = {people.item(r, 0).text(): r for r in range(people.rowCount())}
    sam = card.members[[m.name for m in card.members].index("Sam Sales")]
    assert sam.figures["first_response"].compliance == 50.0
    assert people.item(rows["Sam Sales · sales"], 3).text() == "50% (1 of 2)"
    assert people.item(rows["Sia Sales · sales"], 3).text() == "0% (0 of 1)"
    assert people.item(rows["Mara Marketing · marketing"], 1).text() == "3"


def test_another_month_has_its_own_figures_and_the_trend_twelve(qtbot, page):
    page.month_box.setCurrentIndex(page.month_box.findData("2026-10"))
    loaded(qtbot, page)
    assert page.scorecard.texts()["lead_volume"].startswith("Marketing handed over 0 qualified")
    assert "No agreement" in page.scorecard.basis.text()  # the first version began in November
    assert [month for month, *_ in page.trend.figures()][-1] == "2026-10"
    assert len(page.trend.figures()) == 12
    page.next_button.click()
    loaded(qtbot, page)
    assert page.month == "2026-11"
    assert page.trend.figures()[-1] == ("2026-11", None, pytest.approx(100 / 3))


# --- the agreement ---------------------------------------------------------------------------


def test_a_non_owner_is_told_only_an_owner_changes_the_agreement(qtbot, page, company):
    team.set_current_member(company.seller)
    seen = answer_dialog(
        qtbot,
        lambda d: d.targets["first_response"].setText("2"),
        "Only an owner can change the agreement between marketing and sales.",
    )
    assert page.change_agreement() is False
    assert seen["problem"]
    assert SlaAgreement.select().count() == 1


def test_a_change_cannot_start_in_the_past(qtbot, page, company):
    def yesterday(dialog):
        dialog.effective_from.setDate(dialog.effective_from.date().addDays(-1))

    answer_dialog(
        qtbot,
        yesterday,
        "A change to the agreement starts today or later; earlier months keep their terms.",
    )
    assert page.change_agreement() is False
    assert SlaAgreement.select().count() == 1


def test_the_owner_saves_a_new_version_and_past_months_keep_their_terms(qtbot, page, clock):
    def december_two_hours(dialog):
        notes = [label.text() for label in dialog.findChildren(QLabel)]
        assert any("Earlier months keep the terms they had" in text for text in notes)
        dialog.effective_from.setDate(dialog.effective_from.date().addDays(15))  # 1 December
        dialog.targets["first_response"].setText("2")

    answer_dialog(qtbot, december_two_hours)
    with qtbot.waitSignal(page.changed):
        assert page.change_agreement() is True
    loaded(qtbot, page)

    versions = list(SlaAgreement.select().order_by(SlaAgreement.effective_from))
    assert [v.effective_from for v in versions] == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert {c.kind: float(c.target) for c in versions[1].commitments}["first_response"] == 2
    assert "within 4 business hours" in page.scorecard.texts()["first_response"]
    assert "from 01 Dec 2026 (later)" in page.agreement.versions.text()
    page.tabs.setCurrentIndex(AGREEMENT_TAB)
    assert (
        page.agreement.terms["first_response"]
        .text()
        .startswith("A first call, email or meeting within 4 business hours")
    )


def test_the_dialog_asks_for_numbers_before_saving(qtbot, page):
    page.tabs.setCurrentIndex(AGREEMENT_TAB)
    from ui.sla_agreement import AgreementDialog

    dialog = AgreementDialog(page.facts.today, dt.date(2026, 11, 16), "EUR", page.clock, page)
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled()
    dialog.targets["decision"].setText("soon")
    assert not dialog.ok_button.isEnabled()
    assert (
        dialog.problem.text()
        == "Type a number of 0 or more for “Decision within (business hours)”."
    )


# --- the clocks ------------------------------------------------------------------------------


def _shown(page) -> list[tuple[str, str, str]]:
    model = page.clocks.model
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    ]


def test_the_clocks_list_filters_by_state_and_person(qtbot, page, company):
    page.tabs.setCurrentIndex(CLOCKS_TAB)
    assert len(_shown(page)) == 6  # three handovers, a response and a decision clock each
    assert page.clocks.count_label.text() == "6 clocks"

    page.clocks.state.setCurrentIndex(page.clocks.state.findData("met"))
    loaded(qtbot, page)
    assert _shown(page) == [("Quick Answer", "First response", "Met")]

    page.clocks.state.setCurrentIndex(page.clocks.state.findData("breached"))
    page.clocks.person.setCurrentIndex(page.clocks.person.findData(company.other_seller.id))
    loaded(qtbot, page)
    assert _shown(page) == [("Still Waiting", "First response", "Breached")]
    assert page.clocks.model.index(0, 3).data() == "4 h over, still open"


def test_the_clocks_list_pages_its_rows(qtbot, page, monkeypatch):
    monkeypatch.setattr("ui.sla_clocks_list.PAGE", 4)
    page.tabs.setCurrentIndex(CLOCKS_TAB)
    page.clocks.reload()
    loaded(qtbot, page)
    assert page.clocks.model.rowCount() == 4
    assert page.clocks.count_label.text() == "Showing the oldest 4 of 6 clocks"
    assert page.clocks.more_button.isVisibleTo(page)
    page.clocks.more_button.click()
    loaded(qtbot, page)
    assert page.clocks.model.rowCount() == 6
    assert not page.clocks.more_button.isVisibleTo(page)


def test_double_clicking_a_clock_opens_its_lead(qtbot, page, made):
    page.tabs.setCurrentIndex(CLOCKS_TAB)
    table = page.clocks.table
    row = next(r for r, shown in enumerate(_shown(page)) if shown[0] == "Slow Answer")
    where = table.visualRect(page.clocks.model.index(row, 0)).center()
    opened = []
    page.open_lead.connect(opened.append)
    # A double-click is a click, then a second press that arrives as the double-click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened == [made["slow"].id]  # once, not once per click

    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened[1:] == [page.clocks.model.reading(0).lead_id]


def test_the_clock_model_is_a_well_behaved_qt_model(qtmodeltester, page):
    assert page.clocks.model.rowCount() == 6
    qtmodeltester.check(page.clocks.model)


# --- the calendar ----------------------------------------------------------------------------


def test_a_closing_day_stops_the_clocks_and_can_be_removed(qtbot, page, clock):
    clock.at = local(2026, 11, 17, 16, 0)  # Tuesday: 15.5 of the decision's 16 hours used
    page.refresh()
    page.clocks.kind.setCurrentIndex(page.clocks.kind.findData("decision"))
    loaded(qtbot, page)

    def decision_of_the_waiting_lead() -> str:
        return {name: state for name, _kind, state in _shown(page)}["Still Waiting"]

    assert decision_of_the_waiting_lead() == "At risk"

    def tuesday(dialog):
        dialog.day.setDate(dialog.day.date().addDays(-1))  # it offers tomorrow
        dialog.label.setText("Team day")

    answer_dialog(qtbot, tuesday)
    with qtbot.waitSignal(page.changed):
        assert page.add_closing_day() is True
    loaded(qtbot, page)
    assert [(c.day, c.label) for c in ClosingDay.select()] == [(dt.date(2026, 11, 17), "Team day")]
    assert page.calendar.closing.item(0).text() == "Tue 17 Nov 2026 — Team day"
    assert decision_of_the_waiting_lead() == "Running"  # Tuesday does not count now

    page.tabs.setCurrentIndex(AGREEMENT_TAB)
    page.calendar.closing.setCurrentRow(0)
    page.calendar.remove_button.click()
    qtbot.waitUntil(lambda: not ClosingDay.select().exists(), timeout=WAIT_MS)
    loaded(qtbot, page)
    assert decision_of_the_waiting_lead() == "At risk"
    assert "None yet" in page.calendar.closing.item(0).text()
