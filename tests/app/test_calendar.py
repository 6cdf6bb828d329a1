"""Business time: working minutes across nights, weekends, holidays, closing days and DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import company as company_module
from app.calendar import BusinessCalendar, add_closing_day, remove_closing_day
from app.clock import FixedClock
from app.errors import UserError
from app.models import ClosingDay

BERLIN = BusinessCalendar(timezone="Europe/Berlin", country="DE", region="BE")
BAVARIA = BusinessCalendar(timezone="Europe/Berlin", country="DE", region="BY")
NEW_YORK = BusinessCalendar(
    timezone="America/New_York", country="US", day_starts="09:00", day_ends="17:00"
)
LONDON = BusinessCalendar(timezone="Europe/London", country="GB", region="ENG")
# Round the clock every day, so the hours that daylight saving adds or removes are worked.
NONSTOP = BusinessCalendar(
    timezone="Europe/Berlin", working_days=range(7), day_starts="00:00", day_ends="23:59"
)
# Odd offsets and a southern-hemisphere summer.
KATHMANDU = BusinessCalendar(timezone="Asia/Kathmandu", country="NP", day_starts="10:00")
SYDNEY = BusinessCalendar(timezone="Australia/Sydney", country="AU", region="NSW")


def at(calendar: BusinessCalendar, *parts: int) -> dt.datetime:
    """A wall-clock time in the calendar's zone, as the naive UTC instant Tandem stores."""
    return calendar.utc(dt.datetime(*parts))  # type: ignore[arg-type]


def minutes(calendar: BusinessCalendar, start: tuple[int, ...], end: tuple[int, ...]) -> float:
    return calendar.business_minutes(at(calendar, *start), at(calendar, *end))


def test_a_working_day_counts_from_opening_to_closing():
    assert minutes(BERLIN, (2026, 11, 16, 9, 0), (2026, 11, 16, 17, 30)) == 510
    assert minutes(BERLIN, (2026, 11, 16, 11, 15), (2026, 11, 16, 12, 45)) == 90


def test_time_outside_working_hours_does_not_count():
    # Handed over at 18:00 on Monday: the first business hour ends at 10:00 on Tuesday.
    assert minutes(BERLIN, (2026, 11, 16, 18, 0), (2026, 11, 17, 10, 0)) == 60
    assert minutes(BERLIN, (2026, 11, 16, 18, 0), (2026, 11, 17, 8, 59)) == 0
    assert BERLIN.add_business_minutes(at(BERLIN, 2026, 11, 16, 18, 0), 60) == at(
        BERLIN, 2026, 11, 17, 10, 0
    )


def test_a_weekend_does_not_count():
    assert minutes(BERLIN, (2026, 11, 20, 17, 0), (2026, 11, 23, 10, 0)) == 30 + 60
    assert BERLIN.add_business_minutes(at(BERLIN, 2026, 11, 21, 12, 0), 90) == at(
        BERLIN, 2026, 11, 23, 10, 30
    )


def test_friday_evening_before_a_monday_holiday_counts_from_tuesday_morning():
    # Whit Monday, 25 May 2026, is a public holiday in all of Germany.
    friday_evening = at(BERLIN, 2026, 5, 22, 18, 0)

    assert BERLIN.add_business_minutes(friday_evening, 1) == at(BERLIN, 2026, 5, 26, 9, 1)
    assert minutes(BERLIN, (2026, 5, 22, 18, 0), (2026, 5, 26, 9, 30)) == 30
    assert not BERLIN.is_working_day(dt.date(2026, 5, 25))


def test_us_thanksgiving_is_not_a_working_day():
    # Thanksgiving 2026 is Thursday 26 November; the Friday after is an ordinary working day.
    assert minutes(NEW_YORK, (2026, 11, 25, 16, 0), (2026, 11, 27, 10, 0)) == 60 + 60
    assert NEW_YORK.add_business_minutes(at(NEW_YORK, 2026, 11, 25, 16, 30), 60) == at(
        NEW_YORK, 2026, 11, 27, 9, 30
    )


def test_a_uk_boxing_day_substitute_is_not_a_working_day():
    # Christmas 2021 fell on a Saturday: Monday 27 and Tuesday 28 December were bank holidays.
    assert not LONDON.is_working_day(dt.date(2021, 12, 28))
    assert minutes(LONDON, (2021, 12, 24, 16, 0), (2021, 12, 29, 10, 0)) == 90 + 60


