"""The pipeline in figures and lists: column totals, cards, the deals list and the forecast, in SQL.

Money: Tandem keeps no exchange rates, so amounts in different currencies are never added up.
Every total here is a mapping currency -> Decimal; the screens show the company currency first
and any other currency on a line of its own. Sums are taken in whole cents (and cent-percent for
weighted values) as integers inside the database, so they are exact at any size.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from peewee import JOIN, SQL, Case, Expression, Field, NodeList, Value, fn

from app import audit, deals, search
from app.clock import Clock
from app.errors import UserError
from app.models import DEAL_STAGES, OPEN_DEAL_STAGES, Deal, Lead, Member, Reason, database

CARD_LIMIT = 100  # a column shows this many cards and says how many more there are
FORECAST_MONTHS = 6
CLOSING = ("won", "lost")  # the board's drop targets after the open stages

Money = dict[str, Decimal]  # currency -> amount

_CENTS = fn.ROUND(Deal.value * Value(100, converter=False)).cast("BIGINT")
# The company or person a deal is with: the lead's company, else the lead's name.
_CUSTOMER = fn.COALESCE(fn.NULLIF(Lead.company, ""), Lead.name, "")
_STAGE_ORDER = Case(Deal.stage, [(stage, rank) for rank, stage in enumerate(DEAL_STAGES)])


def _cents(value: Any) -> Decimal:
    return Decimal(int(value or 0)).scaleb(-2)


def _weighted(value: Any) -> Decimal:
    """SUM(cents × probability) back to money: value × probability / 100."""
    return Decimal(int(value or 0)).scaleb(-4)


def _add(total: Money, currency: str, amount: Decimal) -> None:
    total[currency] = total.get(currency, Decimal(0)) + amount


# Column totals --------------------------------------------------------------------------------


@dataclass
class StageTotals:
    """One open stage: how many deals, their value and their weighted value, per currency."""

    stage: str
    count: int = 0
    value: Money = field(default_factory=dict)
    weighted: Money = field(default_factory=dict)


def stage_totals() -> dict[str, StageTotals]:
    """Every open stage (empty ones too), outside the trash, in one GROUP BY."""
    totals = {stage: StageTotals(stage) for stage in OPEN_DEAL_STAGES}
    rows: Any = (
        Deal.select(
            Deal.stage,
            Deal.currency,
            fn.COUNT(Deal.id),
            fn.SUM(_CENTS),
            fn.SUM(_CENTS * Deal.probability),
        )
        .where(Deal.stage.in_(OPEN_DEAL_STAGES) & Deal.deleted_at.is_null())
        .group_by(Deal.stage, Deal.currency)
        .tuples()
    )
    for stage, currency, count, cents, weighted in rows:
        column = totals[stage]
        column.count += int(count)
        _add(column.value, currency, _cents(cents))
        _add(column.weighted, currency, _weighted(weighted))
    return totals


# Cards ----------------------------------------------------------------------------------------


class Card(NamedTuple):
    """One card on the board: plain values only, so painting never runs a query."""

    id: int
    title: str
    customer: str
    value: Decimal
    currency: str
    probability: int
    expected_close: dt.date | None
    owner: str | None
    days_in_stage: int
    stage: str


def _card_query() -> Any:
    return (
        Deal.select(
            Deal.id,
            Deal.title,
            _CUSTOMER,
            Deal.value,
            Deal.currency,
            Deal.probability,
            Deal.expected_close,
            Member.name,
            Deal.stage_changed_at,
            Deal.stage,
        )
        .join(Lead, JOIN.LEFT_OUTER, on=Deal.lead == Lead.id)
        .switch(Deal)
        .join(Member, JOIN.LEFT_OUTER, on=Deal.owner == Member.id)
    )


def _card(row: tuple[Any, ...], now: dt.datetime) -> Card:
    deal_id, title, customer, value, currency, probability, expected_close, owner, moved, stage = (
        row
    )
    return Card(
        deal_id,
        title,
        customer,
        value,
        currency,
        probability,
        expected_close,
        owner,
        max((now - moved).days, 0),
        stage,
    )


def cards(stage: str, *, now: dt.datetime, limit: int | None = None) -> list[Card]:
    """The first cards of an open stage's column, soonest expected close first (deals without a
    date last), with their customer and owner joined in: one query per column."""
    if stage not in OPEN_DEAL_STAGES:
        raise UserError(f"'{stage}' is not an open pipeline stage.")
    rows: Any = (
        _card_query()
        .where((Deal.stage == stage) & Deal.deleted_at.is_null())
        .order_by(Deal.expected_close.asc(nulls="LAST"), Deal.id.asc())
        .limit(CARD_LIMIT if limit is None else limit)
        .tuples()
    )
    return [_card(row, now) for row in rows]


def card(deal_id: int, *, now: dt.datetime) -> Card | None:
    """One deal as a card (for the detail dialog), wherever it stands."""
    row: Any = _card_query().where(Deal.id == deal_id).tuples().first()
    return None if row is None else _card(row, now)


def neighbour_stage(stage: str, step: int) -> str | None:
    """The open stage step places after (or before) stage; None past either end."""
    if stage not in OPEN_DEAL_STAGES:
        return None
    position = OPEN_DEAL_STAGES.index(stage) + step
    return OPEN_DEAL_STAGES[position] if 0 <= position < len(OPEN_DEAL_STAGES) else None


# The deals list -------------------------------------------------------------------------------

# Sorts the list offers; each pairs with Deal.id so the order is total and paging stable. NULL
# close dates keep the database's own place (first ascending on SQLite) so the index serves the
# sort and the order reverses exactly when a late page is read from the end.
SORT_COLUMNS: dict[str, Any] = {
    "title": Deal.title,
    "value": Deal.value,
    "expected_close": Deal.expected_close,
    "stage": _STAGE_ORDER,
}


@dataclass(frozen=True)
class DealFilter:
    """What the user narrowed the deals list to; empty values mean 'any'."""

    text: str = ""
    stage: str | None = None  # a stage, or "open" for the three open ones
    owner_id: int | None = None

    def where(self) -> Expression:
        condition: Expression = Deal.deleted_at.is_null()
        if self.stage == "open":
            condition &= Deal.stage.in_(OPEN_DEAL_STAGES)
        elif self.stage is not None:
            condition &= Deal.stage == self.stage
        if self.owner_id is not None:
            condition &= Deal.owner == self.owner_id
        words = self.text.split()
        if words:
            # The deal's title holds every word typed, or the lead behind it matches them.
            in_title: Expression = Deal.title.contains(words[0])
            for word in words[1:]:
                in_title &= Deal.title.contains(word)
            lead_match = _lead_matches(self.text)
            condition &= in_title if lead_match is None else in_title | lead_match
        return condition


def _lead_matches(text: str) -> Expression | None:
    """Deals whose lead matches the leads search (its full-text index where there is one)."""
    if not search.fts_query(text):
        return None
    if search.uses_fts():
        index = SQL(
            f"(SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH ?)",
            [search.fts_query(text)],
        )
        return Deal.lead.in_(index)
    return Deal.lead.in_(Lead.select(Lead.id).where(search.matches(text)))


def _sort_key(sort: str, deal_filter: DealFilter) -> Any:
    """The column to order by. While searching, SQLite is told not to walk the close-date index
    (unary +): a search keeps few deals, and visiting every deal in date order to find them
    costs ten times a plain scan and a sort of what matched."""
    column = SORT_COLUMNS[sort]
    if deal_filter.text.strip() and search.uses_fts() and isinstance(column, Field):
        return NodeList((SQL("+"), column), glue="")
    return column


class DealRow(NamedTuple):
    """One painted row of the deals list."""

    id: int
    title: str
    customer: str
    stage: str
    value: Decimal
    currency: str
    probability: int
    expected_close: dt.date | None
    owner: str | None
    stage_changed_at: dt.datetime


def count(deal_filter: DealFilter) -> int:
    return int(Deal.select().where(deal_filter.where()).count())


def page_ids(
    deal_filter: DealFilter,
    sort: str = "expected_close",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[int]:
    """The ids of one page of the list, in order. Given the total, a page in the second half is
    read from the end backwards, so the database skips fewer rows."""
    from_end = total is not None and offset > total // 2
    if total is not None and from_end:
        limit = max(min(limit, total - offset), 0)
        offset, descending = max(total - offset - limit, 0), not descending
    column = _sort_key(sort, deal_filter)
    order = [column.desc(), Deal.id.desc()] if descending else [column.asc(), Deal.id.asc()]
    query = Deal.select(Deal.id).where(deal_filter.where())
    rows: Any = query.order_by(*order).limit(limit).offset(offset).tuples()
    ids = [deal_id for (deal_id,) in rows]
    return ids[::-1] if from_end else ids


def rows_for(ids: list[int]) -> list[DealRow]:
    """Display rows for these deals, in the order of ids, in one query."""
    if not ids:
        return []
    query: Any = (
        Deal.select(
            Deal.id,
            Deal.title,
            _CUSTOMER,
            Deal.stage,
            Deal.value,
            Deal.currency,
            Deal.probability,
            Deal.expected_close,
            Member.name,
            Deal.stage_changed_at,
        )
        .join(Lead, JOIN.LEFT_OUTER, on=Deal.lead == Lead.id)
        .switch(Deal)
        .join(Member, JOIN.LEFT_OUTER, on=Deal.owner == Member.id)
        .where(Deal.id.in_(ids))
        .tuples()
    )
    by_id = {row[0]: DealRow(*row) for row in query}
    return [by_id[i] for i in ids if i in by_id]


def page(
    deal_filter: DealFilter,
    sort: str = "expected_close",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[DealRow]:
    return rows_for(page_ids(deal_filter, sort, descending, offset, limit, total))


# The forecast ---------------------------------------------------------------------------------


@dataclass
class ForecastBucket:
    """Open deals expected to close in one month (key YYYY-MM), or in a catch-all bucket:
    "overdue" (a month already past: the date needs updating), "later", or "none" (no date)."""

    key: str
    first_day: dt.date | None
    count: int = 0
    weighted: Money = field(default_factory=dict)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    starts = [today.replace(day=1)]
    for _ in range(months):
        last = starts[-1]
        starts.append(last.replace(year=last.year + last.month // 12, month=last.month % 12 + 1))
    return starts  # months + 1 boundaries


def forecast(today: dt.date, months: int = FORECAST_MONTHS) -> list[ForecastBucket]:
    """Weighted value of open deals by expected close month: overdue, this month and the next
    ones, later, and no date; one GROUP BY over a CASE of date ranges (portable SQL)."""
    starts = _month_starts(today, months)
    buckets = [ForecastBucket("overdue", None)]
    buckets += [ForecastBucket(f"{start:%Y-%m}", start) for start in starts[:-1]]
    buckets += [ForecastBucket("later", starts[-1]), ForecastBucket("none", None)]
    conditions: list[tuple[Any, Any]] = [
        (Deal.expected_close.is_null(), "none"),
        (Deal.expected_close < starts[0], "overdue"),
    ]
    conditions += [
        (Deal.expected_close < end, f"{start:%Y-%m}") for start, end in itertools.pairwise(starts)
    ]
    bucket = Case(None, conditions, "later")
    rows: Any = (
        Deal.select(bucket, Deal.currency, fn.COUNT(Deal.id), fn.SUM(_CENTS * Deal.probability))
        .where(Deal.stage.in_(OPEN_DEAL_STAGES) & Deal.deleted_at.is_null())
        .group_by(bucket, Deal.currency)
        .tuples()
    )
    by_key = {b.key: b for b in buckets}
    for key, currency, number, weighted in rows:
        by_key[key].count += int(number)
        _add(by_key[key].weighted, currency, _weighted(weighted))
    return buckets


# Changing a deal ------------------------------------------------------------------------------


def _open_deal(deal_id: int) -> Deal:
    deal = Deal.get_or_none(Deal.id == deal_id)
    if deal is None:
        raise UserError("That deal is no longer there; someone may have deleted it.")
    return deal


def update_deal(
    deal_id: int,
    *,
    title: str,
    value: Decimal,
    probability: int,
    expected_close: dt.date | None,
    by: Member | None,
    clock: Clock,
) -> Deal:
    """Change an open deal's title, value, probability and expected close, with an audit entry
    in the same transaction."""
    with database.atomic():
        deal = _open_deal(deal_id)
        if deal.deleted_at is not None:
            raise UserError(f"The deal '{deal.title}' is in the trash; restore it first.")
        if deal.stage not in OPEN_DEAL_STAGES:
            raise UserError(
                f"The deal '{deal.title}' is already {deal.stage}; it keeps the figures it "
                "closed with."
            )
        # The same figures a new deal must have (app/deals.py keeps the rule).
        deals._check(title, value, deal.currency, probability)
        before = audit.snapshot(deal)
        deal.title = title.strip()
        deal.value = value
        deal.probability = probability
        deal.expected_close = expected_close
        deal.save()
        after = audit.snapshot(deal)
        if after != before:
            audit.record(
                "update", "deal", deal.id, before=before, after=after, by=by, at=clock.now()
            )
    return deal


def move(
    deal_id: int,
    target: str,
    *,
    reason: Reason | None = None,
    note: str = "",
    by: Member | None,
    clock: Clock,
) -> Deal:
    """Take a deal to a board column: an open stage, "won" or "lost" (which needs a reason)."""
    deal = _open_deal(deal_id)
    if target == "won":
        return deals.win(deal, by=by, clock=clock)
    if target == "lost":
        return deals.lose(deal, reason, note, by=by, clock=clock)
    return deals.move_to_stage(deal, target, by=by, clock=clock)
