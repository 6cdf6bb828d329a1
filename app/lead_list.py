"""The leads list: filtering, search, sorting, counting and paging, all done in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from peewee import JOIN, Expression

from app import search
from app.models import Campaign, Lead, Member

Owner = Member.alias("owner")
Seller = Member.alias("seller")

# Sort keys the list offers, each backed by an index so a million leads sort at once; each
# pairs with Lead.id so the order is total and paging stable. Campaign and owner are filters.
SORT_COLUMNS: dict[str, Any] = {
    "name": Lead.name,
    "company": Lead.company,
    "email": Lead.email,
    "phone": Lead.phone,
    "stage": Lead.stage,
    "created": Lead.created_at,
}


@dataclass(frozen=True)
class LeadFilter:
    """What the user narrowed the list to; empty values mean 'any'."""

    text: str = ""
    stage: str | None = None
    temperature: str | None = None
    member_id: int | None = None  # marketing owner or sales owner
    campaign_id: int | None = None
    source: str | None = None
    customer_type: str | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None  # inclusive
    in_trash: bool = False

    def where(self) -> Expression:
        trash = Lead.deleted_at.is_null(False) if self.in_trash else Lead.deleted_at.is_null()
        condition: Expression = trash
        text_match = search.matches(self.text)
        if text_match is not None:
            condition &= text_match
        for field, value in (
            (Lead.stage, self.stage),
            (Lead.temperature, self.temperature),
            (Lead.campaign, self.campaign_id),
            (Lead.source, self.source),
            (Lead.customer_type, self.customer_type),
        ):
            if value is not None:
                condition &= field == value
        if self.member_id is not None:
            condition &= (Lead.owner == self.member_id) | (Lead.sales_owner == self.member_id)
        if self.created_from is not None:
            condition &= Lead.created_at >= dt.datetime.combine(self.created_from, dt.time())
        if self.created_to is not None:
            end = dt.datetime.combine(self.created_to + dt.timedelta(days=1), dt.time())
            condition &= Lead.created_at < end
        return condition


class LeadRow(NamedTuple):
    """One painted row: plain values only, so painting never runs a query."""

    id: int
    name: str
    company: str
    email: str
    phone: str
    stage: str
    temperature: str
    source: str
    campaign: str | None
    owner: str | None
    sales_owner: str | None
    score: int
    created_at: dt.datetime
    paused_until: dt.date | None


def count(lead_filter: LeadFilter) -> int:
    return int(Lead.select().where(lead_filter.where()).count())


def page_ids(
    lead_filter: LeadFilter,
    sort: str = "created",
    descending: bool = True,
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[int]:
    """The ids of one page of the list, in the list's order. Given the total, a page in the
    second half is read from the end backwards: the database then skips fewer rows."""
    from_end = total is not None and offset > total // 2
    if total is not None and from_end:
        limit = max(min(limit, total - offset), 0)
        offset, descending = max(total - offset - limit, 0), not descending
    column = SORT_COLUMNS[sort]
    order = [column.desc(), Lead.id.desc()] if descending else [column.asc(), Lead.id.asc()]
    query = Lead.select(Lead.id).where(lead_filter.where())
    rows: Any = query.order_by(*order).limit(limit).offset(offset).tuples()
    ids = [lead_id for (lead_id,) in rows]
    return ids[::-1] if from_end else ids


def rows_for(ids: list[int]) -> list[LeadRow]:
    """Display rows for these leads, in the order of ids, in one query."""
    if not ids:
        return []
    query: Any = (
        Lead.select(
            Lead.id,
            Lead.name,
            Lead.company,
            Lead.email,
            Lead.phone,
            Lead.stage,
            Lead.temperature,
            Lead.source,
            Campaign.name,
            Owner.name,
            Seller.name,
            Lead.score,
            Lead.created_at,
            Lead.paused_until,
        )
        .join(Campaign, JOIN.LEFT_OUTER, on=Lead.campaign == Campaign.id)
        .switch(Lead)
        .join(Owner, JOIN.LEFT_OUTER, on=Lead.owner == Owner.id)
        .switch(Lead)
        .join(Seller, JOIN.LEFT_OUTER, on=Lead.sales_owner == Seller.id)
        .where(Lead.id.in_(ids))
        .tuples()
    )
    by_id = {row[0]: LeadRow(*row) for row in query}
    return [by_id[i] for i in ids if i in by_id]


def page(
    lead_filter: LeadFilter,
    sort: str = "created",
    descending: bool = True,
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[LeadRow]:
    return rows_for(page_ids(lead_filter, sort, descending, offset, limit, total))
