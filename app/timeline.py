"""A lead's story in order, told from its own records: its steps, handovers and activities."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from peewee import JOIN

from app.models import Activity, Handover, Lead, Member, Reason


class TimelineEntry(NamedTuple):
    at: dt.datetime
    kind: str  # a lifecycle step, or an activity kind
    title: str
    detail: str
    member: str | None


def lead_timeline(lead_id: int) -> list[TimelineEntry]:
    """Newest first, as people read a history."""
    lead = Lead.get_by_id(lead_id)
    entries = [*_steps(lead), *_handovers(lead_id), *_activities(lead_id)]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _steps(lead: Lead) -> list[TimelineEntry]:
    reason = lead.disqualification_reason
    steps = [
        (lead.created_at, "created", "Lead created", lead.source.replace("_", " ")),
        (lead.qualified_at, "qualify", "Qualified by marketing", ""),
        (lead.converted_at, "convert", "Converted to a deal", ""),
        (
            lead.disqualified_at,
            "disqualify",
            "Disqualified",
            f"{reason.label}. {lead.reason_note}".strip(". ") if reason else "",
        ),
    ]
    return [TimelineEntry(at, kind, title, detail, None) for at, kind, title, detail in steps if at]


def _handovers(lead_id: int) -> list[TimelineEntry]:
    """Each handover and sales' decision on it (a lead handed over twice shows both)."""
    seller = Member.alias("seller")
    rows: Any = (
        Handover.select(
            Handover.handed_over_at,
            Handover.decision,
            Handover.decided_at,
            seller.name,
            Reason.label,
        )
        .join(seller, on=Handover.to_member == seller.id)
        .switch(Handover)
        .join(Reason, JOIN.LEFT_OUTER, on=Handover.reason == Reason.id)
        .where(Handover.lead == lead_id)
        .tuples()
    )
    entries = []
    for handed_at, decision, decided_at, to_name, reason in rows:
        entries.append(
            TimelineEntry(handed_at, "hand over", "Handed over to sales", f"to {to_name}", None)
        )
        if decision and decided_at:
            title = "Accepted by sales" if decision == "accepted" else "Rejected by sales"
            entries.append(TimelineEntry(decided_at, decision, title, reason or "", to_name))
    return entries


def _activities(lead_id: int) -> list[TimelineEntry]:
    rows: Any = (
        Activity.select(
            Activity.occurred_at, Activity.kind, Activity.outcome, Activity.notes, Member.name
        )
        .join(Member, JOIN.LEFT_OUTER, on=Activity.member == Member.id)
        .where((Activity.lead == lead_id) & Activity.deleted_at.is_null())
        .tuples()
    )
    return [
        TimelineEntry(
            at, kind, kind.capitalize(), " — ".join(p for p in (outcome, notes) if p), who
        )
        for at, kind, outcome, notes, who in rows
    ]
