"""Settings: the company profile, saved only when it is complete and sound."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import company, team
from app.clock import Clock
from app.errors import UserError
from ui.company_form import CompanyForm
from ui.errors import show_problem


class SettingsPage(QWidget):
    """Built on first visit (its country and time-zone lists cost start-up time).

    Signals: saved() after the profile was stored."""

    saved = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._stored = company.CompanyProfile()
        title = QLabel("Settings — company profile")
        title.setObjectName("pageTitle")
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(title)
        self._layout.addStretch()
        self.form: CompanyForm | None = None

    def _build(self) -> None:
        self.form = CompanyForm()
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton("Re&vert")
        self.status = QLabel()
        self.status.setObjectName("savedNote")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status)
        buttons.addStretch()
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        body = QWidget()
        body.setMaximumWidth(720)  # a form stretched across a wide screen is hard to read
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addLayout(buttons)
        self._layout.insertWidget(1, body)
        self.form.changed.connect(self._on_form_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.revert_button.clicked.connect(self.refresh)

    def refresh(self) -> None:
        if self.form is None:
            self._build()
        assert self.form is not None
        self._stored = company.load()
        self.form.set_profile(self._stored)
        self.status.clear()
        self._on_form_changed()

    def _on_form_changed(self) -> None:
        assert self.form is not None
        dirty = self.form.profile() != self._stored
        self.save_button.setEnabled(dirty and self.form.is_valid())
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.status.clear()

    def _on_save_button_clicked(self) -> None:
        assert self.form is not None
        try:
            company.save(self.form.profile(), by=team.current_member(), clock=self.clock)
        except UserError as exc:
            show_problem(self, exc, "Cannot save the profile")
            return
        self._stored = self.form.profile()
        self._on_form_changed()
        self.status.setText("Saved.")
        self.saved.emit()
