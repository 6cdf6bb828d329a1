"""Dialogs about any kind of record: its history from the audit log, and the trash."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import audit, team, trash
from app.clock import Clock
from app.errors import UserError
from ui.errors import show_problem

KIND_WORDS = {"lead": "Lead", "deal": "Deal", "campaign": "Campaign", "activity": "Activity"}


class HistoryDialog(QDialog):
    """Who changed what and when, newest first."""

    def __init__(self, table: str, row_id: int, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"History of {title}")
        self.resize(640, 420)
        self.entries = QTreeWidget()
        self.entries.setHeaderLabels(["When (UTC)", "Who", "What"])
        self.entries.setRootIsDecorated(True)
        for change in audit.readable_history(table, row_id):
            item = QTreeWidgetItem(
                [f"{change.at:%d %b %Y %H:%M}", change.member or "—", change.action.capitalize()]
            )
            for line in change.changes:
                item.addChild(QTreeWidgetItem(["", "", line]))
            self.entries.addTopLevelItem(item)
            item.setExpanded(True)
        self.entries.resizeColumnToContents(0)
        empty = QLabel("No changes have been recorded for this record yet.")
        empty.setVisible(self.entries.topLevelItemCount() == 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.entries)
        layout.addWidget(buttons)


class TrashCommand(QUndoCommand):
    """Moving a record to the trash (or back out), undoable with Ctrl+Z; after(message) runs
    when it worked, so the page can reload and say what happened."""

    def __init__(
        self,
        parent_widget: QWidget,
        clock: Clock,
        kind: str,
        record_id: int,
        title: str,
        after: Callable[[str], None],
        restore: bool = False,
    ) -> None:
        super().__init__(f"{'restore' if restore else 'delete'} {title}")
        self.widget, self.clock, self.kind, self.record_id = parent_widget, clock, kind, record_id
        self.title, self.after, self.restoring = title, after, restore

    def _apply(self, to_trash: bool) -> None:
        by = {"by": team.current_member(), "clock": self.clock}
        try:
            if to_trash:
                trash.move_to_trash(self.kind, self.record_id, **by)
            else:
                trash.restore(self.kind, self.record_id, **by)
        except UserError as exc:
            show_problem(self.widget, exc, "Not possible")
            self.setObsolete(True)
            return
        where = "moved to the trash (Ctrl+Z to undo)" if to_trash else "restored"
        self.after(f"{self.title} {where}.")

    def redo(self) -> None:
        self._apply(to_trash=not self.restoring)

    def undo(self) -> None:
        self._apply(to_trash=self.restoring)


class TrashDialog(QDialog):
    """Everything deleted, most recent first; Restore brings the chosen records back."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.restored = 0
        self.setWindowTitle("Trash")
        self.resize(620, 420)
        self.items = QTreeWidget()
        self.items.setHeaderLabels(["What", "Name", "Deleted (UTC)"])
        self.items.setRootIsDecorated(False)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Deleted records stay here until you restore them."))
        layout.addWidget(self.items)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        self.items.clear()
        for record in trash.in_trash():
            item = QTreeWidgetItem(
                [KIND_WORDS[record.kind], record.title, f"{record.deleted_at:%d %b %Y %H:%M}"]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, (record.kind, record.id))
            self.items.addTopLevelItem(item)
        self.items.resizeColumnToContents(1)
        self.restore_button.setEnabled(self.items.topLevelItemCount() > 0)

    def _on_restore_button_clicked(self) -> None:
        by = {"by": team.current_member(), "clock": self.clock}
        for item in self.items.selectedItems():
            kind, record_id = item.data(0, Qt.ItemDataRole.UserRole)
            try:
                trash.restore(kind, record_id, **by)
            except UserError as exc:
                show_problem(self, exc, "Not possible")
                continue
            self.restored += 1
        self.load()
