"""Opening a database: new files, reopening, locking, crashes, damage, files not to touch."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from peewee import IntegrityError

from app import backup
from app.clock import FixedClock
from app.db import open_database, peek_version, restore, set_aside
from app.errors import (
    DatabaseDamagedError,
    DatabaseError,
    DatabaseInUseError,
    NewerSchemaError,
    UserError,
)
from app.migrations import SCHEMA_VERSION
from app.models import Activity, Lead, Member


def _make_database(path: Path, clock: FixedClock, leads: int = 5) -> None:
    """A closed Tandem file with a member and some leads in it."""
    store = open_database(path, clock=clock)
    Member.create(name="Ana Núñez", role="owner", created_at=clock.now())
    Lead.insert_many(
        [
            {"name": f"Lead {i}", "notes": "Met at the fair. " * 20, "created_at": clock.now()}
            for i in range(leads)
        ]
    ).execute()
    store.close()


def _damage_middle(path: Path) -> bytes:
    """Overwrite the middle third of the file, keeping the header intact; returns the new bytes."""
    data = bytearray(path.read_bytes())
    size = len(data)
    data[size // 3 : 2 * size // 3] = b"\x5a" * (2 * size // 3 - size // 3)
    path.write_bytes(bytes(data))
    return bytes(data)


def _fingerprint(path: Path) -> tuple[bytes, int, int]:
    """The file's bytes and time, and what waits in its write-ahead log to be written into it."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), path.stat().st_mtime_ns, wal.stat().st_size if wal.exists() else 0


def _lead_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM lead").fetchone()[0]
    finally:
        conn.close()


