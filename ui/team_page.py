"""The Team page: who is on the team and in which role, and the team's reason lists."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import team
from app.clock import Clock
from app.errors import UserError
from app.models import ROLES, Member, Reason
from ui.errors import show_problem
from ui.lead_dialogs import FormDialog

REASON_LISTS = {
    "rejection": "Why sales rejects a lead",
    "disqualification": "Why a lead is disqualified",
    "loss": "Why a deal is lost",
}


class MemberDialog(FormDialog):
    def __init__(self, member: Member | None, parent: QWidget | None = None) -> None:
        super().__init__(
            "Edit team member" if member else "Add a team member",
            "&Save" if member else "&Add",
            parent,
        )
        self.name = QLineEdit(member.name if member else "")
        self.email = QLineEdit((member.email or "") if member else "")
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role.capitalize(), role)
        self.role.setCurrentIndex(self.role.findData(member.role if member else "sales"))
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Email", self.email)
        self.form.addRow("&Role", self.role)
        self.name.textChanged.connect(self.check)
        self.email.textChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        try:
            team.check_member(self.name.text(), self.email.text().strip(), self.role.currentData())
        except UserError as exc:
            return str(exc)
        return ""


class ReasonDialog(FormDialog):
    def __init__(self, reason: Reason | None, parent: QWidget | None = None) -> None:
        super().__init__("Edit reason" if reason else "Add a reason", "&Save", parent)
        self.label = QLineEdit(reason.label if reason else "")
        self.unresponsive = QCheckBox("Means the customer could not be reached")
        self.unresponsive.setToolTip(
            "The agreement's number of contact attempts must be logged before this reason "
            "can be used."
        )
        self.unresponsive.setChecked(bool(reason and reason.unresponsive))
        self.form.addRow("&Reason", self.label)
        self.form.addRow(self.unresponsive)
        self.label.textChanged.connect(self.check)
        self.check()

    def problem_text(self) -> str:
        return "" if self.label.text().strip() else "Type the reason."


class TeamPage(QWidget):
    """Signals: changed() after people or reasons changed."""

    changed = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("teamTable")
        self.table.setHorizontalHeaderLabels(["Name", "Email", "Role", ""])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(self.edit_member)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&Add person…", self.add_member),
            ("&Edit…", self.edit_member),
            ("&Left the team / Back", self.toggle_active),
            ("&This is me", self.this_is_me),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        people = QVBoxLayout()
        people.addWidget(self.table)
        people.addLayout(buttons)
        people_box = QGroupBox("People")
        people_box.setLayout(people)

        self.reason_lists: dict[str, QListWidget] = {}
        reasons = QGridLayout()
        for column, (kind, title) in enumerate(REASON_LISTS.items()):
            listing = QListWidget()
            listing.setObjectName(f"{kind}Reasons")
            listing.itemDoubleClicked.connect(lambda _item, k=kind: self.edit_reason(k))
            self.reason_lists[kind] = listing
            row = QHBoxLayout()
            for text, slot in (
                ("Add…", self.add_reason),
                ("Edit…", self.edit_reason),
                ("Remove", self.remove_reason),
            ):
                button = QPushButton(text)
                button.clicked.connect(lambda _=False, s=slot, k=kind: s(k))
                row.addWidget(button)
            reasons.addWidget(QLabel(title), 0, column)
            reasons.addWidget(listing, 1, column)
            reasons.addLayout(row, 2, column)
        reasons_box = QGroupBox("Reason lists")
        reasons_box.setLayout(reasons)

        title = QLabel("Team")
        title.setObjectName("pageTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(people_box, 3)
        layout.addWidget(reasons_box, 2)

    def refresh(self) -> None:
        me = team.current_member()
        people = team.all_members()
        self.table.setRowCount(len(people))
        for row, member in enumerate(people):
            note = "you" if me and member.id == me.id else ("left" if not member.active else "")
            cells = (member.name, member.email or "", member.role.capitalize(), note)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, member.id)
                if not member.active:
                    item.setForeground(QColor("#8a99a3"))
                self.table.setItem(row, column, item)
        for kind, listing in self.reason_lists.items():
            listing.clear()
            for reason in team.reasons(kind):
                text = reason.label + ("  (unreachable)" if reason.unresponsive else "")
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, reason.id)
                listing.addItem(item)

    def selected_member(self) -> Member | None:
        item = self.table.item(self.table.currentRow(), 0)
        return Member.get_by_id(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _run(self, work, title: str = "Not possible") -> None:  # type: ignore[no-untyped-def]
        try:
            work()
        except UserError as exc:
            show_problem(self, exc, title)
            return
        self.refresh()
        self.changed.emit()

    def _by(self) -> dict[str, object]:
        return {"by": team.current_member(), "clock": self.clock}

    def add_member(self) -> None:
        dialog = MemberDialog(None, self)
        if dialog.exec():
            self._run(
                lambda: team.add_member(
                    dialog.name.text(),
                    dialog.email.text().strip(),
                    dialog.role.currentData(),
                    **self._by(),
                )
            )

    def edit_member(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        dialog = MemberDialog(member, self)
        if dialog.exec():
            self._run(
                lambda: team.update_member(
                    member,
                    name=dialog.name.text(),
                    email=dialog.email.text(),
                    role=dialog.role.currentData(),
                    **self._by(),
                )
            )

    def toggle_active(self) -> None:
        member = self.selected_member()
        if member is not None:
            self._run(lambda: team.set_active(member, not member.active, **self._by()))

    def this_is_me(self) -> None:
        member = self.selected_member()
        if member is not None:
            self._run(lambda: team.set_current_member(member))

    def _selected_reason(self, kind: str) -> Reason | None:
        item = self.reason_lists[kind].currentItem()
        return Reason.get_by_id(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def add_reason(self, kind: str) -> None:
        dialog = ReasonDialog(None, self)
        if dialog.exec():
            self._run(
                lambda: team.add_reason(
                    kind,
                    dialog.label.text(),
                    unresponsive=dialog.unresponsive.isChecked(),
                    **self._by(),
                )
            )

    def edit_reason(self, kind: str) -> None:
        reason = self._selected_reason(kind)
        if reason is None:
            return
        dialog = ReasonDialog(reason, self)
        if dialog.exec():
            self._run(
                lambda: team.update_reason(
                    reason,
                    label=dialog.label.text(),
                    unresponsive=dialog.unresponsive.isChecked(),
                    **self._by(),
                )
            )

    def remove_reason(self, kind: str) -> None:
        reason = self._selected_reason(kind)
        if reason is not None:
            self._run(lambda: team.remove_reason(reason, **self._by()))
