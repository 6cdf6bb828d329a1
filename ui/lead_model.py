"""The leads table as a Qt model: counts and pages rows from SQL, fetching only what is painted."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app import lead_list
from app.lead_list import LeadFilter, LeadRow
from app.leads import STAGE_WORDS

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
    """Knows the row count and keeps recently painted pages; everything else stays in SQL."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = LeadFilter()
        self._sort = "created"
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[LeadRow]] = OrderedDict()

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
        self.reload()

    # Tandem's interface -----------------------------------------------------------------------

    def set_filter(self, lead_filter: LeadFilter) -> None:
        self._filter = lead_filter
        self.reload()

    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter

    def sort_order(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def reload(self) -> None:
        """Count again and forget the kept pages (after a change, a filter or a sort)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = lead_list.count(self._filter)
        self.endResetModel()

    def row(self, number: int) -> LeadRow | None:
        page_number, offset = divmod(number, PAGE)
        page = self._pages.get(page_number)
        if page is None:
            page = lead_list.page(
                self._filter, self._sort, self._descending, page_number * PAGE, PAGE
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