def test_a_regional_holiday_counts_only_in_its_region():
    # Epiphany (Tuesday 6 January 2026) is a holiday in Bavaria, not in Berlin.
    span = ((2026, 1, 5, 17, 0), (2026, 1, 7, 10, 0))
    assert minutes(BAVARIA, *span) == 30 + 60
    assert minutes(BERLIN, *span) == 30 + 510 + 60


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Berlin: summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October.
        ((2026, 3, 27, 16, 30), (2026, 3, 30, 9, 30), 60 + 30),
        ((2026, 10, 23, 17, 0), (2026, 10, 26, 9, 30), 30 + 30),
    ],
)
def test_working_hours_follow_the_wall_clock_across_a_dst_change(start, end, expected):
    assert minutes(BERLIN, start, end) == expected


def test_opening_after_a_dst_change_is_an_hour_earlier_or_later_in_utc():
    # 09:00 in Berlin is 08:00 UTC before the change in March and 07:00 UTC after it.
    friday = dt.datetime(2026, 3, 27, 15, 0)  # 16:00 CET
    assert BERLIN.add_business_minutes(friday, 90 + 30) == dt.datetime(2026, 3, 30, 7, 30)
    # New York: daylight saving starts on Sunday 8 March 2026 and ends on Sunday 1 November.
    assert NEW_YORK.add_business_minutes(dt.datetime(2026, 3, 6, 22, 30), 30) == dt.datetime(
        2026, 3, 9, 13, 30
    )
    assert NEW_YORK.add_business_minutes(dt.datetime(2026, 10, 30, 21, 30), 30) == dt.datetime(
        2026, 11, 2, 14, 30
    )


def test_a_short_or_long_night_of_dst_is_counted_exactly_when_it_is_worked():
    # From noon Saturday to noon Sunday is 23 real hours in March and 25 in October.
    assert minutes(NONSTOP, (2026, 3, 28, 12, 0), (2026, 3, 29, 12, 0)) == 719 + 11 * 60
    assert minutes(NONSTOP, (2026, 10, 24, 12, 0), (2026, 10, 25, 12, 0)) == 719 + 13 * 60


def test_month_and_year_ends_are_crossed_exactly():
    # New Year's Day is a holiday; 31 December is an ordinary working day in Berlin.
    assert minutes(BERLIN, (2025, 12, 31, 17, 0), (2026, 1, 2, 10, 0)) == 30 + 60
    assert minutes(BERLIN, (2026, 1, 30, 17, 0), (2026, 2, 2, 9, 30)) == 30 + 30
    assert BERLIN.add_business_minutes(at(BERLIN, 2025, 12, 31, 17, 0), 31) == at(
        BERLIN, 2026, 1, 2, 9, 1
    )


def test_closing_days_are_not_working_days():
    closed = BusinessCalendar(
        timezone="Europe/Berlin",
        country="DE",
        region="BE",
        closing_days=[dt.date(2025, 12, 24), dt.date(2025, 12, 31)],
    )
    span = ((2025, 12, 23, 17, 0), (2025, 12, 29, 10, 0))

    assert minutes(closed, *span) == 30 + 60
    assert minutes(BERLIN, *span) == 30 + 510 + 60  # the 24th is worked without the closing


def test_nothing_is_counted_backwards():
    later, earlier = at(BERLIN, 2026, 11, 17, 12, 0), at(BERLIN, 2026, 11, 16, 12, 0)
    assert BERLIN.business_minutes(later, earlier) == 0
    assert BERLIN.business_minutes(later, later) == 0


def test_a_long_span_is_the_sum_of_its_working_days():
    start, end = dt.date(2019, 1, 1), dt.date(2031, 1, 1)
    days = (end - start).days
    working = sum(BERLIN.is_working_day(start + dt.timedelta(days=n)) for n in range(days))

    assert minutes(BERLIN, (2019, 1, 1, 0, 0), (2031, 1, 1, 0, 0)) == working * 510
    assert 2900 < working < 3100  # about 250 working days a year


