"""The pipeline and forecast against the revenue target, and who is on track for their targets."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import Case, fn

from app import plans
from app.funnel import rate
from app.metrics import (
    FIRST_COLUMN,
    ZERO,
    CampaignShare,
    Period,
    add_months,
    campaign_shares,
    first_day,
    money,
    month_bounds,
    month_name,
    won_in,
)
from app.models import OPEN_DEAL_STAGES, Deal, Handover, Member


@dataclass(frozen=True)
class PipelineMonth:
    """Open deals expected to close in one month, beside what that month has already won."""

    month: str
    deals: int
    value: Decimal
    weighted: Decimal  # each deal's value times its probability
    won: Decimal
    target: Decimal | None  # the team's revenue target

    @property
    def label(self) -> str:
        return month_name(self.month)

    @property
    def forecast(self) -> Decimal:
        return self.won + self.weighted

    @property
    def gap(self) -> Decimal | None:
        """How far the forecast falls short of the target (negative: ahead of it)."""
        return None if self.target is None else self.target - self.forecast


@dataclass(frozen=True)
class StageValue:
    stage: str
    deals: int
    value: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Pipeline:
    months: list[PipelineMonth]
    overdue_deals: int  # open deals whose expected close date has passed
    overdue_value: Decimal
    earlier_deals: int  # due later than today but before the first month (planning ahead)
    earlier_value: Decimal
    undated_deals: int
    undated_value: Decimal
    by_stage: list[StageValue]


def pipeline(month: str, *, months: int = 3, today: dt.date) -> Pipeline:
    """Open deals by expected close month, from month on, against each month's revenue target.
    A deal whose expected close date has passed counts as overdue, not in any month."""
    wanted = [add_months(month, offset) for offset in range(months)]
    firsts = [first_day(m) for m in [*wanted, add_months(month, months)]]
    cases = [(Deal.expected_close < firsts[index + 1], index) for index in range(len(wanted))]
    before = [(Deal.expected_close < today, -2), (Deal.expected_close < firsts[0], -1)]
    bucket = Case(None, [*before, *cases], len(wanted))
    weighted = Deal.value * Deal.probability / 100
    query: Any = (
        Deal.select(
            bucket.alias("bucket"),
            fn.COUNT(Deal.id),
            fn.COALESCE(fn.SUM(Deal.value), 0),
            fn.COALESCE(fn.SUM(weighted), 0),
        )
        .where(
            Deal.stage.in_(OPEN_DEAL_STAGES)
            & Deal.expected_close.is_null(False)
            & Deal.deleted_at.is_null()
        )
        .group_by(FIRST_COLUMN)  # the bucket (see metrics.by_campaign)
        .tuples()
    )
    sums: dict[int, tuple[int, Decimal, Decimal]] = {}
    for index, count, value, expected in query:
        sums[int(index)] = (int(count), money(value), money(expected))
    undated: Any = (
        Deal.select(fn.COUNT(Deal.id), fn.COALESCE(fn.SUM(Deal.value), 0))
        .where(
            Deal.stage.in_(OPEN_DEAL_STAGES)
            & Deal.expected_close.is_null()
            & Deal.deleted_at.is_null()
        )
        .tuples()
        .get()
    )
    won = revenue_won(wanted)
    team_targets = {m: plans.targets(m).get((None, "revenue", None)) for m in wanted}
    rows = [
        PipelineMonth(m, *sums.get(index, (0, ZERO, ZERO)), won[m], team_targets[m])
        for index, m in enumerate(wanted)
    ]
    overdue, earlier = sums.get(-2, (0, ZERO, ZERO)), sums.get(-1, (0, ZERO, ZERO))
    return Pipeline(
        months=rows,
        overdue_deals=overdue[0],
        overdue_value=overdue[1],
        earlier_deals=earlier[0],
        earlier_value=earlier[1],
        undated_deals=int(undated[0]),
        undated_value=money(undated[1]),
        by_stage=by_stage(),
    )


def by_stage() -> list[StageValue]:
    query: Any = (
        Deal.select(
            Deal.stage,
            fn.COUNT(Deal.id),
            fn.COALESCE(fn.SUM(Deal.value), 0),
            fn.COALESCE(fn.SUM(Deal.value * Deal.probability / 100), 0),
        )
        .where(Deal.stage.in_(OPEN_DEAL_STAGES) & Deal.deleted_at.is_null())
        .group_by(Deal.stage)
        .tuples()
    )
    found = {stage: (int(n), money(v), money(w)) for stage, n, v, w in query}
    return [StageValue(s, *found.get(s, (0, ZERO, ZERO))) for s in OPEN_DEAL_STAGES]


def revenue_won(months: list[str]) -> dict[str, Decimal]:
    """Revenue won in each month (the company's months), in one pass over the range."""
    bounds = month_bounds(months)
    sums = [
        fn.COALESCE(
            fn.SUM(Case(None, [((Deal.won_at >= s) & (Deal.won_at < e), Deal.value)], 0)), 0
        )
        for s, e in bounds
    ]
    query: Any = Deal.select(*sums).where(won_in(bounds[0][0], bounds[-1][1])).tuples()
    totals = query.get()
    return {m: money(total) for m, total in zip(months, totals, strict=True)}


# --- quota attainment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attainment:
    metric: str
    target: Decimal | None
    actual: Decimal

    @property
    def percent(self) -> float | None:
        return rate(float(self.actual), float(self.target)) if self.target else None


@dataclass
class Quota:
    """One member's (or the team's) targets for a month against what they achieved."""

    member_id: int | None
    name: str
    role: str
    figures: dict[str, Attainment] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelBudget:
    channel: str
    target: Decimal | None
    planned: Decimal  # campaigns' planned budgets falling in the month
    spend: Decimal  # spent so far in the month


def attainment(month: str, *, today: dt.date) -> tuple[Quota, list[Quota], list[ChannelBudget]]:
    """The team's and each member's revenue, deals won and qualified leads handed over in the
    month against their targets, and the marketing budget by channel against its spend."""
    period = Period.of(month)
    starts, ends = period.bounds()
    typed = plans.targets(month)
    won: Any = (
        Deal.select(Deal.owner, fn.COUNT(Deal.id), fn.COALESCE(fn.SUM(Deal.value), 0))
        .where(won_in(starts, ends))
        .group_by(Deal.owner)
        .tuples()
    )
    handed: Any = (
        Handover.select(Handover.by_member, fn.COUNT(Handover.id))
        .where((Handover.handed_over_at >= starts) & (Handover.handed_over_at < ends))
        .group_by(Handover.by_member)
        .tuples()
    )
    actual: dict[int | None, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for owner, count, value in won:
        actual[owner]["deals_won"] += count
        actual[owner]["revenue"] += money(value)
    for member, count in handed:
        actual[member]["qualified_leads"] += count
    shares = campaign_shares(period, today=today)
    spend = sum((share.spend for share in shares), ZERO)

    def figure(member: int | None, metric: str, value: Decimal) -> Attainment:
        return Attainment(metric, typed.get((member, metric, None)), value)

    def total(metric: str) -> Decimal:
        return sum((values[metric] for values in actual.values()), ZERO)

    team = Quota(None, "Team", "team")
    for metric in ("revenue", "deals_won", "qualified_leads"):
        team.figures[metric] = figure(None, metric, total(metric))
    team.figures["budget"] = figure(None, "budget", spend)
    people = []
    for member in Member.select().order_by(Member.name):
        has_target = any(key[0] == member.id for key in typed)
        if not (member.active or has_target or member.id in actual):
            continue
        quota = Quota(member.id, member.name, member.role)
        for metric in _member_metrics(member.role):
            quota.figures[metric] = figure(member.id, metric, actual[member.id][metric])
        people.append(quota)
    channels = _channel_budgets(typed, shares)
    return team, people, channels


def _member_metrics(role: str) -> tuple[str, ...]:
    if role == "marketing":
        return ("qualified_leads",)
    if role == "sales":
        return ("revenue", "deals_won")
    return ("revenue", "deals_won", "qualified_leads")


def _channel_budgets(
    typed: dict[plans.TargetKey, Decimal], shares: list[CampaignShare]
) -> list[ChannelBudget]:
    planned: dict[str, Decimal] = defaultdict(Decimal)
    spend: dict[str, Decimal] = defaultdict(Decimal)
    for share in shares:
        planned[share.channel] += share.planned
        spend[share.channel] += share.spend
    targets = {key[2]: value for key, value in typed.items() if key[1] == "budget" and key[2]}
    channels = sorted(set(planned) | set(targets), key=lambda c: (-(targets.get(c) or 0), c))
    return [
        ChannelBudget(c, targets.get(c), planned.get(c, ZERO), spend.get(c, ZERO)) for c in channels
    ]
