"""The SLA agreement and the company calendar on the SLA page: their terms, and changing them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import calendar, company, sla, team
from app.calendar import BusinessCalendar
from app.clock import Clock
from app.errors import UserError
from app.models import COMMITMENT_KINDS, ClosingDay, SlaAgreement, SlaCommitment
from ui.errors import show_problem
from ui.jobs import Job
from ui.lead_dialogs import FormDialog
from ui.sla_clocks_list import sla_job

MUTED = QColor("#8a99a3")
# The dialog's fields: (commitment, label, side heading above it or "").
FIELDS = (
    ("lead_volume", "Qualified leads handed over a &month", "Marketing promises sales"),
    ("lead_acceptance", "Share of them sales &accepts (%)", ""),
    ("first_response", "&First response within (business hours)", "Sales promises marketing"),
    ("decision", "&Decision within (business hours)", ""),
    ("follow_up", "Contact a&ttempts before giving up", ""),
    ("revenue", "&Revenue won a month", "Both"),
)


def date_edit(initial: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def chosen_day(edit: QDateEdit) -> dt.date:
    value = edit.date()
    return dt.date(value.year(), value.month(), value.day())


@dataclass(frozen=True)
class Terms:
    """One version of the agreement as plain values."""

    effective_from: dt.date
    at_risk_share: float
    targets: dict[str, float]


@dataclass(frozen=True)
class CalendarFacts:
    """What the clocks' calendar is made of, in words and days."""

    hours: str  # "Monday to Friday, 09:00–17:30 (Europe/Berlin)"
    place: str  # "Germany (Berlin)"
    closing_days: list[tuple[dt.date, str]]
    holidays: list[tuple[dt.date, str]]


@dataclass(frozen=True)
class AgreementFacts:
    """The agreement for a month, the one in force today, every version, and the calendar."""

    month: str
    for_month: Terms | None
    today: Terms | None
    versions: list[dt.date]
    calendar: CalendarFacts
    currency: str = "EUR"
    months_changed: list[str] = field(default_factory=list)


def _terms(agreement: SlaAgreement | None) -> Terms | None:
    if agreement is None:
        return None
    rows = SlaCommitment.select().where(SlaCommitment.agreement == agreement)
    targets = {row.kind: float(row.target) for row in rows}
    return Terms(agreement.effective_from, float(agreement.at_risk_share), targets)


def _days(days: list[int]) -> str:
    names = company.WEEKDAY_NAMES
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{names[days[0]]} to {names[days[-1]]}"
    return ", ".join(names[day] for day in days)


