"""Merging two leads that are one person: the history follows the lead that is kept."""

from __future__ import annotations

from app import audit
from app.clock import Clock
from app.errors import UserError
from app.models import Activity, Deal, Handover, Lead, Member, database

# Contact fields the kept lead takes from the other when its own are empty.
FILLED_FROM_OTHER = ("name", "company", "email", "phone")


def merge_leads(keep: Lead, other: Lead, *, by: Member | None, clock: Clock) -> Lead:
    """Move other's activities, handovers and deals to keep, fill keep's empty contact fields
    from other, join the notes, and put other in the trash — all or nothing."""
    if keep.id == other.id:
        raise UserError("Pick two different leads to merge.")
    with database.atomic():
        keep = Lead.get_by_id(keep.id)
        other = Lead.get_by_id(other.id)
        if keep.deleted_at or other.deleted_at:
            raise UserError("Restore both leads from the trash before merging them.")
        before = audit.snapshot(keep)
        for field in FILLED_FROM_OTHER:
            if not getattr(keep, field) and getattr(other, field):
                setattr(keep, field, getattr(other, field))
        if other.notes.strip():
            keep.notes = "\n\n".join(n for n in (keep.notes.strip(), other.notes.strip()) if n)
        keep.save()
        moved = {
            "activities": Activity.update(lead=keep).where(Activity.lead == other).execute(),
            "handovers": Handover.update(lead=keep).where(Handover.lead == other).execute(),
            "deals": Deal.update(lead=keep).where(Deal.lead == other).execute(),
        }
        other.deleted_at = clock.now()
        other.save()
        audit.record(
            "merge",
            "lead",
            keep.id,
            before=before,
            after={**audit.snapshot(keep), "merged_from": other.id, **moved},
            by=by,
            at=clock.now(),
        )
        audit.record(
            "merged into",
            "lead",
            other.id,
            before=None,
            after={"merged_into": keep.id},
            by=by,
            at=clock.now(),
        )
    return keep
