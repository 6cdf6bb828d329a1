"""My day: what one person should do today, oldest and most overdue first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import company, my_day, team
from app.clock import Clock
from ui.at_risk_list import AtRiskList
from ui.jobs import Job


def _tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    return tree


class MyDayPage(QWidget):
    """Signals: open_lead(lead_id) when the user wants a lead; failed(exception)."""

    open_lead = Signal(int)
    failed = Signal(object)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self._job: Job | None = None
        self.at_risk = AtRiskList(clock)
        self.at_risk.open_lead.connect(self.open_lead)
        self.at_risk.failed.connect(self.failed)
        self.person = QComboBox()
        self.waiting = _tree(["Lead", "Handed over", "Waiting"])
        self.waiting.setObjectName("waitingList")
        self.follow_ups = _tree(["Lead or deal", "Due", "Last time"])
        self.follow_ups.setObjectName("followUpList")
        for tree in (self.waiting, self.follow_ups):
            tree.itemActivated.connect(self._on_tree_item_activated)
        self.waiting_title = QLabel()
        self.follow_up_title = QLabel()
        title = QLabel("My day")
        title.setObjectName("pageTitle")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        heading.addWidget(QLabel("For:"))
        heading.addWidget(self.person)
        hint = QLabel("Double-click or press Enter on a lead to open it.")
        hint.setObjectName("promise")
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(QLabel("<b>SLA clocks at risk or breached</b>"))
        layout.addWidget(self.at_risk, 1)
        layout.addWidget(self.waiting_title)
        layout.addWidget(self.waiting, 1)
        layout.addWidget(self.follow_up_title)
        layout.addWidget(self.follow_ups, 1)
        layout.addWidget(hint)
        self.person.currentIndexChanged.connect(self._load)

    def refresh(self) -> None:
        me = team.current_member()
        chosen = self.person.currentData() if self.person.count() else (me.id if me else None)
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", None)
        for member in team.members():
            self.person.addItem(member.name, member.id)
        self.person.setCurrentIndex(max(0, self.person.findData(chosen)))
        self.person.blockSignals(False)
        self._load()

    def wait(self) -> None:
        self.at_risk.wait()
        if self._job is not None:
            self._job.wait()

    def _load(self) -> None:
        if self._job is not None:
            self._job.wait()  # a quick read; the newest choice wins
        member_id = self.person.currentData()
        today = company.today(self.clock)
        job = Job(
            lambda _progress: (
                my_day.waiting_for_first_contact(member_id),
                my_day.follow_ups_due(member_id, today),
                today,
            ),
            self,
        )
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self.failed)
        job.finished.connect(self._on_job_finished)
        self._job = job
        job.start()
        self.at_risk.set_member(member_id)

    def _on_job_finished(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None

    def _on_job_succeeded(self, result: tuple[list, list, object]) -> None:  # type: ignore[type-arg]
        waiting, follow_ups, today = result
        now = self.clock.now()
        self.waiting_title.setText(
            f"<b>Waiting for a first call, email or meeting</b> "
            f"({len(waiting)}{'+' if len(waiting) >= my_day.LIMIT else ''})"
        )
        self.waiting.clear()
        for row in waiting:
            hours = (now - row.handed_over_at).total_seconds() / 3600
            age = f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"
            if row.paused_until:
                age += f" (paused until {row.paused_until:%d %b})"
            item = QTreeWidgetItem([row.name, f"{row.handed_over_at:%d %b %H:%M}", age])
            item.setData(0, Qt.ItemDataRole.UserRole, row.lead_id)
            self.waiting.addTopLevelItem(item)
        self.follow_up_title.setText(
            f"<b>Follow-ups due today or overdue</b> ({len(follow_ups)}"
            f"{'+' if len(follow_ups) >= my_day.LIMIT else ''})"
        )
        self.follow_ups.clear()
        for row in follow_ups:
            late = (today - row.due).days
            due = "today" if late == 0 else f"{row.due:%d %b} ({late} days late)"
            item = QTreeWidgetItem([row.title, due, f"{row.last_kind}: {row.last_outcome}"])
            item.setData(0, Qt.ItemDataRole.UserRole, row.lead_id)
            self.follow_ups.addTopLevelItem(item)
        for tree in (self.waiting, self.follow_ups):
            tree.resizeColumnToContents(0)

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        lead_id = item.data(0, Qt.ItemDataRole.UserRole)
        if lead_id is not None:
            self.open_lead.emit(lead_id)