def test_a_calendar_with_no_working_time_sets_no_deadline():
    never = BusinessCalendar(timezone="Europe/Berlin", working_days=())
    with pytest.raises(UserError, match="no working hours"):
        never.add_business_minutes(dt.datetime(2026, 1, 1), 1)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(UserError, match="not a time zone"):
        BusinessCalendar(timezone="Mars/Olympus_Mons")


def test_the_calendar_is_read_from_the_company_profile(company, clock: FixedClock):
    profile = company_module.CompanyProfile(
        name="Test Inc",
        country="US",
        region="NY",
        timezone="America/New_York",
        day_starts="08:00",
        day_ends="16:00",
    )
    company_module.save(profile, by=company.owner, clock=clock)
    ClosingDay.create(day=dt.date(2026, 11, 27), label="Bridge day")

    calendar = BusinessCalendar.load()

    assert (calendar.country, calendar.region) == ("US", "NY")
    assert not calendar.is_working_day(dt.date(2026, 11, 26))  # Thanksgiving
    assert not calendar.is_working_day(dt.date(2026, 11, 27))  # the closing day
    # Wednesday 17:00 is after closing; Monday counts from 08:00.
    assert minutes(calendar, (2026, 11, 25, 17, 0), (2026, 11, 30, 9, 0)) == 60


# --- properties --------------------------------------------------------------------------------

CALENDARS = st.sampled_from([BERLIN, BAVARIA, NEW_YORK, LONDON, NONSTOP, KATHMANDU, SYDNEY])
INSTANTS = st.datetimes(
    min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2031, 12, 31), timezones=st.none()
).map(lambda moment: moment.replace(microsecond=0))
SPANS = st.integers(min_value=0, max_value=60 * 24 * 400)  # minutes: up to a year and more


@given(CALENDARS, INSTANTS, INSTANTS, INSTANTS)
@settings(deadline=None)
def test_business_time_adds_up_over_consecutive_spans(calendar, first, second, third):
    a, b, c = sorted((first, second, third))
    assert calendar.business_time(a, b) + calendar.business_time(b, c) == calendar.business_time(
        a, c
    )


@given(CALENDARS, INSTANTS, INSTANTS)
@settings(deadline=None)
def test_business_time_is_never_negative_nor_more_than_real_time(calendar, a, b):
    taken = calendar.business_time(a, b)
    assert dt.timedelta(0) <= taken <= max(b - a, dt.timedelta(0))


@given(CALENDARS, INSTANTS, SPANS)
@settings(deadline=None)
def test_adding_business_minutes_then_measuring_gives_them_back(calendar, start, amount):
    end = calendar.add_business_minutes(start, amount)
    assert end >= start
    assert calendar.business_minutes(start, end) == amount


@given(CALENDARS, INSTANTS, st.integers(min_value=0, max_value=4 * 24 * 60))
@settings(deadline=None, max_examples=60)
def test_business_time_agrees_with_counting_minute_by_minute(calendar, start, span):
    start = start.replace(second=0)
    zone = zoneinfo.ZoneInfo(str(calendar.zone.key))
    counted = 0
    for n in range(span):
        moment = start + dt.timedelta(minutes=n)
        local = moment.replace(tzinfo=dt.UTC).astimezone(zone)
        hours = calendar.hours.get(local.weekday())
        if hours and calendar.is_working_day(local.date()):
            minute = local.hour * 60 + local.minute
            counted += hours[0] <= minute < hours[1]
    assert calendar.business_minutes(start, start + dt.timedelta(minutes=span)) == counted


def test_closing_days_are_added_and_removed_by_hand(company, clock: FixedClock):
    bridge = dt.date(2026, 11, 27)
    add_closing_day(bridge, " Bridge day ", by=company.owner, clock=clock)
    assert not BusinessCalendar.load().is_working_day(bridge)
    assert [(c.day, c.label) for c in ClosingDay.select()] == [(bridge, "Bridge day")]
    with pytest.raises(UserError, match="already a closing day"):
        add_closing_day(bridge, by=company.owner, clock=clock)

    remove_closing_day(bridge, by=company.owner, clock=clock)
    assert BusinessCalendar.load().is_working_day(bridge)
    with pytest.raises(UserError, match="not a closing day"):
        remove_closing_day(bridge, by=company.owner, clock=clock)
