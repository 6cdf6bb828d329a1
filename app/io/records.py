"""Turning the cells of one row into a lead's, campaign's or deal's values, or saying why not."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app import deals, team
from app.io import choices, duplicates, formula, values
from app.io.mapping import FIELDS, Field
from app.io.values import CellError, Formats
from app.models import BaseModel, Campaign, Deal, DealStageChange, Lead, Member, database

# (field, the cell as text, why it cannot be used); field "" for a problem of the whole row.
Problem = tuple[str, str, str]
CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "fr": "CHF"}


@dataclass
class Context:
    """What reading rows needs besides the rows: formats, who imports, now, and the names that
    rows refer to (team members, campaigns, leads), looked up once and kept."""

    formats: Formats
    now: dt.datetime
    today: dt.date
    by: int | None  # the member importing; owner of what names no owner
    currency: str  # the company's, for deals without one
    create_campaigns: bool = False
    dry_run: bool = False
    campaigns_created: list[str] = field(default_factory=list)
    _members: dict[str, int | None] | None = None
    _campaigns: dict[str, int | None] | None = None
    _leads: dict[str, int] | None = None

    def member(self, text: str) -> int:
        if self._members is None:
            self._members = {}
            # peewee's type hints do not know .tuples() yields tuples.
            people: Any = Member.select(Member.id, Member.name, Member.email).tuples()
            for member_id, name, email in people:
                for key in (_key(name), _key(email or "")):
                    if key:
                        # Two members of one name: the name alone no longer says who.
                        self._members[key] = None if key in self._members else member_id
        found = self._members.get(_key(text), 0)
        if found is None:
            raise CellError("two team members have this name; use their email instead")
        if not found:
            raise CellError("no team member has this name or email")
        return found

    def campaign(self, text: str) -> int:
        """The campaign of that name; a new one when the user chose to create missing campaigns
        (a dry run only counts it, and stands -1 for its id)."""
        if self._campaigns is None:
            self._campaigns = {}
            query: Any = Campaign.select(Campaign.id, Campaign.name).where(
                Campaign.deleted_at.is_null()
            )
            for campaign_id, name in query.tuples():
                key = _key(name)
                self._campaigns[key] = None if key in self._campaigns else campaign_id
        key = _key(text)
        if key in self._campaigns:
            found = self._campaigns[key]
            if found is None:
                raise CellError("two campaigns have this name")
            return found
        if not self.create_campaigns:
            raise CellError(
                "there is no campaign of this name; add it first, or let the import create "
                "missing campaigns"
            )
        name = " ".join(text.split())[:200]
        self.campaigns_created.append(name)
        created = -1
        if not self.dry_run:
            created = Campaign.create(
                name=name, channel="other", starts_on=self.today, created_at=self.now
            ).id
        self._campaigns[key] = created
        return created

    def lead(self, text: str) -> int:
        if self._leads is None:
            self._leads = {}
            cursor = database.execute_sql(
                "SELECT id, email FROM lead WHERE deleted_at IS NULL AND email != '' ORDER BY id"
            )
            for lead_id, email in cursor:
                self._leads.setdefault(email.strip().casefold(), lead_id)
        found = self._leads.get(text.strip().casefold())
        if not found:
            raise CellError("no lead has this email")
        return found


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class Kind:
    """One kind of record an import makes; subclasses say how its rows are read and checked."""

    name = ""
    model: type[BaseModel] = BaseModel
    table = ""
    key_fields: tuple[str, ...] = ()  # the fields keys() reads

    def __init__(self) -> None:
        self.fields = FIELDS[self.name]
        model_fields = self.model._meta.sorted_fields
        self.columns = [f for f in model_fields if f.name != "id"]
        self.defaults = {f.name: f.default for f in self.columns}
        self.row_for_insert = operator.itemgetter(*(f.name for f in self.columns))
        self.readers: list[tuple[int, str, Reader, bool]] = []

    def prepare(self, columns: dict[int, str], ctx: Context) -> None:
        """Make a reader for each mapped column, once, before the rows come."""
        self.readers = []
        for index, name in sorted(columns.items()):
            spec = self.fields[name]
            self.readers.append(
                (index, name, cell_reader(self.name, spec, ctx), spec.reads == "notes")
            )

    def read(self, cells: list[Any]) -> tuple[dict[str, Any], list[Problem]]:
        """The values the row gives (empty cells give none), and the problems with its cells."""
        given: dict[str, Any] = {}
        problems: list[Problem] = []
        width = len(cells)
        for index, name, reader, keeps_spaces in self.readers:
            if index >= width:
                continue
            cell = cells[index]
            if cell is None or cell == "":
                continue
            if not keeps_spaces and type(cell) is str and cell.isspace():
                continue
            try:
                given[name] = reader(cell)
            except CellError as exc:
                problems.append((name, _shown(cell), str(exc)))
        return given, problems

    def complete(self, given: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """A new record's values: the row's, with defaults for what it leaves empty."""
        return {**self.defaults, **given}

    def check(self, record: dict[str, Any]) -> list[Problem]:
        """Rules across fields, on the record as it would be stored."""
        return []

    def changes(
        self, before: dict[str, Any], given: dict[str, Any], ctx: Context
    ) -> dict[str, Any]:
        """What updating a stored record with the row's values changes."""
        return {k: v for k, v in given.items() if before.get(k) != v}

    def after_update(
        self, record_id: int, before: dict[str, Any], changes: dict[str, Any], ctx: Context
    ) -> None:
        """Anything else an update writes (called only when it writes)."""

    def keys(self, record: dict[str, Any]) -> duplicates.Keys:
        return None, None

    def existing(self) -> Iterator[tuple[int, duplicates.Keys]]:
        return iter(())

    def after_insert(self, after_id: int) -> None:
        """Anything else new records need, for those with ids above after_id."""


