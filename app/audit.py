"""The audit log: who changed what and when, written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from peewee import Model
from playhouse.shortcuts import model_to_dict

from app.models import AuditEntry, Member


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


def history(table: str, row_id: int) -> list[AuditEntry]:
    return list(
        AuditEntry.select()
        .where((AuditEntry.table == table) & (AuditEntry.row_id == row_id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
