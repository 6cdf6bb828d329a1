"""Figures the Plans page and the printed plan share: months, campaign costs, cycle, reasons."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import JOIN, SQL, Case, fn

from app import settings
from app.clock import Clock
from app.company import CompanyProfile
from app.company import today as company_today
from app.errors import UserError
from app.models import (
    CHANNEL_WORDS,
    Campaign,
    Deal,
    DealStageChange,
    Handover,
    Lead,
    Reason,
)

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ZERO = Decimal(0)


# --- months --------------------------------------------------------------------------------------


def parse_month(text: str) -> str:
    """A month as a user types it, checked: 'YYYY-MM'."""
    text = text.strip()
    if not _MONTH.match(text) or text < "1900-01":
        raise UserError(f"'{text}' is not a month; write it as YYYY-MM, for example 2026-11.")
    return text


def add_months(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> dt.date:
    return dt.date(int(month[:4]), int(month[5:7]), 1)


def current_month(clock: Clock) -> str:
    """The company's month today (its own time zone, not UTC)."""
    return month_of(company_today(clock))


def channel_words(channel: str) -> str:
    return CHANNEL_WORDS.get(channel, channel.replace("_", " ").capitalize())


def month_name(month: str) -> str:
    return f"{first_day(month):%B %Y}"


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.get("company.timezone", CompanyProfile().timezone))


