"""Writing leads, campaigns or deals to CSV or XLSX: a whole table or a list as filtered, sorted."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app import company
from app.errors import UserError
from app.io import formula
from app.io.mapping import check_kind
from app.io.output import replaced_on_success
from app.models import Campaign, Deal, Lead, Member

CHUNK = 1000
Progress = Callable[[int, int], None]  # (rows written, rows in all); raise to cancel
# Characters XML 1.0, and so XLSX, cannot hold (a workbook keeps the rest of the text).
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    header: str  # the importer maps it back to its field
    field: str  # the record's field, or a name the lookups fill in
    shape: str = "text"  # text | number | date | moment (a UTC timestamp shown in local time)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "leads": (
        Column("ID", "id", "number"),
        Column("Name", "name"),
        Column("Company", "company"),
        Column("Email", "email"),
        Column("Phone", "phone"),
        Column("Source", "source"),
        Column("Campaign", "campaign_name"),
        Column("Customer type", "customer_type"),
        Column("Temperature", "temperature"),
        Column("Stage", "stage"),
        Column("Funnel stage", "funnel_stage"),
        Column("Score", "score", "number"),
        Column("Owner", "owner_name"),
        Column("Sales owner", "sales_owner_name"),
        Column("Notes", "notes"),
        Column("Created", "created_at", "moment"),
        Column("Qualified", "qualified_at", "moment"),
        Column("Handed over", "handed_over_at", "moment"),
        Column("Accepted", "accepted_at", "moment"),
        Column("Rejected", "rejected_at", "moment"),
        Column("Converted", "converted_at", "moment"),
        Column("Disqualified", "disqualified_at", "moment"),
        Column("Paused until", "paused_until", "date"),
    ),
    "campaigns": (
        Column("ID", "id", "number"),
        Column("Name", "name"),
        Column("Channel", "channel"),
        Column("Objective", "objective"),
        Column("Audience", "audience"),
        Column("Starts", "starts_on", "date"),
        Column("Ends", "ends_on", "date"),
        Column("Planned budget", "planned_budget", "number"),
        Column("Actual spend", "actual_spend", "number"),
        Column("Status", "status"),
        Column("Owner", "owner_name"),
        Column("Impressions", "impressions", "number"),
        Column("Clicks", "clicks", "number"),
        Column("Engagements", "engagements", "number"),
        Column("Created", "created_at", "moment"),
    ),
    "deals": (
        Column("ID", "id", "number"),
        Column("Title", "title"),
        Column("Value", "value", "number"),
        Column("Currency", "currency"),
        Column("Stage", "stage"),
        Column("Probability", "probability", "number"),
        Column("Expected close", "expected_close", "date"),
        Column("Owner", "owner_name"),
        Column("Lead name", "lead_name"),
        Column("Lead email", "lead_email"),
        Column("Created", "created_at", "moment"),
        Column("Won", "won_at", "moment"),
        Column("Lost", "lost_at", "moment"),
        Column("Loss note", "loss_note"),
    ),
}
MODELS: dict[str, Any] = {"leads": Lead, "campaigns": Campaign, "deals": Deal}


def export(kind: str, path: Path, query: Any = None, *, progress: Progress | None = None) -> int:
    """Write the records of a query (default: every record not in the trash, oldest first) to
    a .csv or .xlsx file, in the query's order; returns how many rows were written. The file
    appears only when complete."""
    model = MODELS[check_kind(kind)]
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError(f"Tandem exports to .csv or .xlsx files; '{path.name}' is neither.")
    if query is None:
        query = model.select().where(model.deleted_at.is_null()).order_by(model.id)
    # Whatever the list showed, every column of the record is exported, in the list's order.
    query = query.select(*model._meta.sorted_fields)
    headers = [column.header for column in COLUMNS[kind]]
    lines = _lines(kind, query, progress, query.count())
    with replaced_on_success(path) as partial:
        if suffix == ".csv":
            return _write_csv(partial, headers, lines)
        return _write_xlsx(partial, kind, headers, lines)


def _lines(kind: str, query: Any, progress: Progress | None, total: int) -> Iterator[list[Any]]:
    """Each record's cells, with names for the ids it holds, read a chunk at a time."""
    # Small tables, read whole; peewee's type hints do not know .tuples() yields tuples.
    people: Any = Member.select(Member.id, Member.name).tuples()
    members: dict[int, str] = dict(people)
    campaigns: dict[int, str] = {}
    if kind == "leads":
        named: Any = Campaign.select(Campaign.id, Campaign.name).tuples()
        campaigns = dict(named)
    zone = zoneinfo.ZoneInfo(company.load().timezone)
    done = 0
    records = query.dicts().iterator()
    while chunk := [record for _, record in zip(range(CHUNK), records, strict=False)]:
        leads = _leads_of(chunk) if kind == "deals" else {}
        for record in chunk:
            record["owner_name"] = members.get(record.get("owner"), "")
            record["sales_owner_name"] = members.get(record.get("sales_owner"), "")
            record["campaign_name"] = campaigns.get(record.get("campaign"), "")
            record["lead_name"], record["lead_email"] = leads.get(record.get("lead"), ("", ""))
            yield [_value(record, column, zone) for column in COLUMNS[kind]]
        done += len(chunk)
        if progress:
            progress(done, max(done, total))


def _leads_of(chunk: list[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    ids = {record["lead"] for record in chunk if record.get("lead")}
    if not ids:
        return {}
    found: Any = Lead.select(Lead.id, Lead.name, Lead.email).where(Lead.id.in_(ids)).tuples()
    return {lead_id: (name, email) for lead_id, name, email in found}


def _value(record: dict[str, Any], column: Column, zone: zoneinfo.ZoneInfo) -> Any:
    """The cell's value as a workbook holds it: text, a number, a date or a local time."""
    value = record.get(column.field)
    if value is None:
        return None
    if column.shape == "moment":
        return value.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)
    if column.shape in ("number", "date"):
        return value
    return str(value)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return formula.escape(text)


def _write_csv(path: Path, headers: list[str], lines: Iterator[list[Any]]) -> int:
    """UTF-8 with a byte-order mark, so Excel reads accents right; every cell is text in a CSV,
    so every cell, numbers too, is kept from starting a formula."""
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([formula.escape(header) for header in headers])
        for line in lines:
            writer.writerow([_csv_cell(value) for value in line])
            written += 1
    return written


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return formula.escape(_NOT_IN_XML.sub("", value))
    return value  # numbers, dates and times stay what they are; a number cannot run a formula


def _write_xlsx(path: Path, kind: str, headers: list[str], lines: Iterator[list[Any]]) -> int:
    """A streamed workbook (openpyxl's write-only mode): bold frozen headers, real numbers and
    dates, and text cells kept from starting a formula."""
    from openpyxl import Workbook  # loaded on first use: it costs start-up time
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.capitalize())
    sheet.freeze_panes = "A2"
    for number, column in enumerate(COLUMNS[kind], start=1):
        width = {"moment": 19, "date": 12, "number": 12}.get(column.shape, 24)
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=formula.escape(header))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    written = 0
    try:
        for line in lines:
            sheet.append([_xlsx_cell(value) for value in line])
            written += 1
    except BaseException:
        # Finish the sheet's half-written temporary file, or openpyxl trips over it later.
        with contextlib.suppress(Exception):
            sheet.close()
        raise
    book.save(path)
    return written
