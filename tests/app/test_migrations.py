"""Upgrading a file written by an older Tandem: nothing lost, same schema as new, a backup first."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from peewee import Database, TextField
from playhouse.migrate import SchemaMigrator, migrate

from app import backup, migrations
from app.clock import FixedClock
from app.db import open_database, peek_version
from app.migrations import SCHEMA_VERSION
from app.models import Handover, Lead, Member, database

FIXTURE_V1 = Path(__file__).parent.parent / "fixtures" / "tandem-v1.db"
TRASH_TABLES = ("campaign", "lead", "deal", "activity")


def _read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _shape(db: Database) -> dict[str, list[str]]:
    return {table: sorted(c.name for c in db.get_columns(table)) for table in db.get_tables()}


def _details(db: Database) -> dict[str, object]:
    """Column types, nullability, defaults, keys and indexes: what makes two schemas the same."""
    found: dict[str, object] = {}
    for table in db.get_tables():
        info = db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
        found[table] = (
            sorted(row[1:] for row in info),
            sorted(db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()),
            sorted((i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table)),
        )
    return found


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    path = tmp_path / "tandem.db"
    shutil.copyfile(FIXTURE_V1, path)
    return path


def test_the_fixture_is_a_version_1_file():
    assert peek_version(FIXTURE_V1) == 1


def test_an_old_file_is_upgraded_without_losing_a_row(v1_copy: Path, clock: FixedClock):
    with _read_only(FIXTURE_V1) as conn:
        original = {
            table: (_columns(conn, table), conn.execute(f'SELECT * FROM "{table}"').fetchall())
            for table in _tables(conn)
        }

    store = open_database(v1_copy, clock=clock)
    try:
        assert store.upgraded_from == 1
        lead = Lead.get()
        assert (lead.name, lead.company) == ("Zoë Łukasiewicz", "東京商事")
        assert lead.deleted_at is None
        assert sorted(m.name for m in Member.select()) == ["Ana Núñez", "Kenji 佐藤"]
        assert Handover.get().to_member.name == "Kenji 佐藤"
    finally:
        store.close()

    with _read_only(v1_copy) as conn:
        assert conn.execute("SELECT version FROM schema_info").fetchall() == [(SCHEMA_VERSION,)]
        for table, (columns, rows) in original.items():
            if table == "schema_info":
                continue
            listed = ", ".join(f'"{c}"' for c in columns)
            assert conn.execute(f'SELECT {listed} FROM "{table}"').fetchall() == rows, table
        for table in TRASH_TABLES:
            assert conn.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE deleted_at IS NOT NULL'
            ).fetchone() == (0,)
    assert sum(len(rows) for _, rows in original.values()) >= 8  # the fixture holds real rows


def test_an_upgraded_file_has_the_same_schema_as_a_new_one(
    v1_copy: Path, tmp_path: Path, clock: FixedClock
):
    upgraded = open_database(v1_copy, clock=clock)
    try:
        upgraded_shape, upgraded_details = _shape(upgraded.db), _details(upgraded.db)
    finally:
        upgraded.close()
    fresh = open_database(tmp_path / "fresh.db", clock=clock)
    try:
        fresh_shape, fresh_details = _shape(fresh.db), _details(fresh.db)
    finally:
        fresh.close()

    assert upgraded_shape == fresh_shape
    assert all("deleted_at" in upgraded_shape[table] for table in TRASH_TABLES)
    assert upgraded_details == fresh_details


def test_a_backup_is_made_before_upgrading(v1_copy: Path, clock: FixedClock):
    store = open_database(v1_copy, clock=clock)
    store.close()

    backups = backup.automatic_backups(v1_copy)
    assert [(stamp, path.stem.split("_", 1)[1]) for stamp, path in backups] == [
        (clock.now(), "before-upgrade-v1")
    ]
    kept = backups[0][1]
    assert peek_version(kept) == 1
    with _read_only(kept) as conn:
        assert conn.execute("SELECT name, company FROM lead").fetchall() == [
            ("Zoë Łukasiewicz", "東京商事")
        ]


def test_a_current_file_is_not_upgraded_or_backed_up_again(v1_copy: Path, clock: FixedClock):
    open_database(v1_copy, clock=clock).close()
    clock.advance(days=1)

    store = open_database(v1_copy, clock=clock)
    store.close()

    assert store.upgraded_from is None
    assert len(backup.automatic_backups(v1_copy)) == 1


def _add_a_column_then_fail(db: Database) -> None:
    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column("lead", "half_done", TextField(null=True)))
    raise RuntimeError("the disk went away")


def test_a_failed_upgrade_step_leaves_the_file_as_it_was(
    v1_copy: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(migrations.STEPS, 2, _add_a_column_then_fail)

    with pytest.raises(RuntimeError, match="the disk went away"):
        open_database(v1_copy, clock=clock)

    assert peek_version(v1_copy) == 1
    with _read_only(v1_copy) as conn:
        assert "half_done" not in _columns(conn, "lead")
        assert "deleted_at" not in _columns(conn, "lead")
    assert not v1_copy.with_name("tandem.db.lock").exists()

    # With the real step back, the next start finishes the upgrade.
    monkeypatch.undo()
    store = open_database(v1_copy, clock=clock)
    try:
        assert store.upgraded_from == 1
        assert "half_done" not in _shape(store.db)["lead"]
    finally:
        store.close()
    assert peek_version(v1_copy) == SCHEMA_VERSION


def test_a_failed_upgrade_leaves_no_connection_open(
    v1_copy: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(migrations.STEPS, 2, _add_a_column_then_fail)
    with pytest.raises(RuntimeError):
        open_database(v1_copy, clock=clock)

    assert database.obj.is_closed()
