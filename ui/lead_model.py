"""The leads table as a Qt model over app.lead_list, paged from SQL (see ui/paged_model.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app import lead_list
from app.lead_list import LeadFilter, LeadRow
from app.leads import STAGE_WORDS
from ui.paged_model import ID_ROLE, PAGE, Column, SqlPagedModel

__all__ = ["COLUMNS", "ID_ROLE", "PAGE", "LeadTableModel"]

COLUMNS: list[Column] = [
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


class LeadTableModel(SqlPagedModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, LeadFilter(), "created", True, parent)

    @property
    def lead_filter(self) -> LeadFilter:
        return self._filter  # type: ignore[no-any-return]

    def count_rows(self, list_filter: Any) -> int:
        return lead_list.count(list_filter)

    def read_page(
        self,
        list_filter: Any,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        total: int | None,
    ) -> list[LeadRow]:
        return lead_list.page(list_filter, sort, descending, offset, limit, total)

    def more_data(self, row: LeadRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and row.paused_until:
            return f"Paused until {row.paused_until:%d %B %Y}: the customer asked to be called then"
        return None
