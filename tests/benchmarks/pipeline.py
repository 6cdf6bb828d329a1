"""Pipeline page at scale: board load, dragging a deal to the next stage, the deals list.

Run in its own process: python -m tests.benchmarks.pipeline DB. The database is copied to a
scratch folder first (a drag writes). Each figure is printed beside the raw-SQLite time of the
very statements the page ran (recorded as it ran them, then replayed on a bare connection), and
the ratio."""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 5


Statement = tuple[str, tuple[Any, ...], bool]  # SQL, parameters, run on the GUI thread


class Recorder:
    """Keeps every statement peewee sends to the database while switched on, from any thread
    (the column totals are read by a background job)."""

    def __init__(self, database: Any) -> None:
        self.statements: list[Statement] = []
        self.on = False
        run = database.execute_sql
        gui = threading.get_ident()

        def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            if self.on:
                self.statements.append((sql, tuple(params or ()), threading.get_ident() == gui))
            return run(sql, params, *args, **kwargs)

        database.execute_sql = recording

    def take(self, work: Callable[[], object]) -> tuple[float, list[Statement]]:
        """Milliseconds work takes, and the statements it ran."""
        self.statements = []
        self.on = True
        started = time.perf_counter()
        try:
            work()
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.on = False
        return elapsed, self.statements


def replay(raw: sqlite3.Connection, statements: list[Statement], gui_only: bool = False) -> float:
    """Milliseconds a bare connection takes for the same statements (writes committed too)."""
    started = time.perf_counter()
    for sql, params, on_gui in statements:
        if on_gui or not gui_only:
            raw.execute(sql, params).fetchall()
    if raw.in_transaction:
        raw.execute("COMMIT")
    return (time.perf_counter() - started) * 1000


def copy_database(source: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="tandem-pipeline-bench-"))
    target = folder / source.name
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def main(source: str) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from app.clock import SystemClock
    from app.db import open_database
    from app.models import Deal
    from ui.application import make_application
    from ui.pipeline_page import LIST_TAB, PipelinePage

    path = copy_database(Path(source))
    make_application()
    started = time.perf_counter()
    store = open_database(path, clock=SystemClock(), quick_check_now=False)
    if store.upgraded_from is not None:
        print(
            f"(upgraded the copy from schema {store.upgraded_from} in "
            f"{time.perf_counter() - started:.1f} s; not part of the figures below)"
        )
    recorder = Recorder(store.db)
    raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    page = PipelinePage(SystemClock())
    page.resize(1000, 760)
    page.show()
    deals = Deal.select().where(Deal.deleted_at.is_null()).count()
    open_deals = (
        Deal.select()
        .where(Deal.deleted_at.is_null() & Deal.stage.in_(["qualification", "proposal"]))
        .count()
    )

    def settle() -> None:
        """Until the background figures are in and the page is painted."""
        while not page.figures_loaded():
            QApplication.processEvents()
            time.sleep(0.0005)
        QApplication.processEvents()
        page.repaint()

    def load_board() -> None:
        page.refresh()
        QApplication.processEvents()
        page.repaint()

    rows: list[tuple[str, float, float]] = []

    def load_and_settle() -> None:
        load_board()
        settle()

    first, statements = recorder.take(load_and_settle)
    rows.append(("board load, first", first, replay(raw, statements)))

    cards_ms, cards_sql, figures_ms, figures_sql = [], [], [], []
    for _ in range(RUNS):
        shown, loading = recorder.take(load_board)
        complete, settling = recorder.take(settle)
        cards_ms.append(shown)
        cards_sql.append(replay(raw, loading, gui_only=True))
        figures_ms.append(shown + complete)
        figures_sql.append(replay(raw, loading + settling))
    median = statistics.median
    rows.append(("board load: cards painted", median(cards_ms), median(cards_sql)))
    rows.append(("board load: + column totals", median(figures_ms), median(figures_sql)))

    def drop_first_card() -> None:
        """The drop's own path: the card's drag data, dropped on the Proposal column."""
        source = page.board.columns["qualification"].cards
        mime = source.model().mimeData([source.model().index(0, 0)])
        target = page.board.columns["proposal"].cards.viewport()
        centre = target.rect().center()
        actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
        button, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(target, QDragEnterEvent(centre, actions, mime, button, keys))
        QApplication.sendEvent(target, QDragMoveEvent(centre, actions, mime, button, keys))
        QApplication.sendEvent(target, QDropEvent(QPointF(centre), actions, mime, button, keys))
        before = len(changes)
        while len(changes) == before:  # the drop hands over once the drag has ended
            QApplication.processEvents()
        page.repaint()

    changes: list[bool] = []
    page.changed.connect(lambda: changes.append(True))
    drag_ms, drag_sql, drag_all_ms, drag_all_sql = [], [], [], []
    for _ in range(RUNS):
        moved, moving = recorder.take(drop_first_card)
        complete, settling = recorder.take(settle)
        drag_ms.append(moved)
        drag_sql.append(replay(raw, moving, gui_only=True))
        drag_all_ms.append(moved + complete)
        drag_all_sql.append(replay(raw, moving + settling))
    rows.append(("drag to next stage: moved", median(drag_ms), median(drag_sql)))
    rows.append(("drag: + totals and forecast", median(drag_all_ms), median(drag_all_sql)))

    page.tabs.setCurrentIndex(LIST_TAB)
    settle()
    table = page.list.table

    def wait_count() -> None:
        while not page.list.model.is_counted():
            QApplication.processEvents()
            time.sleep(0.0005)

    def list_step(label: str, work: Callable[[], None]) -> None:
        def step() -> None:
            work()
            table.viewport().repaint()

        ours, statements = recorder.take(step)
        rows.append((label, ours, replay(raw, statements)))
        wait_count()

    list_step("list: all deals, first paint", lambda: page.list.stage.setCurrentIndex(1))
    list_step("list: jump to the last row", table.scrollToBottom)
    list_step(
        "list: sort by value",
        lambda: table.sortByColumn(3, Qt.SortOrder.DescendingOrder),
    )

    def search() -> None:
        page.list.search.setText("garden")
        page.list.apply_filter()

    list_step("list: search 'garden'", search)

    for label, ours, bare in rows:
        ratio = ours / bare if bare > 0 else float("inf")
        print(f"{label:30s} {ours:8.1f} ms   raw SQLite {bare:8.1f} ms   ratio {ratio:5.1f}x")
    print(
        f"({deals:,} deals, {open_deals:,} in qualification and proposal; medians of {RUNS} "
        "where repeated)"
    )
    page.wait()
    store.close()
    raw.close()
    shutil.rmtree(path.parent, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
