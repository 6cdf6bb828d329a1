"""Benchmark: importing a large leads CSV, beside a raw sqlite3 insert of the same rows.

Usage: python -m tests.benchmarks.io [--rows 100000] [--keep DIR]

Prints seconds and peak memory (the process's peak resident size) for Tandem's import, then the
seconds of a bare sqlite3 executemany of the same rows into the same schema, and the ratio.
Targets for 100,000 rows: at most 5 s and 300 MB."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

FIRST = ("Anna", "Jürgen", "Zoë", "Łukasz", "Renée", "Mehmet", "Ana", "Chloé", "Søren", "Olga")
LAST = ("Müller", "Schröder", "Núñez", "Yılmaz", "Kowalski", "Dubois", "García", "Smith", "Østby")
SOURCES = ("Cold call", "Referral", "Networking", "Trade show", "Other")


def write_csv(path: Path, rows: int) -> None:
    """A CRM-style export: semicolons, German dates and headers, a few multi-line notes."""
    chance = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(
            ["Vorname", "Nachname", "Firma", "E-Mail", "Telefon", "Lead Source", "Erstellt am",
             "Notizen"]
        )  # fmt: skip
        for n in range(rows):
            day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 600)
            note = "Wants a call back\nafter 16:00" if n % 10 == 0 else "Met at the fair"
            writer.writerow(
                [
                    chance.choice(FIRST),
                    chance.choice(LAST),
                    f"Firma {n % 5000} GmbH",
                    f"person.{n}@example.com",
                    f"+49 30 {n:08d}",
                    chance.choice(SOURCES),
                    f"{day:%d.%m.%Y} 10:{n % 60:02d}",
                    note,
                ]
            )


def tandem_import(folder: Path, source: Path) -> tuple[float, float, object]:
    from app import team
    from app.clock import SystemClock
    from app.company import CompanyProfile
    from app.db import open_database
    from app.io import importer, reader

    clock = SystemClock()
    store = open_database(folder / "tandem.db", clock=clock)
    try:
        owner = team.start_company(
            CompanyProfile(name="Bench GmbH", country="DE", timezone="Europe/Berlin"),
            "Olga Owner",
            "olga@example.com",
            clock=clock,
        )
        started, cpu = time.perf_counter(), time.process_time()
        layout = reader.detect_layout(source)
        report = importer.import_file(layout, importer.ImportOptions(), by=owner, clock=clock)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        store.close()
    return seconds, cpu, report


def raw_insert(
    folder: Path, source: Path, template: Path, *, bare: bool = False
) -> tuple[float, float]:
    """The same rows read with the csv module and written with one executemany, straight into a
    copy of an empty Tandem database (same table, indexes and search trigger), or with bare=True
    into a lead table without any index or trigger: the floor for SQLite on this machine."""
    target = folder / ("bare.db" if bare else "raw.db")
    shutil.copyfile(template, target)
    conn = sqlite3.connect(target, isolation_level=None)
    if bare:
        for kind, name in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'lead' AND sql IS NOT NULL "
            "AND type IN ('index', 'trigger')"
        ).fetchall():
            conn.execute(f'DROP {kind.upper()} "{name}"')
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with source.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, delimiter=";")
            next(rows)
            values = (
                (f"{r[0]} {r[1]}", r[2], r[3], r[4], "other", "b2b", "awareness", "cold", "new",
                 0, r[7], r[6], "")
                for r in rows
            )  # fmt: skip
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO lead (name, company, email, phone, source, customer_type, "
                "funnel_stage, temperature, stage, score, notes, created_at, reason_note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            conn.execute("COMMIT")
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.io")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tandem-io-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_DATA_HOME"] = str(folder / "data")  # backups go to a scratch folder
    source = folder / f"leads-{args.rows}.csv"
    write_csv(source, args.rows)
    size = source.stat().st_size / 2**20

    from app.clock import SystemClock
    from app.db import open_database

    template = folder / "empty.db"
    open_database(template, clock=SystemClock()).close()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds, cpu, report = tandem_import(folder, source)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    raw, raw_cpu = raw_insert(folder, source, template)
    floor, floor_cpu = raw_insert(folder, source, template, bare=True)
    # CPU seconds beside wall-clock ones: on a shared machine the wall clock includes waiting.
    print(f"file              {args.rows:>10,} rows   {size:8.1f} MiB")
    print(
        f"Tandem import     {seconds:8.2f} s  ({cpu:.2f} s CPU)   {args.rows / seconds:>9,.0f} "
        f"rows/s   peak memory {peak:.0f} MiB (before the import {before:.0f} MiB)"
    )
    print(
        f"raw sqlite3       {raw:8.2f} s  ({raw_cpu:.2f} s CPU)   csv.reader + one executemany "
        "into the same schema"
    )
    print(f"raw sqlite3, bare {floor:8.2f} s  ({floor_cpu:.2f} s CPU)   the same into the table "
          "without its indexes and search trigger")  # fmt: skip
    print(f"ratio             {seconds / raw:8.2f}x ({cpu / raw_cpu:.2f}x CPU) to the same schema, "
          f"{seconds / floor:.2f}x ({cpu / floor_cpu:.2f}x CPU) to the bare table")  # fmt: skip
    print(report.summary())  # type: ignore[attr-defined]
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
