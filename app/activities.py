"""Logging what people did with a lead or deal: calls, emails, meetings, demos and notes."""

from __future__ import annotations

import datetime as dt

from app import audit
from app.clock import Clock
from app.errors import UserError
from app.models import ACTIVITY_KINDS, Activity, Deal, Lead, Member, database


def log_activity(
    *,
    kind: str,
    lead: Lead | None = None,
    deal: Deal | None = None,
    outcome: str = "",
    notes: str = "",
    follow_up_on: dt.date | None = None,
    occurred_at: dt.datetime | None = None,
    by: Member | None,
    clock: Clock,
) -> Activity:
    """Record an activity now (or at occurred_at, for something done earlier)."""
    if kind not in ACTIVITY_KINDS:
        raise UserError(f"An activity is one of: {', '.join(ACTIVITY_KINDS)}.")
    if (lead is None) == (deal is None):
        raise UserError("An activity belongs to one lead or one deal.")
    now = clock.now()
    when = occurred_at or now
    if when > now:
        raise UserError("An activity is logged once it has happened; plan it as a follow-up.")
    if follow_up_on is not None and follow_up_on < when.date():
        raise UserError("The follow-up date must not be before the activity.")
    if kind == "note" and not (notes.strip() or outcome.strip()):
        raise UserError("A note needs some text.")
    with database.atomic():
        activity = Activity.create(
            kind=kind,
            lead=lead,
            deal=deal,
            member=by,
            occurred_at=when,
            outcome=outcome.strip(),
            notes=notes.strip(),
            follow_up_on=follow_up_on,
        )
        audit.record_change(f"log {kind}", activity, before=None, by=by, at=now)
    return activity
