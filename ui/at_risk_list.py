"""Leads whose SLA clock is at risk now or already breached, oldest first: what to do first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app import sla, team
from app.clock import Clock
from app.sla import ClockReading
from ui.jobs import Job
from ui.sla_clocks_list import (
    KIND_WORDS,
    STATE_BACKGROUNDS,
    STATE_COLOURS,
    STATE_TIPS,
    STATE_WORDS,
    WORKING,
    left_or_over,
    sla_job,
)

LIMIT = 100
HEADERS = ["Lead", "Promise", "State", "Time left or over", "Salesperson"]
LEAD_ROLE = Qt.ItemDataRole.UserRole
# At-risk clocks first: there is still time to keep the promise. Each group oldest first.
GROUPS = (
    ("at_risk", "At risk now: act before the promised time runs out"),
    ("breached", "Breached: the promised time has passed"),
)


@dataclass(frozen=True)
class AtRisk:
    """One read: the clocks at risk or breached for a member (None: everyone), with names."""

    member: int | None
    readings: list[ClockReading]
    names: dict[int, str]


def read_at_risk(member: int | None, now: dt.datetime) -> AtRisk:
    """Runs in a Job."""
    readings = sla.at_risk_now(now=now, member=member, limit=LIMIT)
    return AtRisk(member, readings, {m.id: m.name for m in team.all_members()})


class AtRiskList(QWidget):
    """A compact list for the Dashboard and My day, read in the background.

    Signals: open_lead(lead_id) on a double-click or Enter; failed(exception) when the clocks
    could not be read."""

    open_lead = Signal(int)
    failed = Signal(object)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.member: int | None = None
        self._job: Job | None = None
        self._again = False
        self.title = QLabel("<b>At risk now and breached</b>")
        self.title.setObjectName("atRiskTitle")
        self.tree = QTreeWidget()
        self.tree.setObjectName("atRiskList")
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(10)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.headerItem().setToolTip(3, "Business time: only the team's working hours count")
        for column, width in enumerate((180, 110, 70, 200)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree, 1)

    def set_member(self, member_id: int | None) -> None:
        """Show one person's leads, or everyone's (None); reads again (no refresh() needed)."""
        self.member = member_id
        self.refresh()

    def refresh(self) -> None:
        """Read the clocks again in the background."""
        if self._job is not None:
            self._again = True
            return
        self._again = False
        self.title.setText(f"<b>At risk now and breached</b> — {WORKING}")
        member, now = self.member, self.clock.now()
        job = sla_job(lambda: read_at_risk(member, now))
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        job.start()

    def is_loading(self) -> bool:
        return self._job is not None

    def wait(self) -> None:
        """Let a read in progress finish (before the database closes)."""
        while self._job is not None:
            job = self._job
            job.wait()
            if self._job is job:  # its finished signal is not delivered yet
                break

    def _on_job_succeeded(self, found: AtRisk) -> None:
        if self._again or found.member != self.member:
            return
        readings = found.readings
        leads = len({reading.lead_id for reading in readings})
        more = "+" if len(readings) >= LIMIT else ""
        title = "<b>At risk now and breached</b>"
        if readings:
            title += f" — {leads}{more} lead{'s' if leads != 1 else ''}, oldest first"
        self.title.setText(title)
        self.tree.clear()
        for state, heading in GROUPS:
            shown = [reading for reading in readings if reading.state == state]
            if not shown:
                continue
            group = QTreeWidgetItem([f"{heading} ({len(shown)}{more})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setForeground(0, QBrush(STATE_COLOURS[state]))
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for reading in shown:
                group.addChild(self._item(reading, found.names))
            group.setExpanded(True)
        if not readings:
            whose = "lead handed to this person" if self.member is not None else "handed-over lead"
            item = QTreeWidgetItem([f"Nothing at risk: every {whose} is within its promised time."])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)

    @staticmethod
    def _item(reading: ClockReading, names: dict[int, str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            [
                reading.lead,
                KIND_WORDS.get(reading.kind, reading.kind),
                STATE_WORDS.get(reading.state, reading.state),
                left_or_over(reading),
                names.get(reading.member_id or 0, "—"),
            ]
        )
        item.setData(0, LEAD_ROLE, reading.lead_id)
        colour = STATE_COLOURS[reading.state]
        item.setForeground(2, QBrush(colour))
        item.setForeground(3, QBrush(colour))
        item.setBackground(2, QBrush(STATE_BACKGROUNDS[reading.state]))
        item.setToolTip(2, STATE_TIPS[reading.state])
        item.setToolTip(3, item.text(3))
        return item

    def _on_job_failed(self, exc: BaseException) -> None:
        self.title.setText("<b>At risk now and breached</b> — could not be read")
        self.failed.emit(exc)

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        if self._again:
            self.refresh()

    def rows(self) -> list[tuple[int, str, str, str]]:
        """(lead id, lead, promise, state) of each clock listed, top to bottom."""
        found = []
        for group in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(group)
            for child in range(top.childCount() if top is not None else 0):
                item = top.child(child) if top is not None else None
                if item is not None:
                    lead_id = item.data(0, LEAD_ROLE)
                    found.append((lead_id, item.text(0), item.text(1), item.text(2)))
        return found

    def lead_ids(self) -> list[int]:
        """The leads listed, top to bottom."""
        return [row[0] for row in self.rows()]

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        lead_id = item.data(0, LEAD_ROLE)
        if lead_id is not None:
            self.open_lead.emit(lead_id)
