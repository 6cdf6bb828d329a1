"""The SLA page: the month's scorecard of both sides, the trend, the clocks, the agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import calendar, company, sla, team
from app.clock import Clock
from app.errors import UserError
from app.sla import MonthFigures, Scorecard
from ui.errors import show_problem
from ui.jobs import Job
from ui.sla_agreement import (
    AgreementDialog,
    AgreementFacts,
    AgreementView,
    CalendarView,
    ClosingDayDialog,
    read_agreement,
)
from ui.sla_clocks_list import WORKING, ClocksList, sla_job
from ui.sla_scorecard import ScorecardView
from ui.sla_trend import TrendChart, month_title

MONTHS_OFFERED = 36
SCORECARD_TAB, TREND_TAB, CLOCKS_TAB, AGREEMENT_TAB = 0, 1, 2, 3
SLOW_NOTE = (
    "After an upgrade, or a change to the agreement or the calendar, every lead's clocks are "
    "worked out again: on a large database this takes up to a minute. Tandem stays usable "
    "meanwhile."
)


@dataclass(frozen=True)
class MonthRead:
    """Everything the page shows for a month, read in one background job."""

    month: str
    scorecard: Scorecard
    trend: list[MonthFigures]
    agreement: AgreementFacts


def read_month(month: str, now: dt.datetime, today: dt.date) -> MonthRead:
    """Runs in a Job: the scorecard (which brings every clock up to date), trend, agreement."""
    card = sla.scorecard(month, now=now)
    trend = sla.trend(month, now=now, months=12)
    return MonthRead(month, card, trend, read_agreement(month, today))


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class SlaPage(QWidget):
    """Reads run in background jobs (working every clock out again can take a minute); the page
    says so while they run, and its changing steps wait for them.

    Signals: changed() after the agreement or the calendar changed; failed(exception) when a
    background read failed; open_lead(lead_id) when the user wants a lead."""

    changed = Signal()
    failed = Signal(object)
    open_lead = Signal(int)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.month = ""
        self.facts: AgreementFacts | None = None
        self._job: Job | None = None
        self._again = False
        self._change_job: Job | None = None

        title = QLabel("SLA")
        title.setObjectName("pageTitle")
        self.month_box = QComboBox()
        self.month_box.setObjectName("monthPicker")
        self.month_box.setMinimumContentsLength(14)
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("The month before")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("The month after")
        self.busy_label = QLabel(WORKING)
        self.busy_label.setObjectName("countLabel")
        self.busy_label.setToolTip(SLOW_NOTE)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(90, 10)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(16)
        heading.addWidget(self.previous_button)
        heading.addWidget(self.month_box)
        heading.addWidget(self.next_button)
        heading.addSpacing(12)
        heading.addWidget(self.busy_bar)
        heading.addWidget(self.busy_label)
        heading.addStretch(1)
        intro = QLabel(
            "What marketing and sales promised each other, and whether each side kept it. "
            "Every lead handed over starts clocks that count only working hours."
        )
        intro.setObjectName("promise")
        intro.setWordWrap(True)

        self.scorecard = ScorecardView()
        self.trend = TrendChart()
        card_page = QWidget()
        card_layout = QVBoxLayout(card_page)
        card_layout.setContentsMargins(0, 4, 8, 4)
        card_layout.addWidget(self.scorecard)
        card_layout.addStretch(1)
        self.waiting = QLabel(f"<h3>{WORKING}</h3><p>{SLOW_NOTE}</p>")
        self.waiting.setObjectName("slaWaiting")
        self.waiting.setWordWrap(True)
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting.setMargin(40)
        self.card_stack = QStackedWidget()
        self.card_stack.addWidget(self.waiting)
        self.card_stack.addWidget(_scrolling(card_page))

        self.clocks = ClocksList(clock)
        self.agreement = AgreementView()
        self.calendar = CalendarView()
        terms_page = QWidget()
        terms_layout = QVBoxLayout(terms_page)
        terms_layout.setContentsMargins(0, 4, 8, 4)
        terms_layout.addWidget(self.agreement)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d8e1e7;")
        terms_layout.addWidget(line)
        terms_layout.addWidget(self.calendar, 1)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.card_stack, "&Scorecard")
        self.tabs.addTab(self.trend, "12-month &trend")
        self.tabs.addTab(self.clocks, "&Clocks")
        self.tabs.addTab(terms_page, "&Agreement and calendar")
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)

        self.month_box.currentIndexChanged.connect(self._on_month_box_current_index_changed)
        self.previous_button.clicked.connect(lambda: self._step_month(1))
        self.next_button.clicked.connect(lambda: self._step_month(-1))
        self.clocks.open_lead.connect(self.open_lead)
        self.clocks.failed.connect(self.failed)
        self.clocks.busy.connect(self._show_busy)
        self.agreement.change_requested.connect(self.change_agreement)
        self.calendar.add_requested.connect(self.add_closing_day)
        self.calendar.remove_requested.connect(self.remove_closing_day)
        self._show_busy()
        self.busy_label.hide()
        self.busy_bar.hide()
        self.busy_bar.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the chosen month again (this month at first), in the background."""
        today = company.today(self.clock)
        self._fill_months(f"{today:%Y-%m}")
        self.clocks.refresh()
        self._load()

    def _fill_months(self, this_month: str) -> None:
        chosen = self.month or this_month
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for month in reversed(sla.months_before(this_month, MONTHS_OFFERED)):
            self.month_box.addItem(month_title(month), month)
        index = self.month_box.findData(chosen)
        if index < 0:
            index = 0
            chosen = this_month
        self.month_box.setCurrentIndex(index)
        self.month_box.blockSignals(False)
        self._set_month(chosen)

    def _set_month(self, month: str) -> None:
        if month != self.month:
            self.waiting.setText(f"<h3>{WORKING}</h3><p>{SLOW_NOTE}</p>")
            self.card_stack.setCurrentWidget(self.waiting)  # never the last month's figures
        self.month = month
        index = self.month_box.currentIndex()
        self.next_button.setEnabled(index > 0)
        self.previous_button.setEnabled(index < self.month_box.count() - 1)
        self.clocks.month = month

    def _step_month(self, step: int) -> None:
        index = self.month_box.currentIndex() + step
        if 0 <= index < self.month_box.count():
            self.month_box.setCurrentIndex(index)

    def _on_month_box_current_index_changed(self, index: int) -> None:
        if index < 0:
            return
        self._set_month(self.month_box.itemData(index))
        self.clocks.reload()
        self._load()

    def _load(self) -> None:
        if self._job is not None:
            self._again = True  # read once more when this one ends: it may be stale
            return
        self._again = False
        month, now, today = self.month, self.clock.now(), company.today(self.clock)
        job = sla_job(lambda: read_month(month, now, today))
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self._show_busy()
        job.start()

    def _on_job_succeeded(self, read: MonthRead) -> None:
        if self._again or read.month != self.month:
            return  # a fresher read follows at once
        title = month_title(read.month)
        currency = read.agreement.currency
        self.scorecard.show_scorecard(read.scorecard, currency, title)
        self.trend.show_trend(read.trend, currency)
        self.facts = read.agreement
        self.agreement.show_facts(read.agreement, title)
        self.calendar.show_facts(read.agreement.calendar, company.today(self.clock))
        self.card_stack.setCurrentIndex(1)

    def _on_job_failed(self, exc: BaseException) -> None:
        self.waiting.setText("<h3>The SLA figures could not be read.</h3>")
        self.failed.emit(exc)

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        if self._again:
            self._load()
        self._show_busy()

    def is_loading(self) -> bool:
        """True while any SLA figure or clock is being read (for tests and the window)."""
        return self._job is not None or self._change_job is not None or self.clocks.is_loading()

    def wait(self) -> None:
        """Let background reads and changes finish (before the database closes)."""
        for _ in range(3):  # a finished read may start one more before its signal arrives
            for job in (self._job, self._change_job):
                if job is not None:
                    job.wait()
            self.clocks.wait()

    def _show_busy(self, *_args: object) -> None:
        busy = self.is_loading()
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)
        editable = not busy and self.facts is not None
        self.agreement.change_button.setEnabled(editable)
        self.agreement.change_button.setToolTip(
            "The owner changes the terms from a day on"
            if editable
            else "Wait until the clocks are worked out"
        )
        self.calendar.set_editable(editable)

    # Changing the agreement and the calendar ---------------------------------------------------

    def change_agreement(self) -> bool:
        """The owner's dialog for new terms; True when a new version was saved."""
        if self.facts is None:
            return False
        today = company.today(self.clock)
        dialog = AgreementDialog(self.facts.today, today, self.facts.currency, self.clock, self)
        if not dialog.exec():
            return False
        day = dialog.values()["effective_from"]
        self._changed(f"The new terms apply from {day:%d %B %Y}; earlier months keep theirs.")
        return True

    def add_closing_day(self) -> bool:
        dialog = ClosingDayDialog(company.today(self.clock), self.clock, self)
        if not dialog.exec():
            return False
        self._changed("Closing day added.")
        return True

    def remove_closing_day(self, day: dt.date) -> None:
        if self._change_job is not None:
            return
        member, clock = team.current_member(), self.clock
        job = sla_job(lambda: calendar.remove_closing_day(day, by=member, clock=clock))
        job.succeeded.connect(
            lambda _result: self._changed(f"{day:%d %B %Y} is a working day again.")
        )
        job.failed.connect(self._on_change_job_failed)
        job.finished.connect(self._on_change_job_finished)
        self._change_job = job
        self._show_busy()
        job.start()

    def _on_change_job_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_problem(self, exc, "Not possible")
        else:
            self.failed.emit(exc)

    def _on_change_job_finished(self) -> None:
        if self._change_job is not None:
            self._change_job.deleteLater()
        self._change_job = None
        self._show_busy()

    def _changed(self, message: str) -> None:
        self._tell(message + " Working out the clocks again…")
        self._load()
        self.clocks.reload()
        self.changed.emit()

    def _tell(self, message: str) -> None:
        window = self.window()
        if message and hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 8000)
