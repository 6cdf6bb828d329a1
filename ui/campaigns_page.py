"""The Campaigns page: every campaign with what it cost and brought, and its steps and spend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import campaign_results, campaigns, company, team
from app.campaign_results import CampaignResults, CampaignRow
from app.campaigns import EARLIER_SPEND_NOTE
from app.clock import Clock
from app.errors import UserError
from app.models import CAMPAIGN_STATUSES, CHANNEL_WORDS, Campaign
from ui.campaign_dialog import CampaignDialog, SpendDialog
from ui.errors import show_problem
from ui.jobs import Job
from ui.record_dialogs import HistoryDialog, TrashCommand

ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
NONE = "—"  # a figure that cannot be worked out (nothing to divide by)
REACH_COUNTED = {
    "impressions": "impressions",
    "clicks": "clicks or visits",
    "engagements": "engagements",
}
Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LOSS_COLOUR = QColor("#b3261e")


def _rounded(value: Decimal, cents: bool) -> str:
    # Half a unit rounds up, as on a receipt (Decimal's own format rounds half to even).
    places = Decimal("0.01") if cents else Decimal(1)
    return f"{value.quantize(places, rounding=ROUND_HALF_UP):,}"


def money(amount: Decimal | None, currency: str, cents: bool = False) -> str:
    return NONE if amount is None else f"{_rounded(amount, cents)} {currency}"


def percent(ratio: Decimal | None) -> str:
    """A return as people say it: +233% came back three times and a third; −100% nothing."""
    if ratio is None:
        return NONE
    return f"{ratio * 100:+,.0f}%".replace("-", "−")


def day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else NONE


def dates(row: CampaignRow) -> str:
    if row.ends_on is None:
        return f"from {day(row.starts_on)}"
    if row.ends_on.year == row.starts_on.year:
        return f"{row.starts_on.day} {row.starts_on:%b} – {day(row.ends_on)}"
    return f"{day(row.starts_on)} – {day(row.ends_on)}"


def amount(value: Decimal | None, cents: bool = False) -> str:
    """Money in the list, whose headers name the currency."""
    return NONE if value is None else _rounded(value, cents)


# (header, the text shown, the value sorted by: None sorts last). Money headers get the currency.
COLUMNS: list[tuple[str, Callable[[CampaignRow], str], Callable[[CampaignRow], Any]]] = [
    ("Name", lambda r: r.name, lambda r: r.name.casefold()),
    ("Channel", lambda r: CHANNEL_WORDS[r.channel], lambda r: CHANNEL_WORDS[r.channel]),
    ("Status", lambda r: r.status.capitalize(), lambda r: CAMPAIGN_STATUSES.index(r.status)),
    ("Dates", dates, lambda r: r.starts_on),
    ("Budget", lambda r: amount(r.planned_budget), lambda r: r.planned_budget),
    ("Spend", lambda r: amount(r.spend), lambda r: r.spend),
    ("Leads", lambda r: f"{r.leads:,}", lambda r: r.leads),
    ("Won\ndeals", lambda r: f"{r.deals_won:,}", lambda r: r.deals_won),
    ("Cost/lead", lambda r: amount(r.cost_per_lead, True), lambda r: r.cost_per_lead),
    ("Return\non spend", lambda r: percent(r.return_on_spend), lambda r: r.return_on_spend),
]
MONEY = {"Budget", "Spend", "Cost/lead"}
NUMERIC = MONEY | {"Leads", "Won\ndeals", "Return\non spend"}
TOOLTIPS = {
    "Dates": "Sorted by the start date",
    "Leads": "Leads that came from the campaign (outside the trash)",
    "Won\ndeals": "Deals won from the campaign's leads",
    "Cost/lead": "Cost per lead: spend ÷ leads",
    "Return\non spend": "(Revenue from won deals − spend) ÷ spend",
}


class CampaignTableModel(QAbstractTableModel):
    """The campaigns list: few rows, so it holds them all as plain values (no peewee objects)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CampaignRow] = []
        self.currency = ""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        header = COLUMNS[section][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{header}\n({self.currency})" if header in MONEY and self.currency else header
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(header)
        if role == Qt.ItemDataRole.TextAlignmentRole and header in NUMERIC:
            return int(RIGHT)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        header, show, sort_key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(row)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and header == "Name":
            return row.name  # the column may be too narrow for the whole name
        if role == SORT_ROLE:
            return _SortKey(sort_key(row))
        if role == Qt.ItemDataRole.TextAlignmentRole and header in NUMERIC:
            return int(RIGHT)
        if role == Qt.ItemDataRole.ForegroundRole and header == "Return\non spend":
            ratio = row.return_on_spend
            return LOSS_COLOUR if ratio is not None and ratio < 0 else None
        return None

    def set_rows(self, rows: list[CampaignRow], currency: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.currency = currency
        self.endResetModel()

    def row(self, number: int) -> CampaignRow:
        return self._rows[number]

    def row_of(self, campaign_id: int) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row.id == campaign_id), None)


