"""The import wizard, driven page by page over real files and a real database."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QPushButton, QWizard

from app import leads
from app.io.mapping import IGNORE
from app.models import AuditEntry, Lead
from ui.import_wizard import (
    CHECK_PAGE,
    COLUMNS_PAGE,
    DONE_PAGE,
    FILE_PAGE,
    OPTIONS_PAGE,
    READING_PAGE,
    ImportWizard,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"
KONTAKTE = FIXTURES / "kontakte-windows-1252.csv"


@pytest.fixture
def wizard(qtbot, company, clock):
    widget = ImportWizard("leads", clock)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def open_file(wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.path.setText(str(path))
    wizard.next()


def run_dry_run(qtbot, wizard: ImportWizard) -> None:
    """From the reading page to the dry run's report, with the choices made so far."""
    while wizard.currentId() < CHECK_PAGE:
        current = wizard.currentId()
        wizard.next()
        assert wizard.currentId() == current + 1, wizard.currentPage().problem.text()
    qtbot.waitUntil(lambda: not wizard.check_page.is_running())


def lead_rows() -> list[tuple[str, str, str, str]]:
    return [
        (lead.name, lead.company, lead.email, lead.notes)
        for lead in Lead.select().order_by(Lead.id)
    ]


def test_a_german_excel_csv_is_read_mapped_tried_and_imported(qtbot, wizard):
    open_file(wizard, KONTAKTE)

    page = wizard.reading_page
    assert wizard.currentId() == READING_PAGE
    assert page.encoding.currentData() == "cp1252"
    assert page.encoding.currentText().startswith("Windows-1252")
    assert page.delimiter.currentData() == ";"
    assert page.delimiter.currentText() == "Semicolons ( ; )"
    assert page.header_row.value() == 1
    assert page.preview.horizontalHeaderItem(1).text() == "Firma"
    assert page.preview.item(0, 0).text() == "Jörg Schäfer"
    assert page.preview.verticalHeaderItem(1).text() == "3"  # Renée starts on line 3

    wizard.next()
    columns = wizard.columns_page
    assert wizard.currentId() == COLUMNS_PAGE
    assert columns.combo_for("E-Mail").currentData() == "email"
    assert columns.combo_for("Bemerkung").currentData() == "notes"
    assert columns.day_first.currentData() is True  # 02.03.2026 is the 2nd of March
    notes = columns.combo_for("Bemerkung")
    notes.setCurrentIndex(notes.findData(IGNORE))

    run_dry_run(qtbot, wizard)
    report = wizard.check_page.report
    assert report.tile_text("read") == "2 rows read"
    assert report.tile_text("imported") == "2 new"
    assert "2 would be imported" in report.summary.text()
    assert Lead.select().count() == 0  # a dry run changes nothing
    assert wizard.check_page.isComplete()

    wizard.next()
    assert wizard.currentId() == DONE_PAGE
    assert wizard.imported is not None and wizard.imported.imported == 2
    assert "Read 2 rows: 2 imported" in wizard.done_page.report.summary.text()
    assert lead_rows() == [
        ("Jörg Schäfer", "Schäfer & Söhne", "joerg@example.de", ""),  # notes were left out
        ("Renée Dubois", "Café Crème", "renee@example.fr", ""),
    ]
    created = Lead.get(Lead.email == "renee@example.fr").created_at
    assert created.date() == dt.date(2026, 3, 14)  # midnight on 15 March in Berlin, in UTC


def test_changing_how_the_file_is_read_reads_it_again(qtbot, wizard):
    open_file(wizard, KONTAKTE)
    page = wizard.reading_page

    page.delimiter.setCurrentIndex(page.delimiter.findData(","))
    assert page.preview.columnCount() == 1  # no commas: one long column
    assert page.encoding.currentData() == "cp1252"  # the other settings stand

    page.encoding.setCurrentIndex(page.encoding.findData("utf-8"))
    assert "is not utf-8 text" in page.problem.text()
    assert page.problem.isVisibleTo(wizard)
    assert not page.isComplete()

    page.encoding.setCurrentIndex(page.encoding.findData("cp1252"))
    page.delimiter.setCurrentIndex(page.delimiter.findData(";"))
    assert page.problem.text() == ""
    assert page.preview.item(1, 1).text() == "Café Crème"
    assert page.isComplete()

    page.header_row.setValue(2)  # Jörg's row taken for the column names
    assert page.preview.horizontalHeaderItem(0).text() == "Jörg Schäfer"
    assert page.preview.rowCount() == 1


