"""What one person should do today: first contacts that are waiting, and follow-ups due."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from peewee import JOIN, fn

from app.leads import CONTACT_KINDS
from app.models import OPEN_DEAL_STAGES, Activity, Deal, Lead

OPEN_LEAD_STAGES = ("new", "qualified", "handed_over", "accepted")
LIMIT = 200  # a day's list; more than this is a backlog, shown as a count


class Waiting(NamedTuple):
    lead_id: int
    name: str
    handed_over_at: dt.datetime
    paused_until: dt.date | None


class FollowUp(NamedTuple):
    lead_id: int | None
    deal_id: int | None
    title: str
    due: dt.date
    last_kind: str
    last_outcome: str


def waiting_for_first_contact(member_id: int | None) -> list[Waiting]:
    """Handed-over leads nobody in sales has called, emailed or met since, oldest first."""
    contacted = Activity.select(Activity.id).where(
        (Activity.lead == Lead.id)
        & Activity.kind.in_(CONTACT_KINDS)
        & (Activity.occurred_at >= Lead.handed_over_at)
        & Activity.deleted_at.is_null()
    )
    query: Any = (
        Lead.select(
            Lead.id,
            fn.COALESCE(fn.NULLIF(Lead.name, ""), Lead.company),
            Lead.handed_over_at,
            Lead.paused_until,
        )
        .where((Lead.stage == "handed_over") & Lead.deleted_at.is_null() & ~fn.EXISTS(contacted))
        .order_by(Lead.handed_over_at)
        .limit(LIMIT)
    )
    if member_id is not None:
        query = query.where(Lead.sales_owner == member_id)
    return [Waiting(*row) for row in query.tuples()]


def follow_ups_due(member_id: int | None, today: dt.date) -> list[FollowUp]:
    """Follow-ups planned for today or earlier, on leads and deals still open, with nothing
    logged on them since the follow-up was set; the most overdue first."""
    later = Activity.alias("later")
    superseded = later.select(later.id).where(
        (
            ((later.lead == Activity.lead) & Activity.lead.is_null(False))
            | ((later.deal == Activity.deal) & Activity.deal.is_null(False))
        )
        & (later.occurred_at > Activity.occurred_at)
        & later.deleted_at.is_null()
    )
    still_open = (Lead.stage.in_(OPEN_LEAD_STAGES) & Lead.deleted_at.is_null()) | (
        Deal.stage.in_(OPEN_DEAL_STAGES) & Deal.deleted_at.is_null()
    )
    query: Any = (
        Activity.select(
            Activity.lead,
            Activity.deal,
            fn.COALESCE(Deal.title, fn.NULLIF(Lead.name, ""), Lead.company),
            Activity.follow_up_on,
            Activity.kind,
            Activity.outcome,
        )
        .join(Lead, JOIN.LEFT_OUTER, on=Activity.lead == Lead.id)
        .switch(Activity)
        .join(Deal, JOIN.LEFT_OUTER, on=Activity.deal == Deal.id)
        .where(
            (Activity.follow_up_on <= today)
            & Activity.deleted_at.is_null()
            & still_open
            & ~fn.EXISTS(superseded)
        )
        .order_by(Activity.follow_up_on, Activity.occurred_at)
        .limit(LIMIT)
    )
    if member_id is not None:
        query = query.where(Activity.member == member_id)
    return [FollowUp(*row) for row in query.tuples()]