class _SortKey:
    """Wraps a column's value so the proxy can compare it in Python, with no value last."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class CampaignFilterModel(QSortFilterProxyModel):
    """Filters the list by status, channel and text; sorts on each column's real value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.channel: str | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def set_filter(self, status: str | None, channel: str | None, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 on; the older call is deprecated there
            self.beginFilterChange()
            self.status, self.channel, self.text = status, channel, text.strip().casefold()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.status, self.channel, self.text = status, channel, text.strip().casefold()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if not isinstance(source, CampaignTableModel):
            return True
        row = source.row(source_row)
        if self.status and row.status != self.status:
            return False
        if self.channel and row.channel != self.channel:
            return False
        words = f"{row.name} {row.owner} {CHANNEL_WORDS[row.channel]}".casefold()
        return not self.text or self.text in words

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        a, b = getattr(a, "value", None), getattr(b, "value", None)
        if a is None or b is None:
            # Figures that cannot be worked out go after those that can, in either order.
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return (a is not None and b is None) != descending
        return bool(a < b)


class CampaignDetail(QWidget):
    """The selected campaign: its facts, the steps it can take, its results and its spend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.facts, self.fact = self._form(
            ("Channel", "Status", "Dates", "Owner", "Objective", "Audience", "Budget", "Reach")
        )
        self.results, self.figure = self._figures(
            ("Leads", "Qualified", "Handed over", "Accepted", "Rejected", "Deals won"),
            (
                "Spend",
                "Revenue",
                "Cost per lead",
                "Cost per qualified lead",
                "Cost per won deal",
                "Return on spend",
            ),
        )
        self.reasons = self._table(["Rejected because", "Leads"])
        self.no_rejections = QLabel("Sales has rejected none of its leads.")
        self.no_rejections.setObjectName("promise")
        self.no_rejections.hide()
        self.spend = self._table(["Spent on", "Amount", "Note"])
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(4)
        self.spend_row = QHBoxLayout()  # the caption, and the step on a selected entry
        self.spend_row.addWidget(_caption("Spend entries"))
        self.spend_row.addStretch()
        self.empty = QLabel("Select a campaign to see what it cost and what it brought.")
        self.empty.setObjectName("promise")
        self.empty.setWordWrap(True)

        # The steps sit beside the title, so they stay in view however long the facts run.
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addLayout(self.actions_row)
        left = QVBoxLayout()
        left.addWidget(self.facts)
        left.addStretch()
        middle = QVBoxLayout()
        middle.addWidget(_caption("Results"))
        middle.addWidget(self.results)
        middle.addStretch()
        right = QVBoxLayout()
        right.addWidget(_caption("Rejections by reason"))
        right.addWidget(self.reasons)
        right.addWidget(self.no_rejections)
        right.addLayout(self.spend_row)
        right.addWidget(self.spend, 1)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(top)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(middle, 3)
        columns.addLayout(right, 4)
        body.addLayout(columns, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)
        self.show_campaign(None, "")

    @staticmethod
    def _form(names: tuple[str, ...]) -> tuple[QWidget, dict[str, QLabel]]:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        labels = {}
        for name in names:
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            labels[name] = label
            form.addRow(f"{name}:", label)
        return box, labels

    @staticmethod
    def _figures(*columns: tuple[str, ...]) -> tuple[QWidget, dict[str, QLabel]]:
        """Columns of caption and right-aligned figure, side by side to keep the pane short."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        labels = {}
        for number, names in enumerate(columns):
            for row, name in enumerate(names):
                label = QLabel()
                label.setObjectName("figure")
                label.setAlignment(RIGHT)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                labels[name] = label
                grid.addWidget(QLabel(f"{name}:"), row, number * 3)
                grid.addWidget(label, row, number * 3 + 1)
            if number:
                grid.setColumnMinimumWidth(number * 3 - 1, 14)
        grid.setRowStretch(max(len(names) for names in columns), 1)
        return box, labels

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = _CompactTable(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        return table

    def add_action_button(self, action: QAction, *, for_spend: bool = False) -> None:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumWidth(80)
        (self.spend_row if for_spend else self.actions_row).addWidget(button)

    def show_campaign(self, campaign: Campaign | None, currency: str) -> None:
        self.empty.setVisible(campaign is None)
        self.body.setVisible(campaign is not None)
        if campaign is None:
            return
        self.title.setText(campaign.name)
        ends = day(campaign.ends_on) if campaign.ends_on else "no end date"
        reach = " · ".join(f"{getattr(campaign, k):,} {w}" for k, w in REACH_COUNTED.items())
        owner = campaign.owner
        budget = f"{money(campaign.planned_budget, currency)} planned"
        if campaign.planned_budget > 0:
            used = campaign.actual_spend / campaign.planned_budget
            budget += f", {used:.0%} of it spent"
        values = {
            "Channel": CHANNEL_WORDS[campaign.channel],
            "Status": campaign.status.capitalize(),
            "Dates": f"{day(campaign.starts_on)} – {ends}",
            "Owner": owner.name if owner else NONE,
            "Objective": campaign.objective,
            "Audience": campaign.audience,
            "Budget": budget,
            "Reach": reach,
        }
        for name, value in values.items():
            self.fact[name].setText(value or NONE)
        entries = campaigns.spend_entries(campaign.id)
        self.spend.setRowCount(len(entries))
        for number, entry in enumerate(entries):
            earlier = entry.note == EARLIER_SPEND_NOTE
            cells = (
                "before entries" if earlier else day(entry.spent_on),
                money(entry.amount, currency, True),
                entry.note,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, entry.id)
                if column == 1:
                    item.setTextAlignment(RIGHT)
                self.spend.setItem(number, column, item)
        self._untracked = campaign.actual_spend - sum((e.amount for e in entries), Decimal(0))
        if self._untracked > 0:
            # The sample company (and files from before entries) hold a total without entries.
            self.spend.insertRow(0)
            self.spend.setItem(0, 0, QTableWidgetItem("earlier"))
            item = QTableWidgetItem(money(self._untracked, currency, True))
            item.setTextAlignment(RIGHT)
            self.spend.setItem(0, 1, item)
            note = QTableWidgetItem("Spent before entries were kept")
            note.setToolTip(
                "This total was typed in, or came with the sample company, before Tandem kept "
                "spend entry by entry. Recording spend keeps it as one entry."
            )
            self.spend.setItem(0, 2, note)

    def show_results(self, results: CampaignResults | None, currency: str) -> None:
        """The figures, or dots while they load."""
        if results is None:
            for label in self.figure.values():
                label.setText("…")
            self.reasons.setRowCount(0)
            return
        values = {
            "Leads": f"{results.leads:,}",
            "Qualified": f"{results.qualified:,}",
            "Handed over": f"{results.handed_over:,}",
            "Accepted": f"{results.accepted:,}"
            + (f" ({percent_plain(results.acceptance)})" if results.acceptance is not None else ""),
            "Rejected": f"{results.rejected:,}",
            "Deals won": f"{results.deals_won:,}",
            "Revenue": money(results.revenue, currency),
            "Spend": money(results.spend, currency),
            "Cost per lead": money(results.cost_per_lead, currency, True),
            "Cost per qualified lead": money(results.cost_per_qualified_lead, currency, True),
            "Cost per won deal": money(results.cost_per_won_deal, currency, True),
            "Return on spend": percent(results.return_on_spend),
        }
        for name, value in values.items():
            self.figure[name].setText(value)
        self.figure["Accepted"].setToolTip(
            "Share of the handovers sales decided on that they accepted"
        )
        self.reasons.setRowCount(len(results.rejections))
        self.reasons.setVisible(bool(results.rejections))
        self.no_rejections.setVisible(not results.rejections)
        # As tall as its rows (a team has a handful of reasons), so none hides behind a scroll.
        shown = max(1, min(len(results.rejections), 8))
        self.reasons.setFixedHeight(
            self.reasons.horizontalHeader().height() + shown * 22 + 2 * self.reasons.frameWidth()
        )
        for number, (reason, count) in enumerate(results.rejections):
            self.reasons.setItem(number, 0, QTableWidgetItem(reason))
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(RIGHT)
            self.reasons.setItem(number, 1, item)

    def selected_entry_id(self) -> int | None:
        row = self.spend.currentRow()
        item = self.spend.item(row, 0) if row >= 0 else None
        return item.data(ID_ROLE) if item is not None else None


class _CompactTable(QTableWidget):
    """Asks for little height, so the pane fits without scrolling; it grows into what is left."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 90)


def percent_plain(ratio: Decimal | None) -> str:
    return NONE if ratio is None else f"{ratio * 100:,.0f}%"


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    label.setStyleSheet("font-weight: 600; color: #1f3a4d;")
    return label


class CampaignsPage(QWidget):
    """Signals: changed() after this page changed data others may show."""

    changed = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.currency = ""
        self.model = CampaignTableModel(self)
        self.proxy = CampaignFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self._jobs: set[Job] = set()
        self._list_generation = 0
        self._detail_generation = 0
        self._wanted_id: int | None = None  # kept selected across a reload

        self.search = QLineEdit()
        self.search.setObjectName("campaignSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Search name, owner or channel  (Ctrl+F)")
        self.status = QComboBox()
        self.status.addItem("Any status", None)
        for status in CAMPAIGN_STATUSES:
            self.status.addItem(status.capitalize(), status)
        self.channel = QComboBox()
        self.channel.addItem("Any channel", None)
        for key, words in CHANNEL_WORDS.items():
            self.channel.addItem(words, key)
        self.new_button = QPushButton("&New campaign…")
        self.new_button.setToolTip("New campaign (Ctrl+N)")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.table = QTableView()
        self.table.setObjectName("campaignTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # newest start first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((0, 120, 66, 160, 72, 72, 56, 56, 72, 72)):
            if column:
                self.table.setColumnWidth(column, width)
        self.detail = CampaignDetail()

        self.undo_stack = QUndoStack(self)
        self.step_actions = self._make_actions()
        self._update_actions(None)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.channel, 1)
        filters.addWidget(self.new_button)
        detail_area = QScrollArea()
        detail_area.setWidgetResizable(True)
        detail_area.setFrameShape(QScrollArea.Shape.NoFrame)
        detail_area.setWidget(self.detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail_area)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 340])
        title = QLabel("Campaigns")
        title.setObjectName("pageTitle")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        heading.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.channel.currentIndexChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(self.add_campaign)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.detail.spend.itemSelectionChanged.connect(self._on_spend_item_selection_changed)

    def _make_actions(self) -> dict[str, QAction]:
        steps: list[tuple[str, str, list[str], Callable[[], None]]] = [
            ("edit", "&Edit…", ["Return", "Enter"], self.edit_campaign),
            ("start", "&Start", ["Ctrl+Shift+S"], self.start),
            ("finish", "&Finish", ["Ctrl+Shift+F"], self.finish),
            ("record_spend", "Record s&pend…", ["Ctrl+Shift+E"], self.record_spend),
            ("remove_spend", "Re&move entry…", [], self.remove_spend),
            ("history", "Histor&y…", ["Ctrl+H"], self.show_history),
            ("trash", "Move to &trash", ["Delete"], self.move_to_trash),
        ]
        made = {}
        for key, text, shortcuts, slot in steps:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            name = text.replace("&", "").rstrip("…")
            action.setToolTip(f"{name} ({shortcuts[0]})" if shortcuts else name)
            action.triggered.connect(slot)
            if key == "edit":
                # Enter edits the campaign in the list only; in the search box it does nothing.
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                self.table.addAction(action)
            else:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            self.detail.add_action_button(action, for_spend=key == "remove_spend")
            made[key] = action
        for key, shortcut, slot in (
            ("find", "Ctrl+F", self.search.setFocus),
            ("new", "Ctrl+N", self.add_campaign),
            ("undo", "Ctrl+Z", lambda: self.undo_stack.undo()),
            ("redo", "Ctrl+Shift+Z", lambda: self.undo_stack.redo()),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            made[key] = action
        return made

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (in the background: counting leads per campaign reads them all),
        keeping the selected campaign."""
        if self.selected_id() is not None:
            self._wanted_id = self.selected_id()
        self._list_generation += 1
        generation = self._list_generation
        self._run(
            lambda: (generation, campaign_results.summary(), company.load().currency),
            self._on_list_loaded,
        )

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        job = Job(lambda _progress: work(), None)
        job.succeeded.connect(done)
        job.failed.connect(lambda exc: show_problem(self, exc, "Cannot read the campaigns"))
        job.finished.connect(lambda: self._forget(job))
        self._jobs.add(job)
        job.start()

    def _forget(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    def is_loading(self) -> bool:
        return bool(self._jobs)

    def wait(self) -> None:
        """Let reads in progress finish (before the database closes)."""
        for job in list(self._jobs):
            job.wait()

    def _on_list_loaded(self, result: tuple[int, list[CampaignRow], str]) -> None:
        generation, rows, currency = result
        if generation != self._list_generation:
            return  # a newer reload is on its way
        wanted = self._wanted_id
        self.currency = currency
        self.model.set_rows(rows, currency)
        self._update_count()
        if wanted is None or not self.select_campaign(wanted):
            self._on_table_current_row_changed(self.table.currentIndex(), QModelIndex())

    def apply_filter(self) -> None:
        self.proxy.set_filter(
            self.status.currentData(), self.channel.currentData(), self.search.text()
        )
        self._update_count()
        if not self.table.currentIndex().isValid():
            self._on_table_current_row_changed(QModelIndex(), QModelIndex())

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "campaign" if total == 1 else "campaigns"
        self.count_label.setText(
            f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        )

    # Selection --------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def selected_campaign(self) -> Campaign | None:
        campaign_id = self.selected_id()
        return campaigns.get(campaign_id) if campaign_id is not None else None

    def select_campaign(self, campaign_id: int) -> bool:
        """Select a campaign if the filters show it."""
        self._wanted_id = campaign_id
        row = self.model.row_of(campaign_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self._on_table_current_row_changed(index, QModelIndex())
        return True

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        campaign = self.selected_campaign() if current.isValid() else None
        if campaign is not None:
            self._wanted_id = campaign.id
        self.detail.show_campaign(campaign, self.currency)
        self._update_actions(campaign)
        self._detail_generation += 1
        if campaign is None:
            return
        self.detail.show_results(None, self.currency)
        generation, campaign_id = self._detail_generation, campaign.id
        self._run(
            lambda: (generation, campaign_results.results_for(campaign_id)),
            self._on_results_loaded,
        )

    def _on_results_loaded(self, result: tuple[int, CampaignResults]) -> None:
        generation, results = result
        if generation == self._detail_generation:
            self.detail.show_results(results, self.currency)

    def _update_actions(self, campaign: Campaign | None) -> None:
        allowed = (
            {step.__name__ for step in campaigns.NEXT_STEPS[campaign.status]} if campaign else set()
        )
        self.step_actions["edit"].setEnabled(campaign is not None)
        self.step_actions["start"].setEnabled("start" in allowed)
        self.step_actions["finish"].setEnabled("finish" in allowed)
        self.step_actions["record_spend"].setEnabled(campaign is not None)
        self.step_actions["history"].setEnabled(campaign is not None)
        self.step_actions["trash"].setEnabled(campaign is not None)
        self._on_spend_item_selection_changed()

    def _on_spend_item_selection_changed(self) -> None:
        self.step_actions["remove_spend"].setEnabled(self.detail.selected_entry_id() is not None)

    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self.edit_campaign()

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        if self.selected_campaign() is None:
            return
        menu = QMenu(self)
        for key in ("edit", "start", "finish", "record_spend"):
            if self.step_actions[key].isEnabled():
                menu.addAction(self.step_actions[key])
        menu.exec(self.table.viewport().mapToGlobal(position))

    # Steps ------------------------------------------------------------------------------------

    def _by(self) -> dict[str, Any]:
        return {"by": team.current_member(), "clock": self.clock}

    def _do(self, step: Callable[[Campaign], bool], done: str, problem: str) -> None:
        """Run one step on the selected campaign (False: its dialog was cancelled); a refused
        step shows its sentence and changes nothing."""
        campaign = self.selected_campaign()
        if campaign is None:
            return
        try:
            if not step(campaign):
                return
        except UserError as exc:
            show_problem(self, exc, problem)
            return
        self.refresh()
        self._tell(f"{campaign.name} {done}.")
        self.changed.emit()

    def show_history(self) -> None:
        campaign = self.selected_campaign()
        if campaign is not None:
            HistoryDialog("campaign", campaign.id, campaign.name, self).exec()

    def move_to_trash(self) -> None:
        campaign = self.selected_campaign()
        if campaign is None:
            return

        def after(message: str) -> None:
            self.refresh()
            self._tell(message)
            self.changed.emit()

        self.undo_stack.push(
            TrashCommand(self, self.clock, "campaign", campaign.id, campaign.name, after)
        )

    def _tell(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 5000)

    def _currency(self) -> str:
        return self.currency or company.load().currency

    def add_campaign(self) -> None:
        dialog = CampaignDialog(self._currency(), company.today(self.clock), parent=self)
        while dialog.exec():
            try:
                campaign = campaigns.add_campaign(**dialog.values(), **self._by())
            except UserError as exc:
                show_problem(self, exc, "Cannot add the campaign")
                continue  # back to the form, with what was typed
            self._wanted_id = campaign.id
            # A new campaign might be hidden by the filters; show all so it can be seen.
            self.search.clear()
            self.status.setCurrentIndex(0)
            self.channel.setCurrentIndex(0)
            self.refresh()
            self._tell(f"{campaign.name} added.")
            self.changed.emit()
            return

    def edit_campaign(self) -> None:
        def step(campaign: Campaign) -> bool:
            today = company.today(self.clock)
            dialog = CampaignDialog(self._currency(), today, campaign, parent=self)
            if not dialog.exec():
                return False
            campaigns.update_campaign(campaign, **dialog.values(), **self._by())
            return True

        self._do(step, "saved", "Cannot save the campaign")

    def start(self) -> None:
        self._do(lambda c: bool(campaigns.start(c, **self._by())), "started", "Cannot start")

    def finish(self) -> None:
        self._do(lambda c: bool(campaigns.finish(c, **self._by())), "finished", "Cannot finish")

    def record_spend(self) -> None:
        def step(campaign: Campaign) -> bool:
            today = company.today(self.clock)
            dialog = SpendDialog(campaign.name, self._currency(), today, self)
            if not dialog.exec():
                return False
            values = dialog.values()
            campaigns.record_spend(campaign, values.pop("amount"), **values, **self._by())
            return True

        self._do(step, "— spend recorded", "Cannot record the spend")

    def remove_spend(self) -> None:
        entry_id = self.detail.selected_entry_id()
        entry = campaigns.spend_entry(entry_id) if entry_id is not None else None
        if entry is None:
            return

        def step(_campaign: Campaign) -> bool:
            answer = QMessageBox.question(
                self,
                "Remove spend entry",
                f"Remove {money(entry.amount, self._currency(), True)} spent on "
                f"{day(entry.spent_on)}? The campaign's spend drops by that much.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            campaigns.remove_spend(entry, **self._by())
            return True

        self._do(step, "— spend entry removed", "Cannot remove the entry")
