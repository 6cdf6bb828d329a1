"""The trash: deleting moves a record out of sight, restorably, and says so in the audit log."""

from __future__ import annotations

from app import audit
from app.clock import Clock
from app.errors import UserError
from app.models import Activity, BaseModel, Campaign, Deal, Lead, Member, database

# The kinds of record a user can delete, by the word they would use.
KINDS: dict[str, type[BaseModel]] = {
    "lead": Lead,
    "deal": Deal,
    "campaign": Campaign,
    "activity": Activity,
}


def _fetch(kind: str, record_id: int) -> BaseModel:
    model = KINDS[kind]
    record = model.get_or_none(model.id == record_id)
    if record is None:
        raise UserError(f"That {kind} no longer exists.")
    return record


def move_to_trash(kind: str, record_id: int, *, by: Member | None, clock: Clock) -> None:
    with database.atomic():
        record = _fetch(kind, record_id)
        if record.deleted_at is not None:  # type: ignore[attr-defined]
            raise UserError(f"That {kind} is already in the trash.")
        record.deleted_at = clock.now()  # type: ignore[attr-defined]
        record.save()
        audit.record(
            "move to trash",
            kind,
            record_id,
            before=None,
            after={"deleted_at": clock.now()},
            by=by,
            at=clock.now(),
        )


def restore(kind: str, record_id: int, *, by: Member | None, clock: Clock) -> None:
    with database.atomic():
        record = _fetch(kind, record_id)
        if record.deleted_at is None:  # type: ignore[attr-defined]
            raise UserError(f"That {kind} is not in the trash.")
        before = record.deleted_at  # type: ignore[attr-defined]
        record.deleted_at = None  # type: ignore[attr-defined]
        record.save()
        audit.record(
            "restore",
            kind,
            record_id,
            before={"deleted_at": before},
            after=None,
            by=by,
            at=clock.now(),
        )
