"""Backups: verified copies, progress and cancel, daily backups and what retention keeps."""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from app import backup, paths
from app.backup import backup_sqlite, backups_to_keep, daily_backup_due, prune
from app.clock import FixedClock
from app.errors import UserError
from app.models import Lead

NEWEST = dt.datetime(2026, 11, 16, 3, 0)  # a Monday
FOUR_HUNDRED_DAYS = [NEWEST - dt.timedelta(days=n) for n in range(400)]
# Worked out by hand from a calendar for one backup a day at 03:00 up to Monday 2026-11-16.
RETAINED_DAYS = {
    # the last seven days
    *(dt.date(2026, 11, d) for d in range(10, 17)),
    # the newest of each of the last four ISO weeks: weeks 47 and 46 end on days kept above
    dt.date(2026, 11, 8),
    dt.date(2026, 11, 1),
    # the newest of each of the last twelve months: November is the 16th, kept above
    dt.date(2026, 10, 31),
    dt.date(2026, 9, 30),
    dt.date(2026, 8, 31),
    dt.date(2026, 7, 31),
    dt.date(2026, 6, 30),
    dt.date(2026, 5, 31),
    dt.date(2026, 4, 30),
    dt.date(2026, 3, 31),
    dt.date(2026, 2, 28),
    dt.date(2026, 1, 31),
    dt.date(2025, 12, 31),
}


def _read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def _row_counts(path: Path) -> dict[str, int]:
    with _read_only(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _many_pages(path: Path) -> int:
    """A plain SQLite file of small pages, so a backup takes several steps; returns its pages."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA page_size = 512")
        conn.execute("CREATE TABLE note (body TEXT)")
        conn.executemany("INSERT INTO note VALUES (?)", [("x" * 300,) for _ in range(4000)])
        conn.commit()
        return conn.execute("PRAGMA page_count").fetchone()[0]


def _backup_file(database: Path, stamp: dt.datetime, kind: str) -> Path:
    path = paths.backups_dir(database) / f"{stamp.strftime(backup.STAMP)}_{kind}.db"
    path.write_bytes(b"")
    return path


def test_a_backup_holds_every_row_and_passes_the_integrity_check(
    company, store, clock: FixedClock, tmp_path: Path
):
    for n in range(5):
        Lead.create(name=f"Łucja {n}", source="referral", created_at=clock.now())
    dest = tmp_path / "copies" / "tandem-backup.db"

    result = backup_sqlite(store.path, dest)

    counts = _row_counts(dest)
    assert counts == _row_counts(store.path)
    assert counts["lead"] == 5 and counts["member"] == 4
    assert (result.path, result.rows, result.tables) == (dest, sum(counts.values()), len(counts))
    with _read_only(dest) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT name FROM lead ORDER BY id LIMIT 1").fetchone() == ("Łucja 0",)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600


def test_backing_up_a_missing_file_says_so(tmp_path: Path):
    with pytest.raises(UserError, match="no database"):
        backup_sqlite(tmp_path / "gone.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_progress_reports_pages_copied_so_far(tmp_path: Path):
    source = tmp_path / "big.db"
    pages = _many_pages(source)
    seen: list[tuple[int, int]] = []

    backup_sqlite(
        source, tmp_path / "copy.db", progress=lambda done, total: seen.append((done, total))
    )

    assert len(seen) >= 3
    done = [d for d, _ in seen]
    assert done == sorted(set(done))  # strictly increasing
    assert {total for _, total in seen} == {pages}
    assert done[-1] == pages


class CancelledError(Exception):
    pass


def test_a_cancelled_backup_leaves_nothing_behind(tmp_path: Path):
    source = tmp_path / "big.db"
    _many_pages(source)
    folder = tmp_path / "copies"
    calls: list[int] = []

    def cancel_on_second_step(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise CancelledError

    with pytest.raises(CancelledError):
        backup_sqlite(source, folder / "copy.db", progress=cancel_on_second_step)

    assert len(calls) == 2
    assert list(folder.iterdir()) == []


def test_retention_keeps_seven_days_four_weeks_and_twelve_months():
    kept = backups_to_keep(FOUR_HUNDRED_DAYS)

    assert {stamp.date() for stamp in kept} == RETAINED_DAYS
    assert len(kept) == 20
    assert kept <= set(FOUR_HUNDRED_DAYS)


def test_retention_keeps_the_newest_backup_of_a_day():
    morning, evening = dt.datetime(2026, 11, 16, 8, 0), dt.datetime(2026, 11, 16, 18, 0)
    yesterday = dt.datetime(2026, 11, 15, 8, 0)

    assert backups_to_keep([morning, evening, yesterday]) == {evening, yesterday}


def test_prune_deletes_only_old_daily_backups(tmp_path: Path):
    database = tmp_path / "tandem.db"
    dailies = {stamp: _backup_file(database, stamp, "daily") for stamp in FOUR_HUNDRED_DAYS}
    upgrades = [
        _backup_file(database, dt.datetime(2024, 5, 2, 9, 0), "before-upgrade-v1"),
        _backup_file(database, dt.datetime(2025, 10, 20, 9, 0), "before-upgrade-v2"),
    ]
    unrelated = paths.backups_dir(database) / "keep me.txt"
    unrelated.write_text("not a backup")

    removed = prune(database)

    kept_days = {stamp.date() for stamp, path in dailies.items() if path.exists()}
    assert kept_days == RETAINED_DAYS
    assert len(removed) == 400 - len(RETAINED_DAYS)
    assert not any(path.exists() for path in removed)
    assert all(path.exists() for path in upgrades)
    assert unrelated.exists()


def test_a_daily_backup_is_due_once_a_day(store, clock: FixedClock):
    assert daily_backup_due(store.path, clock.now()) is True

    made = backup.make_automatic_backup(store.path, "daily", clock.now())

    assert made.path.exists()
    assert daily_backup_due(store.path, clock.now()) is False
    clock.advance(hours=13)  # 23:00 the same day
    assert daily_backup_due(store.path, clock.now()) is False
    clock.advance(hours=1)
    assert daily_backup_due(store.path, clock.now()) is True


def test_a_daily_backup_prunes_old_ones(store, clock: FixedClock):
    # Two backups yesterday: only the later one is worth keeping.
    old = _backup_file(store.path, dt.datetime(2026, 11, 15, 8, 0), "daily")
    recent = _backup_file(store.path, dt.datetime(2026, 11, 15, 20, 0), "daily")

    backup.make_automatic_backup(store.path, "daily", clock.now())

    assert not old.exists()
    assert recent.exists()
    assert len(backup.automatic_backups(store.path)) == 2
