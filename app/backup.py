"""Verified copies of a SQLite database: on demand, before upgrades, and daily with retention."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.errors import DatabaseError, UserError

Progress = Callable[[int, int], None]  # (pages copied, pages in all); raise to cancel

STAMP = "%Y-%m-%dT%H%M%S"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: int
    tables: int


@contextlib.contextmanager
def _connect(path: Path, readonly: bool) -> Iterator[sqlite3.Connection]:
    mode = "ro" if readonly else "rwc"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _pages(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None
    return lambda _status, left, total: progress(total - left, total)


def backup_sqlite(source: Path, dest: Path, progress: Progress | None = None) -> BackupResult:
    """Copy source to dest with SQLite's backup API, then reopen the copy and check it: integrity
    and the same row count in every table. dest appears only once verified."""
    if not source.is_file():
        raise UserError(f"There is no database at {source}.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source, readonly=True) as src, _connect(partial, readonly=False) as dst:
            # One read transaction, so the counts and the copy see the same snapshot.
            src.execute("BEGIN")
            expected = _row_counts(src)
            src.backup(dst, pages=1024, progress=_pages(progress))
            src.execute("COMMIT")
        os.chmod(partial, 0o600)
        with _connect(partial, readonly=True) as copy:
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            actual = _row_counts(copy)
        if check != "ok" or actual != expected:
            raise DatabaseError(
                f"The backup of {source.name} did not verify ({check}); nothing was kept."
            )
        os.replace(partial, dest)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"Could not back up {source.name}: {exc}.") from exc
    except OSError as exc:
        raise DatabaseError(f"Could not write the backup {dest}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(dest, sum(expected.values()), len(expected))


def automatic_backups(database: Path) -> list[tuple[dt.datetime, Path]]:
    """Automatic backups of database, oldest first."""
    found = []
    for path in paths.backups_dir(database).glob("*.db"):
        try:
            found.append((dt.datetime.strptime(path.stem.split("_")[0], STAMP), path))
        except ValueError:
            continue
    return sorted(found)


def make_automatic_backup(
    database: Path, kind: str, now: dt.datetime, progress: Progress | None = None
) -> BackupResult:
    """A backup into the database's backups folder; kind is 'daily' or 'before-upgrade-vN'."""
    dest = paths.backups_dir(database) / f"{now.strftime(STAMP)}_{kind}.db"
    result = backup_sqlite(database, dest, progress)
    prune(database)
    return result


def daily_backup_due(database: Path, now: dt.datetime) -> bool:
    """True until today's daily backup exists (an upgrade backup does not count: it is kept
    apart and never pruned)."""
    return not any(
        stamp.date() == now.date() and path.stem.endswith("_daily")
        for stamp, path in automatic_backups(database)
    )


def backups_to_keep(stamps: Iterable[dt.datetime]) -> set[dt.datetime]:
    """Grandfather-father-son retention: the newest backup of each of the last 7 days that have
    one, of the last 4 weeks, and of the last 12 months."""
    newest_first = sorted(stamps, reverse=True)
    keep: set[dt.datetime] = set()
    buckets: list[tuple[Callable[[dt.datetime], object], int]] = [
        (lambda s: s.date(), KEEP_DAILY),
        (lambda s: s.isocalendar()[:2], KEEP_WEEKLY),
        (lambda s: (s.year, s.month), KEEP_MONTHLY),
    ]
    for bucket_of, count in buckets:
        seen: list[object] = []
        for stamp in newest_first:
            bucket = bucket_of(stamp)
            if bucket not in seen:
                if len(seen) == count:
                    break
                seen.append(bucket)
                keep.add(stamp)
    return keep


def prune(database: Path) -> list[Path]:
    """Delete daily backups outside the retention; upgrade backups are always kept."""
    daily = [(s, p) for s, p in automatic_backups(database) if p.stem.endswith("_daily")]
    keep = backups_to_keep(s for s, _ in daily)
    removed = [p for s, p in daily if s not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