def test_a_workbook_offers_its_sheets(qtbot, wizard, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook lists our contacts on the next sheet."])
    sheet = book.create_sheet("Contacts")
    sheet.append(["Full name", "Company", "E-mail address"])
    sheet.append(["Ada Lovelace", "Engines Ltd", "ada@example.com"])
    path = tmp_path / "contacts.xlsx"
    book.save(path)

    open_file(wizard, path)
    page = wizard.reading_page
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["Read me", "Contacts"]
    assert page.form.isRowVisible(page.sheet)
    assert not page.form.isRowVisible(page.encoding)

    page.sheet.setCurrentText("Contacts")
    assert page.preview.horizontalHeaderItem(2).text() == "E-mail address"
    assert page.preview.item(0, 0).text() == "Ada Lovelace"
    wizard.next()
    assert wizard.columns_page.combo_for("E-mail address").currentData() == "email"


def test_a_field_chosen_twice_is_refused_with_a_sentence(wizard, tmp_path):
    path = write_csv(tmp_path / "two.csv", [["Name", "Email", "Work email"], ["Ada", "a@x.io", ""]])
    open_file(wizard, path)
    wizard.next()
    columns = wizard.columns_page
    second = columns.combo_for("Work email")
    second.setCurrentIndex(second.findData("email"))

    assert columns.problem.text() == (
        "Both 'Email' and 'Work email' are mapped to email; map one column to each field."
    )
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentId() == COLUMNS_PAGE


def test_a_bad_date_is_listed_with_its_line_and_reason_and_can_be_saved(qtbot, wizard, tmp_path):
    path = write_csv(
        tmp_path / "with-a-bad-date.csv",
        [
            ["Name", "Email", "Created"],
            ["Ada Lovelace", "ada@example.com", "14/03/2026"],
            ["Bad Date", "bad@example.com", "31/02/2026"],
            ["Grace Hopper", "grace@example.com", "15/03/2026"],
        ],
    )
    open_file(wizard, path)
    run_dry_run(qtbot, wizard)

    report = wizard.check_page.report
    assert report.tile_text("rejected") == "1 rejected"
    assert report.tile_text("imported") == "2 new"
    assert report.error_rows() == [
        ("3", "Created", "31/02/2026", "Not a real date (read as day/month/year).")
    ]
    saved = tmp_path / "errors.csv"
    assert report.save_errors(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["Line", "Column", "Value", "Reason"],
            ["3", "Created", "31/02/2026", "Not a real date (read as day/month/year)."],
        ]

    wizard.next()
    assert wizard.currentId() == DONE_PAGE
    assert [name for name, *_ in lead_rows()] == ["Ada Lovelace", "Grace Hopper"]
    assert wizard.done_page.report.error_rows()[0][:2] == ("3", "Created")


def test_all_or_nothing_with_a_bad_row_offers_no_import(qtbot, wizard, tmp_path):
    path = write_csv(
        tmp_path / "strict.csv",
        [["Name", "Created"], ["Ada", "14/03/2026"], ["Bad", "not a date"]],
    )
    open_file(wizard, path)
    wizard.next()
    wizard.next()
    assert wizard.currentId() == OPTIONS_PAGE
    wizard.options_page.nothing.setChecked(True)
    run_dry_run(qtbot, wizard)

    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "Import would change nothing" in wizard.check_page.verdict.text()


def test_an_existing_lead_is_updated_when_asked(qtbot, wizard, company, clock, tmp_path):
    leads.add_lead(
        name="Ada L.", email="ada@example.com", source="referral", by=company.owner, clock=clock
    )
    path = write_csv(
        tmp_path / "update.csv",
        [["Name", "Email", "Company"], ["Ada Lovelace", "ADA@example.com", "Engines Ltd"]],
    )
    open_file(wizard, path)
    wizard.next()
    wizard.next()
    wizard.options_page.update_.setChecked(True)
    run_dry_run(qtbot, wizard)
    assert wizard.check_page.report.tile_text("updated") == "1 updated"

    wizard.next()
    assert lead_rows() == [("Ada Lovelace", "Engines Ltd", "ada@example.com", "")]


def test_cancelling_the_import_leaves_the_database_as_it_was(
    qtbot, wizard, company, clock, tmp_path
):
    leads.add_lead(
        name="Already here",
        email="here@example.com",
        source="referral",
        by=company.owner,
        clock=clock,
    )
    before = (lead_rows(), AuditEntry.select().count())
    path = write_csv(
        tmp_path / "three.csv",
        [["Name", "Email"], ["One", "1@example.com"], ["Two", "2@example.com"], ["Three", ""]],
    )
    open_file(wizard, path)
    run_dry_run(qtbot, wizard)
    assert wizard.check_page.report.tile_text("imported") == "3 new"

    def press_cancel():
        wizard.progress_dialog.findChild(QPushButton).click()

    # Cancel as soon as the progress dialog is up: the rows are written, then rolled back.
    wizard.import_started.connect(press_cancel)
    wizard.next()

    assert wizard.currentId() == CHECK_PAGE
    assert wizard.check_page.problem.text() == "You cancelled the import. Nothing was changed."
    assert wizard.imported is None
    assert (lead_rows(), AuditEntry.select().count()) == before


def test_an_empty_file_is_refused_on_the_first_page(wizard, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n")

    open_file(wizard, path)

    assert wizard.currentId() == FILE_PAGE
    assert wizard.file_page.problem.text() == "empty.csv is empty: there is nothing to import."
    assert wizard.file_page.problem.isVisibleTo(wizard)


def test_a_file_with_only_column_names_is_explained_at_the_dry_run(qtbot, wizard, tmp_path):
    path = write_csv(tmp_path / "header-only.csv", [["Name", "Email"]])
    open_file(wizard, path)
    assert "nothing to import" in wizard.reading_page.preview_note.text()

    run_dry_run(qtbot, wizard)

    assert wizard.check_page.problem.text() == (
        "header-only.csv has column names but no rows to import."
    )
    assert not wizard.check_page.isComplete()


def test_closing_the_wizard_during_a_dry_run_stops_it(qtbot, wizard, tmp_path):
    rows = [["Name", "Email"]] + [[f"Lead {n}", f"{n}@example.com"] for n in range(3000)]
    path = write_csv(tmp_path / "big.csv", rows)
    open_file(wizard, path)
    wizard.next()
    wizard.next()
    wizard.next()  # the dry run starts

    wizard.reject()

    assert not wizard.check_page.is_running()
    assert wizard.imported is None
    assert Lead.select().count() == 0