Reader = Callable[[Any], Any]


def _shown(cell: Any) -> str:
    text = values.text_of(cell)
    return text if len(text) <= 200 else text[:199] + "…"


def _plain(cell: Any) -> str:
    """The cell's text as typed: a formula quote taken off, nothing else changed."""
    if type(cell) is str:
        return formula.unescape(cell) if cell[:1] == "'" else cell
    return values.text_of(cell)


def cell_reader(kind: str, spec: Field, ctx: Context) -> Reader:
    """A function that reads one cell of this field, or raises CellError with the reason."""
    formats = ctx.formats
    reads = spec.reads
    if reads in ("text", "phone", "notes", "email"):
        return _text_reader(spec)
    if reads == "date":
        return lambda cell: values.parse_date(cell, formats)
    if reads == "datetime":
        return values.datetime_reader(formats)
    if reads == "money":
        return lambda cell: _money(spec, cell, formats)
    if reads == "count":
        return lambda cell: _count(spec, cell, formats)
    if reads == "percent":
        return lambda cell: _percent(cell, formats)
    if reads == "currency":
        return _currency
    if reads == "choice":
        return _choice_reader(kind, spec)
    if reads == "member":
        return lambda cell: ctx.member(_plain(cell).strip())
    if reads == "campaign":
        return lambda cell: ctx.campaign(_plain(cell).strip())
    if reads == "lead":
        return lambda cell: ctx.lead(_plain(cell).strip())
    raise AssertionError(reads)


def _text_reader(spec: Field) -> Reader:
    limit, strip, email = spec.max_length, spec.reads != "notes", spec.reads == "email"
    too_long = f"{spec.label} is longer than {limit:,} characters"

    def read(cell: Any) -> str:
        if type(cell) is not str:
            text = values.text_of(cell)
        elif cell[:1] == "'":
            text = formula.unescape(cell)
        else:
            text = cell
        if strip:
            text = text.strip()
        if email:
            # Stored in lower case, as app.leads does: addresses are case-blind.
            text = (text[7:] if text[:7].lower() == "mailto:" else text).lower()
            if not team.EMAIL.match(text):
                raise CellError("does not look like an email address")
        if limit and len(text) > limit:
            raise CellError(too_long)
        return text

    return read


