"""Dialogs of the pipeline: a deal's figures to look at and edit, and confirming a win."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.models import OPEN_DEAL_STAGES
from app.pipeline import Card
from ui.lead_dialogs import FormDialog
from ui.pipeline_board import STAGE_TITLES, money

NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown as "No date"


def parse_amount(text: str) -> Decimal | None:
    """An amount as people type it (2500, 2,500.50, 2 500); None when it is not one."""
    cleaned = text.strip().replace(" ", "").replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _plain_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names print literally
    label.setWordWrap(True)
    return label


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A row label whose &-key jumps to a widget inside a row layout."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class DealDialog(FormDialog):
    """One deal: title, value, probability and expected close, editable while it is open."""

    def __init__(self, card: Card, parent: QWidget | None = None) -> None:
        super().__init__(card.title, "&Save", parent)
        self.card = card
        self.editable = card.stage in OPEN_DEAL_STAGES
        self.title = QLineEdit(card.title)
        self.title.setMaxLength(200)
        self.title.setCursorPosition(0)  # a long title shows its start
        self.value = QLineEdit(f"{card.value:f}")
        self.value.setPlaceholderText("e.g. 2500")
        value_row = QHBoxLayout()
        value_row.addWidget(self.value, 1)
        value_row.addWidget(QLabel(card.currency))
        self.probability = QSpinBox()
        self.probability.setRange(0, 100)
        self.probability.setSuffix(" %")
        self.probability.setValue(card.probability)
        self.expected_close = QDateEdit()
        self.expected_close.setCalendarPopup(True)
        self.expected_close.setDisplayFormat("d MMM yyyy")
        self.expected_close.setMinimumDate(NO_DATE)
        self.expected_close.setSpecialValueText("No date")
        close = card.expected_close
        self.expected_close.setDate(QDate(close.year, close.month, close.day) if close else NO_DATE)
        self.clear_date = QPushButton("No &date")
        self.clear_date.clicked.connect(self._on_clear_date_clicked)
        date_row = QHBoxLayout()
        date_row.addWidget(self.expected_close, 1)
        date_row.addWidget(self.clear_date)
        self.form.addRow("&Title", self.title)
        self.form.addRow(_buddy("&Value", self.value), value_row)
        self.form.addRow("&Probability", self.probability)
        self.form.addRow(_buddy("&Expected close", self.expected_close), date_row)
        self.form.addRow("Customer", _plain_label(card.customer or "—"))
        self.form.addRow("Owner", _plain_label(card.owner or "—"))
        days = f"{card.days_in_stage} day{'s' if card.days_in_stage != 1 else ''}"
        self.form.addRow("Stage", _plain_label(f"{STAGE_TITLES[card.stage]}, for {days}"))
        for widget in (self.title, self.value, self.probability, self.expected_close):
            widget.setEnabled(self.editable)
        self.clear_date.setEnabled(self.editable)
        self.title.textChanged.connect(self.check)
        self.value.textChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        if not self.editable:
            return f"This deal is {self.card.stage}: it keeps the figures it closed with."
        if not self.title.text().strip():
            return "Give the deal a title."
        if parse_amount(self.value.text()) is None:
            return "Type the deal's value as a number, for example 2500 or 2500.50."
        return ""

    def _on_clear_date_clicked(self) -> None:
        self.expected_close.setDate(NO_DATE)

    def chosen_close(self) -> dt.date | None:
        picked = self.expected_close.date()
        if picked == NO_DATE:
            return None
        return dt.date(picked.year(), picked.month(), picked.day())

    def values(self) -> dict[str, object]:
        return {
            "title": self.title.text(),
            "value": parse_amount(self.value.text()),
            "probability": self.probability.value(),
            "expected_close": self.chosen_close(),
        }


class WinDialog(FormDialog):
    """Winning closes a deal for good (it counts as revenue), so it is confirmed first."""

    def __init__(self, card: Card, parent: QWidget | None = None) -> None:
        super().__init__(f"Won: {card.title}", "Mark as &won", parent)
        customer = f" with {card.customer}" if card.customer else ""
        words = _plain_label(
            f"Mark “{card.title}”{customer} as won, for {money(card.value, card.currency)}? "
            "It leaves the board and counts as revenue won today."
        )
        self.form.addRow(words)
        self.check()
