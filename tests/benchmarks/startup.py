"""One timed start-up, run in a fresh process: Tandem's main window, or a bare PySide6 window.

Prints the seconds from interpreter start to the window's first paint."""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()  # as close to process start as Python allows


def _report_first_paint(window: object) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"{time.perf_counter() - STARTED:.4f}", flush=True)
                QTimer.singleShot(0, watched.close)  # as a user would: jobs finish first
                watched.removeEventFilter(self)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    QApplication.instance().exec()  # type: ignore[union-attr]


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)
    _report_first_paint(window)


def tandem(database: str) -> None:
    from app.clock import SystemClock
    from ui.application import make_application, start

    make_application()
    window = start(database, SystemClock())
    if window is None:
        sys.exit("could not open the database")
    _report_first_paint(window)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        tandem(sys.argv[2])
