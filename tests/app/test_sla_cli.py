"""`main.py sla`: the month's scorecard as text or JSON, and a one-line reason on bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app import activities, cli, leads, team
from app.clock import FixedClock
from app.company import CompanyProfile
from app.db import open_database


@pytest.fixture
def march_2025(tmp_path: Path) -> Path:
    """A closed database with a few handovers in March 2025, long finished."""
    path = tmp_path / "desk.db"
    clock = FixedClock(dt.datetime(2025, 3, 3, 9, 0))  # Monday 10:00 in Berlin
    store = open_database(path, clock=clock)
    try:
        profile = CompanyProfile(name="Kiosk", country="DE", region="BE")
        owner = team.start_company(profile, "Olga Owner", "olga@example.com", clock=clock)
        seller = team.add_member("Sam Sales", "sam@example.com", "sales", by=owner, clock=clock)
        for name, minutes in (("Quick", 30), ("Slow", 300)):
            lead = leads.add_lead(name=name, source="referral", by=owner, clock=clock)
            leads.qualify(lead, by=owner, clock=clock)
            leads.hand_over(lead, to=seller, by=owner, clock=clock)
            clock.advance(minutes=minutes)
            activities.log_activity(kind="call", lead=lead, outcome="ok", by=seller, clock=clock)
            leads.accept(lead, by=seller, clock=clock)
    finally:
        store.close()
    return path


def test_the_scorecard_as_json(march_2025: Path, capsys: pytest.CaptureFixture[str]):
    code = cli.run(cli.parse(["sla", "--month", "2025-03", "--db", str(march_2025), "--json"]))

    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["month"] == "2025-03"
    assert data["agreement"]["effective_from"] == "2025-03-01"
    response = data["commitments"]["first_response"]
    assert (response["met"], response["breached"], response["compliance"]) == (1, 1, 50.0)
    assert data["commitments"]["lead_volume"]["actual"] == 2
    assert data["commitments"]["lead_acceptance"]["met"] == 1  # 100% accepted; March is over
    assert data["response_median_minutes"] == 165.0
    assert [m["name"] for m in data["members"]] == ["Olga Owner", "Sam Sales"]


def test_the_scorecard_as_text(march_2025: Path, capsys: pytest.CaptureFixture[str]):
    assert cli.run(cli.parse(["sla", "--month", "2025-03", "--db", str(march_2025)])) == 0

    out = capsys.readouterr().out
    assert out.startswith("SLA scorecard for March 2025\n")
    assert "First response (business hours)" in out
    assert "median 165.0, 90th percentile 300.0" in out


@pytest.mark.parametrize(
    ("month", "reason"),
    [
        ("2025-3", "'2025-3' is not a month; write it as YYYY-MM, for example 2026-11."),
        ("March", "'March' is not a month; write it as YYYY-MM, for example 2026-11."),
    ],
)
def test_a_bad_month_is_one_line_and_a_failure(
    march_2025: Path, capsys: pytest.CaptureFixture[str], month: str, reason: str
):
    code = cli.run(cli.parse(["sla", "--month", month, "--db", str(march_2025)]))

    assert code == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"tandem: {reason}\n")


def test_a_missing_database_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "nothing.db"

    assert cli.run(cli.parse(["sla", "--month", "2025-03", "--db", str(missing)])) == 1
    assert "There is no database" in capsys.readouterr().err
    assert not missing.exists()