@dataclass(frozen=True)
class Period:
    """Whole months from first to last (inclusive), as the company counts them."""

    first: str
    last: str

    @classmethod
    def of(cls, month: str) -> Period:
        return cls(month, month)

    @classmethod
    def before(cls, month: str, count: int) -> Period:
        """The count months that end just before month (the team's recent history)."""
        return cls(add_months(month, -count), add_months(month, -1))

    @property
    def months(self) -> list[str]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = add_months(month, 1)
        return found

    @property
    def start_day(self) -> dt.date:
        return first_day(self.first)

    @property
    def end_day(self) -> dt.date:
        """The day after the period."""
        return first_day(add_months(self.last, 1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The naive-UTC instants the period starts and ends at: midnight where the company is,
        so a lead at 00:30 in Berlin on 1 November counts for November."""
        (starts, _), (_, ends) = month_bounds([self.first, self.last])
        return starts, ends

    def __str__(self) -> str:
        if self.first == self.last:
            return month_name(self.first)
        return f"{month_name(self.first)} – {month_name(self.last)}"


def month_bounds(
    months: list[str], zone: zoneinfo.ZoneInfo | None = None
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each month's naive-UTC start and end instants in the company's zone."""
    zone = zone or _zone()

    def utc(day: dt.date) -> dt.datetime:
        local = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    return [(utc(first_day(m)), utc(first_day(add_months(m, 1)))) for m in months]


# --- campaigns: spend and reach spread over their days -------------------------------------------


@dataclass(frozen=True)
class CampaignShare:
    """What one campaign spent, reached and planned in a period: its figures spread evenly
    over its days (campaigns record totals, not daily figures)."""

    id: int
    name: str
    channel: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    spend: Decimal
    planned: Decimal
    impressions: float
    clicks: float
    engagements: float


def _overlap(start: dt.date, stop: dt.date, period: Period) -> float:
    """The share of the days [start, stop) that fall in the period."""
    days = (stop - start).days
    if days <= 0:
        return 1.0 if period.start_day <= start < period.end_day else 0.0
    inside = (min(stop, period.end_day) - max(start, period.start_day)).days
    return max(inside, 0) / days


def campaign_shares(period: Period, *, today: dt.date) -> list[CampaignShare]:
    """Campaigns that ran in the period, with their spend and reach in it. Spend and reach
    typed so far are spread over the days run so far; the planned budget over the planned
    days. Campaigns are few, so they load whole."""
    one_day = dt.timedelta(days=1)
    found = []
    query = (
        Campaign.select()
        .where(Campaign.deleted_at.is_null() & (Campaign.starts_on < period.end_day))
        .order_by(Campaign.starts_on, Campaign.name)
    )
    for campaign in query:
        planned_end = (campaign.ends_on or max(today, campaign.starts_on)) + one_day
        run_end = min(planned_end, max(today, campaign.starts_on) + one_day)
        planned = _overlap(campaign.starts_on, planned_end, period)
        run = _overlap(campaign.starts_on, run_end, period)
        if planned == 0 and run == 0:
            continue
        found.append(
            CampaignShare(
                id=campaign.id,
                name=campaign.name,
                channel=campaign.channel,
                starts_on=campaign.starts_on,
                ends_on=campaign.ends_on,
                status=campaign.status,
                spend=_money(Decimal(campaign.actual_spend) * Decimal(run)),
                planned=_money(Decimal(campaign.planned_budget) * Decimal(planned)),
                impressions=campaign.impressions * run,
                clicks=campaign.clicks * run,
                engagements=campaign.engagements * run,
            )
        )
    return found


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def money(value: object) -> Decimal:
    """A sum of money read from SQL, to the cent (SQLite adds DECIMAL columns as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# --- cost per lead, qualified lead and won deal --------------------------------------------------


@dataclass
class Cost:
    """Spend against results, for one campaign, one channel or everything."""

    label: str
    channel: str
    spend: Decimal = ZERO
    leads: int = 0
    qualified: int = 0
    won: int = 0
    revenue: Decimal = ZERO

    @property
    def per_lead(self) -> Decimal | None:
        return _per(self.spend, self.leads)

    @property
    def per_qualified(self) -> Decimal | None:
        return _per(self.spend, self.qualified)

    @property
    def per_won(self) -> Decimal | None:
        return _per(self.spend, self.won)

    def add(self, other: Cost) -> None:
        self.spend += other.spend
        self.leads += other.leads
        self.qualified += other.qualified
        self.won += other.won
        self.revenue += other.revenue


def _per(spend: Decimal, count: int) -> Decimal | None:
    return _money(spend / count) if count else None


@dataclass
class Costs:
    by_campaign: list[Cost]
    by_channel: list[Cost]
    total: Cost


def row_by_row(condition: Any) -> Any:
    """The condition, written so SQLite tests it on each row instead of answering it from an
    index. Said plainly, `deal.stage = 'won'` sends SQLite down the stage index through every
    won deal ever, and `lead.deleted_at IS NULL` down a partial index to look up every lead one
    by one: at a million leads ten times slower than the date index, or one sequential pass."""
    return Case(None, [(condition, 1)], 0) == 1


def lead_not_in_trash() -> Any:
    return row_by_row(Lead.deleted_at.is_null())


def by_campaign() -> Any:
    """Grouping on an expression keeps SQLite off the campaign index (random reads again).
    Select it first and group by FIRST_COLUMN: PostgreSQL cannot tell that two copies of an
    expression with parameters are the same."""
    return fn.COALESCE(Lead.campaign, 0)


FIRST_COLUMN = SQL("1")


@dataclass(frozen=True)
class LeadCounts:
    """Leads created, and leads qualified, in a period, by campaign (None: no campaign)."""

    created: dict[int | None, int]
    qualified: dict[int | None, int]

    @property
    def leads(self) -> int:
        return sum(self.created.values())

    @property
    def campaign_leads(self) -> int:
        return sum(n for campaign, n in self.created.items() if campaign is not None)

    @property
    def qualified_leads(self) -> int:
        return sum(self.qualified.values())


def lead_counts(*periods: Period) -> list[LeadCounts]:
    """The counts for each period, in one pass over the leads: at a million leads each pass
    is a read of the whole table (no index has the qualifying date), so the plan asks once."""
    bounds = [period.bounds() for period in periods]
    starts, ends = min(s for s, _e in bounds), max(e for _s, e in bounds)
    sums = []
    for period_starts, period_ends in bounds:
        for column in (Lead.created_at, Lead.qualified_at):
            inside = (column >= period_starts) & (column < period_ends)
            sums.append(fn.SUM(Case(None, [(inside, 1)], 0)))
    touched = ((Lead.created_at >= starts) & (Lead.created_at < ends)) | (
        (Lead.qualified_at >= starts) & (Lead.qualified_at < ends)
    )
    query: Any = (
        Lead.select(by_campaign(), *sums)
        .where(lead_not_in_trash() & touched)
        .group_by(FIRST_COLUMN)
        .tuples()
    )
    found = [LeadCounts({}, {}) for _period in periods]
    for campaign, *numbers in query:
        for index, counts in enumerate(found):
            created, qualified = numbers[2 * index], numbers[2 * index + 1]
            if created:
                counts.created[campaign or None] = int(created)
            if qualified:
                counts.qualified[campaign or None] = int(qualified)
    return found


def won_by_campaign(period: Period) -> dict[int | None, tuple[int, Decimal]]:
    """Deals won in the period and their value, by the campaign their lead came from."""
    starts, ends = period.bounds()
    query: Any = (
        Deal.select(Lead.campaign, fn.COUNT(Deal.id), fn.COALESCE(fn.SUM(Deal.value), 0))
        .join(Lead, on=(Deal.lead == Lead.id))
        .where(won_in(starts, ends))
        .group_by(Lead.campaign)
        .tuples()
    )
    return {campaign: (int(n), money(value)) for campaign, n, value in query}


def won_in(starts: dt.datetime, ends: dt.datetime) -> Any:
    """Deals won between two instants (read through the won_at index)."""
    return (
        (Deal.won_at >= starts)
        & (Deal.won_at < ends)
        & row_by_row(Deal.stage == "won")
        & Deal.deleted_at.is_null()
    )


def deals_opened_from_leads(starts: dt.datetime, ends: dt.datetime) -> int:
    """Deals that converted leads opened between two instants (direct deals do not count)."""
    return int(
        Deal.select()
        .where(
            (Deal.created_at >= starts)
            & (Deal.created_at < ends)
            & Deal.lead.is_null(False)
            & Deal.deleted_at.is_null()
        )
        .count()
    )


def lost_in(starts: dt.datetime, ends: dt.datetime) -> Any:
    return (
        (Deal.lost_at >= starts)
        & (Deal.lost_at < ends)
        & row_by_row(Deal.stage == "lost")
        & Deal.deleted_at.is_null()
    )


def costs(period: Period, *, today: dt.date, counts: LeadCounts | None = None) -> Costs:
    """Cost per lead, per qualified lead and per won deal, by campaign and by channel. Only
    campaign leads count: prospecting costs nothing in marketing's budget. counts: the
    period's lead counts when already read."""
    counts = counts or lead_counts(period)[0]
    created, qualified = counts.created, counts.qualified
    won = won_by_campaign(period)
    by_campaign = []
    for share in campaign_shares(period, today=today):
        deals, revenue = won.get(share.id, (0, ZERO))
        by_campaign.append(
            Cost(
                share.name,
                share.channel,
                share.spend,
                created.get(share.id, 0),
                qualified.get(share.id, 0),
                deals,
                revenue,
            )
        )
    channels: dict[str, Cost] = {}
    total = Cost("All campaigns", "")
    for cost in by_campaign:
        channels.setdefault(cost.channel, Cost(cost.channel, cost.channel)).add(cost)
        total.add(cost)
    by_channel = sorted(channels.values(), key=lambda c: (-c.spend, c.channel))
    return Costs(by_campaign, by_channel, total)


# --- sales cycle and time in each stage ----------------------------------------------------------


def _days(later: dt.datetime, earlier: dt.datetime) -> float:
    return (later - earlier).total_seconds() / 86400


@dataclass(frozen=True)
class Cycle:
    """Days from first touch (the lead's creation, or the deal's when it had no lead) to won,
    over the deals won in a period."""

    deals: int
    median_days: float | None
    average_days: float | None


def sales_cycle(period: Period) -> Cycle:
    starts, ends = period.bounds()
    first_touch = fn.COALESCE(Lead.created_at, Deal.created_at)
    query: Any = (
        Deal.select(Deal.won_at, first_touch)
        .join(Lead, join_type=JOIN.LEFT_OUTER, on=(Deal.lead == Lead.id))
        .where(won_in(starts, ends))
        .tuples()
    )
    days = [_days(_instant(won), _instant(touch)) for won, touch in query]
    if not days:
        return Cycle(0, None, None)
    return Cycle(len(days), round(statistics.median(days), 1), round(statistics.mean(days), 1))


def _instant(value: object) -> dt.datetime:
    """peewee hands back datetimes from expressions (COALESCE) as text on SQLite."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class StageTime:
    stage: str
    moves: int  # deals that left the stage in the period
    median_days: float
    average_days: float


def time_in_stages(period: Period) -> list[StageTime]:
    """How long deals stayed in each open stage, for the stays that ended in the period."""
    starts, ends = period.bounds()
    earlier = DealStageChange.alias("earlier")
    entered = earlier.select(fn.MAX(earlier.changed_at)).where(
        (earlier.deal == DealStageChange.deal)
        & (earlier.to_stage == DealStageChange.from_stage)
        & (earlier.changed_at <= DealStageChange.changed_at)
        & (earlier.id != DealStageChange.id)
    )
    query: Any = (
        DealStageChange.select(DealStageChange.from_stage, DealStageChange.changed_at, entered)
        .where(
            (DealStageChange.changed_at >= starts)
            & (DealStageChange.changed_at < ends)
            & DealStageChange.from_stage.is_null(False)
        )
        .tuples()
    )
    stays: dict[str, list[float]] = defaultdict(list)
    for stage, left, came in query:
        if came is not None:
            stays[stage].append(_days(_instant(left), _instant(came)))
    order = ("qualification", "proposal", "negotiation")
    return [
        StageTime(
            stage,
            len(stays[stage]),
            round(statistics.median(stays[stage]), 1),
            round(statistics.mean(stays[stage]), 1),
        )
        for stage in order
        if stays.get(stage)
    ]


# --- rejection, disqualification and loss reasons ------------------------------------------------


@dataclass
class ReasonCounts:
    """Why leads were rejected or disqualified and deals lost in a period, most common first."""

    rejections: list[tuple[str, int]] = field(default_factory=list)
    disqualifications: list[tuple[str, int]] = field(default_factory=list)
    losses: list[tuple[str, int]] = field(default_factory=list)
    lost_value: Decimal = ZERO


def reasons(period: Period) -> ReasonCounts:
    starts, ends = period.bounds()
    labels = {reason.id: reason.label for reason in Reason.select(Reason.id, Reason.label)}

    def counted(query: Any) -> list[tuple[str, int]]:
        rows = [(labels.get(reason, "No reason given"), int(n)) for reason, n in query.tuples()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    rejected = (
        Handover.select(fn.COALESCE(Handover.reason, 0), fn.COUNT(Handover.id))
        .where(
            (Handover.decision == "rejected")
            & (Handover.decided_at >= starts)
            & (Handover.decided_at < ends)
        )
        .group_by(FIRST_COLUMN)  # not down the reason index (see by_campaign)
    )
    disqualified = (
        Lead.select(fn.COALESCE(Lead.disqualification_reason, 0), fn.COUNT(Lead.id))
        .where(
            (Lead.disqualified_at >= starts) & (Lead.disqualified_at < ends) & lead_not_in_trash()
        )
        .group_by(FIRST_COLUMN)
    )
    lost = (
        Deal.select(fn.COALESCE(Deal.loss_reason, 0), fn.COUNT(Deal.id))
        .where(lost_in(starts, ends))
        .group_by(FIRST_COLUMN)
    )
    lost_value: Any = (
        Deal.select(fn.COALESCE(fn.SUM(Deal.value), 0)).where(lost_in(starts, ends)).scalar()
    )
    return ReasonCounts(counted(rejected), counted(disqualified), counted(lost), money(lost_value))
