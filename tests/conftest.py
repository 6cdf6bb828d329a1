"""Shared test fixtures: private user folders, a fixed clock, a fresh database, a small team."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# GUI tests run without a display; set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import team
from app.clock import FixedClock
from app.company import CompanyProfile
from app.db import Store, open_database
from app.models import Member, Reason


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs reads these on every call, so no test touches the real user folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))


@pytest.fixture(autouse=True)
def no_thread_outlives_its_test() -> Iterator[None]:
    """A page's background job may still run when its test ends; it must finish before the
    database it reads is closed and removed."""
    yield
    from ui.jobs import wait_for_all

    wait_for_all()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 16, 10, 0))  # a Monday, naive UTC


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database made once; each test opens its own copy (three times faster than new)."""
    path = tmp_path_factory.mktemp("template") / "tandem.db"
    open_database(path, clock=FixedClock(dt.datetime(2026, 1, 1))).close()
    return path


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock, empty_database: Path) -> Iterator[Store]:
    path = tmp_path / "tandem.db"
    shutil.copyfile(empty_database, path)
    path.chmod(0o600)  # as Tandem creates it
    opened = open_database(path, clock=clock)
    yield opened
    from ui.jobs import wait_for_all

    wait_for_all()  # background reads finish before their database closes
    opened.close()


@dataclass
class Company:
    owner: Member
    marketer: Member
    seller: Member
    other_seller: Member
    reasons: dict[str, list[Reason]]


@pytest.fixture
def company(store: Store, clock: FixedClock) -> Company:
    profile = CompanyProfile(name="Test GmbH", country="DE", region="BE", timezone="Europe/Berlin")
    owner = team.start_company(profile, "Olga Owner", "olga@example.com", clock=clock)
    return Company(
        owner=owner,
        marketer=team.add_member(
            "Mara Marketing", "mara@example.com", "marketing", by=owner, clock=clock
        ),
        seller=team.add_member("Sam Sales", "sam@example.com", "sales", by=owner, clock=clock),
        other_seller=team.add_member(
            "Sia Sales", "sia@example.com", "sales", by=owner, clock=clock
        ),
        reasons={kind: team.reasons(kind) for kind in ("rejection", "disqualification", "loss")},
    )
