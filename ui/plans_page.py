"""The Plans page: a month's targets, its written plan, the planner, and printing the plan."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import plans, reports, team
from app.clock import Clock
from app.errors import UserError
from app.metrics import add_months, current_month, month_name
from app.models import CHANNEL_WORDS, CHANNELS
from ui.errors import show_problem
from ui.jobs import Cancelled, run_with_progress
from ui.planner_widget import PlannerWidget

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
MEMBER_COLUMNS = ("revenue", "deals_won", "qualified_leads")
MONTHS_BACK, MONTHS_AHEAD = 12, 6
NOT_APPLICABLE = QColor("#f0f3f5")


def _money_text(metric: str, value: Decimal | None) -> str:
    if value is None:
        return ""
    return (
        f"{value:,.0f}"
        if metric in plans.WHOLE_NUMBERS
        else f"{value:,.2f}".rstrip("0").rstrip(".")
    )


class TargetsTable(QTableWidget):
    """Targets as a grid: one row per person (and the team), one column per metric; each cell
    saves as soon as it is edited.

    Signals: saved() after a change was stored; refused(str) with the reason one was not."""

    saved = Signal()
    refused = Signal(str)

    def __init__(self, clock: Clock, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.clock = clock
        self.month = ""
        self._values: dict[plans.TargetKey, Decimal] = {}
        self.setHorizontalHeaderLabels(columns)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.itemChanged.connect(self._on_item_changed)

    def fill(self, month: str, rows: list[tuple[str, list[plans.TargetKey | None]]]) -> None:
        """rows: a label and, per column, the target a cell holds (None: not for this row)."""
        self.month = month
        self._values = plans.targets(month)
        self.blockSignals(True)
        self.setRowCount(len(rows))
        self.setVerticalHeaderLabels([label for label, _keys in rows])
        for row, (_label, keys) in enumerate(rows):
            for column, key in enumerate(keys):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key is None:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    item.setBackground(QBrush(NOT_APPLICABLE))
                else:
                    item.setData(KEY_ROLE, key)
                    item.setText(_money_text(key[1], self._values.get(key)))
                self.setItem(row, column, item)
        self.blockSignals(False)

    def cell_for(self, key: plans.TargetKey) -> QTableWidgetItem | None:
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                item = self.item(row, column)
                if item is not None and item.data(KEY_ROLE) == key:
                    return item
        return None

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if key is None:
            return
        key = (key[0], key[1], key[2])
        try:
            value = plans.parse_target(key[1], item.text())
            if value != self._values.get(key):
                plans.set_targets(
                    self.month, {key: value}, by=team.current_member(), clock=self.clock
                )
        except UserError as exc:
            self._show(item, self._values.get(key))
            self.refused.emit(str(exc))
            return
        if value is None:
            self._values.pop(key, None)
        else:
            self._values[key] = value
        self._show(item, value)
        self.saved.emit()

    def _show(self, item: QTableWidgetItem, value: Decimal | None) -> None:
        self.blockSignals(True)
        item.setText(_money_text(item.data(KEY_ROLE)[1], value))
        self.blockSignals(False)


class WrittenPlanForm(QWidget):
    """The written part of the month's plan, one box per heading of the printed plan."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QPlainTextEdit] = {}
        self._shown = plans.WrittenPlan()
        form = QFormLayout(self)
        for name, label in plans.PLAN_FIELDS.items():
            edit = QPlainTextEdit()
            edit.setObjectName(f"plan_{name}")
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(54)
            self.fields[name] = edit
            form.addRow(label, edit)

    def show_plan(self, plan: plans.WrittenPlan) -> None:
        self._shown = plan
        for name, edit in self.fields.items():
            edit.setPlainText(getattr(plan, name))

    def plan(self) -> plans.WrittenPlan:
        return plans.WrittenPlan(**{name: edit.toPlainText() for name, edit in self.fields.items()})

    def is_modified(self) -> bool:
        """Does the form differ from the plan last shown or saved (blanks at the ends aside)?"""
        typed = {name: edit.toPlainText().strip() for name, edit in self.fields.items()}
        return any(typed[name] != getattr(self._shown, name).strip() for name in typed)

    def mark_saved(self) -> None:
        self._shown = self.plan()


