"""A realistic sample company (over a year of history up to today) built into a new database."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any, Generic, TypeVar

from peewee import Model, PostgresqlDatabase, SqliteDatabase, Value

from app import demo_names as vocab
from app import search
from app.errors import UserError
from app.models import (
    CHANNELS,
    OPEN_DEAL_STAGES,
    Activity,
    Campaign,
    ClosingDay,
    Deal,
    DealStageChange,
    Handover,
    Lead,
    LeadPause,
    Member,
    MonthlyPlan,
    Reason,
    Setting,
    SlaAgreement,
    SlaCommitment,
    Target,
    WorkingHours,
    database,
)

T = TypeVar("T")
Row = list[object]

LEADS_PER_BATCH = 2000  # one progress report per batch
PROSPECTING_SHARE = 0.15  # leads sales found itself rather than through a campaign
B2B_SHARE = 0.65
COMPANY = {
    "company.name": "Northwind Garden Supply",
    "company.currency": "EUR",
    "company.country": "DE",
    "company.region": "BE",
    "company.timezone": "Europe/Berlin",
    "company.paper": "A4",
    "onboarded": True,
    "company.sample": True,
}
# Moments are whole seconds since 1970 in UTC while the story is written: ints shift many
# times faster than datetimes, and each becomes the stored text only when its row is made.
DAY, HOUR = 86400, 3600
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # the sample company's time zone
OPENS_AT, CLOSES_AT = 9 * HOUR, 17 * HOUR + 30 * 60  # the working day, local time
EPOCH = dt.date(1970, 1, 1)
ONE_DAY = dt.timedelta(days=1)
DEAL_PROBABILITY = {"qualification": 10, "proposal": 30, "negotiation": 60, "won": 100, "lost": 0}

# (kind, label, unresponsive, weight when picked)
REASONS: tuple[tuple[str, str, bool, int], ...] = (
    ("rejection", "Not our target customer", False, 30),
    ("rejection", "No budget", False, 22),
    ("rejection", "Already a customer or duplicate", False, 12),
    ("rejection", "Wrong contact details", False, 14),
    ("rejection", "Could not reach them", True, 22),
    ("disqualification", "No need after all", False, 30),
    ("disqualification", "Bought elsewhere", False, 30),
    ("disqualification", "Project postponed", False, 20),
    ("disqualification", "Could not reach them", True, 20),
    ("loss", "Price", False, 35),
    ("loss", "Chose a competitor", False, 30),
    ("loss", "No decision", False, 20),
    ("loss", "Timing", False, 15),
)
# Sales can judge these from the record alone, without calling the lead first.
DESK_REJECTIONS = ("Not our target customer", "Already a customer or duplicate")

PROSPECTING_SOURCES = (("cold_call", 40), ("networking", 25), ("referral", 30), ("other", 5))
FIRST_CONTACT = (("call", 55), ("email", 35), ("meeting", 10))
WORK_CONTACT = (("call", 45), ("email", 25), ("meeting", 20), ("demo", 10))
DEAL_CONTACT = {
    "qualification": ("call", "meeting"),
    "proposal": ("email", "demo", "meeting"),
    "negotiation": ("call", "meeting"),
}
# Per campaign lead: (impressions, clicks or visits, engagements) a channel typically needs.
REACH_PER_LEAD = {
    "social_ads": (900, 14, 40),
    "search_ppc": (260, 18, 6),
    "seo_content": (600, 24, 8),
    "email_newsletter": (120, 9, 35),
    "direct_mail": (60, 3, 4),
    "print": (1500, 2, 1),
    "radio": (4000, 1, 1),
    "event": (9, 3, 2),
    "referral": (4, 2, 2),
    "other": (40, 8, 3),
}
COST_PER_LEAD = {  # EUR, to size budgets to the number of leads
    "social_ads": 25,
    "search_ppc": 35,
    "seo_content": 15,
    "email_newsletter": 8,
    "direct_mail": 45,
    "print": 60,
    "radio": 80,
    "event": 90,
    "referral": 20,
    "other": 30,
}
BUDGETED_CHANNELS = ("social_ads", "search_ppc", "event", "email_newsletter")
SALES_SHARES = (0.40, 0.33, 0.27)  # of the team targets, per salesperson


@dataclass(frozen=True)
class DemoSummary:
    """How much the sample company holds."""

    members: int
    campaigns: int
    leads: int
    deals: int
    activities: int
    handovers: int


@dataclass(frozen=True)
class _CampaignPlan:
    channel: str
    name: str  # "{season}" and "{year}" come from the start date
    objective: str
    audience: str
    month: int  # months after the first month of history
    day: int
    days: int
    weight: int  # relative share of campaign leads over the whole run


_B2B = "Facility managers, landscapers and housing associations in Berlin and Brandenburg"
_HOME = "Home owners with large gardens within 150 km of Berlin"
CAMPAIGNS: tuple[_CampaignPlan, ...] = (
    _CampaignPlan(
        "seo_content",
        "Garden know-how blog and guides",
        "Be found for irrigation and planting questions; turn readers into enquiries",
        "Gardeners searching for how-to advice",
        0, 1, 520, 9,
    ),
    _CampaignPlan(
        "email_newsletter",
        "Monthly customer newsletter",
        "Bring past customers and subscribers back with seasonal offers",
        "Newsletter subscribers and past customers",
        0, 1, 500, 6,
    ),
    _CampaignPlan(
        "event", "Trade fair stand ({season} {year})",
        "Meet professional buyers; collect qualified contacts at the stand",
        _B2B, 0, 9, 4, 5,
    ),
    _CampaignPlan(
        "direct_mail", "Catalogue mailing ({season} {year})",
        "Put the printed catalogue on the desks of professional buyers",
        _B2B, 1, 3, 45, 4,
    ),
    _CampaignPlan(
        "social_ads", "Social ads: garden care ({season} {year})",
        "Generate enquiries for care and maintenance contracts",
        _HOME, 2, 1, 60, 6,
    ),
    _CampaignPlan(
        "print", "Trade magazine ads ({season} {year})",
        "Keep the brand in front of landscaping professionals",
        _B2B, 3, 1, 90, 2,
    ),
    _CampaignPlan(
        "search_ppc", "Search ads: irrigation ({season} {year})",
        "Capture demand for drip irrigation and controllers",
        "People searching for irrigation systems", 4, 15, 75, 8,
    ),
    _CampaignPlan(
        "radio", "Radio spots: garden season opening",
        "Announce the season opening weekend and the new showroom",
        _HOME, 5, 1, 28, 2,
    ),
    _CampaignPlan(
        "social_ads", "Social ads: planting reels ({season} {year})",
        "Show quick planting projects; drive sign-ups for a free garden check",
        _HOME, 5, 10, 60, 7,
    ),
    _CampaignPlan(
        "event", "Regional garden show ({season} {year})",
        "Demonstrate greenhouses and ponds to visitors; book site visits",
        _HOME, 6, 6, 3, 3,
    ),
    _CampaignPlan(
        "referral", "Customer referral programme",
        "Reward customers who recommend us with a care voucher",
        "Existing customers", 6, 1, 300, 4,
    ),
    _CampaignPlan(
        "search_ppc", "Search ads: lawn care ({season} {year})",
        "Win annual lawn care contracts", _B2B, 7, 15, 90, 8,
    ),
    _CampaignPlan(
        "other", "Partner webinar series",
        "Co-host webinars with a housing association network",
        "Property managers", 8, 1, 45, 3,
    ),
    _CampaignPlan(
        "email_newsletter", "Offer mailing ({season} {year})",
        "Sell remaining stock before the end of the season",
        "Newsletter subscribers", 9, 1, 21, 3,
    ),
    _CampaignPlan(
        "social_ads", "Social ads: year-round services ({season} {year})",
        "Fill the off-season with tree care and planning work",
        _HOME, 10, 1, 60, 8,
    ),
    _CampaignPlan(
        "search_ppc", "Search ads: garden services ({season} {year})",
        "Capture planning enquiries for next season", _B2B, 11, 15, 90, 9,
    ),
    _CampaignPlan(
        "print", "Insert in the regional paper ({season} {year})",
        "Reach older home owners who do not shop online",
        _HOME, 12, 1, 40, 2,
    ),
    _CampaignPlan(
        "direct_mail", "Catalogue mailing ({season} {year})",
        "Put the new catalogue on the desks of professional buyers",
        _B2B, 14, 1, 45, 4,
    ),
    _CampaignPlan(
        "event", "Trade fair stand ({season} {year})",
        "Meet professional buyers; launch the new irrigation range",
        _B2B, 14, 12, 4, 5,
    ),
)  # fmt: skip


def build_demo(
    *,
    leads: int = 5000,
    seed: int = 1,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill the open, empty database with a sample company whose history ends on today.

    Everything is written in one transaction: if progress(done, total) raises, nothing is kept.
    The same seed, number of leads and day always give the same content."""
    if leads < 0:
        raise UserError("The number of sample leads cannot be negative.")
    with database.atomic():
        _refuse_if_not_empty()
        return _Builder(random.Random(seed), today, leads).build(progress)