def test_a_new_file_is_private_and_at_the_current_schema(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    store = open_database(path, clock=clock)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert store.upgraded_from is None
        assert store.full_check is False
    finally:
        store.close()
    assert peek_version(path) == SCHEMA_VERSION


def test_a_database_reopens_with_its_data(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    _make_database(path, clock, leads=3)

    store = open_database(path, clock=clock)
    try:
        assert [m.name for m in Member.select()] == ["Ana Núñez"]
        assert Lead.select().count() == 3
        assert store.upgraded_from is None
        assert store.full_check is False
    finally:
        store.close()
    assert not path.with_name("tandem.db.lock").exists()


def test_wal_and_foreign_keys_are_on(store):
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(IntegrityError):
        Activity.create(kind="call", lead=9999, occurred_at="2026-11-16 10:00:00")


def test_every_thread_gets_a_connection_with_the_same_settings(store):
    seen: dict[str, object] = {}

    def work() -> None:
        try:
            seen["journal"] = store.db.execute_sql("PRAGMA journal_mode").fetchone()[0]
            seen["fk"] = store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0]
        finally:
            store.db.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == {"journal": "wal", "fk": 1}


def test_a_second_open_of_the_same_file_is_refused_and_the_first_keeps_working(
    store, clock: FixedClock
):
    with pytest.raises(DatabaseInUseError, match="already open in another Tandem"):
        open_database(store.path, clock=clock)

    Member.create(name="Still here", role="sales", created_at=clock.now())
    assert [m.name for m in Member.select()] == ["Still here"]


def test_a_symlink_to_an_open_database_is_refused_too(store, clock: FixedClock):
    link = store.path.with_name("shortcut.db")
    link.symlink_to(store.path)
    with pytest.raises(DatabaseInUseError):
        second = open_database(link, clock=clock)
        second.close()
    assert [p.name for p in store.path.parent.glob("*.lock")] == ["tandem.db.lock"]


def test_after_a_crash_the_next_open_checks_every_page(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    crashed = open_database(path, clock=clock)
    Member.create(name="Before the crash", role="owner", created_at=clock.now())
    # A crash: the connection goes and the OS drops the lock, but the lock file stays behind.
    crashed.db.close()
    assert crashed.lock is not None and crashed.lock._handle is not None
    crashed.lock._handle.close()
    assert path.with_name("tandem.db.lock").exists()

    store = open_database(path, clock=clock)
    try:
        assert store.full_check is True
        assert [m.name for m in Member.select()] == ["Before the crash"]
    finally:
        store.close()

    store = open_database(path, clock=clock)
    store.close()
    assert store.full_check is False


CRASHING_TANDEM = """
import datetime as dt, os, sys
from app.clock import FixedClock
from app.db import open_database
from app.models import Member
clock = FixedClock(dt.datetime(2026, 11, 16, 10, 0))
open_database(sys.argv[1], clock=clock)
Member.create(name="Written just before the crash", role="owner", created_at=clock.now())
os._exit(9)
"""


def test_a_real_crash_loses_no_committed_change(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    root = Path(__file__).resolve().parents[2]
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_TANDEM, str(path)], cwd=root, timeout=60, check=False
    )
    assert crashed.returncode == 9
    assert path.with_name("tandem.db-wal").stat().st_size > 0  # never checkpointed

    store = open_database(path, clock=clock)
    try:
        assert store.full_check is True
        assert [m.name for m in Member.select()] == ["Written just before the crash"]
    finally:
        store.close()


def test_random_bytes_are_refused_as_damaged_and_left_alone(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    path.write_bytes(random.Random(7).randbytes(8192))
    before = _fingerprint(path)

    with pytest.raises(DatabaseDamagedError, match=r"tandem\.db"):
        open_database(path, clock=clock)

    assert _fingerprint(path) == before
    assert not path.with_name("tandem.db.lock").exists()


def test_a_file_damaged_in_the_middle_is_refused(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    _make_database(path, clock, leads=200)
    damaged = _damage_middle(path)

    with pytest.raises(DatabaseDamagedError, match="damaged"):
        open_database(path, clock=clock)

    assert path.read_bytes() == damaged
    assert not path.with_name("tandem.db.lock").exists()


def test_a_truncated_file_is_refused(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    _make_database(path, clock, leads=200)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(DatabaseDamagedError):
        open_database(path, clock=clock)


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "recipes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipe (name TEXT)")
    conn.execute("INSERT INTO recipe VALUES ('Bigos')")
    conn.commit()
    conn.close()
    before = _fingerprint(path)

    with pytest.raises(DatabaseError, match="another program") as refused:
        open_database(path, clock=clock)

    assert not isinstance(refused.value, DatabaseDamagedError)
    assert _fingerprint(path) == before


def test_a_read_only_file_is_named_read_only(tmp_path: Path, clock: FixedClock):
    if os.geteuid() == 0:
        pytest.skip("root may write to any file, so a read-only file cannot be made")
    path = tmp_path / "tandem.db"
    _make_database(path, clock)
    path.chmod(0o444)

    with pytest.raises(DatabaseError, match="read-only"):
        open_database(path, clock=clock)


def test_a_file_it_may_not_write_is_named_read_only(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
):
    """The same check where permissions cannot be taken away (tests running as root)."""
    path = tmp_path / "tandem.db"
    _make_database(path, clock)
    real_access = os.access

    def access(target: object, mode: int, **kwargs: object) -> bool:
        if Path(str(target)) == path and mode == os.W_OK:
            return False
        return real_access(target, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    before = _fingerprint(path)

    with pytest.raises(DatabaseError, match="read-only") as refused:
        open_database(path, clock=clock)

    assert "tandem.db" in str(refused.value)
    assert _fingerprint(path) == before


def test_a_file_from_a_newer_tandem_is_refused_unchanged(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    _make_database(path, clock)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_info SET version = ?", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    before = _fingerprint(path)

    with pytest.raises(NewerSchemaError, match="newer Tandem"):
        open_database(path, clock=clock)

    assert _fingerprint(path) == before
    assert peek_version(path) == SCHEMA_VERSION + 1


def test_a_damaged_file_is_set_aside_and_a_backup_put_back(tmp_path: Path, clock: FixedClock):
    path = tmp_path / "tandem.db"
    _make_database(path, clock, leads=200)
    saved = tmp_path / "saved" / "tandem-copy.db"
    backup.backup_sqlite(path, saved)
    damaged = _damage_middle(path)
    path.with_name("tandem.db-wal").write_bytes(b"left over")
    with pytest.raises(DatabaseDamagedError):
        open_database(path, clock=clock)

    aside = set_aside(path, clock.now())

    assert aside.name == "tandem.db.damaged-20261116-100000"
    assert aside.read_bytes() == damaged
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"left over"
    assert not path.exists()
    assert not path.with_name("tandem.db-wal").exists()

    restore(saved, path)

    store = open_database(path, clock=clock)
    try:
        assert Lead.select().count() == 200
    finally:
        store.close()
    assert aside.read_bytes() == damaged


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path, clock: FixedClock):
    with pytest.raises(UserError, match="does not exist"):
        open_database(tmp_path / "nowhere" / "tandem.db", clock=clock)
    assert not (tmp_path / "nowhere").exists()
