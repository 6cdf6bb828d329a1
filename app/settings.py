"""Settings kept inside the database (JSON values by key), so they travel with the file."""

from __future__ import annotations

import json
from typing import Any

from app.models import Setting


def get(key: str, default: Any = None) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    return default if row is None else json.loads(row.value)


def get_many(prefix: str) -> dict[str, Any]:
    rows = Setting.select().where(Setting.key.startswith(prefix))
    return {row.key: json.loads(row.value) for row in rows}


def put(key: str, value: Any) -> None:
    encoded = json.dumps(value, ensure_ascii=False)
    Setting.insert(key=key, value=encoded).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: encoded}
    ).execute()
