"""The import: a backup first, then one transaction, duplicates handled as chosen, in batches."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import SqliteDatabase

from app import audit, backup, company
from app.clock import Clock
from app.errors import UserError
from app.io import bulk, duplicates, mapping, reader, records, values
from app.io.context import Context
from app.io.mapping import FIELDS, Mapping
from app.io.reader import Layout, Row, Table
from app.io.report import ImportReport, RowError
from app.io.values import Formats
from app.models import Member, database

BATCH = 1000
BULK_FROM = 10_000  # rows; see _Run.is_bulk
KEEP_IMPORT_BACKUPS = 5
Progress = Callable[[int, int], None]  # (rows read, rows in the file or 0); raise to cancel


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose before the import starts."""

    kind: str = "leads"
    mapping: Mapping | None = None  # column index -> field; None: guessed from the headers
    formats: Formats | None = None  # None: guessed from the first rows
    on_duplicate: str = "skip"  # skip | update | new
    all_or_nothing: bool = False  # one rejected row keeps every row out
    create_campaigns: bool = False  # a lead's unknown campaign is created instead of refused
    dry_run: bool = False


def company_formats(layout: Layout, kind: str, columns: Mapping) -> Formats:
    """The formats of dates and numbers guessed from the file's first rows, with the company's
    country and time zone to fall back on."""
    profile = company.load()
    date_columns, number_columns = [], []
    for index, name in columns.items():
        reads = FIELDS[kind][name].reads
        if reads in ("date", "datetime"):
            date_columns.append(index)
        elif reads in ("money", "count", "percent"):
            number_columns.append(index)
    _headers, rows = reader.sample(layout)

    def cells(indexes: list[int]) -> list[Any]:
        return [r.values[i] for r in rows for i in indexes if i < len(r.values)]

    return values.detect_formats(
        cells(date_columns),
        cells(number_columns),
        delimiter=layout.delimiter,
        country=profile.country,
        zone=profile.timezone,
    )


def import_file(
    layout: Layout,
    options: ImportOptions,
    *,
    by: Member | None,
    clock: Clock,
    progress: Progress | None = None,
    on_error: Callable[[RowError], None] | None = None,
) -> ImportReport:
    """Import the rows of a file as the options say, or in a dry run only count what would
    happen. All or nothing at the level of the database: a whole-file problem (a UserError),
    cancelling (progress raising) or any failure leaves it exactly as it was."""
    kind = records.KINDS[mapping.check_kind(options.kind)]()
    if options.on_duplicate not in duplicates.POLICIES:
        raise UserError(f"For duplicates choose one of: {', '.join(duplicates.POLICIES)}.")
    with reader.open_table(layout) as table:
        columns = options.mapping
        if columns is None:
            columns = mapping.guess_mapping(kind.name, table.headers)
        mapping.check_mapping(kind.name, table.headers, columns)
        first = next((row for row in table.rows if not row.is_blank), None)
        if first is None:
            raise UserError(f"{layout.path.name} has column names but no rows to import.")
        table.rows = itertools.chain([first], table.rows)
        formats = options.formats or company_formats(layout, kind.name, columns)
        report = ImportReport(
            kind.name,
            layout.path.name,
            dry_run=options.dry_run,
            on_duplicate=options.on_duplicate,
            all_or_nothing=options.all_or_nothing,
        )
        ctx = Context(
            formats=formats,
            now=clock.now(),
            today=company.today(clock),
            by=by.id if by else None,
            currency=company.load().currency,
            create_campaigns=options.create_campaigns,
            dry_run=options.dry_run,
            campaigns_created=report.campaigns_created,
        )
        run = _Run(kind, table, columns, ctx, options, report, progress, on_error)
        if options.dry_run:
            run.go()
            return report
        report.backup = _backup_first(clock)
        try:
            with bulk.larger_page_cache(), database.atomic():
                run.go()
                if report.rolled_back:
                    raise _HoldBackError
                audit.record(
                    "import",
                    kind.table,
                    0,
                    before=None,
                    after=_audit_after(report),
                    by=by,
                    at=ctx.now,
                )
            report.kept = True
        except _HoldBackError:
            pass
    return report


