"""The Pipeline page: deals as a board and as a list, moved, won and lost; the forecast below."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import activities, company, pipeline, team
from app.clock import Clock
from app.errors import UserError
from app.models import OPEN_DEAL_STAGES, Deal
from app.pipeline import Card, ForecastBucket, StageTotals
from ui.errors import show_problem
from ui.jobs import Job
from ui.lead_dialogs import ActivityDialog, ReasonDialog
from ui.pipeline_board import STAGE_TITLES, PipelineBoard, compact, ordered_currencies
from ui.pipeline_dialogs import DealDialog, WinDialog
from ui.pipeline_forecast import ForecastStrip
from ui.pipeline_list import DealList
from ui.record_dialogs import HistoryDialog, TrashCommand

BOARD_TAB, LIST_TAB = 0, 1


class PipelinePage(QWidget):
    """Cards load at once; the column totals and the forecast (sums over every open deal) load
    in a background job and replace the old figures when they arrive.

    Signals: changed() after this page changed data others may show;
    failed(exception) when the figures could not be read in the background."""

    changed = Signal()
    failed = Signal(object)

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.currency = "EUR"
        self.board = PipelineBoard()
        self.list = DealList()
        self.forecast = ForecastStrip()
        self.summary = QLabel()
        self.summary.setObjectName("countLabel")
        self.summary.setWordWrap(True)  # several currencies make a long line
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.board, "&Board")
        self.tabs.addTab(self.list, "L&ist")
        self.undo_stack = QUndoStack(self)
        self.actions_by_key = self._make_actions()

        title = QLabel("Pipeline")
        title.setObjectName("pageTitle")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for key in ("previous", "next", "won", "lost", "open", "log"):
            button = QToolButton()
            button.setDefaultAction(self.actions_by_key[key])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.hint = hint = QLabel("Drag cards, or Ctrl+← / Ctrl+→")
        hint.setObjectName("promise")
        hint.setToolTip(
            "Drag a card to another column, or onto Won or Lost. With the keyboard: select a "
            "card (arrow keys walk the board) and press Ctrl+→ for the next stage, Ctrl+← for "
            "the previous one, Ctrl+Shift+W for won, Ctrl+Shift+L for lost, Enter for details."
        )
        buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addLayout(buttons)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.forecast)

        self.board.move_requested.connect(self._on_board_move_requested)
        self.board.open_requested.connect(self.open_deal)
        self.board.selection_changed.connect(self._update_actions)
        self.list.open_requested.connect(self.open_deal)
        self.list.selection_changed.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self._figures_job: Job | None = None
        self._figures_again = False  # data changed while the figures were being read
        self._list_stale = True
        self._update_actions()

    def _make_actions(self) -> dict[str, QAction]:
        steps: list[tuple[str, str, str, Callable[[], None]]] = [
            ("previous", "← &Previous stage", "Ctrl+Left", lambda: self.step_selected(-1)),
            ("next", "&Next stage →", "Ctrl+Right", lambda: self.step_selected(1)),
            ("won", "&Won…", "Ctrl+Shift+W", lambda: self.close_selected("won")),
            ("lost", "&Lost…", "Ctrl+Shift+L", lambda: self.close_selected("lost")),
            ("open", "&Details…", "Ctrl+D", self.open_selected),
            ("log", "Log &activity…", "Ctrl+L", self.log_activity),
            ("history", "Histor&y…", "Ctrl+H", self.show_history),
            ("trash", "Move to &trash", "Delete", self.move_to_trash),
            ("undo", "Undo", "Ctrl+Z", lambda: self.undo_stack.undo()),
            ("redo", "Redo", "Ctrl+Shift+Z", lambda: self.undo_stack.redo()),
        ]
        made = {}
        for key, text, shortcut, slot in steps:
            action = QAction(text, self)
            action.setIconText(text.replace("&", ""))  # buttons keep the "…" of a dialog step
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            name = text.replace("&", "").rstrip("…").strip("←→ ")
            action.setToolTip(f"{name} ({QKeySequence(shortcut).toString()})")
            action.triggered.connect(slot)
            self.addAction(action)
            made[key] = action
        return made

    # Loading ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the cards now, the figures in the background, and the list when it shows."""
        self.currency = company.load().currency
        today = company.today(self.clock)
        self.board.set_today(today)
        self.list.model.today = today
        self._reload(OPEN_DEAL_STAGES)

    def _reload(self, stages: Iterable[str]) -> None:
        """After a change: these columns' cards, every figure, and the list."""
        now = self.clock.now()
        shown = [stage for stage in OPEN_DEAL_STAGES if stage in set(stages)]
        self.board.show_cards({stage: pipeline.cards(stage, now=now) for stage in shown})
        self._list_stale = True
        if self.tabs.currentIndex() == LIST_TAB:
            self._refresh_list()
        self._load_figures()
        self._update_actions()

    def _refresh_list(self) -> None:
        self._list_stale = False
        self.list.refresh()

    def _on_tabs_current_changed(self, index: int) -> None:
        self.hint.setVisible(index == BOARD_TAB)
        if index == LIST_TAB and self._list_stale:
            self._refresh_list()
        self._update_actions()

    def _load_figures(self) -> None:
        if self._figures_job is not None:
            self._figures_again = True  # read once more when this one ends: it may be stale
            return
        self._figures_again = False
        today = company.today(self.clock)
        job = Job(lambda _progress: (pipeline.stage_totals(), pipeline.forecast(today)), None)
        job.succeeded.connect(self._on_figures_job_succeeded)
        job.failed.connect(self._on_figures_job_failed)
        job.finished.connect(self._on_figures_job_finished)
        self._figures_job = job
        job.start()

    def _on_figures_job_succeeded(
        self, result: tuple[dict[str, StageTotals], list[ForecastBucket]]
    ) -> None:
        if self._figures_again:
            return  # a fresher read follows at once
        totals, buckets = result
        self.board.show_totals(totals, self.currency)
        self.forecast.show_forecast(buckets, self.currency)
        self._show_summary(totals)

    def _on_figures_job_failed(self, exc: BaseException) -> None:
        self.summary.setText("The pipeline figures could not be read.")
        self.failed.emit(exc)

    def _on_figures_job_finished(self) -> None:
        if self._figures_job is not None:
            self._figures_job.deleteLater()
        self._figures_job = None
        if self._figures_again:
            self._load_figures()

    def figures_loaded(self) -> bool:
        """True once no figures are being read (for tests and the benchmark)."""
        return self._figures_job is None

    def wait(self) -> None:
        """Let background reads finish (before the database closes)."""
        while self._figures_job is not None:
            job = self._figures_job
            job.wait()
            if self._figures_job is job:  # its finished signal not delivered yet
                break
        self.list.model.wait()

    def _show_summary(self, totals: dict[str, StageTotals]) -> None:
        count = sum(t.count for t in totals.values())
        value: dict[str, Decimal] = {}
        weighted: dict[str, Decimal] = {}
        for column in totals.values():
            for code, amount in column.value.items():
                value[code] = value.get(code, Decimal(0)) + amount
            for code, amount in column.weighted.items():
                weighted[code] = weighted.get(code, Decimal(0)) + amount
        parts = [
            f"{compact(value.get(code, Decimal(0)))} {code} "
            f"(weighted {compact(weighted.get(code, Decimal(0)))})"
            for code in ordered_currencies(value, first=self.currency)
        ]
        self.summary.setText(
            f"{count:,} open deal{'s' if count != 1 else ''} · " + " + ".join(parts)
        )
        if len(parts) > 1:
            self.summary.setToolTip(
                "Each currency is summed on its own: Tandem keeps no exchange rates."
            )

    # Selection --------------------------------------------------------------------------------

    def selected(self) -> tuple[int, str] | None:
        """The selected deal and its stage, on whichever view shows."""
        if self.tabs.currentIndex() == BOARD_TAB:
            card = self.board.selected_card()
            return (card.id, card.stage) if card else None
        deal_id = self.list.selected_id()
        if deal_id is None:
            return None
        row = self.list.model.row(self.list.table.currentIndex().row())
        return (row.id, row.stage) if row is not None else None

    def _update_actions(self) -> None:
        chosen = self.selected()
        stage = chosen[1] if chosen else ""
        is_open = stage in OPEN_DEAL_STAGES
        actions = self.actions_by_key
        actions["previous"].setEnabled(is_open and pipeline.neighbour_stage(stage, -1) is not None)
        actions["next"].setEnabled(is_open and pipeline.neighbour_stage(stage, 1) is not None)
        actions["won"].setEnabled(is_open)
        actions["lost"].setEnabled(is_open)
        for key in ("open", "log", "history", "trash"):
            actions[key].setEnabled(chosen is not None)

    # Steps ------------------------------------------------------------------------------------

    def step_selected(self, step: int) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        target = pipeline.neighbour_stage(chosen[1], step)
        if target is None:
            self._tell("Use Won… or Lost… to close a deal." if step > 0 else "")
            return
        self.move_deal(chosen[0], target)

    def close_selected(self, target: str) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.move_deal(chosen[0], target)

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.open_deal(chosen[0])

    def _on_board_move_requested(self, deal_id: int, target: str) -> None:
        self.move_deal(deal_id, target)

    def move_deal(self, deal_id: int, target: str) -> bool:
        """Take a deal to a column: what a drop, a shortcut and the buttons all do. Lost asks
        for a reason and Won for a confirmation; Cancel, or a refusal, leaves the deal as it
        was. True when the deal moved."""
        card = pipeline.card(deal_id, now=self.clock.now())
        if card is None or card.stage == target:
            return False
        answers = self._ask(card, target)
        if answers is None:
            return False
        try:
            pipeline.move(deal_id, target, **answers, **self._by())
        except UserError as exc:
            show_problem(self, exc, "Not possible")
            return False
        self._reload({card.stage, target})  # the other columns did not change
        if target in OPEN_DEAL_STAGES:
            self.board.select_deal(deal_id)
        done = "marked as" if target in pipeline.CLOSING else "moved to"
        self._tell(f"{card.title} {done} {STAGE_TITLES[target].lower()}.")
        self.changed.emit()
        return True

    def _ask(self, card: Card, target: str) -> dict[str, Any] | None:
        """What closing a deal needs from the user; None if they cancelled."""
        if target == "lost":
            dialog = ReasonDialog("loss", f"Lost: {card.title}", "Mark as &lost", self)
            if not dialog.exec():
                return None
            reason, note = dialog.chosen()
            return {"reason": reason, "note": note}
        if target == "won" and not WinDialog(card, self).exec():
            return None
        return {}

    def open_deal(self, deal_id: int) -> None:
        card = pipeline.card(deal_id, now=self.clock.now())
        if card is None:
            return
        dialog = DealDialog(card, self)
        if not dialog.exec():
            return
        try:
            pipeline.update_deal(deal_id, **dialog.values(), **self._by())  # type: ignore[arg-type]
        except UserError as exc:
            show_problem(self, exc, "Cannot save the deal")
            return
        self._reload({card.stage})
        self.board.select_deal(deal_id)
        self._tell(f"{dialog.values()['title']} saved.")
        self.changed.emit()

    def log_activity(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        deal = Deal.get_by_id(chosen[0])
        dialog = ActivityDialog(deal.title, company.today(self.clock), self)
        if not dialog.exec():
            return
        try:
            activities.log_activity(deal=deal, **dialog.values(), **self._by())  # type: ignore[arg-type]
        except UserError as exc:
            show_problem(self, exc, "Not possible")
            return
        self._tell(f"Activity logged on {deal.title}.")
        self.changed.emit()

    def show_history(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            deal = Deal.get_by_id(chosen[0])
            HistoryDialog("deal", deal.id, deal.title, self).exec()

    def move_to_trash(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        deal = Deal.get_by_id(chosen[0])

        def after(message: str) -> None:
            self.refresh()
            self._list_stale = True
            self._tell(message)
            self.changed.emit()

        self.undo_stack.push(TrashCommand(self, self.clock, "deal", deal.id, deal.title, after))

    def _by(self) -> dict[str, Any]:
        return {"by": team.current_member(), "clock": self.clock}

    def _tell(self, message: str) -> None:
        window = self.window()
        if message and hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 5000)
