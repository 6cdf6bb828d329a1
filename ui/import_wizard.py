"""The import wizard: choose a file, check how it reads, match its columns, try it, import it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget, QWizard

from app import team
from app.clock import Clock
from app.io import mapping, reader
from app.io.importer import ImportOptions, import_file
from app.io.mapping import Mapping
from app.io.reader import Layout, Row
from app.io.report import ImportReport, errors_csv
from app.io.values import Formats
from ui.import_pages import (
    CheckPage,
    ColumnsPage,
    DonePage,
    FilePage,
    ImportOutcome,
    OptionsPage,
    ReadingPage,
)
from ui.jobs import Job, Progress

FILE_PAGE, READING_PAGE, COLUMNS_PAGE, OPTIONS_PAGE, CHECK_PAGE, DONE_PAGE = range(6)


class ImportWizard(QWizard):
    """Brings a CSV, text or XLSX file into leads, campaigns or deals. Nothing is written before
    the user presses Import on the dry-run page; cancelling the import leaves the database as it
    was (the import is one transaction). After exec(), `imported` holds the ImportReport of the
    import that ran (it may have imported nothing), or None if none ran.

    Signals: import_started() once the import proper runs, its progress dialog being
    `progress_dialog` (whoever watches may cancel it)."""

    import_started = Signal()

    def __init__(self, kind: str, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = mapping.check_kind(kind)
        self.clock = clock
        self.file_layout: Layout | None = None
        self.headers: list[str] = []
        self.sample_rows: list[Row] = []  # the preview's rows, for examples on the columns page
        self.mapping: Mapping = {}
        self.formats = Formats()
        self.imported: ImportReport | None = None
        self.progress_dialog: QProgressDialog | None = None
        # Every row error goes to a file here as it is found: the screen keeps only the first.
        self._scratch = tempfile.TemporaryDirectory(prefix="tandem-import-")
        self._runs = 0
        self._import_outcome: dict[str, Any] = {}

        self.setWindowTitle(f"Import {kind}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Close")
        self.setMinimumSize(780, 600)
        self.setStyleSheet("QLabel#hint { color: #5b6b76; }")

        self.file_page = FilePage(kind)
        self.reading_page = ReadingPage()
        self.columns_page = ColumnsPage()
        self.options_page = OptionsPage()
        self.check_page = CheckPage()
        self.done_page = DonePage()
        for number, page in enumerate(
            (
                self.file_page,
                self.reading_page,
                self.columns_page,
                self.options_page,
                self.check_page,
                self.done_page,
            )
        ):
            self.setPage(number, page)

    # What the pages share -------------------------------------------------------------------

    def open_file(self, path: Path, kind: str) -> None:
        """Detect how the file is written; a UserError says why it cannot be imported."""
        layout = reader.detect_layout(path)
        self.kind = mapping.check_kind(kind)
        self.file_layout = layout
        self.setWindowTitle(f"Import {kind} from {path.name}")

    def import_options(self, *, dry_run: bool) -> ImportOptions:
        page = self.options_page
        return ImportOptions(
            kind=self.kind,
            mapping=dict(self.mapping),
            formats=self.formats,
            on_duplicate=page.on_duplicate(),
            all_or_nothing=page.all_or_nothing(),
            create_campaigns=page.create_campaigns(),
            dry_run=dry_run,
        )

    def work(self, options: ImportOptions) -> Callable[[Progress], ImportOutcome]:
        """The import (or dry run) as a job's work: it runs in the job's thread, and writes every
        row error to a CSV file in the scratch folder as it goes."""
        layout, clock = self.file_layout, self.clock
        assert layout is not None
        by = team.current_member()
        self._runs += 1
        errors_file = Path(self._scratch.name) / f"errors-{self._runs}.csv"

        def run(progress: Progress) -> ImportOutcome:
            with errors_csv(errors_file) as write:
                report = import_file(
                    layout, options, by=by, clock=clock, progress=progress, on_error=write
                )
            return ImportOutcome(report, errors_file if errors_file.exists() else None)

        return run

    def run_import(self) -> ImportOutcome:
        """The import proper behind a progress dialog with Cancel; the window stays responsive.
        Raises Cancelled if the user cancelled, or whatever stopped the import."""
        assert self.file_layout is not None
        dialog = QProgressDialog(f"Importing {self.file_layout.path.name}…", "Cancel", 0, 0, self)
        dialog.setWindowTitle(self.windowTitle())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        job = Job(self.work(self.import_options(dry_run=False)), self)
        self._import_outcome = {}
        loop = QEventLoop()
        job.progressed.connect(self._on_import_progressed)
        job.succeeded.connect(self._on_import_succeeded)
        job.failed.connect(self._on_import_failed)
        job.finished.connect(loop.quit)
        dialog.canceled.connect(job.cancel)
        dialog.canceled.connect(self._on_progress_dialog_canceled)
        self.progress_dialog = dialog
        try:
            self.import_started.emit()
            job.start()
            loop.exec()
            job.wait()
        finally:
            self.progress_dialog = None
            dialog.close()
            dialog.deleteLater()
            job.deleteLater()
        if "error" in self._import_outcome:
            raise self._import_outcome["error"]
        outcome: ImportOutcome = self._import_outcome["result"]
        self.imported = outcome.report
        return outcome

    def _on_import_progressed(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None or dialog.wasCanceled():
            return
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))
        dialog.setLabelText(f"Importing: {done:,} of about {total:,} rows read…")

    def _on_import_succeeded(self, outcome: ImportOutcome) -> None:
        self._import_outcome["result"] = outcome

    def _on_import_failed(self, exc: BaseException) -> None:
        self._import_outcome["error"] = exc

    def _on_progress_dialog_canceled(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText("Stopping the import and undoing it…")

    # Qt overrides ----------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self.check_page.stop()  # a dry run still reading must end before the wizard goes
        super().done(result)
        self._scratch.cleanup()
