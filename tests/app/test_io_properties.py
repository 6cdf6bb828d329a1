"""Properties over arbitrary text: export then import gives it back exactly, and no exported cell
can start a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.io import exporter, formula, importer, reader
from app.io.importer import ImportOptions
from app.models import Lead

# Any Unicode text Python can write as UTF-8 (lone surrogates cannot be).
ANY_TEXT = st.characters(blacklist_categories=("Cs",))
# What a workbook can hold: XML has no place for most control characters, and it turns a
# carriage return into a line feed.
SHEET_TEXT = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))
    + "\r\ufffe\uffff",
)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    # One database for all examples: each example cleans up its own leads.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_numbers = itertools.count()


def _names(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # Names are stored stripped (as add_lead stores them) and no longer than the field allows.
    return st.text(alphabet, min_size=1, max_size=60).map(str.strip).filter(bool)


@pytest.fixture
def quick_imports(monkeypatch):
    """No backup per example: the property is about the text, and copying costs the time."""
    monkeypatch.setattr(importer, "_backup_first", lambda clock: None)


def _round_trip(tmp_path: Path, suffix: str, name: str, company: str, notes: str, who, clock):
    lead = Lead.create(
        name=name,
        company=company,
        notes=notes,
        source="other",
        owner=who,
        created_at=dt.datetime(2026, 3, 31, 12, 30),
    )
    path = tmp_path / f"one-{next(_numbers)}{suffix}"
    try:
        exporter.export("leads", path, Lead.select().where(Lead.id == lead.id))
        report = importer.import_file(
            reader.detect_layout(path),
            ImportOptions(on_duplicate="new"),
            by=who,
            clock=clock,
        )
        assert (report.imported, report.rejected) == (1, 0), report.errors
        back = Lead.select().where(Lead.id > lead.id).get()
        return back.name, back.company, back.notes
    finally:
        Lead.delete().execute()
        path.unlink(missing_ok=True)


@EXAMPLES
@given(name=_names(ANY_TEXT), company=_names(ANY_TEXT), notes=st.text(ANY_TEXT, max_size=200))
def test_csv_export_then_import_gives_any_text_back(
    company_, clock, tmp_path, quick_imports, name, company, notes
):
    assert _round_trip(tmp_path, ".csv", name, company, notes, company_.owner, clock) == (
        name,
        company,
        notes,
    )


@EXAMPLES
@given(name=_names(SHEET_TEXT), company=_names(SHEET_TEXT), notes=st.text(SHEET_TEXT, max_size=200))
def test_xlsx_export_then_import_gives_any_sheet_text_back(
    company_, clock, tmp_path, quick_imports, name, company, notes
):
    assert _round_trip(tmp_path, ".xlsx", name, company, notes, company_.owner, clock) == (
        name,
        company,
        notes,
    )


@EXAMPLES
@given(cells=st.lists(st.text(ANY_TEXT, max_size=30), min_size=4, max_size=4))
def test_no_exported_cell_starts_with_a_formula_trigger(company_, clock, tmp_path, cells):
    name, firm, phone, notes = cells
    Lead.create(
        name=name, company=firm, phone=phone, notes=notes, source="other", created_at=clock.now()
    )
    try:
        for suffix in (".csv", ".xlsx"):
            path = tmp_path / f"check-{next(_numbers)}{suffix}"
            exporter.export("leads", path)
            if suffix == ".csv":
                with path.open(encoding="utf-8-sig", newline="") as handle:
                    rows = list(csv.reader(handle))
            else:
                rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
            path.unlink()
            texts = [c for row in rows for c in row if isinstance(c, str) and c]
            assert not [c for c in texts if c[0] in formula.TRIGGERS]
    finally:
        Lead.delete().execute()


@pytest.fixture
def company_(company):
    """The test company, under a name that leaves 'company' free for the generated text."""
    return company
