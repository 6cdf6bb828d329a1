"""The deals list: every deal, filtered and sorted in SQL, fetching only the rows painted."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
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
from ui.jobs import Job
from ui.pipeline_board import STAGE_TITLES, money

PAGE = 100
KEPT_PAGES = 30
ID_ROLE = Qt.ItemDataRole.UserRole
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


class DealTableModel(QAbstractTableModel):
    """Keeps recently painted pages; everything else stays in SQL. The first page shows at once;
    the exact count arrives from a background job.

    Signals: counted(total) once the row count is exact."""

    counted = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = DealFilter(stage="open")
        self._sort = "expected_close"
        self._descending = False
        self._count = 0
        self._exact = True
        self._pages: OrderedDict[int, list[DealRow]] = OrderedDict()
        self._counting: set[Job] = set()
        self._generation = 0  # a count started for an older filter is ignored
        self.today: dt.date | None = None  # close dates before it read as late

    # Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole and section not in SORTABLE:
            return "Narrow the list with the filters above"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](row)
        if role == ID_ROLE:
            return row.id
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

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload(recount=False)  # the same deals in another order: the count stands

    # Tandem's interface -----------------------------------------------------------------------

    def set_filter(self, deal_filter: DealFilter) -> None:
        self._filter = deal_filter
        self.reload()

    @property
    def deal_filter(self) -> DealFilter:
        return self._filter

    def is_counted(self) -> bool:
        return self._exact

    def reload(self, recount: bool = True) -> None:
        """Forget the kept pages and show the first; count again unless only the order changed."""
        self.beginResetModel()
        self._pages.clear()
        if recount or not self._exact:
            self._generation += 1
            first = pipeline.page(self._filter, self._sort, self._descending, 0, PAGE)
            self._pages[0] = first
            self._exact = len(first) < PAGE  # a short first page is the whole list
            self._count = len(first)
        self.endResetModel()
        if self._exact:
            self.counted.emit(self._count)
        else:
            self._count_in_background()

    def _count_in_background(self) -> None:
        generation, deal_filter = self._generation, self._filter
        job = Job(lambda _progress: (generation, pipeline.count(deal_filter)), None)
        job.succeeded.connect(self._on_count_succeeded)
        job.finished.connect(lambda: self._forget(job))
        self._counting.add(job)
        job.start()

    def _forget(self, job: Job) -> None:
        self._counting.discard(job)
        job.deleteLater()

    def _on_count_succeeded(self, result: tuple[int, int]) -> None:
        generation, total = result
        if generation != self._generation:
            return
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        self._exact = True
        self.counted.emit(total)

    def wait(self) -> None:
        """Let counts in progress finish (before the database closes)."""
        for job in list(self._counting):
            job.wait()

    def row(self, number: int) -> DealRow | None:
        page_number, offset = divmod(number, PAGE)
        page = self._pages.get(page_number)
        if page is None:
            total = self._count if self._exact else None
            page = pipeline.page(
                self._filter, self._sort, self._descending, page_number * PAGE, PAGE, total
            )
            self._pages[page_number] = page
            if len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def row_of(self, deal_id: int) -> int | None:
        """The row of a deal among the kept pages, to keep it selected across a reload."""
        for page_number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == deal_id:
                    return page_number * PAGE + offset
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
