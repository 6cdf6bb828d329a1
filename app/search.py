"""Full-text search over leads: SQLite's FTS5 index where there is one, plain LIKE elsewhere."""

from __future__ import annotations

import re

from peewee import SQL, Database, Expression, SqliteDatabase

from app.models import Lead, database

FTS_TABLE = "lead_fts"
SEARCHED = ("name", "company", "email", "phone", "notes")
# unicode61 with diacritics removed: typing "zoe" finds "Zoë", "lodz" finds "Łódź".
_CREATE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
    {", ".join(SEARCHED)}, content='lead', content_rowid='id',
    tokenize="unicode61 remove_diacritics 2"
)"""
_NEW = ", ".join(f"new.{c}" for c in SEARCHED)
_OLD = ", ".join(f"old.{c}" for c in SEARCHED)
_COLUMNS = ", ".join(SEARCHED)
# External-content FTS: these keep the index in step with the lead table in the same transaction.
TRIGGERS = {
    "lead_fts_insert": f"AFTER INSERT ON lead BEGIN INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) "
    f"VALUES (new.id, {_NEW}); END",
    "lead_fts_delete": f"AFTER DELETE ON lead BEGIN INSERT INTO {FTS_TABLE}"
    f"({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); END",
    "lead_fts_update": f"AFTER UPDATE OF {_COLUMNS} ON lead BEGIN INSERT INTO {FTS_TABLE}"
    f"({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW}); END",
}
_WORD = re.compile(r"\w+", re.UNICODE)


def uses_fts(db: Database | None = None) -> bool:
    target = db if db is not None else database.obj
    return isinstance(target, SqliteDatabase)


def create_index(db: Database) -> None:
    """Create the search index and its triggers (SQLite only), filling it from existing leads."""
    if not uses_fts(db):
        return
    db.execute_sql(_CREATE)
    create_triggers(db)
    db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def create_triggers(db: Database) -> None:
    for name, body in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_triggers(db: Database) -> None:
    """For bulk loads: drop the triggers, insert, then create_triggers() and rebuild()."""
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(db: Database) -> None:
    if uses_fts(db):
        db.execute_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def fts_query(text: str) -> str:
    """Every word the user typed must start a word of the lead (search as you type)."""
    return " ".join(f'"{word}"*' for word in _WORD.findall(text))


def matches(text: str) -> Expression | None:
    """A WHERE condition for leads matching text; None when there is nothing to search for."""
    words = _WORD.findall(text)
    if not words:
        return None
    if uses_fts():
        return Lead.id.in_(
            SQL(f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)", [fts_query(text)])
        )
    # Portable fallback (PostgreSQL): each word somewhere in one of the searched fields.
    condition = None
    for word in words:
        pattern = f"%{word}%"
        any_field = (
            (Lead.name**pattern)
            | (Lead.company**pattern)
            | (Lead.email**pattern)
            | (Lead.phone**pattern)
            | (Lead.notes**pattern)
        )
        condition = any_field if condition is None else condition & any_field
    return condition
