"""Where Tandem keeps its files on this computer (the user's data and config folders)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs

APP_NAME = "Tandem"


def data_dir() -> Path:
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def config_dir() -> Path:
    path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_database() -> Path:
    return data_dir() / "tandem.db"


def backups_dir(database: Path) -> Path:
    """Automatic backups of one database, in a folder no other database file shares."""
    digest = hashlib.sha1(str(database.resolve()).encode()).hexdigest()[:8]
    path = data_dir() / "backups" / f"{database.stem}-{digest}"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