def read_agreement(month: str, today: dt.date) -> AgreementFacts:
    """Runs in a Job: the agreement's versions and the calendar, as plain values."""
    profile = company.load()
    country = company.countries().get(profile.country, profile.country)
    region = company.regions(profile.country).get(profile.region, "") if profile.region else ""
    hours = (
        f"{_days(sorted(profile.working_days))}, {profile.day_starts}–{profile.day_ends} "
        f"({profile.timezone})"
    )
    closed = [
        (row.day, row.label)
        for row in ClosingDay.select()
        .where(ClosingDay.day >= dt.date(today.year - 1, 1, 1))
        .order_by(ClosingDay.day)
    ]
    holidays: list[tuple[dt.date, str]] = []
    if profile.country:
        import holidays as holiday_calendars

        named = holiday_calendars.country_holidays(
            profile.country, subdiv=profile.region or None, years=(today.year, today.year + 1)
        )
        working = BusinessCalendar.load()
        holidays = [
            (day, name)
            for day, name in sorted(named.items())
            if day >= today and day.weekday() in working.hours
        ][:12]
    versions = [
        row.effective_from
        for row in SlaAgreement.select(SlaAgreement.effective_from).order_by(
            SlaAgreement.effective_from
        )
    ]
    return AgreementFacts(
        month=month,
        for_month=_terms(sla.agreement_for_month(month)),
        today=_terms(team.agreement_on(today)) or _terms(sla.agreement_for_month(month)),
        versions=versions,
        calendar=CalendarFacts(
            hours, f"{country} ({region})" if region else country, closed, holidays
        ),
        currency=profile.currency,
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def term_sentences(terms: Terms, currency: str) -> dict[str, str]:
    """Each commitment of a version in a sentence a reader can check."""
    t = terms.targets
    said = {
        "lead_volume": f"Hand over at least {_number(t.get('lead_volume', 0))} qualified leads "
        "a month (a month's plan may set its own number).",
        "lead_acceptance": f"At least {_number(t.get('lead_acceptance', 0))}% of them are good "
        "enough for sales to accept.",
        "first_response": f"A first call, email or meeting within "
        f"{_number(t.get('first_response', 0))} business hours of each handover.",
        "decision": f"Accept or reject (with a reason) within {_number(t.get('decision', 0))} "
        "business hours.",
        "follow_up": f"At least {_number(t.get('follow_up', 0))} contact attempts before giving "
        "a lead up as unresponsive.",
        "revenue": f"Win {_number(t.get('revenue', 0))} {currency} a month together.",
    }
    for kind in COMMITMENT_KINDS:
        if not t.get(kind):
            said[kind] = f"Nothing promised ({_NOTHING[kind]})."
    return said


_NOTHING = {
    "lead_volume": "number of leads",
    "lead_acceptance": "acceptance rate",
    "first_response": "first response time",
    "decision": "decision time",
    "follow_up": "contact attempts",
    "revenue": "revenue target",
}


class AgreementView(QWidget):
    """The terms a month is judged on, every version, and the owner's way to change them.

    Signals: change_requested() when the user presses "Change the agreement…"."""

    change_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.summary = QLabel()
        self.summary.setObjectName("promise")
        self.summary.setWordWrap(True)
        self.terms: dict[str, QLabel] = {}
        columns = QHBoxLayout()
        columns.setSpacing(18)
        for heading, kinds in (
            ("Marketing promises sales", ("lead_volume", "lead_acceptance")),
            ("Sales promises marketing", ("first_response", "decision", "follow_up")),
            ("Both", ("revenue",)),
        ):
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{heading}</b>"))
            for kind in kinds:
                label = QLabel()
                label.setWordWrap(True)
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setObjectName(f"term_{kind}")
                self.terms[kind] = label
                box.addWidget(label)
            box.addStretch(1)
            columns.addLayout(box, 1)
        self.at_risk = QLabel()
        self.versions = QLabel()
        self.versions.setObjectName("promise")
        self.versions.setWordWrap(True)
        self.change_button = QPushButton("Change the agreement…")
        self.change_button.setToolTip("The owner changes the terms from a day on")
        self.change_button.clicked.connect(self.change_requested)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.change_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(columns)
        layout.addWidget(self.at_risk)
        layout.addWidget(self.versions)

    def show_facts(self, facts: AgreementFacts, month_title: str) -> None:
        terms = facts.for_month
        self.title.setText(f"The agreement for {month_title}")
        if terms is None:
            self.summary.setText(f"No agreement was in force in {month_title}.")
            for label in self.terms.values():
                label.setText("")
            self.at_risk.setText("")
        else:
            self.summary.setText(
                f"The version in force from {terms.effective_from:%d %B %Y}. A change applies "
                "from its day on; earlier months keep the terms they had."
            )
            for kind, text in term_sentences(terms, facts.currency).items():
                self.terms[kind].setText(text)
            self.at_risk.setText(
                f"A lead's clock turns <b>at risk</b> once {terms.at_risk_share:.0%} of its time "
                "is used up, so there is still time to act."
            )
        shown = terms.effective_from if terms else None
        words = []
        for day in facts.versions:
            word = f"from {day:%d %b %Y}"
            if day == shown:
                word = f"<b>{word}</b> (this month's)"
            elif shown is None or day > shown:
                word += " (later)"
            words.append(word)
        self.versions.setText("Versions: " + " · ".join(words) if words else "")


class CalendarView(QWidget):
    """When clocks run: working hours, public holidays and the company's closing days.

    Signals: add_requested(), remove_requested(date)."""

    add_requested = Signal()
    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("The company calendar")
        title.setObjectName("detailTitle")
        self.hours = QLabel()
        self.hours.setWordWrap(True)
        self.closing = QListWidget()
        self.closing.setObjectName("closingDays")
        self.holidays = QListWidget()
        self.holidays.setObjectName("publicHolidays")
        self.holidays.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.holidays.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button = QPushButton("Add a closing day…")
        self.remove_button = QPushButton("Open again")
        self.remove_button.setToolTip("The company works on the selected day after all")
        self.remove_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.closing.currentItemChanged.connect(self._on_closing_current_item_changed)

        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Closing days</b> — the team does not work, clocks stand still"))
        left.addWidget(self.closing, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        right = QVBoxLayout()
        self.holidays_title = QLabel("<b>Coming public holidays</b>")
        right.addWidget(self.holidays_title)
        right.addWidget(self.holidays, 1)
        note = QLabel("From the country's official calendar; change the country in Settings.")
        note.setObjectName("promise")
        note.setWordWrap(True)
        right.addWidget(note)
        lists = QHBoxLayout()
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.hours)
        layout.addLayout(lists, 1)

    def show_facts(self, facts: CalendarFacts, today: dt.date) -> None:
        self.hours.setText(
            f"Clocks count only working time: {escape(facts.hours)}. Nights, weekends, public "
            f"holidays in {escape(facts.place)} and the closing days below do not count. "
            "Working hours are set in Settings."
        )
        chosen = self.selected_day()
        self.closing.clear()
        for day, label in facts.closing_days:
            text = f"{day:%a %d %b %Y}" + (f" — {label}" if label else "")
            item = QListWidgetItem(text + (" (past)" if day < today else ""))
            item.setData(Qt.ItemDataRole.UserRole, day)
            if day < today:
                item.setForeground(MUTED)
            self.closing.addItem(item)
            if day == chosen:
                self.closing.setCurrentItem(item)
        if not facts.closing_days:
            empty = QListWidgetItem("None yet. Add bridge days or a team day off here.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.closing.addItem(empty)
        self.holidays_title.setText(f"<b>Coming public holidays</b> in {escape(facts.place)}")
        self.holidays.clear()
        for day, name in facts.holidays:
            self.holidays.addItem(f"{day:%a %d %b %Y} — {name}")
        self._on_closing_current_item_changed()

    def selected_day(self) -> dt.date | None:
        item = self.closing.currentItem()
        day = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return day if isinstance(day, dt.date) else None

    def set_editable(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and self.selected_day() is not None)

    def _on_closing_current_item_changed(self, *_args: Any) -> None:
        self.remove_button.setEnabled(self.add_button.isEnabled() and bool(self.selected_day()))

    def _on_remove_button_clicked(self) -> None:
        day = self.selected_day()
        if day is not None:
            self.remove_requested.emit(day)


class SavingDialog(FormDialog):
    """A form whose OK saves in the background (the SLA may be busy working clocks out); a
    refusal shows in the dialog, which stays open."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, ok_text, parent)
        self._job: Job | None = None

    def saver(self) -> Callable[[], object]:
        """The change itself, with the form's values taken now: it runs in a Job."""
        raise NotImplementedError

    def accept(self) -> None:
        if self._job is not None or not self.ok_button.isEnabled():
            return
        self.problem.setText("Saving…")
        self.problem.setVisible(True)
        self.ok_button.setEnabled(False)
        self.buttons.setEnabled(False)
        job = sla_job(self.saver())
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        job.start()

    def _on_job_succeeded(self, _result: object) -> None:
        QDialog.accept(self)

    def _on_job_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            self.ok_button.setEnabled(True)
        else:
            self.problem.setText("")
            show_problem(self, exc)
            self.check()

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None

    def reject(self) -> None:
        if self._job is None:  # a save under way finishes first
            super().reject()

    def wait(self) -> None:
        if self._job is not None:
            self._job.wait()


class AgreementDialog(SavingDialog):
    """A new version of the agreement from a day on; only an owner may save it."""

    def __init__(
        self,
        terms: Terms | None,
        today: dt.date,
        currency: str,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change the agreement", "&Save the new terms", parent)
        self.setMinimumWidth(520)
        self.clock = clock
        self.member = team.current_member()
        intro = QLabel(
            "The new terms apply from the day you choose (today or later). <b>Earlier months "
            "keep the terms they had</b>, so their scorecards do not change. A target of 0 "
            "means nothing is promised. Saving again for the same day replaces that change."
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.effective_from = date_edit(today)
        self.form.addRow("Applies &from", self.effective_from)
        targets = terms.targets if terms else {}
        self.targets: dict[str, QLineEdit] = {}
        for kind, label, heading in FIELDS:
            if heading:
                section = QLabel(f"<b>{heading}</b>")
                self.form.addRow(section)
            edit = QLineEdit(_number(targets.get(kind, 0)).replace(",", ""))
            edit.setObjectName(kind)
            edit.textChanged.connect(self.check)
            self.targets[kind] = edit
            self.form.addRow(
                label.replace("month", f"month ({currency})", 1) if kind == "revenue" else label,
                edit,
            )
        self.at_risk_share = QSpinBox()
        self.at_risk_share.setRange(1, 99)
        self.at_risk_share.setSuffix(" % of its time")
        self.at_risk_share.setValue(round(100 * (terms.at_risk_share if terms else 0.75)))
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        self.form.addRow(separator)
        self.form.addRow("A clock is at &risk after", self.at_risk_share)
        who = self.member.name if self.member else "nobody"
        self.who = QLabel(f"Changed by {escape(who)}; the change is kept in the history.")
        self.who.setObjectName("promise")
        self.form.addRow(self.who)
        self.check()

    def problem_text(self) -> str:
        for kind, label, _heading in FIELDS:
            text = self.targets[kind].text().strip().replace(",", "")
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = Decimal(-1)
            if not text or not value.is_finite() or value < 0:
                name = label.replace("&", "")
                return f"Type a number of 0 or more for “{name}”."
        return ""

    def values(self) -> dict[str, Any]:
        return {
            "effective_from": chosen_day(self.effective_from),
            "targets": {
                kind: edit.text().strip().replace(",", "") for kind, edit in self.targets.items()
            },
            "at_risk_share": self.at_risk_share.value() / 100,
        }

    def saver(self) -> Callable[[], object]:
        values, member, clock = self.values(), self.member, self.clock
        return lambda: sla.set_agreement(**values, by=member, clock=clock)


class ClosingDayDialog(SavingDialog):
    """A day the company is closed: no clock runs on it."""

    def __init__(self, today: dt.date, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__("Add a closing day", "&Add", parent)
        self.clock = clock
        self.day = date_edit(today + dt.timedelta(days=1))
        self.label = QLineEdit()
        self.label.setPlaceholderText("e.g. Bridge day, team outing (optional)")
        self.label.setMaxLength(120)
        note = QLabel(
            "No SLA clock runs on a closing day. Clocks already worked out are worked out again."
        )
        note.setWordWrap(True)
        note.setObjectName("promise")
        self.form.addRow("&Day", self.day)
        self.form.addRow("&What it is", self.label)
        self.form.addRow(note)
        self.check()

    def saver(self) -> Callable[[], object]:
        day, label, clock = chosen_day(self.day), self.label.text(), self.clock
        member = team.current_member()
        return lambda: calendar.add_closing_day(day, label, by=member, clock=clock)
