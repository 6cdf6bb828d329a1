"""The company profile: name, money, place, calendar and paper, checked before it is saved."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from functools import cache

from app import audit, settings
from app.clock import Clock
from app.errors import UserError
from app.models import Member, WorkingHours, database

PAPER_SIZES = ("A4", "Letter")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class CompanyProfile:
    name: str = ""
    currency: str = "EUR"
    country: str = "DE"
    region: str = ""
    timezone: str = "Europe/Berlin"
    working_days: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4])
    day_starts: str = "09:00"
    day_ends: str = "17:30"
    paper: str = "A4"
    logo: bytes | None = None

    def problems(self) -> list[str]:
        """Every way this profile cannot be saved, in words a user acts on; empty when sound."""
        found = []
        if not self.name.strip():
            found.append("Give the company a name.")
        if not re.fullmatch(r"[A-Z]{3}", self.currency):
            found.append("The currency must be a three-letter code such as EUR, USD or GBP.")
        if self.country not in countries():
            found.append(f"Tandem has no public holidays for the country code '{self.country}'.")
        elif self.region and self.region not in regions(self.country):
            found.append(f"'{self.region}' is not a region of {countries()[self.country]}.")
        if self.timezone not in time_zones():
            found.append(f"'{self.timezone}' is not a time zone Tandem knows.")
        if not self.working_days or not set(self.working_days) <= set(range(7)):
            found.append("Pick at least one working day.")
        elif len(set(self.working_days)) != len(self.working_days):
            found.append("Each working day is listed once.")
        if not (_TIME.match(self.day_starts) and _TIME.match(self.day_ends)):
            found.append("Working hours are written as HH:MM, for example 09:00.")
        elif self.day_starts >= self.day_ends:
            found.append("The working day must end after it starts.")
        if self.paper not in PAPER_SIZES:
            found.append("Paper size is A4 or Letter.")
        return found


@cache
def countries() -> dict[str, str]:
    """Country code -> English name, for every country the holidays package has a calendar for."""
    import holidays.registry  # loaded on first use: it costs start-up time

    names = {}
    for module, (class_name, alpha2, *_rest) in holidays.registry.COUNTRIES.items():
        # Class names spell the country (UnitedStates, NewZealand); the module name keeps spaces.
        names[alpha2] = module.replace("_", " ").title() if "_" in module else class_name
    return dict(sorted(names.items(), key=lambda item: item[1]))


@cache
def regions(country: str) -> dict[str, str]:
    """Region code -> name, for the regions with their own public holidays."""
    import holidays

    calendar = holidays.country_holidays(country)
    names = {code: name for name, code in getattr(calendar, "subdivisions_aliases", {}).items()}
    return {code: names.get(code, code) for code in calendar.subdivisions}


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def load() -> CompanyProfile:
    stored = settings.get_many("company.")
    defaults = CompanyProfile()
    hours = list(WorkingHours.select().order_by(WorkingHours.weekday))
    logo = stored.get("company.logo")
    return CompanyProfile(
        name=stored.get("company.name", defaults.name),
        currency=stored.get("company.currency", defaults.currency),
        country=stored.get("company.country", defaults.country),
        region=stored.get("company.region", defaults.region),
        timezone=stored.get("company.timezone", defaults.timezone),
        working_days=[h.weekday for h in hours] or defaults.working_days,
        day_starts=hours[0].starts if hours else defaults.day_starts,
        day_ends=hours[0].ends if hours else defaults.day_ends,
        paper=stored.get("company.paper", defaults.paper),
        logo=base64.b64decode(logo) if logo else None,
    )


def save(profile: CompanyProfile, *, by: Member | None, clock: Clock) -> None:
    problems = profile.problems()
    if problems:
        raise UserError(" ".join(problems))
    with database.atomic():
        before = dataclasses.asdict(load())
        for key in ("name", "currency", "country", "region", "timezone", "paper"):
            settings.put(f"company.{key}", getattr(profile, key).strip())
        logo = profile.logo
        settings.put("company.logo", base64.b64encode(logo).decode() if logo else None)
        WorkingHours.delete().execute()
        WorkingHours.insert_many(
            [(day, profile.day_starts, profile.day_ends) for day in sorted(profile.working_days)],
            fields=[WorkingHours.weekday, WorkingHours.starts, WorkingHours.ends],
        ).execute()
        audit.record(
            "update profile",
            "setting",
            0,
            before=before,
            after=dataclasses.asdict(profile),
            by=by,
            at=clock.now(),
        )


def today(clock: Clock) -> dt.date:
    """Today's date where the company is (the clock gives UTC)."""
    zone = zoneinfo.ZoneInfo(settings.get("company.timezone", CompanyProfile().timezone))
    return clock.now().replace(tzinfo=dt.UTC).astimezone(zone).date()
