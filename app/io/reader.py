"""Reading a CSV/TSV file or an XLSX sheet row by row, never the whole file at once."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from app.errors import UserError
from app.io import sniff

SAMPLE_BYTES = 64 * 1024
SAMPLE_ROWS = 200
# Python's csv refuses a field over 128 KiB; a long note is fine, a runaway one is not.
FIELD_LIMIT = 32 * 2**20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected workbooks


@dataclass(frozen=True)
class Layout:
    """How to read a file; detect_layout() fills in what the user did not choose."""

    path: Path
    format: str  # "csv" (any delimited text) or "xlsx"
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    # The line (CSV) or sheet row (XLSX) that names the columns; 0: there are no names.
    header_row: int = 1


class Row(NamedTuple):
    line: int  # where the row starts: the physical line in a text file, the row in a sheet
    values: list[Any]  # str from text files; str, int, float, datetime, bool or None from sheets
    last_line: int = 0  # where a text row with line breaks inside quotes ends

    @property
    def is_blank(self) -> bool:
        try:
            return not "".join(self.values).strip()  # a text row: one call instead of a loop
        except TypeError:
            return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values)


@dataclass
class Table:
    """An open file: its column names and its rows after them, read as they are asked for."""

    layout: Layout
    headers: list[str]
    rows: Iterator[Row]
    estimated_rows: int = 0  # for progress: a guess from the file's size, 0 when unknown


def detect_layout(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Layout:
    """Look at the start of the file and fill in what was not given: the format, the encoding,
    the delimiter, the sheet and the header row."""
    head = _head(path)
    if head.startswith(OLE_MAGIC):
        raise UserError(
            f"{path.name} is an old Excel file (.xls) or a password-protected workbook. Open it "
            "in your spreadsheet program and save it as .xlsx or CSV without a password."
        )
    if head.startswith(ZIP_MAGIC):
        return _detect_xlsx(path, sheet, header_row)
    return _detect_csv(path, head, encoding, delimiter, header_row)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except FileNotFoundError:
        raise UserError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a file.") from None
    except OSError as exc:
        raise UserError(f"Tandem cannot read {path}: {exc.strerror or exc}.") from None
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UserError(f"{path.name} is empty: there is nothing to import.")
    return head


def _detect_csv(
    path: Path, head: bytes, encoding: str | None, delimiter: str | None, header_row: int | None
) -> Layout:
    complete = len(head) < SAMPLE_BYTES
    chosen = (
        sniff.check_encoding(encoding)
        if encoding
        else sniff.detect_encoding(head, complete=complete)
    )
    # The sample may end inside a character: an incremental decoder holds the partial bytes back.
    text = codecs.getincrementaldecoder(chosen)(errors="replace").decode(head, final=complete)
    if not sniff.has_bom(head):  # a byte-order mark declares Unicode text: junk has none
        sniff.check_text(text)
    sep = (
        sniff.parse_delimiter(delimiter)
        if delimiter
        else sniff.detect_delimiter(text, complete=complete)
    )
    layout = Layout(path, "csv", encoding=chosen, delimiter=sep)
    if header_row is not None:
        return replace(layout, header_row=_check_header_row(header_row))
    records = list(
        itertools.islice(
            _csv_rows(io.StringIO(text, newline=""), sep, layout, complete=complete), 50
        )
    )
    if not records:
        return layout
    index = sniff.detect_header_row([r.values for r in records])
    return replace(layout, header_row=records[index].line)


def _check_header_row(header_row: int) -> int:
    if header_row < 0:
        raise UserError("The header row is a line number: 1 or more, or 0 for no header.")
    return header_row


def _detect_xlsx(path: Path, sheet: str | None, header_row: int | None) -> Layout:
    with _workbook(path) as book:
        names = tuple(ws.title for ws in book.worksheets)
        if not names:
            raise UserError(f"{path.name} has no sheets with a table in them.")
        chosen = _pick_sheet(path, names, sheet)
        layout = Layout(path, "xlsx", sheet=chosen, sheets=names)
        if header_row is not None:
            return replace(layout, header_row=_check_header_row(header_row))
        records = list(itertools.islice(_sheet_rows(book[chosen]), 50))
    if not records:
        raise UserError(
            f"The sheet '{chosen}' in {path.name} is empty: there is nothing to import."
        )
    index = sniff.detect_header_row([r.values for r in records])
    return replace(layout, header_row=records[index].line)


def _pick_sheet(path: Path, names: tuple[str, ...], sheet: str | None) -> str:
    if not sheet:
        return names[0]
    for name in names:
        if name == sheet:
            return name
    for name in names:
        if name.casefold() == sheet.strip().casefold():
            return name
    raise UserError(
        f"{path.name} has no sheet called '{sheet}'; its sheets are: {', '.join(names)}."
    )


@contextlib.contextmanager
def _workbook(path: Path) -> Iterator[Any]:
    import openpyxl  # loaded on first use: it costs start-up time

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise UserError(
            f"{path.name} is not a workbook Tandem can read (it may be damaged): {exc}."
        ) from None
    except Exception as exc:  # openpyxl raises its own kinds for a zip that is not a workbook
        if type(exc).__module__.startswith("openpyxl"):
            raise UserError(f"{path.name} is not an Excel workbook Tandem can read.") from None
        raise
    try:
        yield book
    finally:
        book.close()


def sheet_names(path: Path) -> list[str]:
    """The worksheets of a workbook, for the user to pick one."""
    with _workbook(path) as book:
        return [ws.title for ws in book.worksheets]


@contextlib.contextmanager
def open_table(layout: Layout) -> Iterator[Table]:
    """Open the file for reading; the rows come one at a time from the file as they are used."""
    if layout.format == "xlsx":
        with _workbook(layout.path) as book:
            if layout.sheet not in book.sheetnames:
                raise UserError(f"{layout.path.name} has no sheet called '{layout.sheet}'.")
            sheet = book[layout.sheet]
            estimate = max(0, (sheet.max_row or 0) - max(layout.header_row, 0))
            yield _table(_sheet_rows(sheet), layout, estimate)
        return
    try:
        handle = layout.path.open(encoding=layout.encoding, newline="", errors="strict")
    except OSError as exc:
        raise UserError(f"Tandem cannot read {layout.path}: {exc.strerror or exc}.") from None
    with handle:
        estimate = max(0, _count_lines(layout.path) - max(layout.header_row, 1))
        yield _table(_csv_rows(handle, layout.delimiter, layout, complete=True), layout, estimate)


def _table(rows: Iterator[Row], layout: Layout, estimate: int) -> Table:
    if layout.header_row == 0:
        first = next(rows, None)
        if first is None:
            raise UserError(f"{layout.path.name} has no rows to import.")
        headers = [f"Column {n}" for n in range(1, _width(first.values) + 1)]
        return Table(layout, headers, itertools.chain([first], rows), estimate + 1)
    for row in rows:
        if row.last_line >= layout.header_row:
            if row.is_blank:
                raise UserError(
                    f"Line {layout.header_row} of {layout.path.name} is empty; choose the row "
                    "with the column names."
                )
            return Table(layout, _headers(row.values), rows, estimate)
    raise UserError(
        f"{layout.path.name} has no line {layout.header_row} to take column names from."
    )


def _width(values: list[Any]) -> int:
    width = len(values)
    while width and (values[width - 1] is None or values[width - 1] == ""):
        width -= 1
    return width


def _headers(values: list[Any]) -> list[str]:
    names = [("" if v is None else str(v)).strip().lstrip("\ufeff").strip() for v in values]
    names = names[: _width(names)]
    return [name or f"Column {n}" for n, name in enumerate(names, start=1)]


def preview(layout: Layout, rows: int = 20) -> tuple[list[str], list[Row]]:
    """The column names and the first rows, for the user to check what was detected."""
    with open_table(layout) as table:
        return table.headers, list(itertools.islice(table.rows, rows))


def sample(layout: Layout, rows: int = SAMPLE_ROWS) -> tuple[list[str], list[Row]]:
    """The column names and enough rows to guess the formats of dates and numbers from."""
    return preview(layout, rows)


def _count_lines(path: Path) -> int:
    """Line breaks in the file: a fast guess at its rows (quoted line breaks count too)."""
    count = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (1 if last and last != b"\n" else 0)


def _csv_rows(
    handle: TextIO | Iterable[str], delimiter: str, layout: Layout, *, complete: bool
) -> Iterator[Row]:
    """Rows of a delimited text file with the lines they start and end on. A quote that is never
    closed, a zero byte or a runaway field stops the whole import with the line it is on."""
    csv.field_size_limit(FIELD_LIMIT)  # process-wide: the 128 KiB default cuts long notes
    reader = csv.reader(handle, delimiter=delimiter)
    start = last_start = 1
    try:
        for values in reader:
            end = reader.line_num
            yield Row(start, values, end)
            last_start, start = start, end + 1
    except csv.Error as exc:
        raise UserError(_csv_problem(str(exc), start, layout)) from None
    except UnicodeDecodeError:
        raise UserError(
            f"Near line {reader.line_num + 1}, {layout.path.name} is not {layout.encoding} text. "
            "Choose the file's encoding (for example windows-1252) and try again."
        ) from None
    if complete and reader.line_num > last_start:
        # The last row runs over several lines: perhaps only because a quote is never closed.
        _refuse_unclosed_quote(layout, delimiter, last_start)


def _refuse_unclosed_quote(layout: Layout, delimiter: str, line: int) -> None:
    """Read the last row again, strictly: a quote still open at the end of the file means the
    row swallowed every line after it. Only that row is parsed (the lines before are skipped)."""
    with layout.path.open(encoding=layout.encoding, newline="") as handle:
        rest = itertools.islice(handle, line - 1, None)
        try:
            for _row in csv.reader(rest, delimiter=delimiter, strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise UserError(
                    f'A quote (") opened on line {line} of {layout.path.name} is never closed, '
                    "so everything after it would be read as one value. Fix that line and try "
                    "again."
                ) from None


def _csv_problem(message: str, line: int, layout: Layout) -> str:
    name = layout.path.name
    if "field larger than field limit" in message:
        return (
            f"Line {line} of {name} holds a value longer than {FIELD_LIMIT // 2**20} million "
            "characters, which Tandem does not read; a quote that is never closed can cause this."
        )
    return f"Line {line} of {name} cannot be read: {message}."


def _sheet_rows(sheet: Any) -> Iterator[Row]:
    number = 0
    for cells in sheet.iter_rows():
        number += 1
        for cell in cells:
            row = getattr(cell, "row", None)  # empty cells do not know their row
            if row:
                number = row
                break
        yield Row(number, [cell.value for cell in cells], number)
