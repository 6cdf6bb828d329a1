"""Starting the window: Qt set-up, the database opened before any window exists, then welcome."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__, paths, preferences, team
from app.clock import Clock, SystemClock
from app.db import Store
from ui.errors import install_excepthook
from ui.jobs import wait_for_all
from ui.main_window import MainWindow
from ui.opening import open_interactively
from ui.welcome import WelcomeDialog

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Tandem")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Tandem")
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "tandem.svg")))
    app.setStyleSheet((RESOURCES / "style.qss").read_text(encoding="utf-8"))
    return app


def start(target: str | None, clock: Clock) -> MainWindow | None:
    """Open the database (the last one used, else the default file) and the window over it;
    None if the user gave up (a locked file, say, or closing the welcome screen)."""
    chosen = target or preferences.last_database() or str(paths.default_database())
    # The window checks the file in the background once it shows (seconds on a large file).
    store: Store | None = open_interactively(None, chosen, clock, quick_check_now=False)
    if store is None:
        return None
    if not team.is_onboarded() and WelcomeDialog(clock).exec() != WelcomeDialog.DialogCode.Accepted:
        store.close()
        return None
    return MainWindow(store, clock)


def run(target: str | None) -> int:
    app = make_application()
    install_excepthook()
    window = start(target, SystemClock())
    if window is None:
        return 1
    window.show()
    # Ctrl+C in the terminal should still end Tandem: let Python see signals now and then.
    heartbeat = QTimer()
    heartbeat.start(500)
    heartbeat.timeout.connect(lambda: None)
    code = app.exec()
    wait_for_all()  # no thread may outlive the window (Qt would abort)
    return code
