"""Preferences of this computer's user that belong to no database (which file opened last)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from app import paths

MAX_RECENT = 8


def _file() -> Path:
    return paths.config_dir() / "preferences.json"


def load() -> dict[str, Any]:
    try:
        loaded = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or unreadable preferences just mean the defaults
    return loaded if isinstance(loaded, dict) else {}


def save(values: dict[str, Any]) -> None:
    """Write atomically: a crash mid-write must not lose the old preferences."""
    target = _file()
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)


def last_database() -> str | None:
    value = load().get("last_database")
    return value if isinstance(value, str) else None


def remember_database(target: str) -> None:
    values = load()
    recent = [target] + [r for r in values.get("recent", []) if r != target]
    values["last_database"] = target
    values["recent"] = recent[:MAX_RECENT]
    save(values)
