"""The company profile: each problem named in words, saved and loaded whole, or not at all."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from app.clock import FixedClock
from app.company import CompanyProfile, countries, load, regions, save, today
from app.errors import UserError
from app.models import AuditEntry, WorkingHours

LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _valid(**changes) -> CompanyProfile:
    profile = CompanyProfile(name="Test GmbH", country="DE", region="BE", timezone="Europe/Berlin")
    return dataclasses.replace(profile, **changes)


def _hours() -> list[tuple[int, str, str]]:
    return [
        (h.weekday, h.starts, h.ends) for h in WorkingHours.select().order_by(WorkingHours.weekday)
    ]


def test_a_sound_profile_has_no_problems():
    assert _valid().problems() == []
    assert _valid(region="", paper="Letter", working_days=[6]).problems() == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "   "}, "Give the company a name."),
        ({"currency": "euro"}, "three-letter code such as EUR"),
        ({"currency": "eur"}, "three-letter code such as EUR"),
        ({"country": "XX", "region": ""}, "no public holidays for the country code 'XX'"),
        ({"region": "ZZ"}, "'ZZ' is not a region of Germany."),
        ({"timezone": "Mars/Olympus_Mons"}, "'Mars/Olympus_Mons' is not a time zone"),
        ({"working_days": []}, "Pick at least one working day."),
        ({"working_days": [0, 7]}, "Pick at least one working day."),
        ({"day_starts": "9:00"}, "HH:MM"),
        ({"day_starts": "17:00", "day_ends": "09:00"}, "must end after it starts"),
        ({"day_starts": "09:00", "day_ends": "09:00"}, "must end after it starts"),
        ({"paper": "A5"}, "Paper size is A4 or Letter."),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_each_problem_is_named(changes, words):
    problems = _valid(**changes).problems()
    assert len(problems) == 1, problems
    assert words in problems[0]


def test_every_problem_is_listed_at_once():
    profile = CompanyProfile(
        name="",
        currency="euro",
        country="XX",
        timezone="Nowhere/Town",
        working_days=[],
        day_starts="18:00",
        day_ends="08:00",
        paper="A5",
    )
    assert len(profile.problems()) == 7


def test_a_profile_is_saved_and_loaded_whole(store, clock: FixedClock):
    profile = CompanyProfile(
        name="Łódź Ogrody sp. z o.o.",
        currency="PLN",
        country="PL",
        region="",
        timezone="Europe/Warsaw",
        working_days=[0, 1, 2, 3, 5],
        day_starts="08:00",
        day_ends="16:30",
        paper="Letter",
        logo=LOGO,
    )

    save(profile, by=None, clock=clock)

    assert load() == profile
    assert _hours() == [(d, "08:00", "16:30") for d in (0, 1, 2, 3, 5)]
    entry = AuditEntry.get(AuditEntry.action == "update profile")
    assert entry.at == clock.now()
    assert json.loads(entry.after)["name"] == "Łódź Ogrody sp. z o.o."
    assert json.loads(entry.after)["logo"] == f"<{len(LOGO)} bytes>"


def test_saving_again_replaces_the_old_profile(company, clock: FixedClock):
    save(_valid(name="  Test GmbH & Co. KG ", working_days=[2, 1]), by=company.owner, clock=clock)

    loaded = load()
    assert loaded.name == "Test GmbH & Co. KG"
    assert loaded.working_days == [1, 2]
    assert loaded.logo is None
    assert _hours() == [(1, "09:00", "17:30"), (2, "09:00", "17:30")]
    entries = AuditEntry.select().where(AuditEntry.action == "update profile").count()
    assert entries == 2  # the first save by start_company, then this one


def test_an_unsound_profile_is_refused_and_nothing_changes(company, clock: FixedClock):
    before = _company_state()

    with pytest.raises(UserError) as refused:
        save(_valid(name="", currency="euro", paper="A5"), by=company.owner, clock=clock)

    message = str(refused.value)
    assert "Give the company a name." in message
    assert "three-letter code" in message
    assert "A4 or Letter" in message
    assert _company_state() == before


def _company_state() -> tuple[CompanyProfile, list[tuple[int, str, str]], int]:
    return load(), _hours(), AuditEntry.select().count()


def test_the_companys_today_is_in_its_own_time_zone(company, clock: FixedClock):
    clock.at = dt.datetime(2026, 11, 16, 23, 30)
    assert today(clock) == dt.date(2026, 11, 17)  # 00:30 in Berlin

    save(_valid(timezone="America/New_York", region=""), by=company.owner, clock=clock)
    clock.at = dt.datetime(2026, 11, 17, 3, 0)
    assert today(clock) == dt.date(2026, 11, 16)  # 22:00 in New York


def test_the_country_and_region_lists_name_places():
    assert countries()["DE"] == "Germany"
    assert regions("DE")["BE"] == "Berlin"