class PlansPage(QWidget):
    """Signals: changed() after this page changed data others may show (targets, the plan)."""

    changed = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.month_box = QComboBox()
        self.month_box.setObjectName("planMonth")
        self.print_button = QPushButton("&Print the plan…")
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.targets = TargetsTable(clock, ["Revenue", "Deals won", "Qualified leads"])
        self.targets.setObjectName("targetsTable")
        self.budgets = TargetsTable(clock, ["Marketing budget"])
        self.budgets.setObjectName("budgetTable")
        targets_tab = QWidget()
        targets_layout = QHBoxLayout(targets_tab)
        targets_layout.addWidget(self.targets, 3)
        targets_layout.addWidget(self.budgets, 2)

        self.written = WrittenPlanForm()
        self.save_button = QPushButton("&Save the written plan")
        self.copy_button = QPushButton("&Copy from last month")
        self.saved_note = QLabel()
        self.saved_note.setObjectName("savedNote")
        written_tab = QWidget()
        written_buttons = QHBoxLayout()
        written_buttons.addWidget(self.save_button)
        written_buttons.addWidget(self.copy_button)
        written_buttons.addWidget(self.saved_note, 1)
        written_layout = QVBoxLayout(written_tab)
        written_layout.addWidget(self.written, 1)
        written_layout.addLayout(written_buttons)

        self.planner = PlannerWidget(clock)
        self.tabs = QTabWidget()
        self.tabs.addTab(targets_tab, "&Targets")
        self.tabs.addTab(written_tab, "W&ritten plan")
        self.tabs.addTab(self.planner, "Pla&nner")

        title = QLabel("Plans")
        title.setObjectName("pageTitle")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch()
        month_label = QLabel("&Month")
        month_label.setBuddy(self.month_box)
        heading.addWidget(month_label)
        heading.addWidget(self.month_box)
        heading.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.problem)
        layout.addWidget(self.tabs, 1)

        self.month_box.currentIndexChanged.connect(self._on_month_box_current_index_changed)
        for table in (self.targets, self.budgets):
            table.saved.connect(self._on_table_saved)
            table.refused.connect(self._tell)
        self.save_button.clicked.connect(self.save_written_plan)
        self.copy_button.clicked.connect(self.copy_from_last_month)
        self.print_button.clicked.connect(self.print_plan)
        self.planner.applied.connect(self._on_planner_applied)
        self._shown_month = ""

    # --- loading -------------------------------------------------------------------------

    def month(self) -> str:
        return str(self.month_box.currentData())

    def refresh(self) -> None:
        """Fill the month list around today (keeping the month picked) and show it."""
        chosen = self.month_box.currentData() or current_month(self.clock)
        now = current_month(self.clock)
        months = [add_months(now, offset) for offset in range(MONTHS_AHEAD, -MONTHS_BACK - 1, -1)]
        if chosen not in months:
            months.append(chosen)
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for month in months:
            self.month_box.addItem(month_name(month), month)
        self.month_box.setCurrentIndex(self.month_box.findData(chosen))
        self.month_box.blockSignals(False)
        self._show_month()

    def show_month(self, month: str) -> None:
        index = self.month_box.findData(month)
        if index < 0:
            self.month_box.addItem(month_name(month), month)
            index = self.month_box.count() - 1
        self.month_box.setCurrentIndex(index)

    def _on_month_box_current_index_changed(self, _index: int) -> None:
        if self._shown_month and self.written.is_modified():
            self._save_plan_of(self._shown_month)
        self._show_month()

    def _show_month(self) -> None:
        month = self.month()
        self._shown_month = month
        self._tell("")
        self._fill_targets(month)
        self.written.show_plan(plans.written_plan(month))
        self.saved_note.clear()
        self.planner.show_month(month)

    def _fill_targets(self, month: str) -> None:
        rows: list[tuple[str, list[plans.TargetKey | None]]] = [
            ("Team", [(None, metric, None) for metric in MEMBER_COLUMNS])
        ]
        for member in team.members():
            allowed = {
                "marketing": ("qualified_leads",),
                "sales": ("revenue", "deals_won"),
            }.get(member.role, MEMBER_COLUMNS)
            keys: list[plans.TargetKey | None] = [
                (member.id, metric, None) if metric in allowed else None
                for metric in MEMBER_COLUMNS
            ]
            rows.append((f"{member.name} ({member.role})", keys))
        self.targets.fill(month, rows)
        budget_rows: list[tuple[str, list[plans.TargetKey | None]]] = [
            ("Whole budget", [(None, "budget", None)])
        ]
        budget_rows += [(CHANNEL_WORDS[c], [(None, "budget", c)]) for c in CHANNELS]
        self.budgets.fill(month, budget_rows)

    # --- editing -------------------------------------------------------------------------

    def _tell(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def _on_table_saved(self) -> None:
        self._tell("")
        self.changed.emit()

    def _on_planner_applied(self) -> None:
        self._fill_targets(self.month())
        self.changed.emit()

    def save_written_plan(self) -> None:
        self._save_plan_of(self.month())

    def _save_plan_of(self, month: str) -> None:
        try:
            plans.save_written_plan(
                month, self.written.plan(), by=team.current_member(), clock=self.clock
            )
        except UserError as exc:
            show_problem(self, exc, "Cannot save the plan")
            return
        self.written.mark_saved()
        self.saved_note.setText(f"Saved the written plan for {month_name(month)}.")
        self.changed.emit()

    def copy_from_last_month(self) -> None:
        month = self.month()
        if not self.written.plan().is_empty():
            answer = QMessageBox.question(
                self,
                "Copy from last month",
                f"Replace what is written for {month_name(month)} with the plan for "
                f"{month_name(add_months(month, -1))}?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            copied = plans.copy_from_last_month(month, by=team.current_member(), clock=self.clock)
        except UserError as exc:
            show_problem(self, exc, "Nothing to copy")
            return
        self.written.show_plan(copied)
        self.saved_note.setText(f"Copied the plan for {month_name(add_months(month, -1))}.")
        self.changed.emit()

    # --- printing ------------------------------------------------------------------------

    def print_plan(self) -> None:
        month = self.month()
        if self.written.is_modified():
            self._save_plan_of(month)
        suggested = str(Path.home() / f"plan-{month}.pdf")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Print the plan", suggested, "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf")
        clock = self.clock
        from app.reports import plan_pdf  # ReportLab loads when a plan is printed, not at start

        def work(progress: Any) -> Path:
            data = plan_pdf.render_plan(month, clock=clock, progress=progress)
            return reports.save(data, path)

        try:
            run_with_progress(
                self, "Print the plan", f"Printing the plan for {month_name(month)}…", work
            )
        except Cancelled:
            return
        except Exception as exc:  # expected ones (disk full, a folder gone) read calmly
            show_problem(self, exc, "Cannot print the plan")
            return
        answer = QMessageBox.question(
            self, "Plan printed", f"The plan is saved as {path.name}. Open it now?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
