"""The audit log: who changed what and when, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any, NamedTuple

from peewee import Model
from playhouse.shortcuts import model_to_dict

from app.models import AuditEntry, BaseModel, Member


def snapshot(record: Model) -> dict[str, Any]:
    return model_to_dict(record, recurse=False)


def _json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None

    def plain(value: object) -> object:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return str(value)
        if isinstance(value, bytes):
            return f"<{len(value)} bytes>"
        raise TypeError(type(value).__name__)

    return json.dumps(values, default=plain, ensure_ascii=False, sort_keys=True)


def record(
    action: str,
    table: str,
    row_id: int,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    by: Member | None,
    at: dt.datetime,
) -> None:
    """Log one change; keeps only the fields that changed when both sides are given."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    AuditEntry.create(
        at=at,
        member=by,
        table=table,
        row_id=row_id,
        action=action,
        before=_json(before),
        after=_json(after),
    )


def record_change(
    action: str,
    row: BaseModel,
    *,
    before: dict[str, Any] | None,
    by: Member | None,
    at: dt.datetime,
) -> None:
    """Log a change to one record as it now stands (its table, id and values come from it)."""
    table = row._meta.table_name
    record(action, table, row.id, before=before, after=snapshot(row), by=by, at=at)


def history(table: str, row_id: int) -> list[AuditEntry]:
    return list(
        AuditEntry.select()
        .where((AuditEntry.table == table) & (AuditEntry.row_id == row_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )


class Change(NamedTuple):
    """One audit entry as people read it: when, who, what, and which fields changed how."""

    at: dt.datetime
    member: str | None
    action: str
    changes: list[str]


def readable_history(table: str, row_id: int) -> list[Change]:
    """A record's history from the audit log, newest first, with 'field: before → after'."""
    names = {m.id: m.name for m in Member.select(Member.id, Member.name)}
    changes = []
    for entry in reversed(history(table, row_id)):
        before = json.loads(entry.before) if entry.before else {}
        after = json.loads(entry.after) if entry.after else {}
        lines = []
        for field in sorted(set(before) | set(after)):
            if field in ("id", "created_at"):
                continue
            old, new = before.get(field), after.get(field)
            label = field.replace("_", " ")
            lines.append(
                f"{label}: {_shown(old)} → {_shown(new)}" if before else f"{label}: {_shown(new)}"
            )
        member_id = entry.member_id  # type: ignore[attr-defined]  # the raw key: no extra query
        changes.append(Change(entry.at, names.get(member_id), entry.action, lines))
    return changes


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)
