"""Small dialogs for the steps of a lead's life: each asks only what that step needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import team
from app.leads import find_duplicates
from app.models import ACTIVITY_KINDS, LEAD_SOURCES, Campaign, Lead, Member, Reason
from app.team import EMAIL


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(initial: dt.date, minimum: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if minimum:
        edit.setMinimumDate(QDate(minimum.year, minimum.month, minimum.day))
    return edit


class FormDialog(QDialog):
    """A titled form with OK/Cancel; OK is enabled only while the form is sound."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def check(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)

    def problem_text(self) -> str:
        return ""


class HandOverDialog(FormDialog):
    def __init__(self, lead_name: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Hand over {lead_name}", "Hand &over", parent)
        self.member = QComboBox()
        for person in team.members("sales") + team.members("owner"):
            self.member.addItem(f"{person.name} ({person.role})", person.id)
        self.form.addRow("To &salesperson", self.member)
        self.check()

    def problem_text(self) -> str:
        return "" if self.member.count() else "Add someone in sales on the Team page first."

    def chosen(self) -> Member:
        return Member.get_by_id(self.member.currentData())


class ReasonDialog(FormDialog):
    """Rejecting, disqualifying or losing: a reason from the team's list, and a note."""

    def __init__(self, kind: str, title: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(title, ok_text, parent)
        self.reason = QComboBox()
        self.reason.addItem("Pick a reason…", None)
        for reason in team.reasons(kind):
            self.reason.addItem(reason.label, reason.id)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Anything marketing should know (optional)")
        self.form.addRow("&Reason", self.reason)
        self.form.addRow("&Note", self.note)
        self.reason.currentIndexChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        return "" if self.reason.currentData() else "Pick a reason; marketing learns from it."

    def chosen(self) -> tuple[Reason, str]:
        return Reason.get_by_id(self.reason.currentData()), self.note.text()


class PauseDialog(FormDialog):
    def __init__(self, lead_name: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(f"Pause {lead_name}", "&Pause", parent)
        tomorrow = today + dt.timedelta(days=1)
        self.until = _date_edit(today + dt.timedelta(days=7), minimum=tomorrow)
        hint = QLabel("The customer asked to be called back then; the SLA clocks stop until then.")
        hint.setWordWrap(True)
        self.form.addRow("Call back &on", self.until)
        self.form.addRow(hint)
        self.check()

    def chosen(self) -> dt.date:
        return _to_date(self.until.date())


class ConvertDialog(FormDialog):
    def __init__(self, lead: Lead, currency: str, today: dt.date, parent: QWidget | None = None):
        super().__init__(f"Convert {lead.name or lead.company} to a deal", "&Create deal", parent)
        self.title = QLineEdit(lead.company or lead.name)
        self.value = QLineEdit()
        self.value.setPlaceholderText("e.g. 2500")
        self.currency = QLineEdit(currency)
        self.currency.setMaxLength(3)
        self.expected_close = _date_edit(today + dt.timedelta(days=30), minimum=today)
        self.form.addRow("Deal &title", self.title)
        self.form.addRow("&Value", self.value)
        self.form.addRow("C&urrency", self.currency)
        self.form.addRow("&Expected close", self.expected_close)
        for edit in (self.title, self.value, self.currency):
            edit.textChanged.connect(self.check)
        self.check()

    def amount(self) -> Decimal | None:
        text = self.value.text().strip().replace(" ", "").replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None
        return amount if amount.is_finite() and amount >= 0 else None

    def problem_text(self) -> str:
        if not self.title.text().strip():
            return "Give the deal a title."
        if self.amount() is None:
            return "Type the deal's value as a number, for example 2500 or 2500.50."
        if len(self.currency.text().strip()) != 3:
            return "The currency is a three-letter code such as EUR."
        return ""


class LeadDialog(FormDialog):
    """A new lead. Warns while typing when the email or phone already belongs to a lead.

    Signals: open_requested(lead_id) when the user wants the existing lead instead."""

    open_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, lead: Lead | None = None) -> None:
        super().__init__(
            "Edit lead" if lead else "New lead", "&Save" if lead else "&Add lead", parent
        )
        self._editing = lead.id if lead else None
        self.name = QLineEdit()
        self.company = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.source = QComboBox()
        for source in LEAD_SOURCES:
            self.source.addItem(source.replace("_", " ").capitalize(), source)
        self.campaign = QComboBox()
        campaigns = Campaign.select().where(Campaign.deleted_at.is_null()).order_by(Campaign.name)
        for campaign in campaigns:
            self.campaign.addItem(campaign.name, campaign.id)
        self.customer_type = QComboBox()
        self.customer_type.addItem("Business (B2B)", "b2b")
        self.customer_type.addItem("Consumer (B2C)", "b2c")
        self.duplicate = QLabel()
        self.duplicate.setWordWrap(True)
        self.open_other = QPushButton("Open the existing lead")
        self.open_other.hide()
        self.open_other.clicked.connect(self._on_open_other_clicked)
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Company", self.company)
        self.form.addRow("&Email", self.email)
        self.form.addRow("&Phone", self.phone)
        self.form.addRow("&Source", self.source)
        self.form.addRow("Ca&mpaign", self.campaign)
        self.form.addRow("&Type", self.customer_type)
        self.form.addRow(self.duplicate)
        self.form.addRow(self.open_other)
        self._duplicate_id: int | None = None
        for edit in (self.name, self.company, self.email, self.phone):
            edit.textChanged.connect(self.check)
        self.source.currentIndexChanged.connect(self.check)
        self.email.editingFinished.connect(self._look_for_duplicates)
        self.phone.editingFinished.connect(self._look_for_duplicates)
        if lead is not None:
            self.name.setText(lead.name)
            self.company.setText(lead.company)
            self.email.setText(lead.email)
            self.phone.setText(lead.phone)
            self.source.setCurrentIndex(max(0, self.source.findData(lead.source)))
            if lead.campaign_id:
                self.campaign.setCurrentIndex(max(0, self.campaign.findData(lead.campaign_id)))
            self.customer_type.setCurrentIndex(
                max(0, self.customer_type.findData(lead.customer_type))
            )
        self.check()

    def problem_text(self) -> str:
        self.campaign.setEnabled(self.source.currentData() == "campaign")
        if not (self.name.text().strip() or self.company.text().strip()):
            return "Type a person's name or a company name."
        email = self.email.text().strip()
        if email and not EMAIL.match(email):
            return f"'{email}' does not look like an email address."
        if self.source.currentData() == "campaign" and self.campaign.count() == 0:
            return "There are no campaigns yet: pick another source."
        return ""

    def _look_for_duplicates(self) -> None:
        others = find_duplicates(self.email.text(), self.phone.text(), exclude=self._editing)
        self._duplicate_id = others[0].id if others else None
        if others:
            other = others[0]
            self.duplicate.setText(
                f"⚠ {other.name or other.company} already has this email or phone "
                f"({other.email or other.phone})."
            )
        self.duplicate.setVisible(bool(others))
        self.open_other.setVisible(bool(others))

    def _on_open_other_clicked(self) -> None:
        if self._duplicate_id is not None:
            self.open_requested.emit(self._duplicate_id)
            self.reject()

    def values(self) -> dict[str, object]:
        source = self.source.currentData()
        campaign_id = self.campaign.currentData() if source == "campaign" else None
        return {
            "name": self.name.text(),
            "company": self.company.text(),
            "email": self.email.text(),
            "phone": self.phone.text(),
            "source": source,
            "campaign": Campaign.get_by_id(campaign_id) if campaign_id else None,
            "customer_type": self.customer_type.currentData(),
        }


class ActivityDialog(FormDialog):
    """Log a call, email, meeting, demo or note, and maybe when to follow up."""

    def __init__(self, lead_name: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(f"Log activity with {lead_name}", "&Log", parent)
        self.kind = QComboBox()
        for kind in ACTIVITY_KINDS:
            self.kind.addItem(kind.capitalize(), kind)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("e.g. Left a voicemail; Sent the price list")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self.follow_up = QComboBox()
        self.follow_up.addItem("No follow-up", None)
        for days, label in (
            (1, "Tomorrow"),
            (3, "In 3 days"),
            (7, "In a week"),
            (14, "In 2 weeks"),
        ):
            day = today + dt.timedelta(days=days)
            self.follow_up.addItem(f"{label} ({day:%a %d %b})", day)
        self.form.addRow("&What", self.kind)
        self.form.addRow("&Outcome", self.outcome)
        self.form.addRow("N&otes", self.notes)
        self.form.addRow("&Follow up", self.follow_up)
        self.kind.currentIndexChanged.connect(self.check)
        self.outcome.textChanged.connect(self.check)
        self.notes.textChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        empty = not (self.outcome.text().strip() or self.notes.toPlainText().strip())
        return "A note needs some text." if self.kind.currentData() == "note" and empty else ""

    def values(self) -> dict[str, object]:
        return {
            "kind": self.kind.currentData(),
            "outcome": self.outcome.text(),
            "notes": self.notes.toPlainText(),
            "follow_up_on": self.follow_up.currentData(),
        }


class MergeDialog(FormDialog):
    """Pick which duplicate to fold into the selected lead."""

    def __init__(self, keep: Lead, others: list[Lead], parent: QWidget | None = None) -> None:
        super().__init__(f"Merge into {keep.name or keep.company}", "&Merge", parent)
        self.other = QComboBox()
        for other in others:
            label = f"{other.name or other.company} — {other.email or other.phone}"
            self.other.addItem(label, other.id)
        explain = QLabel(
            "The other lead's activities, handovers and deals move to this one, its contact "
            "details fill any gaps here, and it goes to the trash (you can restore it)."
        )
        explain.setWordWrap(True)
        self.form.addRow("&Duplicate", self.other)
        self.form.addRow(explain)
        self.check()

    def chosen(self) -> Lead:
        return Lead.get_by_id(self.other.currentData())
