"""The trash: deleting moves a record out of sight, restorably, and says so in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from peewee import fn

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


class Trashed(NamedTuple):
    kind: str
    id: int
    title: str
    deleted_at: dt.datetime


def in_trash(limit: int = 500) -> list[Trashed]:
    """What is in the trash, most recently deleted first, across every kind of record."""
    titles: dict[str, Any] = {
        "lead": fn.COALESCE(fn.NULLIF(Lead.name, ""), Lead.company),
        "deal": Deal.title,
        "campaign": Campaign.name,
        "activity": fn.COALESCE(fn.NULLIF(Activity.outcome, ""), Activity.kind),
    }
    found: list[Trashed] = []
    for kind, model in KINDS.items():
        rows: Any = (
            model.select(model.id, titles[kind], model.deleted_at)  # type: ignore[attr-defined]
            .where(model.deleted_at.is_null(False))  # type: ignore[attr-defined]
            .order_by(model.deleted_at.desc())  # type: ignore[attr-defined]
            .limit(limit)
            .tuples()
        )
        found.extend(Trashed(kind, *row) for row in rows)
    return sorted(found, key=lambda t: t.deleted_at, reverse=True)[:limit]