def _money(spec: Field, cell: Any, formats: Formats) -> Decimal:
    amount = values.parse_decimal(cell, formats)
    if amount < 0:
        raise CellError(f"{spec.label} cannot be negative")
    if abs(amount) >= Decimal(10) ** 12:
        raise CellError(f"{spec.label} is too large")
    return amount


def _count(spec: Field, cell: Any, formats: Formats) -> int:
    number = values.parse_int(cell, formats)
    if number < 0:
        raise CellError(f"{spec.label} cannot be negative")
    return number


def _percent(cell: Any, formats: Formats) -> int:
    if isinstance(cell, float) and 0 < cell < 1:
        cell *= 100  # a sheet cell formatted as a percentage holds 0.6 for 60 %
    text = _plain(cell).strip().rstrip("%").strip() if isinstance(cell, str) else cell
    number = values.parse_decimal(text, formats, places=4)
    if number != number.to_integral_value() or not 0 <= number <= 100:
        raise CellError("not a percentage from 0 to 100")
    return int(number)


def _currency(cell: Any) -> str:
    text = _plain(cell).strip()
    code = CURRENCY_SIGNS.get(text.lower(), text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError("not a currency code such as EUR, USD or GBP")
    return code


def _choice_reader(kind: str, spec: Field) -> Reader:
    allowed = ", ".join(choices.ALLOWED[(kind, spec.name)])
    unknown = f"not a {spec.label.lower()} Tandem knows; use one of: {allowed}"
    seen: dict[str, str] = {}  # a column repeats a handful of words: each is looked up once

    def read(cell: Any) -> str:
        text = _plain(cell)
        found = seen.get(text)
        if found is None:
            found = choices.choose(kind, spec.name, text.strip())
            if found is None:
                raise CellError(unknown)
            if len(seen) < 10_000:
                seen[text] = found
        return found

    return read


class Leads(Kind):
    name = "leads"
    model = Lead
    table = "lead"
    key_fields = ("email", "phone")

    def read(self, cells: list[Any]) -> tuple[dict[str, Any], list[Problem]]:
        given, problems = super().read(cells)
        first, last = given.pop("first_name", ""), given.pop("last_name", "")
        if not given.get("name") and (first or last):
            given["name"] = f"{first} {last}".strip()
            if len(given["name"]) > self.fields["name"].max_length:
                problems.append(
                    ("first_name", given["name"], "the name is longer than 200 characters")
                )
        if given.get("campaign"):
            given.setdefault("source", "campaign")
        return given, problems

    def complete(self, given: dict[str, Any], ctx: Context) -> dict[str, Any]:
        record = super().complete(given, ctx)
        if "source" not in given:
            record["source"] = "other"
        record["owner"] = given.get("owner", ctx.by)
        record["created_at"] = given.get("created_at", ctx.now)
        return record

    def check(self, record: dict[str, Any]) -> list[Problem]:
        problems: list[Problem] = []
        if not (record["name"] or record["company"]):
            problems.append(("name", "", "a lead needs a person's name or a company name"))
        if record["source"] == "campaign" and not record["campaign"]:
            problems.append(
                ("source", "campaign", "the source is a campaign, but no campaign is named")
            )
        return problems

    def keys(self, record: dict[str, Any]) -> duplicates.Keys:
        return duplicates.lead_keys(record["email"], record["phone"])

    def existing(self) -> Iterator[tuple[int, duplicates.Keys]]:
        cursor = database.execute_sql(
            "SELECT id, email, phone FROM lead WHERE deleted_at IS NULL ORDER BY id"
        )
        for lead_id, email, phone in cursor:
            yield lead_id, duplicates.lead_keys(email, phone)


class Campaigns(Kind):
    name = "campaigns"
    model = Campaign
    table = "campaign"
    key_fields = ("name",)

    def complete(self, given: dict[str, Any], ctx: Context) -> dict[str, Any]:
        record = super().complete(given, ctx)
        record["channel"] = given.get("channel", "other")
        record["starts_on"] = given.get("starts_on", ctx.today)
        record["owner"] = given.get("owner", ctx.by)
        record["created_at"] = ctx.now
        if "status" not in given:
            # What the dates say: a campaign that ended last year is not "planned".
            ends = record["ends_on"]
            if ends is not None and ends < ctx.today:
                record["status"] = "finished"
            elif record["starts_on"] <= ctx.today:
                record["status"] = "active"
        return record

    def check(self, record: dict[str, Any]) -> list[Problem]:
        if not record["name"]:
            return [("name", "", "a campaign needs a name")]
        if record["ends_on"] is not None and record["ends_on"] < record["starts_on"]:
            return [("ends_on", str(record["ends_on"]), "the campaign ends before it starts")]
        return []

    def keys(self, record: dict[str, Any]) -> duplicates.Keys:
        return duplicates.name_key(record["name"]), None

    def existing(self) -> Iterator[tuple[int, duplicates.Keys]]:
        query: Any = Campaign.select(Campaign.id, Campaign.name).where(
            Campaign.deleted_at.is_null()
        )
        for campaign_id, name in query.tuples():
            yield campaign_id, (duplicates.name_key(name), None)


class Deals(Kind):
    name = "deals"
    model = Deal
    table = "deal"
    key_fields = ("title", "lead")

    def complete(self, given: dict[str, Any], ctx: Context) -> dict[str, Any]:
        record = super().complete(given, ctx)
        record["currency"] = given.get("currency", ctx.currency)
        record["owner"] = given.get("owner", ctx.by)
        record["created_at"] = record["stage_changed_at"] = given.get("created_at", ctx.now)
        record["stage"] = stage = given.get("stage", "qualification")
        if "probability" not in given:
            record["probability"] = {"won": 100, "lost": 0}.get(
                stage, deals.STAGE_PROBABILITY.get(stage, 10)
            )
        return self.closing(record, ctx)

    def closing(self, record: dict[str, Any], ctx: Context) -> dict[str, Any]:
        """A won or lost deal closed on its expected close date, or now if it has none."""
        stage = record["stage"]
        closed = ctx.now
        if record.get("expected_close"):
            closed = dt.datetime.combine(record["expected_close"], dt.time(12))
        record["won_at"] = closed if stage == "won" else None
        record["lost_at"] = closed if stage == "lost" else None
        return record

    def check(self, record: dict[str, Any]) -> list[Problem]:
        if not record["title"]:
            return [("title", "", "a deal needs a title")]
        return []

    def changes(
        self, before: dict[str, Any], given: dict[str, Any], ctx: Context
    ) -> dict[str, Any]:
        changes = super().changes(before, given, ctx)
        if "stage" in changes:
            stage = changes["stage"]
            changes["stage_changed_at"] = ctx.now
            if "probability" not in given:
                changes["probability"] = {"won": 100, "lost": 0}.get(
                    stage, deals.STAGE_PROBABILITY.get(stage, 10)
                )
            closed = self.closing({**before, **changes}, ctx)
            changes.update(won_at=closed["won_at"], lost_at=closed["lost_at"])
        return changes

    def after_insert(self, after_id: int) -> None:
        """Each new deal's first stage, for time-in-stage figures (as add_deal records it)."""
        database.execute_sql(
            "INSERT INTO deal_stage_change (deal_id, from_stage, to_stage, changed_at) "
            "SELECT id, NULL, stage, created_at FROM deal WHERE id > ?",
            (after_id,),
        )

    def after_update(
        self, record_id: int, before: dict[str, Any], changes: dict[str, Any], ctx: Context
    ) -> None:
        if "stage" in changes:
            DealStageChange.create(
                deal=record_id,
                from_stage=before["stage"],
                to_stage=changes["stage"],
                changed_at=ctx.now,
            )

    def keys(self, record: dict[str, Any]) -> duplicates.Keys:
        return duplicates.deal_key(record["title"], record["lead"]), None

    def existing(self) -> Iterator[tuple[int, duplicates.Keys]]:
        query: Any = Deal.select(Deal.id, Deal.title, Deal.lead).where(Deal.deleted_at.is_null())
        for deal_id, title, lead_id in query.tuples():
            yield deal_id, (duplicates.deal_key(title, lead_id), None)


KINDS: dict[str, type[Kind]] = {"leads": Leads, "campaigns": Campaigns, "deals": Deals}
