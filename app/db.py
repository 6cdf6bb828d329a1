"""Opening a Tandem database safely: lock, check, upgrade, then bind the models to it."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peewee import Database, SqliteDatabase
from playhouse.db_url import connect as connect_url

from app import backup, migrations, paths
from app.clock import Clock
from app.errors import DatabaseDamagedError, DatabaseError, UserError
from app.lock import InstanceLock
from app.models import database as model_database

SQLITE_HEADER = b"SQLite format 3\x00"
# Marks a SQLite file as Tandem's, so another program's database is recognised as such.
APPLICATION_ID = 0x54414E44  # "TAND"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


@dataclass
class Store:
    """An open database. Close it, so the next start knows the last session ended cleanly."""

    db: Database
    path: Path | None  # None for a database server
    lock: InstanceLock | None = None
    full_check: bool = False  # the last session had crashed, so every page was checked
    checked: bool = True  # False: the caller asked to run the quick check itself, later
    upgraded_from: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.path) if self.path else _redact(self.db)

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()
        if self.lock:
            self.lock.release()


def is_url(target: str) -> bool:
    return "://" in target


def open_database(
    target: str | Path | None, *, clock: Clock, quick_check_now: bool = True
) -> Store:
    """Open (creating if new) the database at a path or URL; None means the user's default file.

    quick_check_now=False leaves the quick check to the caller (the window runs it in the
    background: on a large file it takes seconds). After a crash the full check always runs."""
    if target is None:
        target = paths.default_database()
    if isinstance(target, str) and is_url(target):
        store = Store(connect_url(target), None)
        model_database.initialize(store.db)
        store.upgraded_from = migrations.upgrade(store.db, before_upgrade=None)
        return store
    # Resolved, so a symlink or a second spelling of the path meets the same lock.
    return _open_sqlite(Path(target).expanduser().resolve(), clock, quick_check_now)


def _open_sqlite(path: Path, clock: Clock, quick_check_now: bool) -> Store:
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist.")
    if path.exists():
        _check_readable_tandem_file(path)
    lock = InstanceLock(path)
    lock.acquire()
    store = None
    try:
        store = Store(_connect(path), path, lock, full_check=lock.recovered_stale)
        if path.stat().st_size:
            # Read-only checks first: a damaged or newer file must be left exactly as it is.
            store.checked = quick_check_now or lock.recovered_stale
            if store.checked:
                check_integrity(path, full=lock.recovered_stale)
            migrations.refuse_newer(peek_version(path))
        model_database.initialize(store.db)
        store.db.connect()
        store.db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")

        def before_upgrade(version: int) -> None:
            backup.make_automatic_backup(path, f"before-upgrade-v{version}", clock.now())

        store.upgraded_from = migrations.upgrade(store.db, before_upgrade=before_upgrade)
        return store
    except BaseException:
        if store is not None:
            store.close()  # the connection, then the lock
        else:
            lock.release()
        raise


def _connect(path: Path) -> SqliteDatabase:
    if not path.exists():
        # Owner-only from the first byte: the file holds people's contact data.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")


def _check_readable_tandem_file(path: Path) -> None:
    if not os.access(path, os.R_OK):
        raise DatabaseError(f"Tandem is not allowed to read {path}. Check the file's permissions.")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseError(
            f"{path} is read-only, so Tandem cannot save changes to it. Copy it to a folder "
            "you can write to (your Documents, say) and open the copy."
        )
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseDamagedError(f"{path.name} is not a Tandem database, or it is damaged.")


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_integrity(
    path: Path, *, full: bool, should_stop: Callable[[], bool] | None = None
) -> None:
    """quick_check on every open; the full integrity_check after an unclean shutdown.
    should_stop() is asked now and then; True abandons the check (sqlite3.OperationalError)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = _readonly(path)
        if should_stop is not None:
            conn.set_progress_handler(lambda: int(should_stop()), 100_000)
        try:
            problems = [row[0] for row in conn.execute(f"PRAGMA {pragma}(5)")]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        raise  # interrupted, or the file is busy: not damage
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(f"{path.name} is damaged and cannot be opened ({exc}).") from exc
    if problems != ["ok"]:
        raise DatabaseDamagedError(f"{path.name} is damaged: {problems[0]}")


def peek_version(path: Path) -> int | None:
    """The schema version of a Tandem file, read without changing it; None for an empty file."""
    conn = _readonly(path)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if app_id != APPLICATION_ID or "schema_info" not in tables:
            raise DatabaseError(f"{path.name} is a database of another program, not Tandem's.")
        row = conn.execute("SELECT MAX(version) FROM schema_info").fetchone()
        return int(row[0]) if row and row[0] is not None else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamagedError(f"{path.name} cannot be read ({exc}).") from exc
    finally:
        conn.close()


def set_aside(path: Path, now: dt.datetime) -> Path:
    """Move a damaged file (and its journal files) out of the way, keeping it for recovery."""
    aside = path.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%d-%H%M%S')}")
    number = 1
    while aside.exists():  # never overwrite an earlier damaged file
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{now.strftime('%Y%m%d-%H%M%S')}-{number}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def restore(backup_file: Path, path: Path) -> None:
    """Put a verified copy of backup_file where the damaged database was."""
    backup.backup_sqlite(backup_file, path)


def _redact(db: Database) -> str:
    """A server database's name for the status bar, without its password."""
    host = getattr(db, "connect_params", {}).get("host", "")
    return f"{db.database} on {host or 'this computer'}"


def readonly_schema_problems(path: Path) -> list[str]:
    """Schema differences and broken references in a file, found without writing to it."""
    conn = SqliteDatabase(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = migrations.schema_problems(conn)
        orphans = conn.execute_sql("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"{len(orphans)} rows point at records that do not exist")
        return problems
    finally:
        conn.close()
