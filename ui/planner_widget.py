"""The reverse-funnel planner on the Plans page: a revenue goal in, the working and targets out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import company, planner, plans, team
from app.clock import Clock
from app.errors import UserError
from app.metrics import month_name
from ui.errors import show_problem
from ui.jobs import Cancelled, run_with_progress


class PlannerWidget(QWidget):
    """Signals: applied() after the plan became the month's targets."""

    applied = Signal()

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.month = ""
        self.result: planner.PlanResult | None = None
        self.goal = QLineEdit()
        self.goal.setObjectName("plannerGoal")
        self.goal.setPlaceholderText("for example 120,000")
        self.goal.setMaximumWidth(240)
        self.months = QSpinBox()
        self.months.setRange(1, 36)
        self.months.setValue(planner.HISTORY_MONTHS)
        self.months.setSuffix(" months")
        self.months.setMaximumWidth(120)
        self.work_button = QPushButton("&Work it out")
        self.apply_button = QPushButton("&Apply as this month's targets")
        self.apply_button.setEnabled(False)
        self.problem = QLabel()
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.working = QTableWidget(0, 2)
        self.working.setObjectName("plannerWorking")
        self.working.setHorizontalHeaderLabels(["Step", "Result"])
        self.working.verticalHeader().hide()
        self.working.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.working.setWordWrap(True)
        header = self.working.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(
            "Works back from the revenue goal through the team's own record (deal size, "
            "conversion at each step, cost per qualified lead by channel) over the months before."
        )
        note.setObjectName("promise")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Revenue &goal", self.goal)
        form.addRow("&History", self.months)
        buttons = QHBoxLayout()
        buttons.addWidget(self.work_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.working, 1)
        self.goal.returnPressed.connect(self.work_out)
        self.goal.textEdited.connect(self._on_goal_text_edited)
        self.work_button.clicked.connect(self.work_out)
        self.apply_button.clicked.connect(self.apply)

    def show_month(self, month: str) -> None:
        if month != self.month:
            self.month = month
            self._forget()
            target = plans.targets(month).get((None, "revenue", None))
            self.goal.setText(f"{target:,.0f}" if target else "")

    def _forget(self) -> None:
        self.result = None
        self.working.setRowCount(0)
        self.apply_button.setEnabled(False)
        self._tell("")

    def _on_goal_text_edited(self, _text: str) -> None:
        self._forget()

    def _tell(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    def work_out(self) -> None:
        try:
            goal = plans.parse_target("revenue", self.goal.text())
            if goal is None:
                raise UserError("Give a revenue goal above zero.")
        except UserError as exc:
            self._forget()
            self._tell(str(exc))
            return
        month, months, clock = self.month, self.months.value(), self.clock

        def work(_progress: Any) -> planner.PlanResult:
            today = company.today(clock)
            past = planner.history(month, months=months, today=today)
            return planner.plan(goal, past, currency=company.load().currency)

        try:
            result = run_with_progress(self, "Planner", "Reading the team's history…", work)
        except Cancelled:
            return
        except UserError as exc:
            self._forget()
            self._tell(str(exc))
            return
        self.result = result
        self._tell("")
        self.working.setRowCount(len(result.working))
        for row, line in enumerate(result.working):
            step = QTableWidgetItem(line.text)
            value = QTableWidgetItem(line.value)
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.working.setItem(row, 0, step)
            self.working.setItem(row, 1, value)
        self.working.resizeRowsToContents()
        self.apply_button.setEnabled(True)

    def apply(self) -> None:
        if self.result is None:
            return
        try:
            planner.apply(self.month, self.result, by=team.current_member(), clock=self.clock)
        except UserError as exc:
            show_problem(self, exc, "Cannot apply the plan")
            return
        self.apply_button.setEnabled(False)
        self._tell("")
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                f"The plan is now the targets for {month_name(self.month)}.", 5000
            )
        self.applied.emit()
