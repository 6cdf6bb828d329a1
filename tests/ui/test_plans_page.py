"""The Plans page: editing targets, the written plan and copying it, the planner, printing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app import plans
from app.models import AuditEntry
from tests.app.test_metrics import build_october
from ui.plans_page import PlansPage


@pytest.fixture
def page(qtbot, store, company, clock):
    widget = PlansPage(clock)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    return widget


def test_the_current_month_is_shown_first(page):
    assert page.month() == "2026-11"
    assert page.month_box.currentText() == "November 2026"


def test_editing_a_target_saves_it_and_a_wrong_one_is_refused(qtbot, page, company):
    changed = []
    page.changed.connect(lambda: changed.append(True))
    revenue = page.targets.cell_for((company.seller.id, "revenue", None))

    revenue.setText("12,500")

    assert plans.targets("2026-11") == {(company.seller.id, "revenue", None): Decimal(12500)}
    assert revenue.text() == "12,500"
    assert changed == [True]
    assert AuditEntry.select().where(AuditEntry.table == "target").count() == 1

    deals = page.targets.cell_for((company.seller.id, "deals_won", None))
    deals.setText("2.5")

    assert page.problem.text() == "A deals won target is a whole number."
    assert deals.text() == ""
    assert (company.seller.id, "deals_won", None) not in plans.targets("2026-11")


def test_cells_that_make_no_sense_cannot_be_edited(page, company):
    assert page.targets.cell_for((company.marketer.id, "revenue", None)) is None
    assert page.targets.cell_for((company.marketer.id, "qualified_leads", None)) is not None
    assert page.budgets.cell_for((None, "budget", "search_ppc")) is not None


def test_write_the_plan_and_copy_last_months(qtbot, page, company, clock, monkeypatch):
    page.show_month("2026-10")
    page.written.fields["objectives"].setPlainText("Sell hedges <b>& trees</b>")
    page.save_button.click()
    assert plans.written_plan("2026-10").objectives == "Sell hedges <b>& trees</b>"

    page.show_month("2026-11")
    page.written.fields["objectives"].setPlainText("Something else")
    asked = []

    def answer(*args):
        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    page.copy_button.click()

    assert "Replace what is written for November 2026" in asked[0]
    assert page.written.fields["objectives"].toPlainText() == "Sell hedges <b>& trees</b>"
    assert plans.written_plan("2026-11").objectives == "Sell hedges <b>& trees</b>"


def test_switching_month_keeps_what_was_typed(page):
    page.written.fields["key_messages"].setPlainText("Green all year")
    page.show_month("2026-12")

    assert page.written.fields["key_messages"].toPlainText() == ""
    assert plans.written_plan("2026-11").key_messages == "Green all year"


def test_the_planner_shows_its_working_and_applies_it(qtbot, store, company, clock):
    build_october(company, clock)
    page = PlansPage(clock)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.tabs.setCurrentWidget(page.planner)
    planner = page.planner
    planner.months.setValue(1)

    planner.goal.setText("7000")
    planner.work_button.click()

    # October: 3,000 of 3,500 from leads (6/7), one deal of 3,000 from a lead: 2 deals to win;
    # half of the deals opened are won: 4 to open; 2 accepted opened 2 deals: 4 to accept;
    # 2 of 3 handovers accepted: 6 to hand over.
    steps = [planner.working.item(row, 1).text() for row in range(planner.working.rowCount())]
    assert steps[:6] == ["7,000 EUR", "6,000 EUR", "2", "4", "4", "6"]
    assert planner.apply_button.isEnabled()

    planner.apply_button.click()

    assert plans.targets("2026-11")[(None, "qualified_leads", None)] == Decimal(6)
    assert plans.targets("2026-11")[(None, "revenue", None)] == Decimal(7000)
    assert page.targets.cell_for((None, "qualified_leads", None)).text() == "6"


def test_the_planner_explains_a_goal_it_cannot_plan_for(page):
    page.planner.goal.setText("lots")
    page.planner.work_button.click()
    assert page.planner.problem.text() == "'lots' is not a number."

    page.planner.goal.setText("5000")
    page.planner.work_button.click()  # a new company has no history
    assert "not enough history" in page.planner.problem.text()
    assert not page.planner.apply_button.isEnabled()


def test_print_the_plan_then_offer_to_open_it(qtbot, page, tmp_path, monkeypatch):
    out = tmp_path / "november"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(out), "PDF files"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))

    page.print_button.click()

    pdf = tmp_path / "november.pdf"
    assert opened == [str(pdf)]
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "Test GmbH" in text and "November 2026" in text
