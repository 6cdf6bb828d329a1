"""The command line: headless jobs for scripting, tests and the impatient."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
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
    _add_import_export(commands)

    sla_cmd = commands.add_parser("sla", help="print a month's SLA scorecard")
    sla_cmd.add_argument("--month", required=True, help="the month, as YYYY-MM")
    sla_cmd.add_argument("--db", required=True)
    sla_cmd.add_argument("--json", action="store_true", help="a JSON object (see README)")

    report_cmd = commands.add_parser("report", help="print a month's sales & marketing plan (PDF)")
    report_cmd.add_argument("--month", required=True, help="the plan's month, as YYYY-MM")
    report_cmd.add_argument("--out", required=True, help="the PDF file to write")
    report_cmd.add_argument("--db", required=True)
    return parser


def _add_import_export(commands: argparse._SubParsersAction) -> None:
    kinds = ("leads", "campaigns", "deals")
    import_cmd = commands.add_parser(
        "import", help="import leads, campaigns or deals from a CSV, TSV or XLSX file"
    )
    import_cmd.add_argument("kind", choices=kinds)
    import_cmd.add_argument("file", help="the file to import; row errors go to FILE.errors.csv")
    import_cmd.add_argument("--db", required=True)
    import_cmd.add_argument("--dry-run", action="store_true", help="only report what would happen")
    import_cmd.add_argument("--on-duplicate", choices=("skip", "update", "new"), default="skip")
    import_cmd.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=field",
        help="a column (its header or number) to a field; field 'ignore' leaves it out",
    )
    import_cmd.add_argument(
        "--all-or-nothing", action="store_true", help="import nothing if any row is rejected"
    )
    import_cmd.add_argument(
        "--create-campaigns", action="store_true", help="create campaigns named but not found"
    )
    import_cmd.add_argument("--encoding", help="e.g. utf-8, utf-16, windows-1252 (default: guess)")
    import_cmd.add_argument("--delimiter", help="one of , ; | or tab (default: guess)")
    import_cmd.add_argument("--sheet", help="the workbook's sheet (default: the first)")
    import_cmd.add_argument(
        "--header-row", type=_positive, help="line with the column names (0: none)"
    )
    import_cmd.add_argument(
        "--dates", choices=("day-first", "month-first"), help="how to read 03/04/2026"
    )
    import_cmd.add_argument("--decimal", choices=("point", "comma"), help="how to read 1.234")

    export_cmd = commands.add_parser("export", help="write leads, campaigns or deals to a file")
    export_cmd.add_argument("kind", choices=kinds)
    export_cmd.add_argument("file", help="a .csv or .xlsx file")
    export_cmd.add_argument("--db", required=True)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Run a command; a problem the user can fix is one line on stderr and a non-zero exit."""
    handlers: dict[str, Callable[[argparse.Namespace], str]] = {
        "demo": _demo,
        "check": _check,
        "backup": _backup,
        "import": _import_cmd,
        "export": _export_cmd,
        "sla": _sla_cmd,
        "report": _report_cmd,
    }
    try:
        print(handlers[args.command](args))
    except (UserError, OSError, PeeweeError) as exc:
        reason = explain(exc)
        if reason is None:
            raise
        print(f"{PROG}: {reason}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, ImportProblemError) else 1
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


class ImportProblemError(UserError):
    """An import that rejected rows (exit 1) or kept nothing at all (exit 2)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _import_cmd(args: argparse.Namespace) -> str:
    """Import a file; the summary goes to stdout, row errors to FILE.errors.csv beside it."""
    from app import team
    from app.io import importer, mapping, reader, report

    source = Path(args.file).expanduser()
    errors_path = source.with_name(source.name + ".errors.csv")
    clock = SystemClock()
    try:
        layout = reader.detect_layout(
            source,
            encoding=args.encoding,
            delimiter=args.delimiter,
            sheet=args.sheet,
            header_row=args.header_row,
        )
        store = db.open_database(args.db, clock=clock)
        try:
            headers, _rows = reader.preview(layout, rows=0)
            columns = mapping.guess_mapping(args.kind, headers)
            columns = mapping.apply_choices(args.kind, headers, columns, args.map)
            mapping.check_mapping(args.kind, headers, columns)
            formats = importer.company_formats(layout, args.kind, columns)
            if args.dates:
                formats = replace(formats, day_first=args.dates == "day-first")
            if args.decimal:
                formats = replace(formats, decimal_comma=args.decimal == "comma")
            options = importer.ImportOptions(
                kind=args.kind,
                mapping=columns,
                formats=formats,
                on_duplicate=args.on_duplicate,
                all_or_nothing=args.all_or_nothing,
                create_campaigns=args.create_campaigns,
                dry_run=args.dry_run,
            )
            with report.errors_csv(errors_path) as write_error:
                result = importer.import_file(
                    layout, options, by=team.current_member(), clock=clock, on_error=write_error
                )
        finally:
            store.close()
    except (UserError, OSError, PeeweeError) as exc:
        reason = explain(exc)
        if reason is None:
            raise
        raise ImportProblemError(f"nothing was imported: {reason}", 2) from None
    summary = result.summary()
    if not result.rejected:
        return summary
    print(summary)
    see = f"(see {errors_path})"
    rows = f"{result.rejected:,} row{'s were' if result.rejected != 1 else ' was'} rejected"
    if result.rolled_back:
        raise ImportProblemError(
            f"nothing was imported: {rows} and you chose all or nothing {see}", 2
        )
    if result.nothing_imported:
        raise ImportProblemError(f"nothing was imported: {rows} {see}", 2)
    raise ImportProblemError(f"{rows} {see}", 1)


def _export_cmd(args: argparse.Namespace) -> str:
    from app.io import exporter

    out = Path(args.file).expanduser()
    store = db.open_database(args.db, clock=SystemClock())
    try:
        count = exporter.export(args.kind, out)
    finally:
        store.close()
    return f"Exported {count:,} {args.kind} to {out}."


def _sla_cmd(args: argparse.Namespace) -> str:
    """The month's scorecard as text, or as the JSON object documented in README.md."""
    import json

    from app import sla

    month = sla.parse_month(args.month)
    if not db.is_url(args.db) and not Path(args.db).expanduser().is_file():
        raise UserError(f"There is no database at {args.db}.")
    clock = SystemClock()
    store = db.open_database(args.db, clock=clock)
    try:
        card = sla.scorecard(month, now=clock.now())
    finally:
        store.close()
    if args.json:
        return json.dumps(card.as_json(), ensure_ascii=False, indent=2)
    return card.as_text()


def _report_cmd(args: argparse.Namespace) -> str:
    """The monthly plan as a PDF, written whole or not at all."""
    from app import metrics, reports
    from app.reports import plan_pdf

    month = metrics.parse_month(args.month)
    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise UserError(f"The folder {out.parent} does not exist.")
    if not db.is_url(args.db) and not Path(args.db).expanduser().is_file():
        raise UserError(f"There is no database at {args.db}.")
    clock = SystemClock()
    store = db.open_database(args.db, clock=clock)
    try:
        data = plan_pdf.render_plan(month, clock=clock)
    finally:
        store.close()
    reports.save(data, out)
    return f"Wrote the plan for {metrics.month_name(month)} to {out} ({len(data) // 1024:,} KiB)."
