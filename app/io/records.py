"""The kinds of record an import makes: how a row becomes a lead, campaign or deal, or why not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from app import deals
from app.io import duplicates
from app.io.cells import Reader, cell_reader, shown
from app.io.context import Context
from app.io.mapping import FIELDS
from app.io.values import CellError
from app.models import BaseModel, Campaign, Deal, DealStageChange, Lead, database

# (field, the cell as text, why it cannot be used); field "" for a problem of the whole row.
Problem = tuple[str, str, str]


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
                problems.append((name, shown(cell), str(exc)))
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
            record["probability"] = _usual_probability(stage)
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
                changes["probability"] = _usual_probability(stage)
            closed = self.closing({**before, **changes}, ctx)
            changes.update(won_at=closed["won_at"], lost_at=closed["lost_at"])
        return changes

    def after_insert(self, after_id: int) -> None:
        """Each new deal's first stage, for time-in-stage figures (as add_deal records it)."""
        database.execute_sql(
            "INSERT INTO deal_stage_change (deal_id, from_stage, to_stage, changed_at) "
            f"SELECT id, NULL, stage, created_at FROM deal WHERE id > {database.param}",
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


def _usual_probability(stage: str) -> int:
    return {"won": 100, "lost": 0}.get(stage, deals.STAGE_PROBABILITY.get(stage, 10))


KINDS: dict[str, type[Kind]] = {"leads": Leads, "campaigns": Campaigns, "deals": Deals}