def _refuse_if_not_empty() -> None:
    for model in (Member, Lead, Campaign, Deal, Activity, Target, SlaAgreement, MonthlyPlan):
        if model.select().exists():
            raise UserError(
                "This database already has data; the sample company goes into a new, "
                "empty database."
            )


# --- bulk writing -------------------------------------------------------------------------


@cache
def _insert_sql(table: str, columns: tuple[str, ...], quote: str, param: str) -> str:
    names = ", ".join(f"{quote[0]}{column}{quote[1]}" for column in columns)
    marks = ", ".join([param] * len(columns))
    return f"INSERT INTO {quote[0]}{table}{quote[1]} ({names}) VALUES ({marks})"


def _insert(model: type[Model], fields: Sequence[Any], rows: Sequence[Sequence[object]]) -> None:
    """Write many rows with one prepared statement. Peewee's insert_many turns every value into
    a query node (about 6 µs each, minutes for a million leads); the driver's executemany takes
    the rows as they are, so rows hold what the driver binds directly: str, int, Decimal, date,
    and timestamps already as the text peewee would store."""
    if rows:
        # Fields arrive as Any: peewee's stubs type a model's implicit id as a plain int.
        columns = tuple(field.column_name for field in fields)
        sql = _insert_sql(model._meta.table_name, columns, database.quote, database.param)
        database.cursor().executemany(sql, rows)


@contextmanager
def _indexes_built_afterwards(models: Sequence[type[Model]]) -> Iterator[None]:
    """SQLite builds an index several times faster in one sorted pass than row by row, so the
    bulk tables' own indexes are dropped while their rows go in and then re-created from their
    stored definitions. DDL is part of the build's transaction: a failed build keeps them."""
    if not isinstance(database.obj, SqliteDatabase):
        yield
        return
    tables = [model._meta.table_name for model in models]
    saved = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY name",
        tables,
    ).fetchall()
    for name, _sql in saved:
        database.execute_sql(f'DROP INDEX "{name}"')
    search.drop_triggers(database.obj)  # the search index is rebuilt once, at the end
    yield
    for _name, sql in saved:
        database.execute_sql(sql)
    search.create_triggers(database.obj)
    search.rebuild(database.obj)


def _advance_sequences(models: Sequence[type[Model]]) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move on."""
    if not isinstance(database.obj, PostgresqlDatabase):
        return
    for model in models:
        table = model._meta.table_name
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


LEAD_FIELDS = (
    Lead.id, Lead.name, Lead.company, Lead.email, Lead.phone, Lead.source, Lead.campaign,
    Lead.customer_type, Lead.funnel_stage, Lead.temperature, Lead.stage, Lead.score, Lead.notes,
    Lead.owner, Lead.sales_owner, Lead.created_at, Lead.qualified_at, Lead.handed_over_at,
    Lead.accepted_at, Lead.rejected_at, Lead.rejection_reason, Lead.converted_at,
    Lead.disqualified_at, Lead.disqualification_reason, Lead.reason_note, Lead.paused_until,
)  # fmt: skip
HANDOVER_FIELDS = (
    Handover.lead, Handover.to_member, Handover.by_member, Handover.handed_over_at,
    Handover.decision, Handover.decided_at, Handover.reason,
)  # fmt: skip
DEAL_FIELDS = (
    Deal.id, Deal.lead, Deal.title, Deal.value, Deal.currency, Deal.stage, Deal.probability,
    Deal.expected_close, Deal.owner, Deal.created_at, Deal.stage_changed_at, Deal.won_at,
    Deal.lost_at, Deal.loss_reason, Deal.loss_note,
)  # fmt: skip
STAGE_CHANGE_FIELDS = (
    DealStageChange.deal, DealStageChange.from_stage, DealStageChange.to_stage,
    DealStageChange.changed_at,
)  # fmt: skip
ACTIVITY_FIELDS = (
    Activity.kind, Activity.lead, Activity.deal, Activity.member, Activity.occurred_at,
    Activity.outcome, Activity.notes, Activity.follow_up_on,
)  # fmt: skip
ACTIVITY_FOLLOW_UP = 7  # where follow_up_on sits in an activity row


# --- small helpers ------------------------------------------------------------------------


class _Weighted(Generic[T]):
    """Picks items by weight with one random number (random.choices builds a list per call)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


