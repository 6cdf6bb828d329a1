"""Schema versions: a new file gets the current schema; an older one is upgraded step by step."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, DateTimeField
from playhouse.migrate import SchemaMigrator, migrate

from app import campaigns, search, sla_clocks
from app.errors import NewerSchemaError
from app.models import (
    ALL_MODELS,
    Activity,
    CampaignSpend,
    Lead,
    LeadPause,
    SchemaInfo,
    SlaClock,
    SlaStaleLead,
    SlaTally,
)

SCHEMA_VERSION = 4


def _v2_trash(db: Database) -> None:
    """Deleting moves records to a trash (restorable) instead of removing them."""
    migrator = SchemaMigrator.from_database(db)
    migrate(
        *(
            migrator.add_column(table, "deleted_at", DateTimeField(null=True))
            for table in ("campaign", "lead", "deal", "activity")
        ),
        migrator.drop_index("lead", "lead_stage"),
        migrator.drop_index("lead", "lead_created_at"),
    )
    for model in (Lead, Activity):  # the list's sort indexes, My day's follow-ups
        model._schema.create_indexes(safe=True)  # type: ignore[union-attr]
    search.create_index(db)


def _v3_sla_clocks(db: Database) -> None:
    """Pause history (recovered from the audit log) and the derived SLA clock table."""
    db.create_tables([LeadPause, SlaClock, SlaTally, SlaStaleLead])
    sla_clocks.create_triggers(db)
    sla_clocks.recover_pauses(db)


def _v4_campaign_spend(db: Database) -> None:
    """Spend entries per campaign; the spend typed in so far becomes one entry each."""
    db.create_tables([CampaignSpend])
    campaigns.itemise_earlier_spend()


# STEPS[n] turns a version n-1 file into version n.
STEPS: dict[int, Callable[[Database], None]] = {
    2: _v2_trash,
    3: _v3_sla_clocks,
    4: _v4_campaign_spend,
}


def current_version(db: Database) -> int | None:
    if not db.table_exists(SchemaInfo._meta.table_name):
        return None
    row = SchemaInfo.select(SchemaInfo.version).order_by(SchemaInfo.version.desc()).first()
    return row.version if row else None


def refuse_newer(version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"This database was saved by a newer Tandem (schema {version}; this Tandem knows "
            f"up to {SCHEMA_VERSION}). Update Tandem to open it; the file was not changed."
        )


def upgrade(db: Database, before_upgrade: Callable[[int], None] | None) -> int | None:
    """Bring db to SCHEMA_VERSION. Returns the version it was upgraded from, or None if nothing
    was upgraded. before_upgrade(version) runs once first (the backup); each step and its version
    bump commit together, so an interrupted upgrade resumes from the last finished step."""
    version = current_version(db)
    refuse_newer(version)
    if version is None:
        with db.atomic():
            db.create_tables(ALL_MODELS)
            search.create_index(db)
            sla_clocks.create_triggers(db)
            SchemaInfo.insert(version=SCHEMA_VERSION).execute()
        return None
    if version == SCHEMA_VERSION:
        return None
    if before_upgrade is not None:
        before_upgrade(version)
    for step in range(version + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            STEPS[step](db)
            SchemaInfo.update(version=step).execute()
    return version


def schema_problems(db: Database) -> list[str]:
    """Differences between the tables in db and the ones this Tandem's models expect."""
    found = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        if not db.table_exists(table):
            found.append(f"the table {table} is missing")
            continue
        actual = {column.name for column in db.get_columns(table)}
        missing = sorted(set(model._meta.columns) - actual)
        if missing:
            found.append(f"the table {table} lacks {', '.join(missing)}")
    return found
