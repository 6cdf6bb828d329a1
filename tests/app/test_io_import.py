"""Importing into a real database: rows, errors, duplicates, one transaction, backup, search."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app import leads, search
from app.errors import UserError
from app.io import importer, reader
from app.io.importer import ImportOptions
from app.models import (
    AuditEntry,
    Campaign,
    Deal,
    DealStageChange,
    Lead,
    database,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "io"
HEADER = ["Name", "Company", "Email", "Phone", "Source", "Notes"]


def _csv(path: Path, rows: list[list[Any]], *, header: list[str] = HEADER, **fmt: Any) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, **fmt)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(path: Path, company: Any, clock: Any, **options: Any) -> importer.ImportReport:
    layout = reader.detect_layout(path, sheet=options.pop("sheet", None))
    progress = options.pop("progress", None)
    return importer.import_file(
        layout, ImportOptions(**options), by=company.owner, clock=clock, progress=progress
    )


def _people() -> list[tuple[str, str, str]]:
    return [(lead.name, lead.email, lead.phone) for lead in Lead.select().order_by(Lead.id)]


def _state() -> dict[str, Any]:
    """Everything an import may touch, to prove a cancelled or failed one touched nothing."""
    tables = {
        model.__name__: list(model.select().order_by(model.id).tuples())
        for model in (Lead, Campaign, Deal, DealStageChange, AuditEntry)
    }
    schema = database.execute_sql(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    indexed = database.execute_sql("SELECT COUNT(*) FROM lead_fts_docsize").fetchone()[0]
    return {"tables": tables, "schema": schema, "search index rows": indexed}


def _search(text: str) -> list[str]:
    return [lead.name for lead in Lead.select().where(search.matches(text)).order_by(Lead.id)]


def _search_index_is_sound() -> None:
    database.execute_sql("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")


# --- what goes in ---------------------------------------------------------------------------


def test_a_crm_export_goes_in_with_every_field(company, clock):
    report = _import(FIXTURES / "salesforce-leads.csv", company, clock)

    assert report.summary() == (
        "Read 3 rows: 3 imported, 0 updated, 0 skipped as duplicates, 0 rejected."
    )
    ada, grace, linus = Lead.select().order_by(Lead.id)
    assert (ada.name, ada.company, ada.email, ada.phone) == (
        "Ada Lovelace",
        "Analytical Engines Ltd",
        "ada@example.com",
        "+44 20 7946 0001",
    )
    assert ada.notes == "Met at the fair.\r\nCall back in April."
    assert ada.source == "other"  # "Web" is no source Tandem has
    assert ada.created_at == dt.datetime(2026, 3, 14, 8, 30)  # 9:30 AM in Berlin, in UTC
    assert ada.owner_id == company.owner.id  # by email
    assert (grace.company, grace.source, grace.owner_id) == (
        "Cobol, Inc.",
        "referral",
        company.seller.id,
    )
    assert grace.created_at == dt.datetime(2026, 3, 15, 15, 5)
    assert (linus.name, linus.source, linus.notes) == ("Linus", "cold_call", 'Said "maybe" twice')
    assert linus.owner_id == company.owner.id  # no owner named: the one importing
    assert (ada.stage, ada.temperature, ada.customer_type) == ("new", "cold", "b2b")


def test_excel_unicode_text_goes_in(company, clock):
    report = _import(FIXTURES / "excel-unicode-text.txt", company, clock)

    assert (report.imported, report.rejected) == (2, 0)
    assert _people() == [
        ("Jürgen Müller", "juergen@example.de", "+49 30 1234567"),
        ("Zoë Łukasiewicz", "zoe@example.jp", ""),
    ]
    assert Lead.get(Lead.email == "zoe@example.jp").company == "東京商事"


def test_every_bad_row_is_reported_with_line_column_value_and_reason(company, clock, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Name,Email,Created,Owner,Temperature,Campaign\n"
        "Good One,good@example.com,2026-03-01,Sam Sales,warm,\n"
        "Bad Date,bad1@example.com,31/02/2026,,,\n"
        "Bad Mail,not-an-email,,,,\n"
        ",nobody@example.com,,,,\n"
        "Who,who@example.com,,Nobody Known,,\n"
        'Multi,"multi@example.com",,,"lukewarm\nish",\n'
        "Camp,camp@example.com,,,,Spring Fair\n"
        "Short,short@example.com\n"
        "Good Two,good2@example.com,,,,\n",
        encoding="utf-8",
    )
    written: list[Any] = []

    report = importer.import_file(
        reader.detect_layout(path),
        ImportOptions(),
        by=company.owner,
        clock=clock,
        on_error=written.append,
    )

    assert (report.read, report.imported, report.rejected) == (9, 2, 7)
    assert [(e.line, e.column, e.value, e.reason) for e in report.errors] == [
        (3, "Created", "31/02/2026", "Not a real date (read as day/month/year)."),
        (4, "Email", "not-an-email", "Does not look like an email address."),
        (5, "Name", "", "A lead needs a person's name or a company name."),
        (6, "Owner", "Nobody Known", "No team member has this name or email."),
        (
            7,
            "Temperature",
            "lukewarm\nish",
            "Not a temperature Tandem knows; use one of: cold, warm, qualified.",
        ),
        (
            9,
            "Campaign",
            "Spring Fair",
            "There is no campaign of this name; add it first, or let the import create missing "
            "campaigns.",
        ),
        (10, "", "", report.errors[-1].reason),
    ]
    assert report.errors[-1].reason.startswith("This row has 2 values but the file has 6 columns")
    assert written == report.errors
    assert [name for name, _e, _p in _people()] == ["Good One", "Good Two"]
    assert Lead.get(Lead.name == "Good One").temperature == "warm"


def test_all_or_nothing_keeps_every_row_out_when_one_is_bad(company, clock, tmp_path):
    path = _csv(
        tmp_path / "a.csv", [["Ada", "", "ada@example.com", "", "", ""], ["", "", "", "", "", "x"]]
    )
    before = _state()

    report = _import(path, company, clock, all_or_nothing=True)

    assert (report.imported, report.rejected, report.kept) == (1, 1, False)
    assert report.nothing_imported
    assert report.summary().startswith("Nothing was imported: 1 of 2 rows have problems")
    assert _state() == before


def test_good_rows_go_in_when_the_user_allows_it(company, clock, tmp_path):
    path = _csv(
        tmp_path / "a.csv", [["Ada", "", "ada@example.com", "", "", ""], ["", "", "", "", "", "x"]]
    )

    report = _import(path, company, clock)

    assert (report.imported, report.rejected, report.kept) == (1, 1, True)
    assert not report.nothing_imported
    assert _people() == [("Ada", "ada@example.com", "")]


# --- duplicates -----------------------------------------------------------------------------


@pytest.fixture
def ada(company, clock) -> Lead:
    return leads.add_lead(
        name="Ada Lovelace",
        email="Ada@Example.com",
        phone="+49 30 1234567",
        source="referral",
        notes="keep me",
        by=company.owner,
        clock=clock,
    )


@pytest.fixture
def phone_only(company, clock) -> Lead:
    return leads.add_lead(
        name="Phone Only", phone="+44 20 7946 0000", source="other", by=company.owner, clock=clock
    )


def _duplicates_file(tmp_path: Path) -> Path:
    return _csv(
        tmp_path / "dupes.csv",
        [
            ["Ada King", "", " ADA@example.COM ", "", "", ""],  # same email, other case
            ["Phone Person", "", "", "0044 (20) 7946-0000", "", "called"],  # same phone, no email
            ["Someone Else", "", "else@example.com", "+49 30 1234567", "", ""],  # other email
        ],
    )


def test_duplicates_are_skipped(company, clock, tmp_path, ada, phone_only):
    report = _import(_duplicates_file(tmp_path), company, clock, on_duplicate="skip")

    assert (report.imported, report.skipped, report.updated) == (1, 2, 0)
    assert _people() == [
        ("Ada Lovelace", "ada@example.com", "+49 30 1234567"),
        ("Phone Only", "", "+44 20 7946 0000"),
        ("Someone Else", "else@example.com", "+49 30 1234567"),  # an email of its own: new
    ]


def test_duplicates_update_the_lead_and_empty_cells_erase_nothing(
    company, clock, tmp_path, ada, phone_only
):
    report = _import(_duplicates_file(tmp_path), company, clock, on_duplicate="update")

    assert (report.imported, report.skipped, report.updated) == (1, 0, 2)
    fresh = Lead.get_by_id(ada.id)
    assert (fresh.name, fresh.email, fresh.notes) == ("Ada King", "ada@example.com", "keep me")
    assert fresh.phone == "+49 30 1234567"
    updated = Lead.get_by_id(phone_only.id)
    assert (updated.name, updated.notes) == ("Phone Person", "called")
    assert updated.phone == "0044 (20) 7946-0000"  # the file's spelling of the same number
    assert _search("King") == ["Ada King"]  # the search index follows updates
    _search_index_is_sound()


def test_duplicates_go_in_as_new_when_asked(company, clock, tmp_path, ada, phone_only):
    report = _import(_duplicates_file(tmp_path), company, clock, on_duplicate="new")

    assert (report.imported, report.skipped, report.updated) == (3, 0, 0)
    assert Lead.select().count() == 5


@pytest.mark.parametrize("policy", ["skip", "update"])
def test_importing_the_same_file_twice_makes_no_duplicates(company, clock, policy):
    first = _import(FIXTURES / "salesforce-leads.csv", company, clock, on_duplicate=policy)
    again = _import(FIXTURES / "salesforce-leads.csv", company, clock, on_duplicate=policy)

    assert first.imported == 3
    assert (again.imported, again.updated, again.skipped) == (0, 0, 3)
    assert Lead.select().count() == 3


@pytest.mark.parametrize(
    ("policy", "counts", "names"),
    [
        ("skip", (2, 0, 1), ["First Ada", "Grace"]),
        ("update", (2, 1, 0), ["Second Ada", "Grace"]),
        ("new", (3, 0, 0), ["First Ada", "Grace", "Second Ada"]),
    ],
)
def test_duplicates_within_the_file(company, clock, tmp_path, monkeypatch, policy, counts, names):
    monkeypatch.setattr(importer, "BATCH", 2)  # the repeat comes in a later batch
    path = _csv(
        tmp_path / "twice.csv",
        [
            ["First Ada", "", "ada@example.com", "", "", "first"],
            ["Grace", "", "grace@example.com", "", "", ""],
            ["Second Ada", "", "ADA@example.com", "", "", ""],
        ],
    )

    report = _import(path, company, clock, on_duplicate=policy)

    assert (report.imported, report.updated, report.skipped) == counts
    assert [name for name, _e, _p in _people()] == names
    if policy == "update":
        assert Lead.get(Lead.name == "Second Ada").notes == "first"


def test_a_repeat_in_the_same_batch_updates_the_row_waiting_to_be_written(company, clock, tmp_path):
    path = _csv(
        tmp_path / "twice.csv",
        [
            ["Ada", "", "ada@example.com", "", "", "one"],
            ["", "Engines", "ada@example.com", "", "", ""],
        ],
    )

    report = _import(path, company, clock, on_duplicate="update")

    assert (report.imported, report.updated) == (1, 1)
    lead = Lead.get()
    assert (lead.name, lead.company, lead.notes) == ("Ada", "Engines", "one")


# --- one transaction, a backup, one audit entry ---------------------------------------------


def _many(tmp_path: Path, count: int) -> Path:
    return _csv(
        tmp_path / "many.csv",
        [
            [f"Person {n}", f"Firm {n}", f"p{n}@example.com", "", "Referral", ""]
            for n in range(count)
        ],
    )


class CancelledError(Exception):
    pass


@pytest.mark.parametrize("bulk", [False, True], ids=["row by row", "bulk"])
def test_cancelling_midway_leaves_the_database_exactly_as_it_was(
    company, clock, tmp_path, monkeypatch, ada, bulk
):
    monkeypatch.setattr(importer, "BATCH", 10)
    monkeypatch.setattr(importer, "BULK_FROM", 1 if bulk else 10**9)
    path = _many(tmp_path, 35)
    before = _state()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 20:
            raise CancelledError

    with pytest.raises(CancelledError):
        _import(path, company, clock, progress=progress, on_duplicate="update")

    assert seen == [(10, 35), (20, 35)]
    assert _state() == before
    assert _search("Lovelace") == ["Ada Lovelace"]
    _search_index_is_sound()


def test_a_value_shared_by_a_whole_batch_is_stored_exactly(company, clock, tmp_path):
    # Such a value is written into the INSERT statement itself rather than bound: quotes and
    # semicolons must come through as text.
    odd = "O'Brien; DROP TABLE lead; --"
    path = _csv(tmp_path / "same.csv", [[f"P{n}", odd, "", "", "", "'"] for n in range(5)])

    _import(path, company, clock)

    assert {(lead.company, lead.notes) for lead in Lead.select()} == {(odd, "'")}
    assert Lead.select().count() == 5


def test_a_failure_in_the_middle_leaves_the_database_as_it_was(
    company, clock, tmp_path, monkeypatch
):
    monkeypatch.setattr(importer, "BATCH", 100)
    path = _many(tmp_path, 3000)  # past the sample the encoding is guessed from
    path.write_bytes(path.read_bytes() + "Jörg,x,j@example.com,,,\n".encode("cp1252"))
    before = _state()

    with pytest.raises(UserError, match="is not utf-8 text"):
        _import(path, company, clock)

    assert _state() == before


@pytest.mark.parametrize("bulk", [False, True], ids=["row by row", "bulk"])
def test_imported_leads_are_found_by_search(company, clock, tmp_path, monkeypatch, ada, bulk):
    monkeypatch.setattr(importer, "BATCH", 7)
    monkeypatch.setattr(importer, "BULK_FROM", 1 if bulk else 10**9)
    indexes_before = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'lead' ORDER BY name"
    ).fetchall()

    report = _import(_many(tmp_path, 30), company, clock)

    assert report.imported == 30
    assert _search("Person 17") == ["Person 17"]
    assert _search("Lovelace") == ["Ada Lovelace"]
    assert (
        database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'lead' ORDER BY name"
        ).fetchall()
        == indexes_before
    )
    _search_index_is_sound()
    leads.add_lead(name="After Import", by=company.owner, clock=clock, source="other")
    assert _search("After") == ["After Import"]  # the search trigger is back


def test_a_dry_run_writes_nothing_and_predicts_the_real_run(company, clock, tmp_path, ada):
    path = _csv(
        tmp_path / "plan.csv",
        [
            ["Ada King", "", "ada@example.com", "", "", ""],
            ["Grace", "", "grace@example.com", "", "", ""],
            ["", "", "", "", "", "no name"],
            ["Grace Again", "", "grace@example.com", "", "", ""],
        ],
    )
    before = _state()

    dry = _import(path, company, clock, dry_run=True, on_duplicate="update")

    assert _state() == before
    assert not list(Path(tmp_path / "user-data").rglob("*before-import*"))
    assert dry.summary() == (
        "Dry run, nothing was changed. Read 4 rows: 1 would be imported, 2 would be updated, "
        "0 would be skipped as duplicates, 1 rejected."
    )
    real = _import(path, company, clock, on_duplicate="update")
    assert (real.read, real.imported, real.updated, real.skipped, real.rejected) == (
        dry.read,
        dry.imported,
        dry.updated,
        dry.skipped,
        dry.rejected,
    )


def test_a_verified_backup_is_taken_first(company, clock, tmp_path, ada):
    report = _import(_many(tmp_path, 3), company, clock)

    assert report.backup is not None and report.backup.name.endswith("_before-import.db")
    copy = database.obj.__class__(str(report.backup))
    try:
        assert copy.execute_sql("SELECT COUNT(*) FROM lead").fetchone()[0] == 1  # Ada only
    finally:
        copy.close()


def test_one_audit_entry_sums_up_the_import(company, clock, tmp_path):
    _import(_many(tmp_path, 25), company, clock)

    entries = list(AuditEntry.select().where(AuditEntry.action == "import"))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.table, entry.row_id, entry.member_id) == ("lead", 0, company.owner.id)
    assert json.loads(entry.after) == {
        "campaigns_created": 0,
        "file": "many.csv",
        "imported": 25,
        "on_duplicate": "skip",
        "read": 25,
        "rejected": 0,
        "skipped": 0,
        "updated": 0,
    }
    assert AuditEntry.select().where(AuditEntry.table == "lead").count() == 1


def test_progress_counts_rows_against_the_files_size(company, clock, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 4)
    seen: list[tuple[int, int]] = []

    _import(_many(tmp_path, 10), company, clock, progress=lambda d, t: seen.append((d, t)))

    assert seen == [(4, 10), (8, 10), (10, 10)]


# --- campaigns by name -----------------------------------------------------------------------


@pytest.fixture
def spring(company, clock) -> Campaign:
    return Campaign.create(
        name="Spring Fair", channel="event", starts_on=dt.date(2026, 3, 1), created_at=clock.now()
    )


def test_leads_name_their_campaign(company, clock, tmp_path, spring):
    path = _csv(
        tmp_path / "c.csv",
        [["Ada", "spring  fair", "", "", "", ""]],
        header=["Name", "Campaign", "Email", "Phone", "Source", "Notes"],
    )

    report = _import(path, company, clock)

    assert report.imported == 1
    lead = Lead.get()
    assert (lead.campaign_id, lead.source) == (spring.id, "campaign")


def test_unknown_campaigns_are_created_only_when_asked(company, clock, tmp_path, spring):
    path = _csv(
        tmp_path / "c.csv",
        [[f"P{n}", "Autumn Mailing", "", "", "", ""] for n in range(3)],
        header=["Name", "Campaign", "Email", "Phone", "Source", "Notes"],
    )

    refused = _import(path, company, clock)
    dry = _import(path, company, clock, create_campaigns=True, dry_run=True)
    created = _import(path, company, clock, create_campaigns=True)

    assert (refused.imported, refused.rejected) == (0, 3)
    assert (dry.imported, dry.campaigns_created) == (3, ["Autumn Mailing"])
    assert dry.summary().endswith("1 new campaign would be created.")
    assert created.campaigns_created == ["Autumn Mailing"]
    autumn = Campaign.get(Campaign.name == "Autumn Mailing")
    assert (autumn.channel, autumn.starts_on) == ("other", dt.date(2026, 11, 16))
    assert Lead.select().where(Lead.campaign == autumn).count() == 3


# --- workbooks, campaigns, deals ---------------------------------------------------------------


def test_a_workbook_sheet_with_real_dates_and_numbers(company, clock, tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["Total", 2])
    sheet = book.create_sheet("Leads")
    sheet.append(["Name", "Phone", "Created", "Notes"])
    sheet.append(["Ada", 4930123456, dt.datetime(2026, 3, 31, 14, 30), "=not a formula"])
    sheet.append(["Grace", "+1 555 0100", dt.date(2026, 1, 15), None])
    book.save(path)

    report = _import(path, company, clock, sheet="Leads")

    assert report.imported == 2
    ada_, grace = Lead.select().order_by(Lead.id)
    assert (ada_.phone, ada_.created_at) == ("4930123456", dt.datetime(2026, 3, 31, 12, 30))
    assert grace.created_at == dt.datetime(2026, 1, 14, 23, 0)


def test_campaigns_go_in(company, clock, tmp_path):
    path = _csv(
        tmp_path / "campaigns.csv",
        [
            ["Spring Fair", "Trade show", "01.03.2026", "31.03.2026", "1.500,00", "1.234,56", ""],
            ["Newsletter", "Newsletter", "01.12.2026", "", "200", "", "Sam Sales"],
            ["Bad", "Radio", "31.03.2026", "01.03.2026", "", "", ""],
        ],
        header=[
            "Campaign Name",
            "Type",
            "Start Date",
            "End Date",
            "Budget",
            "Actual Cost",
            "Owner",
        ],
        delimiter=";",
    )

    report = _import(path, company, clock, kind="campaigns")

    assert (report.imported, report.rejected) == (2, 1)
    assert report.errors[0].reason == "The campaign ends before it starts."
    fair = Campaign.get(Campaign.name == "Spring Fair")
    assert (fair.channel, fair.status) == ("event", "finished")  # it ended before today
    assert (fair.planned_budget, fair.actual_spend) == (Decimal("1500.00"), Decimal("1234.56"))
    news = Campaign.get(Campaign.name == "Newsletter")
    assert (news.channel, news.status, news.owner_id) == (
        "email_newsletter",
        "planned",
        company.seller.id,
    )
    again = _import(path, company, clock, kind="campaigns")
    assert (again.imported, again.skipped) == (0, 2)


def test_deals_go_in_with_their_lead_and_first_stage(company, clock, tmp_path, ada):
    path = _csv(
        tmp_path / "deals.csv",
        [
            ["Big one", "12,500.00", "eur", "Closed Won", "2026-10-01", "ada@example.com"],
            ["Small one", "99", "", "Proposal", "", ""],
            ["Lost cause", "10", "USD", "Pending", "", ""],
            ["Ghost", "10", "USD", "", "", "ghost@example.com"],
        ],
        header=["Opportunity Name", "Amount", "Currency", "Stage", "Close Date", "Lead email"],
    )

    report = _import(path, company, clock, kind="deals")

    assert (report.imported, report.rejected) == (2, 2)
    assert [e.column for e in report.errors] == ["Stage", "Lead email"]
    big = Deal.get(Deal.title == "Big one")
    assert (big.value, big.currency, big.stage, big.probability) == (
        Decimal("12500"),
        "EUR",
        "won",
        100,
    )
    assert (big.lead_id, big.won_at) == (ada.id, dt.datetime(2026, 10, 1, 12, 0))
    small = Deal.get(Deal.title == "Small one")
    assert (small.currency, small.stage, small.probability) == ("EUR", "proposal", 30)
    firsts = DealStageChange.select().where(DealStageChange.from_stage.is_null())
    assert sorted((c.deal_id, c.to_stage) for c in firsts) == [
        (big.id, "won"),
        (small.id, "proposal"),
    ]


def test_updating_a_deals_stage_records_the_move(company, clock, tmp_path):
    path = _csv(
        tmp_path / "d.csv",
        [["Deal", "100", "EUR", "Qualification"]],
        header=["Title", "Value", "Currency", "Stage"],
    )
    _import(path, company, clock, kind="deals")
    path = _csv(
        tmp_path / "d.csv",
        [["Deal", "100", "EUR", "Negotiation"]],
        header=["Title", "Value", "Currency", "Stage"],
    )

    report = _import(path, company, clock, kind="deals", on_duplicate="update")

    assert report.updated == 1
    deal = Deal.get()
    assert (deal.stage, deal.probability) == ("negotiation", 60)
    moves = [
        (c.from_stage, c.to_stage) for c in DealStageChange.select().order_by(DealStageChange.id)
    ]
    assert moves == [(None, "qualification"), ("qualification", "negotiation")]


# --- whole-file problems: a clear message, nothing imported ----------------------------------


def test_a_header_without_rows(company, clock, tmp_path):
    path = _csv(tmp_path / "empty.csv", [])
    with pytest.raises(UserError, match="has column names but no rows to import"):
        _import(path, company, clock)


def test_mixed_delimiters_reject_the_rows_that_do_not_fit(company, clock, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("Name,Email,Phone\nAda,ada@example.com,1\nGrace;grace@example.com;2\n")

    report = _import(path, company, clock)

    assert (report.imported, report.rejected) == (1, 1)
    assert report.errors[0].line == 3
    assert "has 1 values but the file has 3 columns" in report.errors[0].reason


def test_a_ten_megabyte_note_is_a_row_error_with_a_short_value(company, clock, tmp_path):
    path = _csv(
        tmp_path / "big.csv",
        [["Ada", "", "", "", "", "n" * (10 * 2**20)], ["Grace", "", "", "", "", "ok"]],
    )

    report = _import(path, company, clock)

    assert (report.imported, report.rejected) == (1, 1)
    error = report.errors[0]
    assert (error.line, error.column, error.reason) == (
        2,
        "Notes",
        "Notes is longer than 100,000 characters.",
    )
    assert len(error.value) == 200


def test_a_wrong_duplicate_policy_is_refused(company, clock, tmp_path):
    with pytest.raises(UserError, match="For duplicates choose one of: skip, update, new"):
        _import(_many(tmp_path, 1), company, clock, on_duplicate="merge")
