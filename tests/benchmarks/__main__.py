"""Benchmarks: demo generation, start-up to the first painted window, the Leads page at scale.

Usage: python -m tests.benchmarks [--leads 1000000] [--runs 3] [--keep DIR]"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_demo(path: Path, leads: int) -> None:
    from app import demo
    from app.clock import SystemClock
    from app.db import open_database
    from app.models import ALL_MODELS

    started = time.perf_counter()
    store = open_database(path, clock=SystemClock())
    try:
        summary = demo.build_demo(leads=leads, seed=1, today=dt.date.today())
        rows = sum(model.select().count() for model in ALL_MODELS)
    finally:
        store.close()
    seconds = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(
        f"demo generation   {leads:>10,} leads  {seconds:8.2f} s  "
        f"{summary.leads / seconds:>10,.0f} leads/s  {rows / seconds:>10,.0f} rows/s  "
        f"({rows:,} rows, {size:,.0f} MiB)"
    )


def first_paint(*args: str, runs: int) -> float:
    """Median seconds from process start to first paint, over fresh processes."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.startup", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the demo database in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    path = folder / f"bench-{args.leads}.db"
    if not path.exists():
        build_demo(path, args.leads)
    # The window's own preferences go to a scratch folder, not the user's.
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    bare = first_paint("bare", runs=args.runs)
    tandem = first_paint("tandem", str(path), runs=args.runs)
    print(f"first paint, bare PySide6 window     {bare * 1000:8.0f} ms")
    print(
        f"first paint, Tandem ({args.leads:,} leads) {tandem * 1000:8.0f} ms   "
        f"ratio {tandem / bare:.2f}x"
    )
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    page = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.leads_page", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    print(page.stdout, end="")
    if args.keep is None:
        for leftover in folder.rglob("*"):
            if leftover.is_file():
                leftover.unlink()


if __name__ == "__main__":
    main()
