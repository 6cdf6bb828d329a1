"""The command line: headless jobs for scripting, tests and the impatient."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from peewee import PeeweeException as PeeweeError

from app import __version__, backup, db, demo, migrations
from app.clock import SystemClock
from app.errors import UserError, explain

PROG = "tandem"


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Tandem, the sales & marketing desk. Without a command it opens."
    )
    parser.add_argument("--version", action="version", version=f"Tandem {__version__}")
    parser.add_argument("--db", help="database file or URL (default: your Tandem data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo_cmd = commands.add_parser("demo", help="fill a new database with a sample company")
    demo_cmd.add_argument("--db", required=True, help="the database file to create")
    demo_cmd.add_argument("--leads", type=_positive, default=5000, help="how many leads")
    demo_cmd.add_argument("--seed", type=int, default=1, help="same seed, same company")

    check_cmd = commands.add_parser("check", help="check a database's integrity and schema")
    check_cmd.add_argument("--db", required=True)

    backup_cmd = commands.add_parser("backup", help="write a verified copy of a database")
    backup_cmd.add_argument("--db", required=True)
    backup_cmd.add_argument("--out", required=True, help="the copy to write")
    return parser


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Run a command; a problem the user can fix is one line on stderr and a non-zero exit."""
    handlers: dict[str, Callable[[argparse.Namespace], str]] = {
        "demo": _demo,
        "check": _check,
        "backup": _backup,
    }
    try:
        print(handlers[args.command](args))
    except (UserError, OSError, PeeweeError) as exc:
        reason = explain(exc)
        if reason is None:
            raise
        print(f"{PROG}: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: stopped; nothing was changed.", file=sys.stderr)
        return 130
    return 0


def _sqlite_path(target: str) -> Path:
    if db.is_url(target):
        raise UserError("This command works on a database file, not a server URL.")
    return Path(target).expanduser()


def _demo(args: argparse.Namespace) -> str:
    path = _sqlite_path(args.db)
    clock = SystemClock()
    # A new file is built beside its final name and moved there only when complete.
    building = path if path.exists() else path.with_name(f".{path.name}.building")
    for leftover in (building, *_journal_files(building)):
        if building != path:
            leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    store = db.open_database(building, clock=clock)
    try:
        summary = demo.build_demo(leads=args.leads, seed=args.seed, today=dt.date.today())
    except BaseException:
        store.close()
        if building != path:
            for leftover in (building, *_journal_files(building)):
                leftover.unlink(missing_ok=True)
        raise
    store.close()
    if building != path:
        os.replace(building, path)
    seconds = time.perf_counter() - started
    rate = summary.leads / seconds if seconds else 0
    return (
        f"Built a sample company in {path}: {summary.leads:,} leads, {summary.deals:,} deals, "
        f"{summary.activities:,} activities, {summary.campaigns} campaigns, "
        f"{summary.members} people in {seconds:.1f} s ({rate:,.0f} leads/s)."
    )


def _journal_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".lock")]


def _check(args: argparse.Namespace) -> str:
    if db.is_url(args.db):
        store = db.open_database(args.db, clock=SystemClock())
        try:
            problems = migrations.schema_problems(store.db)
        finally:
            store.close()
    else:
        path = _sqlite_path(args.db)
        if not path.is_file():
            raise UserError(f"There is no database at {path}.")
        db.check_integrity(path, full=True)
        version = db.peek_version(path)
        if version is None:
            raise UserError(f"{path.name} is empty: it holds no Tandem data yet.")
        migrations.refuse_newer(version)
        if version < migrations.SCHEMA_VERSION:
            return (
                f"{path.name} is sound, at schema {version}; Tandem upgrades it to "
                f"{migrations.SCHEMA_VERSION} when it opens it."
            )
        problems = db.readonly_schema_problems(path)
    if problems:
        raise UserError(f"The schema is not what Tandem expects: {problems[0]}")
    return f"{args.db} is sound: integrity ok, schema {migrations.SCHEMA_VERSION}."


def _backup(args: argparse.Namespace) -> str:
    source = _sqlite_path(args.db)
    out = Path(args.out).expanduser()
    if out.resolve() == source.resolve():
        raise UserError("The backup must go to another file than the database itself.")
    result = backup.backup_sqlite(source, out)
    return f"Backed up {result.rows:,} rows in {result.tables} tables to {out} (verified)."
