"""Showing problems: a calm message for what a user can act on, a crash dialog for bugs."""

from __future__ import annotations

import html
import platform
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.errors import explain


class CrashDialog(QDialog):
    """Says something went wrong inside Tandem, with details to copy into a bug report."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tandem ran into a problem")
        self.setMinimumWidth(560)
        intro = QLabel(
            "<b>Something went wrong inside Tandem.</b><br>What you saved before is safe: every "
            "change is saved whole or not at all. Please copy the details below and send them "
            "to whoever looks after Tandem for you."
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setObjectName("crashDetails")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details)
        layout.addWidget(buttons)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Copied")


def crash_details(exc: BaseException) -> str:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (
        f"Tandem {__version__}, Python {platform.python_version()}, Qt {qVersion()}, "
        f"{platform.platform()}\n\n{trace}"
    )


def show_problem(parent: QWidget | None, exc: BaseException, title: str = "Tandem") -> None:
    """The one way screens report a failure: a sentence if it is expected, else the crash dialog."""
    reason = explain(exc)
    if reason is not None:
        QMessageBox.warning(parent, title, reason)
    else:
        CrashDialog(crash_details(exc), parent).exec()


def install_excepthook() -> None:
    """An exception nobody caught (a bug) shows the crash dialog instead of vanishing."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        sys.__excepthook__(kind, exc, tb)
        if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
            window = QApplication.activeWindow()
            show_problem(window, exc.with_traceback(tb))

    sys.excepthook = hook


def plain(text: str) -> str:
    """User text shown in a rich-text label must print literally, never as markup."""
    return html.escape(text)
