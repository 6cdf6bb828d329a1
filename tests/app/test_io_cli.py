"""`main.py import` and `main.py export`: summaries, exit codes and the errors file."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import cli
from app.db import open_database
from app.io import report
from app.models import Campaign, Lead

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"


@pytest.fixture
def db(store, company) -> Iterator[Path]:
    """A company's database file, closed so that the command line can open it."""
    assert store.path is not None
    store.close()
    yield store.path


def _run(*argv: str) -> int:
    return cli.run(cli.parse(list(argv)))


def _leads(path: Path, clock) -> list[tuple[str, str]]:
    opened = open_database(path, clock=clock)
    try:
        return [(lead.name, lead.email) for lead in Lead.select().order_by(Lead.id)]
    finally:
        opened.close()


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clean_import_exits_0_with_a_summary(db, tmp_path, clock, capsys):
    source = tmp_path / "salesforce.csv"
    source.write_bytes((FIXTURES / "salesforce-leads.csv").read_bytes())

    assert _run("import", "leads", str(source), "--db", str(db)) == 0

    out = capsys.readouterr()
    assert out.out.strip() == (
        "Read 3 rows: 3 imported, 0 updated, 0 skipped as duplicates, 0 rejected."
    )
    assert out.err == ""
    assert not (tmp_path / "salesforce.csv.errors.csv").exists()
    assert len(_leads(db, clock)) == 3


def test_some_rejected_rows_exit_1_and_go_to_the_errors_file(db, tmp_path, clock, capsys):
    source = _file(
        tmp_path,
        "Name,Email,Created\nAda,ada@example.com,2026-03-01\nBad,bad@example.com,31/02/2026\n"
        "=cmd,not-an-email,\n",
    )

    assert _run("import", "leads", str(source), "--db", str(db)) == 1

    out = capsys.readouterr()
    assert out.out.startswith(
        "Read 3 rows: 1 imported, 0 updated, 0 skipped as duplicates, 2 rejected."
    )
    errors = tmp_path / "people.csv.errors.csv"
    assert out.err.strip() == f"tandem: 2 rows were rejected (see {errors})"
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Line", "Column", "Value", "Reason"],
        ["3", "Created", "31/02/2026", "Not a real date (read as day/month/year)."],
        ["4", "Email", "not-an-email", "Does not look like an email address."],
    ]
    assert _leads(db, clock) == [("Ada", "ada@example.com")]


def test_a_later_clean_import_removes_the_stale_errors_file(db, tmp_path):
    source = _file(tmp_path, "Name,Email\nAda,bad\n")
    assert _run("import", "leads", str(source), "--db", str(db)) == 2
    assert (tmp_path / "people.csv.errors.csv").exists()

    source.write_text("Name,Email\nAda,ada@example.com\n")

    assert _run("import", "leads", str(source), "--db", str(db)) == 0
    assert not (tmp_path / "people.csv.errors.csv").exists()


def test_all_or_nothing_exits_2_and_imports_nothing(db, tmp_path, clock, capsys):
    source = _file(tmp_path, "Name,Email\nAda,ada@example.com\nBad,bad\n")

    code = _run("import", "leads", str(source), "--db", str(db), "--all-or-nothing")

    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("tandem: nothing was imported: 1 row was rejected and you chose all or")
    assert _leads(db, clock) == []


@pytest.mark.parametrize(
    ("content", "extra", "reason"),
    [
        ("", [], "people.csv is empty"),
        ("Name,Email\n", [], "has column names but no rows to import"),
        ("Shoe size\n42\n", [], "No column is mapped to a name or a company"),
        ("Name\nAda\n", ["--map", "Nope=name"], "The file has no column 'Nope'"),
        ('Name,Notes\nAda,"never closed\nmore\n', [], "is never closed"),
    ],
)
def test_whole_file_problems_exit_2_with_one_line(db, tmp_path, capsys, content, extra, reason):
    source = _file(tmp_path, content)

    assert _run("import", "leads", str(source), "--db", str(db), *extra) == 2

    err = capsys.readouterr().err.strip()
    assert err.startswith("tandem: nothing was imported: ")
    assert reason in err
    assert "\n" not in err


def test_a_dry_run_changes_nothing(db, tmp_path, clock, capsys):
    source = _file(tmp_path, "Name,Email\nAda,ada@example.com\n")

    assert _run("import", "leads", str(source), "--db", str(db), "--dry-run") == 0

    assert capsys.readouterr().out.startswith(
        "Dry run, nothing was changed. Read 1 row: 1 would be"
    )
    assert _leads(db, clock) == []


def test_options_choose_mapping_duplicates_formats_and_campaigns(db, tmp_path, clock):
    source = tmp_path / "odd.txt"
    source.write_bytes(
        "Who|Mail|When|Kampagne\nAda|ada@example.com|03/04/2026|Spring\n".encode("cp1252")
    )
    args = ["import", "leads", str(source), "--db", str(db), "--delimiter", "pipe"]
    args += ["--encoding", "windows-1252", "--map", "Who=name", "--map", "Mail=email"]
    args += ["--map", "When=created_at", "--dates", "month-first", "--create-campaigns"]

    assert _run(*args) == 0
    source.write_bytes(b"Who|Mail|When|Kampagne\nAda K|ADA@example.com|03/04/2026|\n")
    assert _run(*args, "--on-duplicate", "update") == 0

    opened = open_database(db, clock=clock)
    try:
        lead = Lead.get()
        # 4 March, month first, at midnight in Berlin: 23:00 the day before in UTC.
        assert (lead.name, lead.created_at) == ("Ada K", dt.datetime(2026, 3, 3, 23, 0))
        assert lead.campaign.name == "Spring"
        assert Campaign.select().count() == 1
    finally:
        opened.close()


def test_a_workbook_sheet_is_chosen_by_name(db, tmp_path, clock, capsys):
    exported = tmp_path / "leads.xlsx"
    _run("import", "leads", str(_file(tmp_path, "Name\nAda\n")), "--db", str(db))
    assert _run("export", "leads", str(exported), "--db", str(db)) == 0

    assert _run("import", "leads", str(exported), "--db", str(db), "--sheet", "Nope") == 2
    assert "has no sheet called 'Nope'; its sheets are: Leads" in capsys.readouterr().err
    assert _run("import", "leads", str(exported), "--db", str(db), "--sheet", "Leads") == 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_the_format_its_name_says(db, tmp_path, clock, capsys, suffix):
    _run(
        "import",
        "leads",
        str(_file(tmp_path, "Name,Email\nAda,ada@example.com\n")),
        "--db",
        str(db),
    )
    capsys.readouterr()
    out = tmp_path / f"out{suffix}"

    assert _run("export", "leads", str(out), "--db", str(db)) == 0

    assert capsys.readouterr().out.strip() == f"Exported 1 leads to {out}."
    assert out.read_bytes()[:2] == (b"PK" if suffix == ".xlsx" else b"\xef\xbb")


def test_export_to_an_unknown_format_exits_1(db, tmp_path, capsys):
    assert _run("export", "deals", str(tmp_path / "deals.pdf"), "--db", str(db)) == 1
    assert "exports to .csv or .xlsx" in capsys.readouterr().err


def test_errors_in_hand_are_saved_as_csv(tmp_path):
    errors = [report.RowError(3, "Email", "=x", "Does not look like an email address.")]

    report.save_errors(errors, tmp_path / "errors.csv")

    with (tmp_path / "errors.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1] == ["3", "Email", "'=x", errors[0].reason]
