"""What an import did or would do: the counts, and each rejected row with line, column, reason."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.io import formula
from app.io.output import replaced_on_success

SHOWN_ERRORS = 1000  # kept in memory for the screen; all of them go to on_error
ERROR_COLUMNS = ("Line", "Column", "Value", "Reason")


@dataclass(frozen=True)
class RowError:
    """One reason a row was rejected; a row with two bad cells has two."""

    line: int  # the line in the file (sheet row in a workbook) where the row starts
    column: str  # the column's header, empty for a problem with the whole row
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """The counts of one import (in a dry run: what would happen) and its first row errors."""

    kind: str
    file: str
    dry_run: bool
    on_duplicate: str
    read: int = 0  # data rows, blank lines not counted
    imported: int = 0
    updated: int = 0
    skipped: int = 0  # duplicates skipped, and duplicates that had nothing new to update
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    campaigns_created: list[str] = field(default_factory=list)
    kept: bool = False  # the changes are in the database
    all_or_nothing: bool = False
    backup: Path | None = None

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(error)

    @property
    def rolled_back(self) -> bool:
        """Good rows were held back because the user chose all or nothing."""
        return self.all_or_nothing and self.rejected > 0

    @property
    def nothing_imported(self) -> bool:
        return self.rolled_back or (self.rejected > 0 and self.imported + self.updated == 0)

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        rows = "row" if self.read == 1 else "rows"
        text = (
            f"Read {self.read:,} {rows}: {self.imported:,} {verb}imported, "
            f"{self.updated:,} {verb}updated, {self.skipped:,} {verb}skipped as duplicates, "
            f"{self.rejected:,} rejected."
        )
        created = len(self.campaigns_created)
        if created:
            campaigns = "1 new campaign" if created == 1 else f"{created:,} new campaigns"
            was = "was" if created == 1 else "were"
            text += f" {campaigns} {'would be' if self.dry_run else was} created."
        if self.dry_run:
            return f"Dry run, nothing was changed. {text}"
        if self.rolled_back:
            return (
                f"Nothing was imported: {self.rejected:,} of {self.read:,} {rows} have problems "
                "and you chose all or nothing. Fix them and import again."
            )
        return text


@contextlib.contextmanager
def errors_csv(path: Path) -> Iterator[Callable[[RowError], None]]:
    """A writer of row errors to a CSV file (UTF-8 with BOM, cells escaped like an export). The
    file appears only if the block ends without an error and holds at least one row error; a
    stale one left by an earlier import of the same file is removed then."""
    written = 0
    with replaced_on_success(path) as partial:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(ERROR_COLUMNS)

            def write(error: RowError) -> None:
                nonlocal written
                written += 1
                cells = (str(error.line), error.column, error.value, error.reason)
                writer.writerow([formula.escape(cell) for cell in cells])

            yield write
        if not written:
            partial.unlink()  # tells replaced_on_success there is nothing to keep


def save_errors(errors: Iterable[RowError], path: Path) -> None:
    """Write row errors already in hand (an ImportReport's errors) to a CSV file."""
    with errors_csv(path) as write:
        for error in errors:
            write(error)
