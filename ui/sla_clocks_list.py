"""SLA clocks in lists: their words and colours, the shared background read, the clocks table."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import company, sla, team
from app.models import Campaign
from app.sla import ClockReading
from ui.jobs import Job, Progress

# Working the clocks out after an upgrade or an agreement change holds the database's write lock
# for up to a minute; SLA reads queue here, in their own threads, rather than time out on it.
SLA_LOCK = threading.Lock()

WORKING = "Working out the clocks…"
STATE_WORDS = {
    "running": "Running",
    "at_risk": "At risk",
    "met": "Met",
    "breached": "Breached",
}
STATE_TIPS = {
    "running": "Still running, with time to spare",
    "at_risk": "Still running, and most of its time is used up: act now",
    "met": "Answered in time",
    "breached": "Not answered in time (or still open past its time)",
}
STATE_COLOURS = {
    "running": QColor("#2f6f9a"),
    "at_risk": QColor("#a15c00"),
    "met": QColor("#2e7d32"),
    "breached": QColor("#b3261e"),
}
STATE_BACKGROUNDS = {
    "running": QColor("#e8f1f7"),
    "at_risk": QColor("#fff1d6"),
    "met": QColor("#e6f4e7"),
    "breached": QColor("#fbe3e1"),
}
KIND_WORDS = {
    "first_response": "First response",
    "decision": "Decision",
    "follow_up": "Follow-up",
}
KIND_TIPS = {
    "first_response": "A first call, email or meeting after the handover",
    "decision": "Accepting or rejecting the lead (with a reason) after the handover",
    "follow_up": "Contact attempts before giving the lead up as unresponsive",
}
PAGE = 200


def sla_job(work: Callable[[], Any], parent: QWidget | None = None) -> Job:
    """A Job that reads (or changes) the SLA off the GUI thread, one such job at a time."""

    def locked(_progress: Progress) -> Any:
        with SLA_LOCK:
            return work()

    return Job(locked, parent)


def business_duration(minutes: float) -> str:
    """Business minutes as people say them: '45 min', '2 h 24 min'; whole hours from ten on."""
    whole = round(abs(minutes))
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    if hours >= 10:
        return f"{round(whole / 60):,} h"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def left_or_over(reading: ClockReading) -> str:
    """How a clock stands in business time: left, over, or what it took."""
    if reading.kind == "follow_up":
        tried, needed = int(reading.elapsed), int(reading.target)
        text = f"{tried} of {needed} attempts"
        return text if tried >= needed else f"{text} ({needed - tried} short)"
    if reading.state in ("running", "at_risk"):
        text = f"{business_duration(reading.left)} left"
    elif reading.state == "breached" and reading.stopped_at is None:
        text = f"{business_duration(-reading.left)} over, still open"
    elif reading.state == "breached":
        text = f"took {business_duration(reading.elapsed)}, {business_duration(-reading.left)} over"
    else:
        text = f"took {business_duration(reading.elapsed)}"
    return f"{text} (paused)" if reading.paused else text


def local_time(instant: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return instant.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


@dataclass(frozen=True)
class ClockPage:
    """One read of the clocks list: a page of readings and what is needed to show them."""

    generation: int
    readings: list[ClockReading]
    total: int | None  # None when only a further page was read
    names: dict[int, str]
    zone: str


def read_clock_page(
    generation: int, month: str, now: dt.datetime, filters: dict[str, Any], offset: int
) -> ClockPage:
    """Runs in a Job: one page of a month's clocks, and the count with the first page."""
    readings = sla.clocks_for(month, now=now, limit=PAGE, offset=offset, **filters)
    total = None
    if offset == 0:
        total = (
            len(readings)
            if len(readings) < PAGE
            else sla.clocks_query(now=now, month=month, **filters).count()
        )
    names = {member.id: member.name for member in team.all_members()}
    return ClockPage(generation, readings, total, names, company.load().timezone)


Index = QModelIndex | QPersistentModelIndex
LEAD_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Lead", "Promise", "State", "Time left or over", "Handed over", "Salesperson")
TOOLTIPS = {
    "Time left or over": "Business time: only the team's working hours count, not nights, "
    "weekends, holidays or closing days",
    "Handed over": "When marketing handed the lead to sales (the company's time)",
}


