"""The deals list: every deal, filtered and sorted in SQL, fetching only the rows painted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import pipeline, team
from app.models import DEAL_STAGES
from app.pipeline import DealFilter, DealRow
from ui.paged_model import ID_ROLE, SqlPagedModel
from ui.pipeline_board import STAGE_TITLES, money

SEARCH_PAUSE_MS = 250
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


def _close(row: DealRow) -> str:
    return f"{row.expected_close:%Y-%m-%d}" if row.expected_close else ""


# (header, how a row shows in it, the sort key or None, right-aligned)
COLUMNS: list[tuple[str, Any, str | None, bool]] = [
    ("Title", lambda r: r.title, "title", False),
    ("Customer", lambda r: r.customer, None, False),
    ("Stage", lambda r: STAGE_TITLES[r.stage], "stage", False),
    ("Value", lambda r: money(r.value, r.currency), "value", True),
    ("Probability", lambda r: f"{r.probability}%", None, True),
    ("Expected close", _close, "expected_close", False),
    ("Owner", lambda r: r.owner or "", None, False),
]
SORTABLE = {index for index, (_h, _s, key, _r) in enumerate(COLUMNS) if key}
CLOSE_COLUMN = 5


class DealTableModel(SqlPagedModel):
    """The deals list, paged from SQL (see ui/paged_model.py)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [(header, show, key) for header, show, key, _right in COLUMNS],
            DealFilter(stage="open"),
            "expected_close",
            False,
            parent,
        )
        self.today: dt.date | None = None  # close dates before it read as late

    @property
    def deal_filter(self) -> DealFilter:
        return self._filter  # type: ignore[no-any-return]

    def count_rows(self, list_filter: Any) -> int:
        return pipeline.count(list_filter)

    def read_page(
        self,
        list_filter: Any,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        total: int | None,
    ) -> list[DealRow]:
        return pipeline.page(list_filter, sort, descending, offset, limit, total)

    def more_data(self, row: DealRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column][3]:
            return int(RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and column == CLOSE_COLUMN:
            late = (
                row.stage not in ("won", "lost")
                and row.expected_close is not None
                and self.today is not None
                and row.expected_close < self.today
            )
            return Qt.GlobalColor.darkRed if late else None
        if role == Qt.ItemDataRole.ToolTipRole and column == CLOSE_COLUMN and row.expected_close:
            return f"Expected to close {row.expected_close:%A %d %B %Y}"
        return None


class DealTable(QTableView):
    """The deals table; Enter opens the current deal.

    Signals: open_pressed(index)."""

    open_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_pressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class DealList(QWidget):
    """The deals list with its search and filters.

    Signals: open_requested(deal_id) on double-click or Enter; selection_changed()."""

    open_requested = Signal(int)
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DealTableModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("dealSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Search deal titles and customers")
        self.stage = QComboBox()
        self.stage.addItem("Open deals", "open")
        self.stage.addItem("All deals", None)
        for stage in DEAL_STAGES:
            self.stage.addItem(STAGE_TITLES[stage], stage)
        self.owner = QComboBox()
        self.owner.addItem("Anyone", None)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.table = DealTable()
        self.table.setObjectName("dealTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CLOSE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((230, 165, 100, 110, 80, 105)):
            self.table.setColumnWidth(column, width)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.stage, 1)
        filters.addWidget(self.owner, 1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.stage.currentIndexChanged.connect(self.apply_filter)
        self.owner.currentIndexChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.open_pressed.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.counted.connect(self._on_model_counted)
        self.model.modelReset.connect(self._on_model_model_reset)

    def refresh(self) -> None:
        """Reload the owners and the rows, keeping the selected deal where it can."""
        self._fill_owners()
        selected = self.selected_id()
        self.model.reload()
        if selected is not None:
            self.select_deal(selected)

    def _fill_owners(self) -> None:
        current = self.owner.currentData()
        self.owner.blockSignals(True)
        while self.owner.count() > 1:
            self.owner.removeItem(1)
        for person in team.members():
            self.owner.addItem(person.name, person.id)
        self.owner.setCurrentIndex(max(0, self.owner.findData(current)))
        self.owner.blockSignals(False)

    def current_filter(self) -> DealFilter:
        return DealFilter(
            text=self.search.text(),
            stage=self.stage.currentData(),
            owner_id=self.owner.currentData(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        deal_id: int = index.data(ID_ROLE)
        return deal_id

    def select_deal(self, deal_id: int) -> bool:
        row = self.model.row_of(deal_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def _on_model_model_reset(self) -> None:
        if not self.model.is_counted():
            self.count_label.setText("counting…")
        self.selection_changed.emit()

    def _on_model_counted(self, count: int) -> None:
        self.count_label.setText(f"{count:,} deal{'s' if count != 1 else ''}")

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        deal_id = index.data(ID_ROLE)
        if deal_id is not None:
            self.open_requested.emit(deal_id)

    def _on_table_selection_changed(self, _selected: Any, _deselected: Any) -> None:
        self.selection_changed.emit()
