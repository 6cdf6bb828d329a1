"""A table whose rows live in SQL: the first page shows at once, the exact count follows from a
background job, and only the pages being painted are read (the newest few are kept)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ui.jobs import Job

PAGE = 100
KEPT_PAGES = 30  # a few thousand rows around where the user looks; older pages are dropped
ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex
# (header, how a row shows in the column, the sort key or None when the column does not sort)
Column = tuple[str, Callable[[Any], str], str | None]


class SqlPagedModel(QAbstractTableModel):
    """Subclasses give the columns and two readers: count(filter) and
    page(filter, sort, descending, offset, limit, total) -> rows with an `id`.

    Signals: counted(total) once the row count is exact."""

    counted = Signal(int)

    def __init__(
        self,
        columns: Sequence[Column],
        list_filter: Any,
        sort: str,
        descending: bool,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._filter = list_filter
        self._sort = sort
        self._descending = descending
        self._count = 0
        self._exact = True
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._counting: set[Job] = set()
        self._generation = 0  # a count started for an older filter is ignored

    # What subclasses provide ------------------------------------------------------------------

    def count_rows(self, list_filter: Any) -> int:
        raise NotImplementedError

    def read_page(
        self,
        list_filter: Any,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        total: int | None,
    ) -> list[Any]:
        raise NotImplementedError

    def more_data(self, row: Any, column: int, role: int) -> Any:
        """Roles beyond the text and the id (tooltips, colours, alignment)."""
        return None

    # Qt's model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section][0]
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section][2] is None:
            return "Narrow the list with the filters above"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = self.row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][1](row)
        if role == ID_ROLE:
            return row.id
        return self.more_data(row, index.column(), role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self._columns[column][2] if 0 <= column < len(self._columns) else None
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.reload(recount=False)  # the same rows in another order: the count stands

    # Tandem's interface -----------------------------------------------------------------------

    def set_filter(self, list_filter: Any) -> None:
        self._filter = list_filter
        self.reload()

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
            first = self.read_page(self._filter, self._sort, self._descending, 0, PAGE, None)
            self._pages[0] = first
            self._exact = len(first) < PAGE  # a short first page is the whole list
            self._count = len(first)
        self.endResetModel()
        if self._exact:
            self.counted.emit(self._count)
        else:
            self._count_in_background()

    def _count_in_background(self) -> None:
        generation, list_filter = self._generation, self._filter
        job = Job(lambda _progress: (generation, self.count_rows(list_filter)), None)
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

    def row(self, number: int) -> Any:
        page_number, offset = divmod(number, PAGE)
        page = self._pages.get(page_number)
        if page is None:
            total = self._count if self._exact else None
            page = self.read_page(
                self._filter, self._sort, self._descending, page_number * PAGE, PAGE, total
            )
            self._pages[page_number] = page
            if len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def row_of(self, record_id: int) -> int | None:
        """The row of a record among the kept pages, to keep it selected across a reload."""
        for page_number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == record_id:
                    return page_number * PAGE + offset
        return None
