"""The leads table as a Qt model: counts and pages rows from SQL, fetching only what is painted."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app import lead_list
from app.lead_list import LeadFilter, LeadRow
from app.leads import STAGE_WORDS
from ui.jobs import Job

PAGE = 100
KEPT_PAGES = 30  # a few thousand rows around where the user looks; older pages are dropped
ID_ROLE = Qt.ItemDataRole.UserRole

# (header, how a row shows in it, the sort key or None when the column does not sort)
COLUMNS: list[tuple[str, Any, str | None]] = [
    ("Name", lambda r: r.name, "name"),
    ("Company", lambda r: r.company, "company"),
    ("Email", lambda r: r.email, "email"),
    ("Phone", lambda r: r.phone, "phone"),
    ("Stage", lambda r: STAGE_WORDS[r.stage].capitalize(), "stage"),
    ("Temperature", lambda r: r.temperature.capitalize(), None),
    ("Source", lambda r: r.campaign or r.source.replace("_", " ").capitalize(), None),
    ("Sales owner", lambda r: r.sales_owner or "", None),
    ("Created", lambda r: r.created_at.strftime("%Y-%m-%d"), "created"),
]
SORTABLE = {index for index, (_h, _s, key) in enumerate(COLUMNS) if key}

Index = QModelIndex | QPersistentModelIndex


class LeadTableModel(QAbstractTableModel):
    """Keeps recently painted pages; everything else stays in SQL. The first page shows at
    once; the full count (a scan of every matching lead) arrives from a background job.

    Signals: counted(total) once the row count is exact."""

    counted = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = LeadFilter()
        self._sort = "created"
        self._descending = True
        self._count = 0
        self._exact = True
        self._pages: OrderedDict[int, list[LeadRow]] = OrderedDict()
        self._counting: set[Job] = set()
        self._generation = 0  # a count started for an older filter is ignored

    # Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return None if section in SORTABLE else "Narrow the list with the filters above"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self.row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](row)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and row.paused_until:
            return f"Paused until {row.paused_until:%d %B %Y}: the customer asked to be called then"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload(recount=False)  # the same leads in another order: the count stands

    # Tandem's interface -----------------------------------------------------------------------

    def set_filter(self, lead_filter: LeadFilter) -> None:
        self._filter = lead_filter
        self.reload()

    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter

    def sort_order(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def is_counted(self) -> bool:
        return self._exact

    def reload(self, recount: bool = True) -> None:
        """Forget the kept pages and show the first; count again unless only the order changed."""
        self.beginResetModel()
        self._pages.clear()
        if recount or not self._exact:
            self._generation += 1
            first = lead_list.page(self._filter, self._sort, self._descending, 0, PAGE)
            self._pages[0] = first
            self._exact = len(first) < PAGE  # a short first page is the whole list
            self._count = len(first)
        self.endResetModel()
        if self._exact:
            self.counted.emit(self._count)
        else:
            self._count_in_background()

    def _count_in_background(self) -> None:
        generation, lead_filter = self._generation, self._filter
        job = Job(lambda _progress: (generation, lead_list.count(lead_filter)), None)
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

    def row(self, number: int) -> LeadRow | None:
        page_number, offset = divmod(number, PAGE)
        page = self._pages.get(page_number)
        if page is None:
            total = self._count if self._exact else None
            page = lead_list.page(
                self._filter, self._sort, self._descending, page_number * PAGE, PAGE, total
            )
            self._pages[page_number] = page
            if len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def row_of(self, lead_id: int) -> int | None:
        """The row of a lead among the kept pages, to keep it selected across a reload."""
        for page_number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == lead_id:
                    return page_number * PAGE + offset
        return None
