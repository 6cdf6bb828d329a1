"""Business time: the team's working minutes between instants, on its days, hours and holidays."""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from app.errors import UserError

if TYPE_CHECKING:
    from app.clock import Clock
    from app.models import Member

# Instants inside the calendar are whole microseconds since 1970 (UTC): exact integer arithmetic,
# and one subtraction per question instead of datetime objects on the hot path.
EPOCH = dt.datetime(1970, 1, 1)
MICROSECOND = dt.timedelta(microseconds=1)
MINUTE_US = 60_000_000
DAY_US = 86_400_000_000
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()
# Days of margin around the covered years: a local day can start up to 14 hours off its UTC day.
_MARGIN = 2
# How far a deadline is looked for before deciding the calendar has no working time at all.
_MAX_YEARS_AHEAD = 64


def to_us(instant: dt.datetime) -> int:
    """A naive UTC datetime as microseconds since 1970."""
    return (instant - EPOCH) // MICROSECOND


def from_us(us: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=us)


@cache
def public_holidays(country: str, region: str, year: int) -> frozenset[dt.date]:
    """A country's (and region's) public holidays in a year, from the holidays package."""
    import holidays  # loaded on first use: it costs start-up time

    return frozenset(holidays.country_holidays(country, subdiv=region or None, years=year))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class BusinessCalendar:
    """Working days and hours in one time zone, minus public holidays and closing days.

    Questions are answered from a table of each day's working interval in UTC with running
    totals, so business time between any two instants costs two lookups, whatever the span."""

    def __init__(
        self,
        *,
        timezone: str,
        working_days: Iterable[int] = (0, 1, 2, 3, 4),
        day_starts: str = "09:00",
        day_ends: str = "17:30",
        hours: Mapping[int, tuple[str, str]] | None = None,
        country: str | None = None,
        region: str = "",
        closing_days: Iterable[dt.date] = (),
    ) -> None:
        """hours maps a weekday (0 = Monday) to its (starts, ends) and, when given, replaces
        working_days, day_starts and day_ends. country None means no public holidays."""
        try:
            self.zone = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UserError(f"'{timezone}' is not a time zone Tandem knows.") from None
        if hours is None:
            hours = {day: (day_starts, day_ends) for day in working_days}
        self.hours = {
            day: (_minutes(starts), _minutes(ends))
            for day, (starts, ends) in hours.items()
            if _minutes(ends) > _minutes(starts)
        }
        self.country = country
        self.region = region
        self.closing_days = frozenset(closing_days)
        self._holidays: dict[int, frozenset[dt.date]] = {}
        self._days: dict[int, tuple[int, int, int]] = {}  # worked-out days, by days since 1970
        # The covered range of epoch days [_first, _first + len) and, per day: the UTC instants
        # of local midnight, opening and closing (opening == closing on a day off), and the
        # business time worked from _first up to that day's opening.
        self._first = 0
        self._midnight: list[int] = []
        self._opens: list[int] = []
        self._closes: list[int] = []
        self._before: list[int] = []
        self._through: list[int] = []  # _before + that day's working time, for bisecting

    @classmethod
    def load(cls) -> BusinessCalendar:
        """The calendar of the open database: company profile, working hours, closing days."""
        from app import company
        from app.models import ClosingDay, WorkingHours

        profile = company.load()
        rows = list(WorkingHours.select().order_by(WorkingHours.weekday))
        hours = {row.weekday: (row.starts, row.ends) for row in rows} or {
            day: (profile.day_starts, profile.day_ends) for day in profile.working_days
        }
        return cls(
            timezone=profile.timezone,
            hours=hours,
            country=profile.country,
            region=profile.region,
            closing_days=[row.day for row in ClosingDay.select(ClosingDay.day)],
        )

    # --- what users ask -----------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() in self.hours
            and day not in self.closing_days
            and day not in self.holidays(day.year)
        )

    def holidays(self, year: int) -> frozenset[dt.date]:
        """The public holidays of the company's country and region in a year."""
        if year not in self._holidays:
            found = public_holidays(self.country, self.region, year) if self.country else None
            self._holidays[year] = found or frozenset()
        return self._holidays[year]

    def business_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time between two naive-UTC instants; nothing when end is not after start."""
        return dt.timedelta(microseconds=self.business_us(to_us(start), to_us(end)))

    def business_minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        return self.business_us(to_us(start), to_us(end)) / MINUTE_US

    def add_business_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The instant that much working time after start (outside hours, counted from the
        next opening)."""
        return from_us(self.add_business_us(to_us(start), amount // MICROSECOND))

    def add_business_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        return from_us(self.add_business_us(to_us(start), round(minutes * MINUTE_US)))

    def local(self, instant: dt.datetime) -> dt.datetime:
        """A naive-UTC instant as the company's wall-clock time (naive)."""
        return instant.replace(tzinfo=dt.UTC).astimezone(self.zone).replace(tzinfo=None)

    def local_date(self, instant: dt.datetime) -> dt.date:
        return self.local(instant).date()

    def utc(self, local: dt.datetime) -> dt.datetime:
        """A wall-clock time in the company's zone as a naive-UTC instant."""
        return local.replace(tzinfo=self.zone).astimezone(dt.UTC).replace(tzinfo=None)

    def month_bounds(self, month: str) -> tuple[dt.datetime, dt.datetime]:
        """The naive-UTC instants a 'YYYY-MM' month starts and ends at, in the company's zone."""
        year, number = int(month[:4]), int(month[5:7])
        following = (year + 1, 1) if number == 12 else (year, number + 1)
        return (
            self.utc(dt.datetime(year, number, 1)),
            self.utc(dt.datetime(following[0], following[1], 1)),
        )

    # --- the same in microseconds, for bulk work --------------------------------------------

    def business_us(self, start: int, end: int) -> int:
        if end <= start:
            return 0
        # start first: covering an earlier year restarts the running totals; a later one not.
        before = self.worked_before(start)
        return self.worked_before(end) - before

    def worked_before(self, instant: int) -> int:
        """Business time from the start of the covered table up to an instant: a running total,
        so any span is the difference of two of these."""
        return self.locate(instant)[1]

    def locate(self, instant: int) -> tuple[int, int]:
        """The local day an instant falls on (days since 1970) and worked_before(instant)."""
        index = self._day_index(instant)
        day = self._first + index
        opens = self._opens[index]
        if instant <= opens:
            return day, self._before[index]
        closes = self._closes[index]
        if instant >= closes:
            return day, self._through[index]
        return day, self._before[index] + instant - opens

    def add_business_us(self, start: int, amount: int) -> int:
        if amount <= 0:
            return start
        # Measuring start first: extending the table later only adds years at its end, which
        # leaves the running totals (counted from its first day) as they were.
        goal = self.worked_before(start) + amount
        self._reach(lambda: goal <= self._through[-1])
        index = bisect.bisect_left(self._through, goal)
        return self._opens[index] + goal - self._before[index]

    def latest_within(self, start: int, amount: int) -> int:
        """The last instant by which no more than amount of working time has passed since
        start: a deadline that falls at closing time holds until work starts again."""
        goal = self.worked_before(start) + max(amount, 0)
        self._reach(lambda: goal < self._through[-1])
        index = bisect.bisect_right(self._through, goal)
        return max(start, self._opens[index] + goal - self._before[index])

    def _reach(self, covered: Callable[[], bool]) -> None:
        """Extend the table forward, doubling the years added, until covered() holds."""
        years = 1
        while not covered():
            if not self.hours or years > _MAX_YEARS_AHEAD:
                raise UserError(
                    "The working calendar has no working hours, so no deadline can be set."
                )
            self._cover_years(self._first_year(), self._last_year() + years)
            years *= 2

    def day_of(self, instant: int) -> int:
        """The local day an instant falls on, as days since 1970."""
        index = self._day_index(instant)  # first: it may extend the table, moving _first
        return self._first + index

    def day_start_us(self, day: int) -> int:
        """The instant a local day (days since 1970) begins."""
        index = day - self._first
        if index < 0 or index >= len(self._midnight):
            self._cover_day(day)
            index = day - self._first
        return self._midnight[index]

    def cover(self, start: dt.datetime, end: dt.datetime) -> None:
        """Build the table for the years from start to end at once (bulk work over a range)."""
        self._cover_day(to_us(start) // DAY_US)
        self._cover_day(to_us(end) // DAY_US)

    # --- the table ----------------------------------------------------------------------------

    def _day_index(self, instant: int) -> int:
        """The table row of the local day an instant falls on."""
        index = instant // DAY_US - self._first
        if index < 1 or index >= len(self._midnight) - 1:
            self._cover_day(instant // DAY_US)
            index = instant // DAY_US - self._first
        midnight = self._midnight
        if instant < midnight[index]:
            return index - 1
        if instant >= midnight[index + 1]:
            return index + 1
        return index

    def _first_year(self) -> int:
        return dt.date.fromordinal(self._first + _MARGIN + _EPOCH_DAY).year

    def _last_year(self) -> int:
        return dt.date.fromordinal(
            self._first + len(self._midnight) - 1 - _MARGIN + _EPOCH_DAY
        ).year

    def _cover_day(self, day: int) -> None:
        year = dt.date.fromordinal(day + _EPOCH_DAY).year
        if not self._midnight:
            self._cover_years(year, year)
        elif not self._first_year() <= year <= self._last_year():
            self._cover_years(min(self._first_year(), year), max(self._last_year(), year))

    def _cover_years(self, first: int, last: int) -> None:
        """Rebuild the table for whole years first..last, with a margin of days either side.
        Days worked out before are reused: only the running totals are summed again."""
        start = dt.date(first, 1, 1) - dt.timedelta(days=_MARGIN)
        stop = dt.date(last + 1, 1, 1) + dt.timedelta(days=_MARGIN)
        self._first = start.toordinal() - _EPOCH_DAY
        self._midnight, self._opens, self._closes = [], [], []
        self._before, self._through = [], []
        worked = 0
        for number in range(self._first, stop.toordinal() - _EPOCH_DAY):
            known = self._days.get(number)
            if known is None:
                known = self._days[number] = self._working_interval(number)
            midnight, opens, closes = known
            self._midnight.append(midnight)
            self._opens.append(opens)
            self._closes.append(closes)
            self._before.append(worked)
            worked += closes - opens
            self._through.append(worked)

    def _working_interval(self, number: int) -> tuple[int, int, int]:
        """A day's local midnight, opening and closing as instants; a day off opens and
        closes at midnight."""
        day = dt.date.fromordinal(number + _EPOCH_DAY)
        midnight = self._instant(day, 0)
        hours = self.hours.get(day.weekday())
        if not hours or not self.is_working_day(day):
            return midnight, midnight, midnight
        opens, closes = self._instant(day, hours[0]), self._instant(day, hours[1])
        return midnight, opens, max(closes, opens)

    def _instant(self, day: dt.date, minute: int) -> int:
        """Microseconds since 1970 of a local wall-clock minute on a day. A wall time that a
        daylight-saving change skips or repeats is read as zoneinfo reads it (fold 0)."""
        wall = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.zone)
        return to_us(wall.astimezone(dt.UTC).replace(tzinfo=None))


def add_closing_day(day: dt.date, label: str = "", *, by: Member | None, clock: Clock) -> None:
    """The company is closed on a day (a bridge day, a team day): clocks do not run then."""
    from app import audit
    from app.models import ClosingDay, database

    if ClosingDay.get_or_none(ClosingDay.day == day) is not None:
        raise UserError(f"{day:%d %B %Y} is already a closing day.")
    with database.atomic():
        closed = ClosingDay.create(day=day, label=label.strip())
        audit.record_change(
            "add closing day",
            closed,
            before=None,
            by=by,
            at=clock.now(),
        )


def remove_closing_day(day: dt.date, *, by: Member | None, clock: Clock) -> None:
    from app import audit
    from app.models import ClosingDay, database

    closed = ClosingDay.get_or_none(ClosingDay.day == day)
    if closed is None:
        raise UserError(f"{day:%d %B %Y} is not a closing day.")
    with database.atomic():
        audit.record(
            "remove closing day",
            "closing_day",
            closed.id,
            before=audit.snapshot(closed),
            after=None,
            by=by,
            at=clock.now(),
        )
        closed.delete_instance()
