"""Exporting lists to CSV and XLSX: safe cells, real numbers, whole files, and back in again."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.errors import UserError
from app.io import exporter, formula, importer, reader
from app.io.importer import ImportOptions
from app.models import Campaign, Deal, Lead

FIELDS = ("name", "company", "email", "phone", "source", "campaign_id", "customer_type",
          "temperature", "notes", "created_at", "owner_id")  # fmt: skip


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    return list(book.active.iter_rows(values_only=True))


@pytest.fixture
def spring(company, clock) -> Campaign:
    return Campaign.create(
        name="Spring Fair",
        channel="event",
        starts_on=dt.date(2026, 3, 1),
        planned_budget=Decimal("1500.50"),
        created_at=clock.now(),
    )


@pytest.fixture
def people(company, clock, spring) -> list[Lead]:
    def lead(**values: Any) -> Lead:
        # Every lead has an owner (add_lead makes it whoever adds it; so does an import).
        base = {
            "source": "other",
            "created_at": dt.datetime(2026, 3, 31, 12, 30),
            "owner": company.owner,
        }
        return Lead.create(**{**base, **values})

    return [
        lead(
            name="Ada Lovelace",
            company="Analytical Engines",
            email="ada@example.com",
            phone="+44 20 7946 0001",
            source="campaign",
            campaign=spring,
            notes="two\nlines",
            owner=company.seller,
            score=-5,
        ),
        lead(name='=HYPERLINK("http://evil")', company="@risk", notes="-1", phone="'0123"),
        lead(name="Zoë Łukasiewicz", company="東京商事", customer_type="b2c", temperature="warm"),
    ]


def test_a_csv_export_opens_right_in_excel_and_runs_no_formula(company, people, tmp_path):
    path = tmp_path / "leads.csv"

    count = exporter.export("leads", path)

    assert count == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    header, ada, evil, zoe = _csv_rows(path)
    row = dict(zip(header, ada, strict=True))
    assert row["Name"] == "Ada Lovelace"
    assert row["Phone"] == "'+44 20 7946 0001"
    assert (row["Campaign"], row["Owner"], row["Score"]) == ("Spring Fair", "Sam Sales", "'-5")
    assert row["Created"] == "2026-03-31 14:30:00"  # the company's time (Berlin, summer)
    assert row["Notes"] == "two\nlines"
    bad = dict(zip(header, evil, strict=True))
    assert (bad["Name"], bad["Company"], bad["Notes"], bad["Phone"]) == (
        '\'=HYPERLINK("http://evil")',
        "'@risk",
        "'-1",
        "''0123",
    )
    assert zoe[header.index("Company")] == "東京商事"


def test_an_xlsx_export_has_real_numbers_and_dates(company, people, tmp_path):
    path = tmp_path / "leads.xlsx"

    exporter.export("leads", path)

    header, ada, evil, _zoe = _xlsx_rows(path)
    row = dict(zip(header, ada, strict=True))
    assert row["Score"] == -5  # a negative number stays a number
    assert row["Created"] == dt.datetime(2026, 3, 31, 14, 30)
    assert row["ID"] == people[0].id
    assert row["Phone"] == "'+44 20 7946 0001"
    assert dict(zip(header, evil, strict=True))["Name"] == '\'=HYPERLINK("http://evil")'
    sheet = openpyxl.load_workbook(path).active
    assert all(cell.data_type != "f" for row_ in sheet.iter_rows() for cell in row_)


def test_campaign_money_and_dates_are_numbers_and_dates(company, spring, tmp_path):
    path = tmp_path / "campaigns.xlsx"

    exporter.export("campaigns", path)

    header, row = _xlsx_rows(path)
    values = dict(zip(header, row, strict=True))
    assert values["Planned budget"] == 1500.5
    assert values["Starts"] == dt.datetime(2026, 3, 1)
    assert values["Channel"] == "event"


def test_the_list_as_filtered_and_sorted_is_exported(company, people, tmp_path):
    path = tmp_path / "some.csv"
    query = Lead.select(Lead.id).where(Lead.name != "Ada Lovelace").order_by(Lead.name.desc())

    assert exporter.export("leads", path, query) == 2

    names = [row[1] for row in _csv_rows(path)[1:]]
    assert names == ["Zoë Łukasiewicz", '\'=HYPERLINK("http://evil")']


def test_the_trash_stays_out_of_a_whole_table_export(company, people, clock, tmp_path):
    Lead.update(deleted_at=clock.now()).where(Lead.id == people[2].id).execute()

    assert exporter.export("leads", tmp_path / "all.csv") == 2


class StopError(Exception):
    pass


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_failed_export_leaves_no_half_written_file(
    company, people, tmp_path, monkeypatch, suffix
):
    monkeypatch.setattr(exporter, "CHUNK", 1)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / f"leads{suffix}"
    path.write_text("the old export")

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise StopError

    with pytest.raises(StopError):
        exporter.export("leads", path, progress=progress)

    assert path.read_text() == "the old export"
    assert sorted(p.name for p in folder.iterdir()) == [f"leads{suffix}"]


def test_only_csv_and_xlsx_are_written(company, tmp_path):
    with pytest.raises(
        UserError, match=r"exports to \.csv or \.xlsx files; 'leads\.pdf' is neither"
    ):
        exporter.export("leads", tmp_path / "leads.pdf")


def test_a_missing_folder_is_a_clear_error(company, tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        exporter.export("leads", tmp_path / "nope" / "leads.csv")


# --- and back in -------------------------------------------------------------------------------


def _stored(lead: Lead) -> tuple[Any, ...]:
    return tuple(getattr(lead, f) for f in FIELDS)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_leads_come_back_from_their_export_unchanged(company, people, clock, tmp_path, suffix):
    path = tmp_path / f"leads{suffix}"
    exporter.export("leads", path)
    before = [_stored(lead) for lead in Lead.select().order_by(Lead.id)]
    Lead.delete().execute()

    report = importer.import_file(
        reader.detect_layout(path), ImportOptions(), by=company.owner, clock=clock
    )

    assert (report.imported, report.rejected) == (3, 0), report.errors
    assert [_stored(lead) for lead in Lead.select().order_by(Lead.id)] == before


def test_campaigns_and_deals_come_back_from_their_export(company, people, spring, clock, tmp_path):
    Deal.create(
        title="=Big deal",
        value=Decimal("12500.50"),
        currency="EUR",
        stage="proposal",
        probability=30,
        expected_close=dt.date(2026, 12, 1),
        lead=people[0],
        owner=company.seller,
        created_at=clock.now(),
        stage_changed_at=clock.now(),
    )
    campaigns, deals = tmp_path / "campaigns.xlsx", tmp_path / "deals.csv"
    exporter.export("campaigns", campaigns)
    exporter.export("deals", deals)
    Deal.delete().execute()
    Campaign.update(name="Renamed").execute()  # so the campaign comes back as a new one

    back = [
        importer.import_file(
            reader.detect_layout(path), ImportOptions(kind=kind), by=company.owner, clock=clock
        )
        for kind, path in (("campaigns", campaigns), ("deals", deals))
    ]

    assert [(r.imported, r.rejected) for r in back] == [(1, 0), (1, 0)]
    fair = Campaign.get(Campaign.name == "Spring Fair")
    assert (fair.channel, fair.starts_on, fair.planned_budget) == (
        "event",
        dt.date(2026, 3, 1),
        Decimal("1500.50"),
    )
    deal = Deal.get()
    assert (deal.title, deal.value, deal.stage, deal.probability, deal.lead_id) == (
        "=Big deal",
        Decimal("12500.50"),
        "proposal",
        30,
        people[0].id,
    )
    assert (deal.expected_close, deal.owner_id) == (dt.date(2026, 12, 1), company.seller.id)


def test_no_exported_cell_starts_a_formula(company, people, tmp_path):
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"all{suffix}"
        exporter.export("leads", path)
        rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
        cells = [c for row in rows for c in row if isinstance(c, str) and c]
        assert not [c for c in cells if c[0] in formula.TRIGGERS]
