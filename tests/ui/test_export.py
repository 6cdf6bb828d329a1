"""Exporting a list as it is shown, filtered and sorted, to CSV and XLSX files read back."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from app import deals, leads
from app.lead_list import LeadFilter
from app.pipeline import DealFilter
from ui.export_action import (
    CSV_FILTER,
    XLSX_FILTER,
    campaigns_query,
    deals_query,
    export_list,
    file_name_for,
    leads_query,
)


@pytest.fixture
def window(qtbot, company, clock):
    for name, firm in (
        ("Anna Müller", "Gärtnerei Nord"),
        ("Carl Schmidt", "Bäckerei Schmidt"),
        ("Bernd Müller", "Gärtnerei Süd"),
        ("Dora Weiß", "Gärtnerei West"),
    ):
        clock.advance(minutes=5)
        leads.add_lead(name=name, company=firm, source="referral", by=company.owner, clock=clock)
    widget = QMainWindow()
    qtbot.addWidget(widget)
    return widget


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def xlsx_rows(path: Path) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        header, *rows = list(book.active.iter_rows(values_only=True))
    finally:
        book.close()
    return [dict(zip(header, row, strict=False)) for row in rows]


def test_the_filtered_leads_list_goes_to_csv_in_its_order(window, tmp_path):
    shown = leads_query(LeadFilter(text="gärtnerei"), "name", descending=True)
    path = tmp_path / "leads.csv"

    assert export_list(window, "leads", shown, path=path) == 3

    rows = csv_rows(path)
    assert [row["Name"] for row in rows] == ["Dora Weiß", "Bernd Müller", "Anna Müller"]
    assert rows[0]["Company"] == "Gärtnerei West"
    assert window.statusBar().currentMessage() == f"Exported 3 leads to {path}."


def test_the_filtered_leads_list_goes_to_a_workbook_in_its_order(window, tmp_path):
    shown = leads_query(LeadFilter(text="müller"), "created", descending=False)
    path = tmp_path / "leads.xlsx"

    assert export_list(window, "leads", shown, path=path) == 2

    rows = xlsx_rows(path)
    assert [(row["Name"], row["Company"]) for row in rows] == [
        ("Anna Müller", "Gärtnerei Nord"),
        ("Bernd Müller", "Gärtnerei Süd"),
    ]
    assert window.statusBar().currentMessage() == f"Exported 2 leads to {path}."


def test_the_deals_list_keeps_its_filter_and_order(window, company, clock, tmp_path):
    for title, value, stage in (
        ("Hedges", "900", "proposal"),
        ("Roses", "2500", "qualification"),
        ("Lawn", "1200", "proposal"),
    ):
        deals.add_deal(
            title=title,
            value=Decimal(value),
            currency="EUR",
            stage=stage,
            by=company.owner,
            clock=clock,
        )
    path = tmp_path / "deals.csv"

    shown = deals_query(DealFilter(stage="proposal"), "value", descending=True)
    assert export_list(window, "deals", shown, path=path) == 2

    assert [(row["Title"], row["Value"]) for row in csv_rows(path)] == [
        ("Lawn", "1200"),
        ("Hedges", "900"),
    ]


def test_campaigns_export_whole(window, tmp_path):
    path = tmp_path / "campaigns.csv"
    assert export_list(window, "campaigns", campaigns_query(), path=path) == 0
    assert csv_rows(path) == []
    assert window.statusBar().currentMessage() == f"Exported 0 campaigns to {path}."


def test_a_file_that_is_neither_csv_nor_xlsx_is_explained(window, tmp_path):
    seen = []
    watch = QTimer(window)

    def read_and_close():  # the message comes after the export's own progress loop
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            watch.stop()
            seen.append(box.text())
            box.accept()

    watch.timeout.connect(read_and_close)
    watch.start(10)
    path = tmp_path / "leads.txt"

    assert export_list(window, "leads", path=path) is None

    assert seen == ["Tandem exports to .csv or .xlsx files; 'leads.txt' is neither."]
    assert not path.exists()


@pytest.mark.parametrize(
    ("chosen", "name_filter", "expected"),
    [
        ("/tmp/leads", CSV_FILTER, "/tmp/leads.csv"),
        ("/tmp/leads", XLSX_FILTER, "/tmp/leads.xlsx"),
        ("/tmp/leads.XLSX", CSV_FILTER, "/tmp/leads.XLSX"),
        ("/tmp/report.2026", XLSX_FILTER, "/tmp/report.2026.xlsx"),
    ],
)
def test_the_chosen_filter_gives_a_missing_extension(chosen, name_filter, expected):
    assert file_name_for(chosen, name_filter) == Path(expected)
