"""SLA benchmark: the busiest month's scorecard and the 12-month trend, beside plain SQL.

Usage: python -m tests.benchmarks.sla --db PATH [--runs 5] [--keep]

Works on a copy of PATH (the original is never changed), opened as Tandem opens it (upgrading
it if need be). Prints, with the time of the plain SQL that fetches the same records and the
ratio: working out every clock the first time, the busiest month's scorecard, the scorecard
right after a change (one lead worked out again), and the trend of the 12 months to it."""

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
from typing import Any


def timed(action: Callable[[], object], runs: int) -> float:
    """Median seconds of runs calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(label: str, seconds: float, plain: float | None = None, note: str = "") -> None:
    text = f"{label:<44}{seconds * 1000:>10.1f} ms"
    if plain is not None:
        text += f"   plain SQL {plain * 1000:>9.1f} ms   ratio {seconds / plain:>5.2f}x"
    print(text + (f"   {note}" if note else ""))


def repair_development_schema() -> None:
    """Files opened by a development build of schema 3 may lack sla_tally, an index or a
    trigger: add what is missing (and work the clocks out again if the tables changed)."""
    from app import settings, sla_clocks
    from app.models import SlaClock, SlaTally, database

    if not database.table_exists(SlaTally._meta.table_name):
        with database.atomic():
            database.drop_tables([SlaClock])
            database.create_tables([SlaClock, SlaTally])
            settings.put(sla_clocks.INPUTS_KEY, None)
        print("(repaired the SLA tables of a development build of schema 3)")
    SlaClock._schema.create_indexes(safe=True)  # type: ignore[attr-defined]
    sla_clocks.create_triggers(database.obj)


def busiest_month() -> str:
    from peewee import fn

    from app.models import Handover

    month = fn.SUBSTR(Handover.handed_over_at, 1, 7)
    query: Any = (
        Handover.select(month, fn.COUNT(Handover.id))
        .group_by(month)
        .order_by(fn.COUNT(Handover.id).desc())
        .limit(1)
        .tuples()
    )
    return str(query.get()[0])


def plain_handovers(starts: dt.datetime, ends: dt.datetime) -> Callable[[], int]:
    """The records a scorecard is made of, fetched as a plain query: the handovers of the
    period with their first responses and give-up attempts (what computing on read needs)."""
    from app import sla_clocks
    from app.models import Handover, database

    def fetch() -> int:
        query = sla_clocks._facts_query(False, 0, 10**9).where(
            (Handover.handed_over_at >= starts) & (Handover.handed_over_at < ends)
        )
        return len(database.execute(query).fetchall())

    return fetch


def plain_clock_rows(months: list[str]) -> Callable[[], int]:
    from app.models import SlaClock, database

    def fetch() -> int:
        query = SlaClock.select().where(SlaClock.month.in_(months))
        return len(database.execute(query).fetchall())

    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.sla")
    parser.add_argument("--db", required=True, type=Path, help="a demo database (left unchanged)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--month", help="YYYY-MM (default: the month with most handovers)")
    parser.add_argument("--keep", action="store_true", help="keep the working copy")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tandem-sla-bench-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # upgrade backups go here
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    copy = folder / args.db.name
    shutil.copyfile(args.db, copy)

    from app import activities, settings, sla, sla_clocks, team
    from app.calendar import BusinessCalendar
    from app.clock import FixedClock
    from app.db import open_database
    from app.models import Handover, Lead

    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    store = open_database(copy, clock=FixedClock(now), quick_check_now=False)
    if store.upgraded_from is not None:
        print(
            f"upgraded a schema {store.upgraded_from} file in {time.perf_counter() - started:.1f} s"
        )
    try:
        repair_development_schema()
        month = args.month or busiest_month()
        months = sla.months_before(month, 12)
        calendar = BusinessCalendar.load()
        starts, ends = calendar.month_bounds(month)
        handovers = Handover.select().where(
            (Handover.handed_over_at >= starts) & (Handover.handed_over_at < ends)
        )
        print(
            f"{Lead.select().count():,} leads; {month}: {handovers.count():,} handovers; "
            f"{args.runs} runs each, median"
        )

        settings.put(sla_clocks.INPUTS_KEY, None)  # as after a calendar or agreement edit
        line("working out every clock", timed(sla_clocks.bring_up_to_date, 1))
        plain_month = timed(plain_handovers(starts, ends), 1)
        line(
            f"scorecard {month}",
            timed(lambda: sla.scorecard(month, now=now), args.runs),
            plain_month,
            "(plain: the month's handovers with first responses)",
        )
        line(
            f"scorecard {month}",
            timed(lambda: sla.scorecard(month, now=now), args.runs),
            timed(plain_clock_rows([month]), args.runs),
            "(plain: the month's clock rows)",
        )

        lead = handovers.order_by(Handover.id).first().lead
        clock = FixedClock(now)
        seller = team.members("sales")[0]

        def after_a_call() -> None:
            activities.log_activity(kind="call", lead=lead, outcome="bench", by=seller, clock=clock)
            sla.scorecard(month, now=now)

        line(
            "scorecard after logging a call",
            timed(after_a_call, args.runs),
            plain_month,
            "(one lead worked out again)",
        )

        first = calendar.month_bounds(months[0])[0]
        line(
            f"trend {months[0]} to {month}",
            timed(lambda: sla.trend(month, now=now), args.runs),
            timed(plain_handovers(first, ends), 1),
            "(plain: 12 months of handovers with first responses)",
        )
        line(
            f"trend {months[0]} to {month}",
            timed(lambda: sla.trend(month, now=now), args.runs),
            timed(plain_clock_rows(months), 1),
            "(plain: 12 months of clock rows)",
        )
    finally:
        store.close()
        if args.keep:
            print(f"kept {copy}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
