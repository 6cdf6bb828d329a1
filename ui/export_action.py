"""Exporting a list to CSV or XLSX: ask for a file, write it off the GUI thread, tell the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from app import lead_list, pipeline
from app.io import exporter
from app.io.mapping import check_kind
from app.lead_list import LeadFilter
from app.models import Campaign, Deal, Lead
from app.pipeline import DealFilter
from ui.errors import show_problem
from ui.jobs import Cancelled, run_with_progress

CSV_FILTER = "CSV (UTF-8, opens in Excel) (*.csv)"
XLSX_FILTER = "Excel workbook (*.xlsx)"
SUFFIXES = {CSV_FILTER: ".csv", XLSX_FILTER: ".xlsx"}
NOUNS = {
    "leads": ("lead", "leads"),
    "campaigns": ("campaign", "campaigns"),
    "deals": ("deal", "deals"),
}
MESSAGE_SECONDS = 10


# The list as currently shown ----------------------------------------------------------------


def leads_query(lead_filter: LeadFilter, sort: str = "created", descending: bool = True) -> Any:
    """The leads list as filtered and sorted on the Leads page (the model's sort_order())."""
    column = lead_list.SORT_COLUMNS[sort]
    order = [column.desc(), Lead.id.desc()] if descending else [column.asc(), Lead.id.asc()]
    return Lead.select().where(lead_filter.where()).order_by(*order)


def deals_query(
    deal_filter: DealFilter, sort: str = "expected_close", descending: bool = False
) -> Any:
    """The deals list as filtered and sorted on the Pipeline page's list."""
    column = pipeline.SORT_COLUMNS[sort]
    order = [column.desc(), Deal.id.desc()] if descending else [column.asc(), Deal.id.asc()]
    return Deal.select().where(deal_filter.where()).order_by(*order)


def campaigns_query() -> Any:
    """Every campaign outside the trash, by name: the table is small and shown whole."""
    return (
        Campaign.select().where(Campaign.deleted_at.is_null()).order_by(Campaign.name, Campaign.id)
    )


# Exporting ------------------------------------------------------------------------------------


def file_name_for(chosen: str, name_filter: str) -> Path:
    """The file a Save dialog's answer means: the chosen filter's extension is added when the
    name has neither .csv nor .xlsx."""
    path = Path(chosen)
    if path.suffix.lower() in (".csv", ".xlsx"):
        return path
    return path.with_name(path.name + SUFFIXES.get(name_filter, ".csv"))


def ask_for_file(parent: QWidget | None, kind: str, suggested_name: str) -> Path | None:
    """The Save dialog: CSV or an Excel workbook; None if the user changed their mind."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    dialog = QFileDialog(
        parent, f"Export {kind}", str(Path(folder or Path.home()) / suggested_name)
    )
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setNameFilters([CSV_FILTER, XLSX_FILTER])
    dialog.setDefaultSuffix("csv")  # Qt adds it, and asks before replacing that file
    dialog.filterSelected.connect(lambda chosen: dialog.setDefaultSuffix(SUFFIXES[chosen][1:]))
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return None
    return file_name_for(dialog.selectedFiles()[0], dialog.selectedNameFilter())


def export_list(
    parent: QWidget | None,
    kind: str,
    query: Any = None,
    suggested_name: str | None = None,
    path: Path | None = None,
) -> int | None:
    """Export a list (query: its records in its order; None: the whole table) to the file the
    user chooses, or to path without asking. Says how it went in the window's status bar (or a
    message box) and returns how many rows were written, None if nothing was."""
    check_kind(kind)
    if path is None:
        path = ask_for_file(parent, kind, suggested_name or kind)
        if path is None:
            return None
    target = path

    def work(progress: Any) -> int:
        return exporter.export(kind, target, query, progress=progress)

    try:
        written = run_with_progress(parent, f"Export {kind}", f"Writing {path.name}…", work)
    except Cancelled:
        _tell(parent, f"Export cancelled: {path.name} was not written.")
        return None
    except Exception as exc:
        show_problem(parent, exc, "Cannot export")
        return None
    one, many = NOUNS[kind]
    _tell(parent, f"Exported {written:,} {one if written == 1 else many} to {path}.")
    return int(written)


def _tell(parent: QWidget | None, message: str) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, MESSAGE_SECONDS * 1000)
    else:
        QMessageBox.information(parent, "Export", message)