class _HoldBackError(Exception):
    """Rolls the transaction back when the user chose all or nothing and a row was rejected."""


def _audit_after(report: ImportReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "read": report.read,
        "imported": report.imported,
        "updated": report.updated,
        "skipped": report.skipped,
        "rejected": report.rejected,
        "on_duplicate": report.on_duplicate,
        "campaigns_created": len(report.campaigns_created),
    }


def _backup_first(clock: Clock) -> Path | None:
    """A verified copy of a database file before anything is written; a server has its own."""
    target = database.obj
    if not isinstance(target, SqliteDatabase) or target.database in ("", ":memory:"):
        return None
    path = Path(target.database)
    if not path.is_file():
        return None
    result = backup.make_automatic_backup(path, "before-import", clock.now())
    # The backups folder keeps daily and upgrade backups by its own rules; of these, the latest few.
    kept = [p for _s, p in backup.automatic_backups(path) if p.stem.endswith("_before-import")]
    for old in kept[:-KEEP_IMPORT_BACKUPS]:
        old.unlink(missing_ok=True)
    return result.path


class _Run:
    """One pass over the rows: reading, checking, finding duplicates, writing in batches."""

    def __init__(
        self,
        kind: records.Kind,
        table: Table,
        columns: Mapping,
        ctx: Context,
        options: ImportOptions,
        report: ImportReport,
        progress: Progress | None,
        on_error: Callable[[RowError], None] | None,
    ) -> None:
        self.kind, self.table, self.ctx, self.report = kind, table, ctx, report
        self.columns = sorted(columns.items())
        self.headers = table.headers
        self.policy = options.on_duplicate
        self.dry_run = options.dry_run
        self.progress, self.on_error = progress, on_error
        self.check_width = table.layout.format == "csv"
        self.index: duplicates.KeyIndex | None = None
        self.pending: list[dict[str, Any]] = []  # new records waiting for the next write
        self.pending_keys: list[duplicates.Keys] = []
        self.stored: dict[int, dict[str, Any]] = {}  # stored records this batch updates
        self.changed: dict[int, dict[str, Any]] = {}  # record id -> the changes to write
        self.before: dict[int, dict[str, Any]] = {}  # record id -> as it was stored
        self.last_id = 0

    def go(self) -> None:
        self.kind.prepare(dict(self.columns), self.ctx)
        if self.policy != "new":
            self.index = duplicates.KeyIndex(self.kind.existing())
        with bulk.faster_writes(self.kind, dry_run=self.dry_run, bulk=self.is_bulk()) as fill:
            self.fill_search = fill
            self.last_id = self.max_id()
            rows = (row for row in self.table.rows if not row.is_blank)
            while batch := list(itertools.islice(rows, BATCH)):
                self.report.read += len(batch)
                self.take(batch)
                self.write()
                if self.progress:
                    done = self.report.read
                    self.progress(done, max(done, self.table.estimated_rows))

    def is_bulk(self) -> bool:
        """A file with twice the rows the table has goes in faster without the table's indexes:
        SQLite builds an index in one sorted pass several times faster than row by row. (A
        file about as big as the table may be the same file again, all duplicates: then
        rebuilding every index would be time lost.)"""
        if self.dry_run or self.table.estimated_rows < BULK_FROM:
            return False
        table = self.kind.model._meta.table_name
        stored = database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return bool(self.table.estimated_rows >= 2 * stored)

    # --- reading -----------------------------------------------------------------------------

    def take(self, batch: list[Row]) -> None:
        read = [(row, *self.read(row)) for row in batch]
        if self.index is not None and self.policy == "update":
            self.fetch_stored([(row, given) for row, given, problems in read if not problems])
        for row, given, problems in read:  # in file order, so the errors are too
            if problems:
                self.reject(row, problems)
            else:
                self.place(row, given)

    def read(self, row: Row) -> tuple[dict[str, Any], list[records.Problem]]:
        cells = row.values
        if self.check_width and len(cells) != len(self.headers):
            extra = cells[len(self.headers) :]
            if len(cells) < len(self.headers) or any(not values.is_empty(c) for c in extra):
                return {}, [("", "", self.width_problem(row))]
        return self.kind.read(cells)

    def width_problem(self, row: Row) -> str:
        problem = (
            f"this row has {len(row.values)} values but the file has {len(self.headers)} "
            "columns; a value containing the delimiter needs quotes around it"
        )
        if row.last_line > row.line:
            problem += (
                f" (the row runs from line {row.line} to {row.last_line}: a quote may be missing)"
            )
        return problem

    def fetch_stored(self, read: list[tuple[Row, dict[str, Any]]]) -> None:
        """The stored records this batch's rows match, in one query, for updating."""
        assert self.index is not None
        wanted = set()
        for _row, given in read:
            found = self.index.find(self.kind.keys(self.kind.complete(given, self.ctx)))
            if found and found > 0 and found not in self.stored:
                wanted.add(found)
        self.load(wanted)

    def load(self, ids: set[int]) -> None:
        model, ordered = self.kind.model, sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            found: Any = model.select().where(model.id.in_(chunk)).dicts()
            for record in found:
                self.stored[record["id"]] = record
                self.before[record["id"]] = dict(record)

    # --- deciding ----------------------------------------------------------------------------

    def place(self, row: Row, given: dict[str, Any]) -> None:
        record = self.kind.complete(given, self.ctx)
        keys = self.kind.keys(record)
        found = self.index.find(keys) if self.index is not None else None
        if found is None:
            self.add(row, record, keys)
        elif self.policy == "skip":
            self.report.skipped += 1
        elif found < 0:
            self.merge_pending(row, -found - 1, given)
        elif found == 0:
            self.report.updated += 1  # a dry run's earlier row: the values are not kept
        else:
            self.merge_stored(row, found, given)

    def add(self, row: Row, record: dict[str, Any], keys: duplicates.Keys) -> None:
        problems = self.kind.check(record)
        if problems:
            self.reject(row, problems)
            return
        self.pending.append(record)
        self.pending_keys.append(keys)
        if self.index is not None:
            self.index.add(keys, -len(self.pending))
        self.report.imported += 1

    def merge_pending(self, row: Row, position: int, given: dict[str, Any]) -> None:
        current = self.pending[position]
        changes = self.kind.changes(current, given, self.ctx)
        if not changes:
            self.report.skipped += 1
            return
        merged = {**current, **changes}
        problems = self.kind.check(merged)
        if problems:
            self.reject(row, problems)
            return
        self.pending[position] = merged
        assert self.index is not None
        keys = self.kind.keys(merged)
        self.index.move(self.pending_keys[position], keys, -position - 1)
        self.pending_keys[position] = keys
        self.report.updated += 1

    def merge_stored(self, row: Row, record_id: int, given: dict[str, Any]) -> None:
        if record_id not in self.stored:
            self.load({record_id})
        current = self.stored[record_id]
        changes = self.kind.changes(current, given, self.ctx)
        if not changes:
            self.report.skipped += 1
            return
        merged = {**current, **changes}
        problems = self.kind.check(merged)
        if problems:
            self.reject(row, problems)
            return
        self.stored[record_id] = merged
        self.changed.setdefault(record_id, {}).update(changes)
        assert self.index is not None
        self.index.move(self.kind.keys(current), self.kind.keys(merged), record_id)
        self.report.updated += 1

    def reject(self, row: Row, problems: list[records.Problem]) -> None:
        self.report.rejected += 1
        for name, shown, reason in problems:
            error = RowError(
                row.line, self.header_of(name), shown, reason[:1].upper() + reason[1:] + "."
            )
            self.report.add_error(error)
            if self.on_error:
                self.on_error(error)

    def header_of(self, name: str) -> str:
        for index, field in self.columns:
            if field == name or (name == "name" and field in ("first_name", "last_name")):
                return self.headers[index]
        return self.kind.fields[name].label if name in self.kind.fields else ""

    # --- writing -----------------------------------------------------------------------------

    def write(self) -> None:
        if self.dry_run:
            self.settle_dry_run()
        else:
            self.insert()
            self.update()
        self.pending.clear()
        self.pending_keys.clear()
        self.stored.clear()
        self.changed.clear()
        self.before.clear()

    def settle_dry_run(self) -> None:
        if self.index is not None:
            for position, keys in enumerate(self.pending_keys):
                self.index.settle(-position - 1, keys, 0)

    def insert(self) -> None:
        if not self.pending:
            return
        kind, quote = self.kind, database.quote
        names, marks, varying = [], [], []
        for field in kind.columns:
            names.append(f"{quote[0]}{field.column_name}{quote[1]}")
            same = set(map(operator.itemgetter(field.name), self.pending))
            literal = _literal(next(iter(same))) if len(same) == 1 else None
            marks.append(database.param if literal is None else literal)
            if literal is None:
                varying.append(field.name)
        sql = (
            f"INSERT INTO {quote[0]}{kind.model._meta.table_name}{quote[1]} "
            f"({', '.join(names)}) VALUES ({', '.join(marks)})"
        )
        # The driver's executemany binds rows as they are; peewee's insert_many would build a
        # query node for every value, ten times slower at a hundred thousand rows. A column
        # with one value in the whole batch (most are defaults) is written into the statement:
        # binding a value costs more than storing it.
        database.cursor().executemany(sql, _rows_of(self.pending, varying))
        self.fill_search(self.last_id)
        kind.after_insert(self.last_id)
        if self.index is not None and self.policy == "update":
            self.settle_ids()  # only an update needs to know which id a row was given
        self.last_id = self.max_id()

    def max_id(self) -> int:
        table = self.kind.model._meta.table_name
        return int(database.execute_sql(f"SELECT MAX(id) FROM {table}").fetchone()[0] or 0)

    def settle_ids(self) -> None:
        """Give the rows just written their ids in the index, so a later row can update them."""
        assert self.index is not None
        kind = self.kind
        markers = {}
        for position, record in enumerate(self.pending):
            if self.pending_keys[position] != (None, None):
                markers[tuple(record[f] for f in kind.key_fields)] = position
        if not markers:
            return
        columns = ", ".join(kind.model._meta.fields[f].column_name for f in kind.key_fields)
        written = database.execute_sql(
            f"SELECT id, {columns} FROM {kind.model._meta.table_name} WHERE id > {database.param}",
            (self.last_id,),
        )
        for record_id, *stored in written:
            waiting = markers.get(tuple(stored))
            if waiting is not None:
                self.index.settle(-waiting - 1, self.pending_keys[waiting], record_id)

    def update(self) -> None:
        model = self.kind.model
        for record_id, changes in self.changed.items():
            model.update(changes).where(model.id == record_id).execute()
            self.kind.after_update(record_id, self.before[record_id], changes, self.ctx)


def _rows_of(records: list[dict[str, Any]], fields: list[str]) -> Iterable[tuple[Any, ...]]:
    """The records' values of these fields, as tuples (itemgetter gives one field bare)."""
    if not fields:
        return [()] * len(records)
    values = map(operator.itemgetter(*fields), records)
    return values if len(fields) > 1 else ((value,) for value in values)


def _literal(value: Any) -> str | None:
    """A value as SQL text, for the simple kinds that need no adapting; None for the rest."""
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if type(value) is str and len(value) <= 200 and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None