class ClockTableModel(QAbstractTableModel):
    """The clocks read so far: pages of plain readings, appended as the user asks for more."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ClockReading] = []
        self._names: dict[int, str] = {}
        self._zone = zoneinfo.ZoneInfo("UTC")
        self.total = 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        reading = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(reading, column)
        if role == LEAD_ROLE:
            return reading.lead_id
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "Promise":
                return KIND_TIPS.get(reading.kind)
            if column == "State":
                return STATE_TIPS.get(reading.state)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column in ("State", "Time left or over"):
            return QBrush(STATE_COLOURS[reading.state])
        if role == Qt.ItemDataRole.BackgroundRole and column == "State":
            return QBrush(STATE_BACKGROUNDS[reading.state])
        return None

    def _text(self, reading: ClockReading, column: str) -> str:
        if column == "Lead":
            return reading.lead
        if column == "Promise":
            return KIND_WORDS.get(reading.kind, reading.kind)
        if column == "State":
            return STATE_WORDS.get(reading.state, reading.state)
        if column == "Time left or over":
            return left_or_over(reading)
        if column == "Handed over":
            return f"{local_time(reading.started_at, self._zone):%a %d %b %H:%M}"
        return self._names.get(reading.member_id or 0, "—")

    def show_page(self, page: ClockPage) -> None:
        """The first page replaces the rows; a further page is added below them."""
        self._names = page.names
        self._zone = zoneinfo.ZoneInfo(page.zone)
        if page.total is not None:
            self.beginResetModel()
            self._rows = list(page.readings)
            self.total = page.total
            self.endResetModel()
        elif page.readings:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.readings) - 1)
            self._rows.extend(page.readings)
            self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.total = 0
        self.endResetModel()

    def reading(self, row: int) -> ClockReading:
        return self._rows[row]


class ClocksList(QWidget):
    """A month's clocks, filtered by person, state, promise and campaign, read a page at a time
    in the background.

    Signals: open_lead(lead_id) on a double-click or Enter; failed(exception) when a read failed;
    busy(bool) while the clocks are being read."""

    open_lead = Signal(int)
    failed = Signal(object)
    busy = Signal(bool)

    def __init__(self, clock: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.month = ""
        self._job: Job | None = None
        self._again: int | None = None  # an offset to read once the running job ends
        self._generation = 0
        self.model = ClockTableModel(self)
        self.person = QComboBox()
        self.person.setObjectName("clockPerson")
        self.state = QComboBox()
        self.state.setObjectName("clockState")
        self.state.addItem("Any state", None)
        for key, word in STATE_WORDS.items():
            self.state.addItem(word, key)
        self.kind = QComboBox()
        self.kind.addItem("Any promise", None)
        for key, word in KIND_WORDS.items():
            self.kind.addItem(word, key)
        self.campaign = QComboBox()
        self.campaign.setObjectName("clockCampaign")
        self.table = QTableView()
        self.table.setObjectName("clockTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 120, 80, 220, 130)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.more_button = QPushButton(f"Show {PAGE} more")
        self.more_button.hide()
        hint = QLabel("Double-click a clock, or press Enter, to open its lead.")
        hint.setObjectName("promise")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        for combo in (self.person, self.state, self.kind, self.campaign):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            filters.addWidget(combo)
        filters.addStretch(1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addWidget(self.more_button)
        footer.addStretch(1)
        footer.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        for combo in (self.person, self.state, self.kind, self.campaign):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.activated.connect(self._on_table_activated)
        self.more_button.clicked.connect(self._on_more_button_clicked)

    # Loading ----------------------------------------------------------------------------------

    def set_month(self, month: str) -> None:
        """Show another month's clocks (read in the background)."""
        self.month = month
        self.reload()

    def refresh(self) -> None:
        """Fill the filter lists again (people and campaigns change), keeping the choices."""
        self._fill(self.person, "Everyone", [(m.name, m.id) for m in team.all_members()])
        campaigns = Campaign.select(Campaign.id, Campaign.name).order_by(Campaign.name)
        self._fill(self.campaign, "Any campaign", [(c.name, c.id) for c in campaigns])
        self.reload()

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[str, int]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        return {
            "member": self.person.currentData(),
            "state": self.state.currentData(),
            "kind": self.kind.currentData(),
            "campaign": self.campaign.currentData(),
        }

    def reload(self) -> None:
        """Read the first page again, with the count."""
        if not self.month:
            return
        self._generation += 1
        self.count_label.setText(WORKING)
        self.more_button.hide()
        self._read(0)

    def _read(self, offset: int) -> None:
        if self._job is not None:
            self._again = offset  # the newest wish wins once the running read ends
            return
        self._again = None
        generation, month, now = self._generation, self.month, self.clock.now()
        filters = self.filters()
        job = sla_job(lambda: read_clock_page(generation, month, now, filters, offset))
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        self.busy.emit(True)
        job.start()

    def _on_job_succeeded(self, page: ClockPage) -> None:
        if page.generation != self._generation or self._again is not None:
            return  # the filters changed while this page was read
        self.model.show_page(page)
        self._show_count()

    def _on_job_failed(self, exc: BaseException) -> None:
        self.count_label.setText("The clocks could not be read.")
        self.failed.emit(exc)

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        if self._again is not None:
            self._read(self._again)
        else:
            self.busy.emit(False)

    def is_loading(self) -> bool:
        return self._job is not None

    def wait(self) -> None:
        """Let a read in progress finish (before the database closes)."""
        while self._job is not None:
            job = self._job
            job.wait()
            if self._job is job:  # its finished signal is not delivered yet
                break

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if not total:
            self.count_label.setText("No clocks match: try another person, state or promise.")
        elif shown < total:
            self.count_label.setText(f"Showing the oldest {shown:,} of {total:,} clocks")
        else:
            self.count_label.setText(f"{total:,} clock{'s' if total != 1 else ''}")
        self.more_button.setVisible(shown < total)

    # Steps ------------------------------------------------------------------------------------

    def _on_filter_changed(self) -> None:
        self.reload()

    def _on_more_button_clicked(self) -> None:
        self.more_button.hide()
        self.count_label.setText(WORKING)
        self._read(self.model.rowCount())

    def _on_table_activated(self, index: QModelIndex) -> None:
        lead_id = index.data(LEAD_ROLE)
        if lead_id is not None:
            self.open_lead.emit(lead_id)
