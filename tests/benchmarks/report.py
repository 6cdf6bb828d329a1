"""The printed plan: gathering its figures and building the PDF, beside a bare ReportLab build.

Usage: python -m tests.benchmarks.report [DB] [--month YYYY-MM] [--runs 5] [--in-place]

Without DB it builds the sample company (5,000 leads) first. The database is copied to a scratch
folder before it is opened (opening brings the SLA clocks up to date, which writes), unless
--in-place. "Bare" is the same pages built by ReportLab from figures already read: the floor
that no query tuning can go below."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def timed(work: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds over runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.report")
    parser.add_argument(
        "db", nargs="?", type=Path, help="a Tandem database (default: a new sample)"
    )
    parser.add_argument("--month", help="the plan's month, YYYY-MM (default: this month)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--in-place", action="store_true", help="open DB itself, not a copy")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tandem-report-bench-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # automatic backups go here, not home
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from app import demo, metrics
    from app.clock import SystemClock
    from app.db import open_database
    from app.reports import plan_data
    from app.reports.plan_pdf import PlanRenderer

    clock = SystemClock()
    if args.db is None:
        path = folder / "sample.db"
        store = open_database(path, clock=clock)
        demo.build_demo(leads=5000, seed=1, today=dt.date.today())
        store.close()
    elif args.in_place:
        path = args.db
    else:
        path = folder / args.db.name
        shutil.copyfile(args.db, path)
        wal = args.db.with_name(args.db.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, path.with_name(path.name + "-wal"))
    try:
        store = open_database(path, clock=clock, quick_check_now=False)
        month = metrics.parse_month(args.month) if args.month else metrics.current_month(clock)
        # The first build reads the fonts and brings the SLA clocks up to date: not timed.
        first = time.perf_counter()
        figures = plan_data.gather(month, clock=clock)
        data = PlanRenderer(figures).render()
        first = time.perf_counter() - first

        gather, figures = timed(lambda: plan_data.gather(month, clock=clock), args.runs)
        bare, data = timed(lambda: PlanRenderer(figures).render(), args.runs)
        full, _ = timed(
            lambda: PlanRenderer(plan_data.gather(month, clock=clock)).render(), args.runs
        )
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page")
    print(f"plan for {metrics.month_name(month)} from {args.db or 'the sample company'}")
    print(f"first build (fonts, SLA clocks)   {first * 1000:8.0f} ms")
    print(f"figures only (the queries)        {gather * 1000:8.0f} ms")
    print(
        f"bare ReportLab build, same pages  {bare * 1000:8.0f} ms   "
        f"({pages} pages, {len(data) // 1024} KiB)"
    )
    print(
        f"the plan (queries + build)        {full * 1000:8.0f} ms   ratio {full / bare:.2f}x "
        f"{'(within 1 s)' if full <= 1 else '(over 1 s)'}"
    )


if __name__ == "__main__":
    main()
