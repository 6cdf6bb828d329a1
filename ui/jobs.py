"""Long work off the GUI thread, with progress and cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.models import database

Progress = Callable[[int, int], None]


class Cancelled(Exception):  # noqa: N818 - the user's word, not an error
    """The user pressed Cancel; the work's transaction rolls back."""


class Job(QThread):
    """Runs work(progress) in its own thread with its own database connection.

    Signals: progressed(done, total), succeeded(result), failed(exception).
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any], parent: QWidget | None = None) -> None:
        # Never the child of a widget: a page closed while its job runs would destroy a running
        # thread, which makes Qt abort the whole program. The job keeps itself alive instead
        # (_running) until it has finished; parent is accepted for callers' readability only.
        super().__init__(None)
        self._work = work
        self._cancelled = False
        self.finished.connect(self._on_finished)

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        _running.add(self)
        super().start(priority)

    def _on_finished(self) -> None:
        _running.discard(self)

    def cancel(self) -> None:
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled:
            raise Cancelled
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as exc:  # handed to the GUI thread, which shows it
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            if not database.is_closed():
                database.close()  # this thread's connection only


_running: set[Job] = set()


def wait_for_all() -> None:
    """Let every job still running finish (before the program or a test ends)."""
    for job in list(_running):
        job.wait()


def run_with_progress(
    parent: QWidget | None, title: str, label: str, work: Callable[[Progress], Any]
) -> Any:
    """Run work in a Job behind a modal progress dialog; return its result, or raise its error
    (Cancelled if the user cancelled)."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(work, parent)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(min(done, total))

    job.progressed.connect(on_progress)
    job.succeeded.connect(lambda result: outcome.update(result=result))
    job.failed.connect(lambda exc: outcome.update(error=exc))
    job.finished.connect(loop.quit)
    dialog.canceled.connect(job.cancel)
    job.start()
    loop.exec()
    job.wait()
    dialog.close()
    job.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