# random.choice and randint cost several times more; these run millions of times per build.
def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high, both included."""
    return low + int(rng.random() * (high - low + 1))


def _days(rng: random.Random, low: float, high: float) -> int:
    """A random span of days, in seconds."""
    return int(rng.uniform(low, high) * DAY)


def _day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _hundreds(amount: float) -> Decimal:
    return Decimal(round(amount / 100) * 100)


def _season(day: dt.date) -> str:
    return ("Winter", "Spring", "Summer", "Autumn")[(day.month % 12) // 3]


def _berlin_offset(day: dt.date) -> int:
    """Berlin's UTC offset in seconds at noon that day; off by an hour only in the night the
    clocks change, which merely nudges where a sample event lands."""
    offset = dt.datetime.combine(day, dt.time(12), tzinfo=BERLIN).utcoffset()
    return int(offset.total_seconds()) if offset else 0


@cache
def _clock_texts() -> list[str]:
    """'HH:MM:SS' for every second of a day, so a timestamp's text is two lookups."""
    return [f"{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


class _Calendar:
    """Business time of the sample team: Mon–Fri 09:00–17:30 in Berlin, minus public holidays
    and closing days, over a fixed range of days. Moments in and out are UTC seconds."""

    def __init__(self, first: dt.date, last: dt.date, closing_days: Sequence[dt.date]) -> None:
        import holidays  # loaded here, not at start-up: it takes a tenth of a second

        self.first = _day_number(first)
        years = range(first.year, last.year + 1)
        closed = set(holidays.country_holidays("DE", subdiv="BE", years=years))
        closed.update(closing_days)
        self._dates = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        self._workday = [d.weekday() < 5 and d not in closed for d in self._dates]
        self._offset = [_berlin_offset(d) for d in self._dates]
        self._day_texts = [f"{d.isoformat()} " for d in self._dates]
        self._clock = _clock_texts()

    def moment(self, day: dt.date, hour: int, minute: int = 0) -> int:
        """A local time of day as a UTC moment."""
        index = _day_number(day) - self.first
        return (self.first + index) * DAY + hour * HOUR + minute * 60 - self._offset[index]

    def text(self, moment: int | None) -> str | None:
        """The moment as stored: 'YYYY-MM-DD HH:MM:SS', naive UTC."""
        if moment is None:
            return None
        index, second = divmod(moment, DAY)
        return self._day_texts[index - self.first] + self._clock[second]

    def date(self, moment: int) -> dt.date:
        return self._dates[moment // DAY - self.first]

    def month(self, moment: int) -> str:
        return self._day_texts[moment // DAY - self.first][:7]

    def add_hours(self, start: int, hours: float) -> int:
        """The moment that many business hours after start; a start outside working hours
        counts from the next opening (so add_hours(t, 0) is the first working moment)."""
        remaining = int(hours * HOUR)
        local = start + self._offset[start // DAY - self.first]
        index, into = divmod(local, DAY)
        index -= self.first
        workday = self._workday
        while True:
            if workday[index]:
                into = max(into, OPENS_AT)
                room = CLOSES_AT - into
                if room >= remaining:
                    return (self.first + index) * DAY + into + remaining - self._offset[index]
                remaining -= max(room, 0)
            index += 1
            into = OPENS_AT

    def off_hours_after(self, start: int, rng: random.Random) -> int:
        """An evening or weekend moment soon after start: leads get handed over at odd times."""
        index = (start + self._offset[start // DAY - self.first]) // DAY - self.first
        index += _between(rng, 0, 1)
        if rng.random() < 0.6:
            local = index * DAY + 18 * HOUR + 30 * 60 + int(rng.random() * 4 * HOUR)
        else:
            index += (5 - self._dates[index].weekday()) % 7  # the coming Saturday
            index += _between(rng, 0, 1)
            local = index * DAY + 9 * HOUR + int(rng.random() * 10 * HOUR)
        moment = self.first * DAY + local - self._offset[index]
        return moment if moment > start else start + _between(rng, 600, 7200)


def _first_response_hours(rng: random.Random) -> float:
    """Business hours from handover to sales' first contact: mostly quick, some late."""
    roll = rng.random()
    if roll < 0.72:
        return rng.uniform(0.05, 3.5)
    if roll < 0.88:
        return rng.uniform(3.5, 9)
    return rng.uniform(9, 40)


def _decision_hours(rng: random.Random) -> float:
    """Business hours from handover to accepting or rejecting: mostly within two days."""
    roll = rng.random()
    if roll < 0.68:
        return rng.uniform(0.5, 14)
    if roll < 0.88:
        return rng.uniform(14, 30)
    return rng.uniform(30, 90)


@dataclass
class _Campaign:
    id: int
    plan: _CampaignPlan
    starts_on: dt.date
    ends_on: dt.date
    owner: int
    budget: int
    elapsed: float  # share of the run before today
    first_moment: int  # when leads can start coming in
    span: int  # seconds of the run before today


@dataclass(slots=True)
class _DealDraft:
    id: int
    lead_id: int | None
    title: str
    value: Decimal
    owner: int
    created: int


class _Lead:
    """One lead's state while its story is written; moments are UTC seconds."""

    __slots__ = (
        "accepted",
        "b2b",
        "converted",
        "created",
        "disqualification_reason",
        "disqualified",
        "handed",
        "id",
        "label",
        "note",
        "owner",
        "paused_until",
        "qualified",
        "rejected",
        "rejection_reason",
        "sales",
        "stage",
    )

    def __init__(self, lead_id: int, created: int, owner: int) -> None:
        self.id = lead_id
        self.created = created
        self.owner = owner
        self.stage = "new"
        self.label = ""  # the company or the person, for deal titles
        self.b2b = True
        self.sales: int | None = None
        self.qualified: int | None = None
        self.handed: int | None = None
        self.accepted: int | None = None
        self.rejected: int | None = None
        self.rejection_reason: int | None = None
        self.converted: int | None = None
        self.disqualified: int | None = None
        self.disqualification_reason: int | None = None
        self.note = ""
        self.paused_until: dt.date | None = None


# How a lead looks in each stage: (temperatures, funnel stages, lowest and highest score).
STAGE_LOOKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], int, int]] = {
    "new": (("cold", "cold", "warm"), ("awareness", "awareness", "interest"), 0, 55),
    "qualified": (("qualified",), ("interest", "desire"), 50, 90),
    "handed_over": (("qualified",), ("interest", "desire", "desire"), 55, 95),
    "rejected": (("qualified",), ("interest", "desire"), 25, 75),
    "accepted": (("qualified",), ("desire", "desire", "action"), 60, 100),
    "converted": (("qualified",), ("action",), 70, 100),
    "disqualified": (("qualified",), ("desire", "action"), 40, 90),
}


class _Builder:
    """Writes the sample company; one instance per build."""

    def __init__(self, rng: random.Random, today: dt.date, leads: int) -> None:
        self.rng = rng
        self.today = today
        self.leads = leads
        self.first_day = _add_months(today, -13).replace(day=1)
        self.closing_days = [
            (dt.date(today.year - 1, 12, 24), "Christmas Eve"),
            (dt.date(today.year - 1, 12, 31), "New Year's Eve"),
            (dt.date(today.year, 12, 24), "Christmas Eve"),
            (dt.date(today.year, 12, 31), "New Year's Eve"),
        ]
        # Wide enough for every step a story can take after today (they are then dropped).
        self.cal = _Calendar(
            self.first_day - dt.timedelta(days=60),
            today + dt.timedelta(days=1500),
            [day for day, _ in self.closing_days],
        )
        # Events end before today starts (UTC), so none lies ahead of any clock on that day.
        self.horizon = _day_number(today) * DAY
        self.start = _day_number(self.first_day) * DAY
        self.owner_id = 0
        self.marketing: list[int] = []
        self.sales: list[int] = []
        self.sales_pick: _Weighted[int] = _Weighted([(0, 1)])
        self.reasons: dict[str, _Weighted[int]] = {}
        self.unresponsive: set[int] = set()
        self.desk_rejections: set[int] = set()
        self.reason_labels: dict[int, str] = {}
        self.campaigns: list[_Campaign] = []
        self.campaign_pick: _Weighted[_Campaign] | None = None
        self.locale_pick = _Weighted([(loc, loc.weight) for loc in vocab.LOCALES])
        self.companies = {loc.code: _companies(loc) for loc in vocab.LOCALES}
        # Rows waiting to be written, and what the targets are later sized from.
        self.lead_rows: list[Row] = []
        self.handover_rows: list[Row] = []
        self.deal_rows: list[Row] = []
        self.stage_rows: list[Row] = []
        self.activity_rows: list[Row] = []
        self.last_activity: tuple[int | None, int | None, int] = (None, None, 0)
        self.next_deal_id = 1
        self.counts: Counter[str] = Counter()
        self.handovers_by_month: Counter[str] = Counter()
        self.won_value: Counter[str] = Counter()
        self.won_count: Counter[str] = Counter()
        self.rejections: Counter[tuple[str, int]] = Counter()  # by month and reason

    # --- the whole build ------------------------------------------------------------------

    def build(self, progress: Callable[[int, int], None] | None) -> DemoSummary:
        self._write_company()
        self._write_team()
        self._write_reasons()
        self._write_campaigns()
        report = progress or (lambda done, total: None)
        report(0, self.leads)
        with _indexes_built_afterwards([Lead, Handover, Deal, DealStageChange, Activity]):
            for first in range(1, self.leads + 1, LEADS_PER_BATCH):
                last = min(first + LEADS_PER_BATCH, self.leads + 1)
                for lead_id in range(first, last):
                    self._make_lead(lead_id)
                self._flush()
                report(last - 1, self.leads)
            self._make_direct_deals()
            self._flush()
        self._write_targets()
        self._write_agreements()
        self._write_plans()
        self._write_pauses()
        _advance_sequences([Member, Reason, Campaign, Lead, Deal, SlaAgreement])
        return DemoSummary(
            members=len(vocab.TEAM),
            campaigns=len(self.campaigns),
            leads=self.leads,
            deals=self.next_deal_id - 1,
            activities=self.counts["activities"],
            handovers=self.counts["handovers"],
        )

    def _flush(self) -> None:
        """Write the rows gathered so far; parents before the rows that point at them."""
        _insert(Lead, LEAD_FIELDS, self.lead_rows)
        _insert(Handover, HANDOVER_FIELDS, self.handover_rows)
        _insert(Deal, DEAL_FIELDS, self.deal_rows)
        _insert(DealStageChange, STAGE_CHANGE_FIELDS, self.stage_rows)
        _insert(Activity, ACTIVITY_FIELDS, self.activity_rows)
        self.counts["handovers"] += len(self.handover_rows)
        self.counts["activities"] += len(self.activity_rows)
        for rows in (
            self.lead_rows,
            self.handover_rows,
            self.deal_rows,
            self.stage_rows,
            self.activity_rows,
        ):
            rows.clear()

    def _write_pauses(self) -> None:
        """Paused leads get their pause in the history the SLA clocks are worked out from: asked
        for yesterday afternoon, until the call-back date."""
        asked = dt.datetime.combine(self.today - ONE_DAY, dt.time(14))
        LeadPause.insert_from(
            Lead.select(Lead.id, Value(asked), Lead.paused_until).where(
                Lead.paused_until.is_null(False)
            ),
            fields=[LeadPause.lead, LeadPause.starts_at, LeadPause.ends_on],
        ).execute()

    def _local_text(self, day: dt.date, hour: int, minute: int = 0) -> str | None:
        return self.cal.text(self.cal.moment(day, hour, minute))

    # --- company, team, reasons, campaigns ------------------------------------------------

    def _write_company(self) -> None:
        values = {**COMPANY, "current_member": 1}
        Setting.insert_many(
            [(key, json.dumps(value, ensure_ascii=False)) for key, value in values.items()],
            fields=[Setting.key, Setting.value],
        ).on_conflict(conflict_target=[Setting.key], preserve=[Setting.value]).execute()
        # The sample's calendar replaces whatever a new file was given.
        WorkingHours.delete().execute()
        _insert(
            WorkingHours,
            (WorkingHours.weekday, WorkingHours.starts, WorkingHours.ends),
            [(weekday, "09:00", "17:30") for weekday in range(5)],
        )
        ClosingDay.delete().execute()
        _insert(ClosingDay, (ClosingDay.day, ClosingDay.label), self.closing_days)

    def _write_team(self) -> None:
        joined = self._local_text(self.first_day - dt.timedelta(days=30), 9)
        rows = []
        for member_id, (name, user, role) in enumerate(vocab.TEAM, start=1):
            rows.append((member_id, name, f"{user}@{vocab.TEAM_DOMAIN}", role, True, joined))
            if role == "owner":
                self.owner_id = member_id
            elif role == "marketing":
                self.marketing.append(member_id)
            else:
                self.sales.append(member_id)
        fields = (
            Member.id,
            Member.name,
            Member.email,
            Member.role,
            Member.active,
            Member.created_at,
        )
        _insert(Member, fields, rows)
        # Salespeople carry different loads, as in any team.
        self.sales_pick = _Weighted(list(zip(self.sales, SALES_SHARES, strict=True)))

    def _write_reasons(self) -> None:
        rows = []
        weights: dict[str, list[tuple[int, float]]] = {}
        for reason_id, (kind, label, unresponsive, weight) in enumerate(REASONS, start=1):
            rows.append((reason_id, kind, label, unresponsive, True))
            weights.setdefault(kind, []).append((reason_id, weight))
            self.reason_labels[reason_id] = label
            if unresponsive:
                self.unresponsive.add(reason_id)
            if kind == "rejection" and label in DESK_REJECTIONS:
                self.desk_rejections.add(reason_id)
        fields = (Reason.id, Reason.kind, Reason.label, Reason.unresponsive, Reason.active)
        _insert(Reason, fields, rows)
        self.reasons = {kind: _Weighted(pairs) for kind, pairs in weights.items()}

    def _write_campaigns(self) -> None:
        for campaign_id, plan in enumerate(CAMPAIGNS, start=1):
            starts = _add_months(self.first_day, plan.month).replace(day=plan.day)
            ends = starts + dt.timedelta(days=plan.days - 1)
            first = _day_number(starts) * DAY
            span = max(0, min(_day_number(ends) * DAY + DAY, self.horizon) - first)
            self.campaigns.append(
                _Campaign(
                    id=campaign_id,
                    plan=plan,
                    starts_on=starts,
                    ends_on=ends,
                    owner=self.marketing[campaign_id % len(self.marketing)],
                    budget=0,
                    elapsed=span / (plan.days * DAY),
                    first_moment=first,
                    span=span,
                )
            )
        weights = [(c, c.plan.weight * c.elapsed) for c in self.campaigns]
        self.campaign_pick = _Weighted(weights)
        per_weight = self.leads * (1 - PROSPECTING_SHARE) / max(self.campaign_pick.total, 1e-9)
        # Budgets and reach follow the leads a campaign brings over its whole run.
        rows = [self._campaign_row(c, c.plan.weight * per_weight) for c in self.campaigns]
        fields = (
            Campaign.id, Campaign.name, Campaign.channel, Campaign.objective, Campaign.audience,
            Campaign.starts_on, Campaign.ends_on, Campaign.planned_budget, Campaign.actual_spend,
            Campaign.status, Campaign.owner, Campaign.impressions, Campaign.clicks,
            Campaign.engagements, Campaign.created_at,
        )  # fmt: skip
        _insert(Campaign, fields, rows)

    def _campaign_row(self, campaign: _Campaign, expected_leads: float) -> Row:
        rng, plan = self.rng, campaign.plan
        budget = max(500, round(expected_leads * COST_PER_LEAD[plan.channel] / 100) * 100)
        campaign.budget = budget
        if campaign.starts_on > self.today:
            status, spend = "planned", 0.0
        elif campaign.ends_on < self.today:
            status, spend = "finished", budget * rng.uniform(0.88, 1.08)
        else:
            status, spend = "active", budget * campaign.elapsed * rng.uniform(0.9, 1.05)
        reached = expected_leads * campaign.elapsed
        impressions, clicks, engagements = (
            int(per_lead * reached * rng.uniform(0.8, 1.25))
            for per_lead in REACH_PER_LEAD[plan.channel]
        )
        name = plan.name.format(season=_season(campaign.starts_on), year=campaign.starts_on.year)
        created = min(
            self.cal.moment(campaign.starts_on - dt.timedelta(days=21), 10),
            self.cal.moment(self.today - ONE_DAY, 10),
        )
        return [
            campaign.id, name, plan.channel, plan.objective, plan.audience, campaign.starts_on,
            campaign.ends_on, Decimal(budget), Decimal(round(spend)), status, campaign.owner,
            impressions, clicks, engagements, self.cal.text(created),
        ]  # fmt: skip

    # --- leads ----------------------------------------------------------------------------

    def _make_lead(self, lead_id: int) -> None:
        rng, text = self.rng, self.cal.text
        source, campaign_id, created = self._origin()
        locale = self.locale_pick.pick(rng)
        female = rng.random() < 0.5
        first = _choice(rng, locale.female if female else locale.male)
        surname = _choice(rng, locale.surnames)[female]
        parts = (surname[0], first[0]) if locale.family_first else (first[0], surname[0])
        name = locale.joiner.join(parts)
        b2b = rng.random() < B2B_SHARE
        company = _choice(rng, self.companies[locale.code]) if b2b else ""
        domain = "example.com" if b2b else ("example.net", "example.org")[lead_id % 2]
        email = f"{first[1]}.{surname[1]}.{lead_id}@{domain}"
        phone = ""
        if rng.random() < 0.9:
            phone = f"{_choice(rng, locale.phone_prefixes)} {_between(rng, 1_000_000, 9_999_999)}"
        lead = _Lead(lead_id, created, _choice(rng, self.marketing))
        lead.label, lead.b2b = company or name, b2b
        self._live(lead)
        temperatures, funnel, low, high = STAGE_LOOKS[lead.stage]
        notes = _choice(rng, vocab.LEAD_NOTES) if rng.random() < 0.08 else ""
        self.lead_rows.append(
            [
                lead_id, name, company, email, phone, source, campaign_id,
                "b2b" if b2b else "b2c", _choice(rng, funnel), _choice(rng, temperatures),
                lead.stage, _between(rng, low, high), notes, lead.owner, lead.sales,
                text(created), text(lead.qualified), text(lead.handed), text(lead.accepted),
                text(lead.rejected), lead.rejection_reason, text(lead.converted),
                text(lead.disqualified), lead.disqualification_reason, lead.note,
                lead.paused_until,
            ]
        )  # fmt: skip

    def _origin(self) -> tuple[str, int | None, int]:
        """Where and when the lead came in: a campaign while it ran, or sales' own prospecting
        during working hours at any time in the history."""
        rng = self.rng
        assert self.campaign_pick is not None
        if rng.random() >= PROSPECTING_SHARE and self.campaign_pick.total > 0:
            campaign = self.campaign_pick.pick(rng)
            return (
                "campaign",
                campaign.id,
                campaign.first_moment + int(rng.random() * campaign.span),
            )
        source = _PROSPECTING.pick(rng)
        moment = self.start + int(rng.random() * (self.horizon - self.start))
        working = self.cal.add_hours(moment, rng.uniform(0, 1))
        return source, None, working if working < self.horizon else moment

    def _live(self, lead: _Lead) -> None:
        """The lead's story up to today: qualified, handed over, decided, worked, closed. Each
        step happens only if its moment falls before today; otherwise the lead waits there."""
        rng = self.rng
        if rng.random() < 0.45:
            return
        thinking = int(rng.expovariate(1 / 6) * DAY)  # days of nurturing, six on average
        qualified = self.cal.add_hours(lead.created + thinking, rng.uniform(0, 5))
        if qualified >= self.horizon:
            return
        lead.stage, lead.qualified = "qualified", qualified
        recent = self.horizon - lead.created < 60 * DAY
        if rng.random() < (0.35 if recent else 0.16):
            if rng.random() < 0.2:
                self._activity("note", lead.id, None, lead.owner, qualified, _pick_note(rng))
            return
        handed = self._handover_time(qualified)
        if handed < self.horizon:
            self._hand_over(lead, handed, again=False)

    def _handover_time(self, qualified: int) -> int:
        """Mostly in working hours soon after qualifying; some in the evening or at weekends."""
        if self.rng.random() < 0.85:
            return self.cal.add_hours(qualified, self.rng.uniform(0.1, 10))
        return self.cal.off_hours_after(qualified, self.rng)

    def _hand_over(self, lead: _Lead, handed: int, *, again: bool) -> None:
        rng = self.rng
        sales = self.sales_pick.pick(rng)
        lead.stage, lead.handed, lead.sales = "handed_over", handed, sales
        lead.rejected = lead.rejection_reason = None
        lead.note = ""
        self.handovers_by_month[self.cal.month(handed)] += 1
        reject = rng.random() < (0.3 if again else 0.21)
        reason = self.reasons["rejection"].pick(rng) if reject else None
        contacts = self._first_contacts(lead, handed, sales, reason)
        decided = self.cal.add_hours(handed, _decision_hours(rng))
        if contacts:
            decided = max(decided, self.cal.add_hours(contacts[-1], rng.uniform(0.2, 3)))
        if decided >= self.horizon or self._backlogged(handed):
            self._handover_row(lead, None, None, None)
            if rng.random() < 0.08:
                lead.paused_until = self.today + dt.timedelta(days=_between(rng, 2, 14))
            self._ask_follow_up(lead.id)
            return
        if reason is not None:
            self._handover_row(lead, "rejected", decided, reason)
            self.rejections[self.cal.month(decided), reason] += 1
            lead.stage, lead.rejected, lead.rejection_reason = "rejected", decided, reason
            if rng.random() < 0.4:
                lead.note = _choice(rng, vocab.REJECTION_NOTES)
            if not again and rng.random() < 0.12:
                self._qualify_again(lead)
            return
        self._handover_row(lead, "accepted", decided, None)
        lead.stage, lead.accepted = "accepted", decided
        if rng.random() < 0.3:
            self._activity("note", lead.id, None, sales, decided, _pick_note(rng))
        self._work(lead)

    def _backlogged(self, handed: int) -> bool:
        """Some recent handovers still wait for a decision, a few of them far too long."""
        age = self.horizon - handed
        if age < 4 * DAY:
            chance = 0.95
        elif age < 10 * DAY:
            chance = 0.7
        elif age < 21 * DAY:
            chance = 0.25
        elif age < 35 * DAY:
            chance = 0.1
        else:
            return False
        return self.rng.random() < chance

    def _first_contacts(
        self, lead: _Lead, handed: int, sales: int, reason: int | None
    ) -> list[int]:
        """Sales' contact attempts after a handover (the first is the SLA's first response).
        Giving a lead up as unresponsive takes the agreed three attempts or more."""
        rng = self.rng
        if reason in self.desk_rejections and rng.random() < 0.6:
            return []
        first = self.cal.add_hours(handed, _first_response_hours(rng))
        if reason not in self.unresponsive:
            kind = _FIRST_CONTACT.pick(rng)
            self._activity(kind, lead.id, None, sales, first, _choice(rng, vocab.OUTCOMES[kind]))
            return [first]
        return self._attempts(lead.id, sales, first, _between(rng, 3, 4))

    def _attempts(self, lead_id: int, sales: int, first: int, count: int) -> list[int]:
        """Unanswered calls and e-mails, a few business hours to a day apart."""
        rng = self.rng
        moments = [first]
        for _ in range(count - 1):
            moments.append(self.cal.add_hours(moments[-1], rng.uniform(3, 14)))
        for moment in moments:
            kind = "call" if rng.random() < 0.7 else "email"
            self._activity(kind, lead_id, None, sales, moment, _choice(rng, vocab.NO_REPLY))
        return moments

    def _qualify_again(self, lead: _Lead) -> None:
        """Marketing nurtures a rejected lead and sends it again weeks later. Only when that
        second handover has happened too, so no lead waits half-way between the two."""
        assert lead.rejected is not None
        requalified = self.cal.add_hours(lead.rejected + _days(self.rng, 14, 90), 1)
        handed = self._handover_time(requalified)
        if handed < self.horizon:
            lead.qualified = requalified
            self._hand_over(lead, handed, again=True)

    def _work(self, lead: _Lead) -> None:
        """Sales works an accepted lead until it converts to a deal or is disqualified."""
        rng = self.rng
        assert lead.accepted is not None and lead.sales is not None
        recent = self.horizon - lead.accepted < 90 * DAY
        roll = rng.random()
        still_open = 0.25 if recent else 0.05
        if roll < still_open:
            self._contacts_between(lead, lead.accepted, self.horizon, _between(rng, 0, 1))
            self._pause_or_follow_up(lead)
        elif roll < still_open + (1 - still_open) * 0.42:
            self._convert(lead, lead.accepted, lead.sales)
        else:
            self._disqualify(lead, lead.accepted, lead.sales)

    def _convert(self, lead: _Lead, accepted: int, sales: int) -> None:
        rng = self.rng
        at = self.cal.add_hours(accepted + _days(rng, 4, 50), rng.uniform(0, 6))
        self._contacts_between(lead, accepted, at, _between(rng, 0, 1))
        if at >= self.horizon:
            self._pause_or_follow_up(lead)
            return
        lead.stage, lead.converted = "converted", at
        self._deal(lead.id, lead.label, self._deal_value(lead.b2b), sales, at)

    def _disqualify(self, lead: _Lead, accepted: int, sales: int) -> None:
        rng = self.rng
        reason = self.reasons["disqualification"].pick(rng)
        if reason in self.unresponsive:
            start = self.cal.add_hours(accepted, rng.uniform(1, 8))
            moments = self._attempts(lead.id, sales, start, _between(rng, 3, 4))
            at = self.cal.add_hours(moments[-1], rng.uniform(1, 8))
        else:
            at = self.cal.add_hours(accepted + _days(rng, 5, 80), rng.uniform(0, 6))
            self._contacts_between(lead, accepted, at, 1)
        if at >= self.horizon:
            self._pause_or_follow_up(lead)
            return
        lead.stage, lead.disqualified, lead.disqualification_reason = "disqualified", at, reason
        if rng.random() < 0.3:
            lead.note = _choice(rng, vocab.DISQUALIFICATION_NOTES)

    def _contacts_between(self, lead: _Lead, start: int, end: int, count: int) -> None:
        rng = self.rng
        span = min(end, self.horizon) - start
        moments = sorted(start + int(rng.uniform(0.05, 0.95) * span) for _ in range(count))
        for moment in moments:
            kind = _WORK_CONTACT.pick(rng)
            outcome = _choice(rng, vocab.OUTCOMES[kind])
            self._activity(kind, lead.id, None, lead.sales, moment, outcome)

    def _pause_or_follow_up(self, lead: _Lead) -> None:
        if self.rng.random() < 0.1:
            lead.paused_until = self.today + dt.timedelta(days=_between(self.rng, 3, 21))
        self._ask_follow_up(lead.id)

    # --- deals ----------------------------------------------------------------------------

    def _deal_value(self, b2b: bool) -> tuple[str, Decimal]:
        product, b2b_value, b2c_value = _choice(self.rng, vocab.PRODUCTS)
        typical = b2b_value if b2b else b2c_value
        value = round(typical * self.rng.lognormvariate(0, 0.45), -1)
        return product, Decimal(max(int(value), 50))

    def _deal(
        self,
        lead_id: int | None,
        label: str,
        product_value: tuple[str, Decimal],
        owner: int,
        created: int,
    ) -> None:
        """A deal moves through the open stages until it is won or lost, or today arrives."""
        rng = self.rng
        product, value = product_value
        deal = _DealDraft(self.next_deal_id, lead_id, f"{label} — {product}", value, owner, created)
        self.next_deal_id += 1
        won = rng.random() < 0.55
        lost_after = _choice(rng, (0, 1, 1, 2, 2, 2))  # the stage a lost deal leaves from
        self.stage_rows.append([deal.id, None, "qualification", self.cal.text(created)])
        moved = created
        for index, stage in enumerate(OPEN_DEAL_STAGES):
            step = self.cal.add_hours(moved + _days(rng, 4, 30), rng.uniform(0, 6))
            kind = _choice(rng, DEAL_CONTACT[stage])
            contact = moved + int((step - moved) * rng.uniform(0.2, 0.8))
            self._activity(kind, None, deal.id, owner, contact, _choice(rng, vocab.OUTCOMES[kind]))
            if step >= self.horizon:
                close = self.today + dt.timedelta(days=_between(rng, 10, 120))
                self._deal_row(deal, stage, close, moved)
                self._ask_follow_up(None, deal.id)
                return
            if (not won and index == lost_after) or index == len(OPEN_DEAL_STAGES) - 1:
                self._close_deal(deal, stage, step, won=won)
                return
            next_stage = OPEN_DEAL_STAGES[index + 1]
            self.stage_rows.append([deal.id, stage, next_stage, self.cal.text(step)])
            moved = step

    def _close_deal(self, deal: _DealDraft, stage: str, closed: int, *, won: bool) -> None:
        outcome = "won" if won else "lost"
        self.stage_rows.append([deal.id, stage, outcome, self.cal.text(closed)])
        if won:
            self._deal_row(deal, outcome, self.cal.date(closed), closed, won=closed)
            self.won_value[self.cal.month(closed)] += int(deal.value)
            self.won_count[self.cal.month(closed)] += 1
            return
        reason = self.reasons["loss"].pick(self.rng)
        note = _choice(self.rng, vocab.LOSS_NOTES) if self.rng.random() < 0.4 else ""
        self._deal_row(
            deal, outcome, self.cal.date(closed), closed, lost=closed, reason=reason, note=note
        )

    def _deal_row(
        self,
        deal: _DealDraft,
        stage: str,
        expected_close: dt.date,
        changed: int,
        *,
        won: int | None = None,
        lost: int | None = None,
        reason: int | None = None,
        note: str = "",
    ) -> None:
        text = self.cal.text
        self.deal_rows.append(
            [deal.id, deal.lead_id, deal.title, deal.value, "EUR", stage, DEAL_PROBABILITY[stage],
             expected_close, deal.owner, text(deal.created), text(changed), text(won), text(lost),
             reason, note]
        )  # fmt: skip

    def _make_direct_deals(self) -> None:
        """Repeat orders from existing customers, entered by sales without a lead."""
        rng = self.rng
        for _ in range(max(5, round(self.leads * 0.006))):
            moment = self.start + int(rng.random() * (self.horizon - self.start))
            moment = self.cal.add_hours(moment, rng.uniform(0, 4))
            if moment < self.horizon:
                customer = _choice(rng, vocab.REPEAT_CUSTOMERS)
                owner = self.sales_pick.pick(rng)
                self._deal(None, customer, self._deal_value(True), owner, moment)

    # --- rows for handovers and activities ------------------------------------------------

    def _handover_row(
        self, lead: _Lead, decision: str | None, decided: int | None, reason: int | None
    ) -> None:
        text = self.cal.text
        self.handover_rows.append(
            [lead.id, lead.sales, lead.owner, text(lead.handed), decision, text(decided), reason]
        )

    def _activity(
        self,
        kind: str,
        lead_id: int | None,
        deal_id: int | None,
        member: int | None,
        at: int,
        outcome: str,
    ) -> None:
        if at < self.horizon:  # what lies after today has not happened yet
            row: Row = [kind, lead_id, deal_id, member, self.cal.text(at), outcome, "", None]
            self.activity_rows.append(row)
            self.last_activity = (lead_id, deal_id, at)

    def _ask_follow_up(self, lead_id: int | None, deal_id: int | None = None) -> None:
        """An open item's latest activity names a day to follow up (some already overdue)."""
        last_lead, last_deal, at = self.last_activity
        if not self.activity_rows or (last_lead, last_deal) != (lead_id, deal_id):
            return
        if self.rng.random() < 0.7:
            follow_up = self.cal.date(at) + dt.timedelta(days=_between(self.rng, 2, 14))
            self.activity_rows[-1][ACTIVITY_FOLLOW_UP] = follow_up

    # --- targets, agreement, plans --------------------------------------------------------

    def _months(self) -> list[dt.date]:
        current = self.today.replace(day=1)
        return [_add_months(current, offset) for offset in range(-12, 3)]

    def _recent_average(self, counts: Counter[str]) -> float:
        current = self.today.replace(day=1)
        recent = [_month_key(_add_months(current, -offset)) for offset in (1, 2, 3)]
        return sum(counts[key] for key in recent) / len(recent)

    def _target_value(self, counts: Counter[str], month: dt.date, step: int) -> int:
        """Past months: near what was achieved (some met, some missed); the current and coming
        months: a little above the recent average."""
        rng = self.rng
        if month < self.today.replace(day=1):
            base = counts[_month_key(month)] * rng.uniform(0.85, 1.2)
        else:
            base = self._recent_average(counts) * rng.uniform(1.0, 1.1)
        return max(step, round(base / step) * step)

    def _write_targets(self) -> None:
        rows: list[tuple[object, ...]] = []
        revenue_step = 1000 if self._recent_average(self.won_value) > 20_000 else 100
        for month in self._months():
            key = _month_key(month)
            revenue = self._target_value(self.won_value, month, revenue_step)
            deals = self._target_value(self.won_count, month, 1)
            qualified = self._target_value(self.handovers_by_month, month, 1)
            budgets = self._budgets(month)
            rows += [
                (key, None, "revenue", None, Decimal(revenue)),
                (key, None, "deals_won", None, Decimal(deals)),
                (key, None, "qualified_leads", None, Decimal(qualified)),
                (key, None, "budget", None, _hundreds(sum(budgets.values()))),
            ]
            for member, share in zip(self.sales, SALES_SHARES, strict=True):
                rows.append((key, member, "revenue", None, _hundreds(revenue * share)))
                rows.append((key, member, "deals_won", None, Decimal(max(1, round(deals * share)))))
            for channel in BUDGETED_CHANNELS:
                if budgets.get(channel, 0) >= 50:
                    rows.append((key, None, "budget", channel, _hundreds(budgets[channel])))
        fields = (Target.month, Target.member, Target.metric, Target.channel, Target.value)
        _insert(Target, fields, rows)

    def _budgets(self, month: dt.date) -> dict[str, float]:
        """Each campaign's planned budget spread evenly over its days, summed per channel."""
        following = _add_months(month, 1)
        found: dict[str, float] = {}
        for campaign in self.campaigns:
            overlap = (
                min(following, campaign.ends_on + ONE_DAY) - max(month, campaign.starts_on)
            ).days
            if overlap > 0:
                share = campaign.budget * overlap / campaign.plan.days
                found[campaign.plan.channel] = found.get(campaign.plan.channel, 0.0) + share
        return {channel: found[channel] for channel in CHANNELS if channel in found}

    def _write_agreements(self) -> None:
        """The first agreement from 13 months ago, and a revision from four months ago that
        asks a little more of both sides."""
        months = [_month_key(m) for m in self._months()[:12]]
        volume = max(1, round(sum(self.handovers_by_month[k] for k in months) / 12))
        revenue = max(1000, round(sum(self.won_value[k] for k in months) / 12_000) * 1000)
        versions = (
            (_add_months(self.today, -13), volume, 16, revenue),
            (_add_months(self.today, -4), round(volume * 1.1), 12, round(revenue * 1.1, -3)),
        )
        for agreement_id, (effective, leads, decision, money) in enumerate(versions, start=1):
            created = self._local_text(effective - dt.timedelta(days=3), 11)
            _insert(
                SlaAgreement,
                (SlaAgreement.id, SlaAgreement.effective_from, SlaAgreement.at_risk_share,
                 SlaAgreement.created_at, SlaAgreement.created_by),
                [(agreement_id, effective, 0.75, created, self.owner_id)],
            )  # fmt: skip
            targets = {
                "lead_volume": leads,
                "lead_acceptance": 80,  # percent
                "first_response": 4,  # business hours
                "decision": decision,  # business hours
                "follow_up": 3,  # contact attempts
                "revenue": money,  # per month
            }
            _insert(
                SlaCommitment,
                (SlaCommitment.agreement, SlaCommitment.kind, SlaCommitment.target),
                [(agreement_id, kind, Decimal(target)) for kind, target in targets.items()],
            )

    def _write_plans(self) -> None:
        """The written plan for the last three months and this one."""
        current = self.today.replace(day=1)
        rows = [self._plan_row(_add_months(current, offset)) for offset in (-3, -2, -1, 0)]
        fields = (
            MonthlyPlan.month, MonthlyPlan.objectives, MonthlyPlan.ideal_customer,
            MonthlyPlan.key_messages, MonthlyPlan.sales_actions, MonthlyPlan.resources,
            MonthlyPlan.agenda_notes, MonthlyPlan.updated_at,
        )  # fmt: skip
        _insert(MonthlyPlan, fields, rows)

    def _plan_row(self, month: dt.date) -> tuple[object, ...]:
        season = _season(month)
        budgets = self._budgets(month)
        largest = sorted(budgets, key=lambda channel: -budgets[channel])[:3]
        channels = ", ".join(channel.replace("_", " ") for channel in largest)
        before = _month_key(_add_months(month, -1))
        rejected = Counter({r: n for (key, r), n in self.rejections.items() if key == before})
        top_reason = self.reason_labels[rejected.most_common(1)[0][0]] if rejected else "none"
        written = self._local_text(month - dt.timedelta(days=_between(self.rng, 3, 6)), 15)
        return (
            _month_key(month),
            f"{month:%B %Y}: hand over enough qualified leads to meet the agreement, answer "
            "every handover within four business hours and close the open proposals from last "
            f"month. {_SEASON_GOALS[season]}",
            "Facility managers of hotels, housing associations and municipalities with at least "
            "2,000 m² of green space; owners of large private gardens for premium projects.",
            _SEASON_MESSAGES[season],
            _choice(self.rng, _SALES_ACTIONS),
            f"Campaign budget about €{_hundreds(sum(budgets.values())):,} "
            f"({channels or 'no paid campaigns'}); demo irrigation kit in the van; updated "
            "reference brochure.",
            f"Review last month's rejected leads with marketing (most common reason: "
            f"{top_reason}); check first-response times; agree next month's campaigns.",
            written,
        )


_SALES_ACTIONS = (
    "Call every accepted lead within a day; follow up proposals older than two weeks; book "
    "site visits with the five largest open deals.",
    "Clear the handover queue every morning; ask each won customer for a referral; revive "
    "proposals that went quiet with a seasonal offer.",
    "Demo the irrigation controller at every site visit; agree a decision date in each "
    "negotiation; log every call so the follow-up count is right.",
)
_SEASON_GOALS = {
    "Winter": "Fill the spring installation calendar before February ends.",
    "Spring": "Turn the season opening rush into signed installation orders.",
    "Summer": "Sell care contracts and irrigation upgrades during the dry weeks.",
    "Autumn": "Book planting work and sign next year's maintenance contracts.",
}
_SEASON_MESSAGES = {
    "Winter": "Plan now, plant in spring: book your slot early. Year-round tree and hedge care.",
    "Spring": "Your garden ready for the season in two weeks. Water-saving irrigation pays off.",
    "Summer": "Drip irrigation cuts water bills by a third. Care contracts: we keep it green.",
    "Autumn": "Autumn is planting time. Secure next season's maintenance at this year's prices.",
}


def _companies(locale: vocab.Locale) -> list[str]:
    """A locale's fixed company names plus every pattern filled with each of its surnames."""
    found = []
    for pattern in locale.companies:
        if "{last}" in pattern:
            found += [pattern.format(last=male[0]) for male, _female in locale.surnames]
        else:
            found.append(pattern)
    return found


def _pick_note(rng: random.Random) -> str:
    return _choice(rng, vocab.OUTCOMES["note"])


_PROSPECTING = _Weighted(PROSPECTING_SOURCES)
_FIRST_CONTACT = _Weighted(FIRST_CONTACT)
_WORK_CONTACT = _Weighted(WORK_CONTACT)
