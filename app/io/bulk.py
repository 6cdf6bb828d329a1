"""Setting aside what makes SQLite slow at many rows, for the length of one import."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from peewee import SqliteDatabase

from app import search
from app.io import records
from app.models import database


@contextlib.contextmanager
def larger_page_cache() -> Iterator[None]:
    """SQLite's default 2 MB page cache makes a big import spill to disk and read index pages
    again and again; 64 MB for the length of the import saves about 15 % of its time."""
    if not isinstance(database.obj, SqliteDatabase):
        yield
        return
    before = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    database.execute_sql(f"PRAGMA cache_size = {-64 * 1024}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {int(before)}")


_INSERT_TRIGGER = "lead_fts_insert"


@contextlib.contextmanager
def faster_writes(
    kind: records.Kind, *, dry_run: bool, bulk: bool
) -> Iterator[Callable[[int], None]]:
    """Set aside what makes SQLite slow at many rows, inside the import's transaction (so a
    rollback brings everything back). Yields fill(after_id), which puts the leads written since
    after_id into the search index.

    Always: the search index's per-row trigger; one statement per batch is over ten times
    faster. In bulk: the table's indexes and all search triggers, rebuilt once at the end."""
    if dry_run or not isinstance(database.obj, SqliteDatabase):
        yield _no_fill
        return
    searched = (
        kind.name == "leads"
        and _INSERT_TRIGGER in search.TRIGGERS
        and database.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_INSERT_TRIGGER,)
        ).fetchone()
        is not None
    )
    if bulk:
        indexes = database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (kind.model._meta.table_name,),
        ).fetchall()
        for name, _sql in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        if searched:
            search.drop_triggers(database.obj)
        yield _no_fill
        for _name, sql in indexes:
            database.execute_sql(sql)
        if searched:
            search.create_triggers(database.obj)
            search.rebuild(database.obj)
        return
    if not searched:
        yield _no_fill
        return
    database.execute_sql(f"DROP TRIGGER {_INSERT_TRIGGER}")
    columns = ", ".join(search.SEARCHED)

    def fill(after_id: int) -> None:
        database.execute_sql(
            f"INSERT INTO {search.FTS_TABLE}(rowid, {columns}) "
            f"SELECT id, {columns} FROM lead WHERE id > ?",
            (after_id,),
        )

    yield fill
    search.create_triggers(database.obj)


def _no_fill(after_id: int) -> None:
    """Nothing to put into the search index."""
