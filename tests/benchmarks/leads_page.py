"""Leads page at scale: first paint, jump to end, sort, search, open a lead, memory.

Run in its own process: python -m tests.benchmarks.leads_page DB. Each figure is printed beside
the raw-SQLite time of the query underneath it, and the ratio."""

from __future__ import annotations

import os
import resource
import sqlite3
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def main(path: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.clock import SystemClock
    from app.db import open_database
    from ui.application import make_application
    from ui.leads_page import LeadsPage

    make_application()
    store = open_database(path, clock=SystemClock(), quick_check_now=False)
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page = LeadsPage(SystemClock())
    page.resize(1300, 800)
    table = page.table

    def paint() -> None:
        QApplication.processEvents()
        table.viewport().repaint()

    def raw_ms(sql: str, *args: object) -> float:
        return timed(lambda: raw.execute(sql, args).fetchall())

    live = "deleted_at IS NULL"
    newest = "ORDER BY created_at DESC, id DESC"
    rows: list[tuple[str, float, float]] = []

    def counted() -> None:
        """The exact count comes from a background job after the first rows are painted."""
        while not page.model.is_counted():
            QApplication.processEvents()
            time.sleep(0.001)

    first = timed(lambda: (page.show(), page.refresh(), paint()))
    rows.append(
        ("first paint", first, raw_ms(f"SELECT id FROM lead WHERE {live} {newest} LIMIT 100"))
    )
    waited = timed(counted)
    rows.append(
        (
            "…exact count, in background",
            first + waited,
            raw_ms(f"SELECT COUNT(*) FROM lead WHERE {live}"),
        )
    )
    count = page.model.rowCount()
    # The model reads a page past the middle from the end backwards; raw SQL does the same.
    rows.append(
        (
            "jump to the last row",
            timed(lambda: (table.scrollToBottom(), paint())),
            raw_ms(f"SELECT id FROM lead WHERE {live} ORDER BY created_at, id LIMIT 100"),
        )
    )
    rows.append(
        (
            "sort by company",
            timed(lambda: (table.sortByColumn(1, Qt.SortOrder.AscendingOrder), paint())),
            raw_ms(f"SELECT id FROM lead WHERE {live} ORDER BY company, id LIMIT 100"),
        )
    )
    match = f"{live} AND id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)"
    for text in ("ma", "mar", "mari", "maria"):

        def search(text: str = text) -> None:
            page.search.setText(text)
            page.apply_filter()
            paint()

        rows.append(
            (
                f"search keystroke '{text}'",
                timed(search),
                raw_ms(
                    f"SELECT id FROM lead WHERE {match} ORDER BY company, id LIMIT 100",
                    f'"{text}"*',
                ),
            )
        )
        counted()
    page.search.setText("")
    page.apply_filter()
    counted()
    rows.append(
        (
            "open a lead's detail",
            timed(lambda: (table.selectRow(5), paint())),
            raw_ms("SELECT * FROM lead WHERE id = ?", 5)
            + raw_ms("SELECT * FROM activity WHERE lead_id = ?", 5),
        )
    )
    for label, ours, bare in rows:
        ratio = ours / bare if bare > 0 else float("inf")
        print(f"{label:28s} {ours:8.1f} ms   raw SQLite {bare:8.1f} ms   ratio {ratio:5.1f}x")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{'peak memory (RSS)':28s} {rss_mb:8.0f} MB   with the Leads page open on {count:,} leads"
    )
    page.model.wait()
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
