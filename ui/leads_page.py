"""The Leads page: search and filter a list of any size, and take each lead through its life."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import activities, company, leads, merge, team, timeline
from app.clock import Clock
from app.errors import UserError
from app.lead_list import LeadFilter
from app.leads import STAGE_WORDS
from app.models import CUSTOMER_TYPES, LEAD_STAGES, TEMPERATURES, Campaign, Lead
from ui.errors import show_problem
from ui.lead_dialogs import (
    ActivityDialog,
    ConvertDialog,
    HandOverDialog,
    LeadDialog,
    MergeDialog,
    PauseDialog,
    ReasonDialog,
)
from ui.lead_model import COLUMNS, ID_ROLE, LeadTableModel
from ui.record_dialogs import HistoryDialog, TrashCommand

SEARCH_PAUSE_MS = 250  # search once typing pauses, not on every keystroke


class LeadDetail(QWidget):
    """The selected lead: its facts, the steps it can take, and its timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # names print literally
        self.fields: dict[str, QLabel] = {}
        self.facts = QWidget()
        facts = QFormLayout(self.facts)
        facts.setContentsMargins(0, 0, 0, 0)
        for name in (
            "Company",
            "Email",
            "Phone",
            "Stage",
            "Temperature",
            "Source",
            "Sales owner",
            "Created",
            "Paused until",
            "Reason",
        ):
            label = QLabel()
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            self.fields[name] = label
            facts.addRow(f"{name}:", label)
        self.actions_grid = QGridLayout()
        self.actions_grid.setSpacing(4)
        self.history = QListWidget()
        self.history.setObjectName("timeline")
        self.history.setWordWrap(True)
        self.empty = QLabel("Select a lead to see its details and what can be done next.")
        self.empty.setObjectName("promise")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addLayout(self.actions_grid)
        self.history_label = QLabel("History")
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        self.show_lead(None)

    def add_action_button(self, action: QAction) -> None:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        count = self.actions_grid.count()
        self.actions_grid.addWidget(button, count // 3, count % 3)

    def show_lead(self, lead: Lead | None) -> None:
        self.empty.setVisible(lead is None)
        for widget in (self.title, self.facts, self.history, self.history_label):
            widget.setVisible(lead is not None)
        if lead is None:
            return
        self.title.setText(lead.name or lead.company)
        reason = lead.rejection_reason or lead.disqualification_reason
        values = {
            "Company": lead.company,
            "Email": lead.email,
            "Phone": lead.phone,
            "Stage": STAGE_WORDS[lead.stage].capitalize(),
            "Temperature": lead.temperature.capitalize(),
            "Source": lead.campaign.name if lead.campaign else lead.source.replace("_", " "),
            "Sales owner": lead.sales_owner.name if lead.sales_owner else "—",
            "Created": f"{lead.created_at:%d %b %Y %H:%M} UTC",
            "Paused until": f"{lead.paused_until:%d %b %Y}" if lead.paused_until else "—",
            "Reason": f"{reason.label}. {lead.reason_note}".strip(". ") if reason else "—",
        }
        for name, value in values.items():
            self.fields[name].setText(value or "—")
        self.history.clear()
        for entry in timeline.lead_timeline(lead.id):
            who = f" · {entry.member}" if entry.member else ""
            detail = f"\n{entry.detail}" if entry.detail else ""
            item = QListWidgetItem(f"{entry.at:%d %b %Y %H:%M}  {entry.title}{who}{detail}")
            self.history.addItem(item)


class LeadsPage(QWidget):
    """Signals: changed() after this page changed data others may show."""

    changed = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.model = LeadTableModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("leadSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Search name, company, email, phone or notes  (Ctrl+F)")
        self.stage = self._combo(
            "Any stage", [(STAGE_WORDS[s].capitalize(), s) for s in LEAD_STAGES]
        )
        self.temperature = self._combo(
            "Any temperature", [(t.capitalize(), t) for t in TEMPERATURES]
        )
        self.person = self._combo("Anyone", [])
        self.campaign = self._combo("Any source", [])
        self.customer_type = self._combo("B2B and B2C", [(t.upper(), t) for t in CUSTOMER_TYPES])
        self.new_button = QPushButton("&New lead…")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.table = QTableView()
        self.table.setObjectName("leadTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(len(COLUMNS) - 1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((170, 170, 210, 120, 150, 90, 150, 120)):
            self.table.setColumnWidth(column, width)
        self.detail = LeadDetail()

        self.undo_stack = QUndoStack(self)
        self.show_trash = QCheckBox("Show &trash")
        self.step_actions = self._make_actions()
        self._update_actions(None)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.stage, self.temperature, self.person, self.campaign, self.customer_type):
            filters.addWidget(combo, 1)
        filters.addWidget(self.show_trash)
        filters.addWidget(self.new_button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([880, 380])
        title = QLabel("Leads")
        title.setObjectName("pageTitle")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        heading.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        for combo in (self.stage, self.temperature, self.person, self.campaign, self.customer_type):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(self.add_lead)
        self.show_trash.toggled.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.doubleClicked.connect(lambda _index: self.step_actions["edit"].trigger())
        self.model.modelReset.connect(self._on_model_model_reset)
        self.model.counted.connect(self._on_model_counted)
        self._filled_lists = False

    @staticmethod
    def _combo(any_text: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def _make_actions(self) -> dict[str, QAction]:
        steps: list[tuple[str, str, str, Callable[[], None]]] = [
            ("qualify", "&Qualify", "Ctrl+Shift+Q", self.qualify),
            ("hand_over", "&Hand over…", "Ctrl+Shift+H", self.hand_over),
            ("accept", "&Accept", "Ctrl+Shift+A", self.accept),
            ("reject", "&Reject…", "Ctrl+Shift+R", self.reject),
            ("pause", "&Pause…", "Ctrl+Shift+P", self.pause),
            ("resume", "Res&ume", "Ctrl+Shift+U", self.resume),
            ("convert_to_deal", "&Convert to deal…", "Ctrl+Shift+C", self.convert),
            ("disqualify", "&Disqualify…", "Ctrl+Shift+D", self.disqualify),
            ("log", "&Log activity…", "Ctrl+L", self.log_activity),
            ("edit", "&Edit…", "F2", self.edit_lead),
            ("history", "Histor&y…", "Ctrl+H", self.show_history),
            ("merge", "&Merge duplicate…", "Ctrl+Shift+M", self.merge_duplicate),
            ("trash", "Move to &trash", "Delete", self.move_to_trash),
            ("restore", "Re&store", "Ctrl+Shift+S", self.restore_from_trash),
        ]
        made = {}
        for key, text, shortcut, slot in steps:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shortcut})")
            action.triggered.connect(slot)
            self.addAction(action)
            self.detail.add_action_button(action)
            made[key] = action
        for key, shortcut, slot in (
            ("find", "Ctrl+F", self.search.setFocus),
            ("new", "Ctrl+N", self.add_lead),
            ("undo", "Ctrl+Z", self.undo_stack.undo),
            ("redo", "Ctrl+Shift+Z", self.undo_stack.redo),
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
        """Reload lists and rows, keeping the selected lead where it can."""
        self._fill_filter_lists()
        selected = self.selected_id()
        self.model.reload()
        if selected is not None:
            self.select_lead(selected)

    def _fill_filter_lists(self) -> None:
        for combo, items in (
            (self.person, [(m.name, m.id) for m in team.members()]),
            (self.campaign, [(c.name, c.id) for c in Campaign.select().order_by(Campaign.name)]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def current_filter(self) -> LeadFilter:
        return LeadFilter(
            text=self.search.text(),
            stage=self.stage.currentData(),
            temperature=self.temperature.currentData(),
            member_id=self.person.currentData(),
            campaign_id=self.campaign.currentData(),
            customer_type=self.customer_type.currentData(),
            in_trash=self.show_trash.isChecked(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def _on_model_model_reset(self) -> None:
        if not self.model.is_counted():
            self.count_label.setText("counting…")
        self._on_table_current_row_changed(self.table.currentIndex(), QModelIndex())

    def _on_model_counted(self, count: int) -> None:
        self.count_label.setText(f"{count:,} lead{'s' if count != 1 else ''}")

    # Selection --------------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def selected_lead(self) -> Lead | None:
        lead_id = self.selected_id()
        return Lead.get_or_none(Lead.id == lead_id) if lead_id is not None else None

    def select_lead(self, lead_id: int) -> bool:
        """Select a lead if it is in the list (after a reload, look near where it was)."""
        row = self.model.row_of(lead_id)
        if row is None:
            current = max(self.table.currentIndex().row(), 0)
            for candidate in range(max(current - 50, 0), min(current + 50, self.model.rowCount())):
                found = self.model.row(candidate)
                if found is not None and found.id == lead_id:
                    row = candidate
                    break
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def show_lead(self, lead_id: int) -> None:
        """Open a lead that may be outside the current filter: clear filters first."""
        if not self.select_lead(lead_id):
            self.search.clear()
            for combo in (
                self.stage,
                self.temperature,
                self.person,
                self.campaign,
                self.customer_type,
            ):
                combo.setCurrentIndex(0)
            self.apply_filter()
            self.detail.show_lead(Lead.get_or_none(Lead.id == lead_id))
            self._update_actions(Lead.get_or_none(Lead.id == lead_id))

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        lead = self.selected_lead() if current.isValid() else None
        self.detail.show_lead(lead)
        self._update_actions(lead)

    def _update_actions(self, lead: Lead | None) -> None:
        trashed = bool(lead and lead.deleted_at)
        allowed = set()
        if lead and not trashed:
            allowed = {step.__name__ for step in leads.NEXT_STEPS[lead.stage]}
            allowed |= {"log", "edit", "history", "merge", "trash"}
        if trashed:
            allowed = {"restore", "history"}
        for key, action in self.step_actions.items():
            if key in ("find", "new", "undo", "redo"):
                continue
            if key == "resume":
                action.setEnabled(bool(lead and lead.paused_until and not trashed))
            else:
                action.setEnabled(key in allowed)

    def _on_table_context_menu_requested(self, position: QPoint) -> None:
        if self.selected_lead() is None:
            return
        menu = QMenu(self)
        for key, action in self.step_actions.items():
            if key not in ("find", "new", "undo", "redo") and action.isEnabled():
                menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    # Steps ------------------------------------------------------------------------------------

    def _do(self, step: Callable[[Lead], bool], done: str) -> None:
        """Run one step on the selected lead (False: the user cancelled its dialog); a refused
        step shows its sentence and changes nothing."""
        lead = self.selected_lead()
        if lead is None:
            return
        try:
            if not step(lead):
                return
        except UserError as exc:
            show_problem(self, exc, "Not possible")
            return
        self.refresh()
        self._tell(f"{lead.name or lead.company} {done}.")
        self.changed.emit()

    def _tell(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 5000)

    def _by(self) -> dict[str, Any]:
        return {"by": team.current_member(), "clock": self.clock}

    def _title(self, lead: Lead) -> str:
        return lead.name or lead.company

    def qualify(self) -> None:
        self._do(lambda lead: bool(leads.qualify(lead, **self._by())), "qualified")

    def accept(self) -> None:
        self._do(lambda lead: bool(leads.accept(lead, **self._by())), "accepted")

    def resume(self) -> None:
        self._do(lambda lead: bool(leads.resume(lead, **self._by())), "resumed")

    def hand_over(self) -> None:
        def step(lead: Lead) -> bool:
            dialog = HandOverDialog(self._title(lead), self)
            if not dialog.exec():
                return False
            leads.hand_over(lead, to=dialog.chosen(), **self._by())
            return True

        self._do(step, "handed over")

    def reject(self) -> None:
        def step(lead: Lead) -> bool:
            dialog = ReasonDialog("rejection", f"Reject {self._title(lead)}", "&Reject", self)
            if not dialog.exec():
                return False
            reason, note = dialog.chosen()
            leads.reject(lead, reason, note, **self._by())
            return True

        self._do(step, "rejected")

    def disqualify(self) -> None:
        def step(lead: Lead) -> bool:
            title = f"Disqualify {self._title(lead)}"
            dialog = ReasonDialog("disqualification", title, "&Disqualify", self)
            if not dialog.exec():
                return False
            reason, note = dialog.chosen()
            leads.disqualify(lead, reason, note, **self._by())
            return True

        self._do(step, "disqualified")

    def pause(self) -> None:
        def step(lead: Lead) -> bool:
            dialog = PauseDialog(self._title(lead), company.today(self.clock), self)
            if not dialog.exec():
                return False
            leads.pause(lead, dialog.chosen(), **self._by())
            return True

        self._do(step, "paused")

    def convert(self) -> None:
        def step(lead: Lead) -> bool:
            currency = company.load().currency
            dialog = ConvertDialog(lead, currency, company.today(self.clock), self)
            if not dialog.exec():
                return False
            leads.convert_to_deal(
                lead,
                value=dialog.amount() or 0,
                currency=dialog.currency.text().strip().upper(),
                title=dialog.title.text(),
                expected_close=dialog.expected_close.date().toPython(),
                **self._by(),
            )
            return True

        self._do(step, "converted to a deal")

    def log_activity(self) -> None:
        def step(lead: Lead) -> bool:
            dialog = ActivityDialog(self._title(lead), company.today(self.clock), self)
            if not dialog.exec():
                return False
            activities.log_activity(lead=lead, **dialog.values(), **self._by())
            return True

        self._do(step, "— activity logged")

    def edit_lead(self) -> None:
        def step(lead: Lead) -> bool:
            dialog = LeadDialog(self, lead)
            dialog.open_requested.connect(self.show_lead)
            if not dialog.exec():
                return False
            leads.update_lead(lead, **dialog.values(), **self._by())
            return True

        self._do(step, "saved")

    def _trash_command(self, lead: Lead, restore: bool) -> TrashCommand:
        def after(message: str) -> None:
            self.refresh()
            self._tell(message)
            self.changed.emit()

        return TrashCommand(self, self.clock, "lead", lead.id, self._title(lead), after, restore)

    def move_to_trash(self) -> None:
        lead = self.selected_lead()
        if lead is not None:
            self.undo_stack.push(self._trash_command(lead, restore=False))

    def restore_from_trash(self) -> None:
        lead = self.selected_lead()
        if lead is not None:
            self.undo_stack.push(self._trash_command(lead, restore=True))

    def show_history(self) -> None:
        lead = self.selected_lead()
        if lead is not None:
            HistoryDialog("lead", lead.id, self._title(lead), self).exec()

    def merge_duplicate(self) -> None:
        def step(lead: Lead) -> bool:
            others = leads.find_duplicates(lead.email, lead.phone, exclude=lead.id)
            if not others:
                raise UserError(f"No other lead has the email or phone of {self._title(lead)}.")
            dialog = MergeDialog(lead, others, self)
            if not dialog.exec():
                return False
            merge.merge_leads(lead, dialog.chosen(), **self._by())
            return True

        self._do(step, "now holds the merged lead's history")

    def add_lead(self) -> None:
        dialog = LeadDialog(self)
        dialog.open_requested.connect(self.show_lead)
        if not dialog.exec():
            return
        try:
            lead = leads.add_lead(**dialog.values(), **self._by())
        except UserError as exc:
            show_problem(self, exc, "Cannot add the lead")
            return
        self.model.reload()
        self.show_lead(lead.id)
        self.changed.emit()
