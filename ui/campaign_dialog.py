"""The campaign form (new and edit) and the spend entry form, checked as the user types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app import campaigns, team
from app.campaigns import REACH_WORDS
from app.models import CHANNEL_WORDS, Campaign, Member
from ui.lead_dialogs import FormDialog

MOST_REACH = 2_000_000_000  # a spin box holds up to 2³¹; no small business reaches more


def _amount_hint(text: str, currency: str) -> str:
    """How the typed amount was read, so "2.500" never silently means 2.5 or 2500 unnoticed."""
    amount = campaigns.parse_amount(text)
    if amount is None or not text.strip() or not amount.is_finite():
        return ""
    return f"Reads as {amount:,.2f} {currency}"


class _AmountForm(FormDialog):
    """A form with an amount of money, which says back how it read what was typed."""

    def _show_hint(self, hint: QLabel, text: str) -> None:
        hint.setText(text)
        self.form.setRowVisible(hint, bool(text))


class CampaignDialog(_AmountForm):
    """A new campaign, or changes to one: everything but its status and spend (own steps)."""

    def __init__(
        self,
        currency: str,
        today: dt.date,
        campaign: Campaign | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Edit {campaign.name}" if campaign else "New campaign"
        super().__init__(title, "&Save" if campaign else "&Add campaign", parent)
        self.setMinimumWidth(520)
        self.currency = currency
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.channel = QComboBox()
        for key, words in CHANNEL_WORDS.items():
            self.channel.addItem(words, key)
        self.owner = QComboBox()
        self.owner.addItem("Nobody in particular", None)
        for member in team.members():
            self.owner.addItem(f"{member.name} ({member.role})", member.id)
        self.objective = QPlainTextEdit()
        self.objective.setFixedHeight(60)
        self.objective.setTabChangesFocus(True)
        self.objective.setPlaceholderText("What should it achieve? e.g. 40 enquiries for lawn care")
        self.audience = QLineEdit()
        self.audience.setPlaceholderText("Who should it reach?")
        self.starts_on = date_edit(today)
        self.has_end = QCheckBox("&Ends on")
        self.has_end.setChecked(True)
        self.ends_on = date_edit(today + dt.timedelta(days=30))
        self.budget = QLineEdit()
        self.budget.setPlaceholderText("e.g. 2500")
        self.budget_hint = QLabel()
        self.budget_hint.setObjectName("promise")
        self.reach = {key: self._reach_box() for key in REACH_WORDS}
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Channel", self.channel)
        self.form.addRow("O&wner", self.owner)
        self.form.addRow("&Objective", self.objective)
        self.form.addRow("A&udience", self.audience)
        self.form.addRow("&Starts on", self.starts_on)
        self.form.addRow(self.has_end, self.ends_on)
        self.form.addRow(f"Planned &budget ({currency})", self.budget)
        self.form.addRow("", self.budget_hint)
        for key, box in self.reach.items():
            self.form.addRow(REACH_WORDS[key], box)
        self._kept_owner = campaign.owner.id if campaign and campaign.owner else None
        if campaign is not None:
            self._fill(campaign)
        self.name.textChanged.connect(self.check)
        self.budget.textChanged.connect(self.check)
        self.channel.currentIndexChanged.connect(self.check)
        self.starts_on.dateChanged.connect(self.check)
        self.ends_on.dateChanged.connect(self.check)
        self.has_end.toggled.connect(self.check)
        self.check()

    @staticmethod
    def _reach_box() -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, MOST_REACH)
        box.setGroupSeparatorShown(True)
        return box

    def _fill(self, campaign: Campaign) -> None:
        self.name.setText(campaign.name)
        self.channel.setCurrentIndex(max(0, self.channel.findData(campaign.channel)))
        owner = campaign.owner
        if owner is not None and self.owner.findData(owner.id) < 0:
            # Someone who has left still owns it; keep them rather than change it silently.
            self.owner.addItem(f"{owner.name} (has left)", owner.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(self._kept_owner)))
        self.objective.setPlainText(campaign.objective)
        self.audience.setText(campaign.audience)
        self.audience.setCursorPosition(0)  # a long audience reads from its beginning
        self.starts_on.setDate(_qdate(campaign.starts_on))
        self.has_end.setChecked(campaign.ends_on is not None)
        if campaign.ends_on is not None:
            self.ends_on.setDate(_qdate(campaign.ends_on))
        self.budget.setText(f"{campaign.planned_budget:.2f}".removesuffix(".00"))
        for key, box in self.reach.items():
            box.setValue(min(getattr(campaign, key), MOST_REACH))

    def problem_text(self) -> str:
        self.ends_on.setEnabled(self.has_end.isChecked())
        self._show_hint(self.budget_hint, _amount_hint(self.budget.text(), self.currency))
        return campaigns.problem(self.values(), kept_owner=self._kept_owner)

    def values(self) -> dict[str, Any]:
        """The form as campaigns.add_campaign and update_campaign take it."""
        owner_id = self.owner.currentData()
        return {
            "name": self.name.text(),
            "channel": self.channel.currentData(),
            "owner": Member.get_by_id(owner_id) if owner_id else None,
            "objective": self.objective.toPlainText(),
            "audience": self.audience.text(),
            "starts_on": self.starts_on.date().toPython(),
            "ends_on": self.ends_on.date().toPython() if self.has_end.isChecked() else None,
            "planned_budget": self.budget.text().strip() or "0",
            **{key: box.value() for key, box in self.reach.items()},
        }


class SpendDialog(_AmountForm):
    """One amount spent on a campaign: how much, on which day, and what for."""

    def __init__(
        self, campaign_name: str, currency: str, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(f"Record spend on {campaign_name}", "&Record", parent)
        self.currency = currency
        self.today = today
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 480 or 480.50")
        self.amount_hint = QLabel()
        self.amount_hint.setObjectName("promise")
        self.spent_on = date_edit(today)
        self.spent_on.setMaximumDate(_qdate(today))
        self.note = QLineEdit()
        self.note.setMaxLength(campaigns.NOTE_LENGTH)
        self.note.setPlaceholderText("e.g. Invoice 2026-114, stand rental")
        self.form.addRow(f"&Amount ({currency})", self.amount)
        self.form.addRow("", self.amount_hint)
        self.form.addRow("Spent &on", self.spent_on)
        self.form.addRow("&Note", self.note)
        self.amount.textChanged.connect(self.check)
        self.spent_on.dateChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        self._show_hint(self.amount_hint, _amount_hint(self.amount.text(), self.currency))
        return campaigns.spend_problem(**self.values(), today=self.today)

    def values(self) -> dict[str, Any]:
        return {
            "amount": self.amount.text().strip(),
            "spent_on": self.spent_on.date().toPython(),
            "note": self.note.text(),
        }


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit
