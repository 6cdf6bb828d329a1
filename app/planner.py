"""The reverse-funnel planner: from a revenue goal back to the leads and budget it takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from peewee import Case, fn

from app import plans
from app.clock import Clock
from app.errors import UserError
from app.metrics import (
    FIRST_COLUMN,
    ZERO,
    Period,
    by_campaign,
    campaign_shares,
    channel_words,
    deals_opened_from_leads,
    lead_not_in_trash,
    money,
    won_in,
)
from app.models import Deal, Handover, Lead, Member

HISTORY_MONTHS = 6


@dataclass(frozen=True)
class History:
    """The team's own record over recent months, which the plan assumes will hold."""

    period: Period
    revenue: Decimal  # won, all deals
    lead_revenue: Decimal  # won from deals that came from a lead
    deals_won: int  # from leads
    deals_opened: int  # from leads
    handed_over: int
    accepted: int
    qualified: int  # qualified by marketing
    campaign_qualified: int  # of those, from a campaign
    spend_by_channel: dict[str, Decimal] = field(default_factory=dict)
    qualified_by_channel: dict[str, int] = field(default_factory=dict)


def history(month: str, *, months: int = HISTORY_MONTHS, today: dt.date) -> History:
    """The months before month, read in a handful of aggregates."""
    if not 1 <= months <= 36:
        raise UserError("Plan from between 1 and 36 months of history.")
    period = Period.before(month, months)
    starts, ends = period.bounds()
    won: Any = (
        Deal.select(
            fn.COALESCE(fn.SUM(Deal.value), 0),
            fn.COALESCE(fn.SUM(Case(None, [(Deal.lead.is_null(False), Deal.value)], 0)), 0),
            fn.COALESCE(fn.SUM(Case(None, [(Deal.lead.is_null(False), 1)], 0)), 0),
        )
        .where(won_in(starts, ends))
        .tuples()
        .get()
    )
    opened = deals_opened_from_leads(starts, ends)
    handovers: Any = (
        Handover.select(
            fn.COUNT(Handover.id),
            fn.COALESCE(fn.SUM(Case(None, [(Handover.decision == "accepted", 1)], 0)), 0),
        )
        .where((Handover.handed_over_at >= starts) & (Handover.handed_over_at < ends))
        .tuples()
        .get()
    )
    qualified: Any = (
        Lead.select(by_campaign(), fn.COUNT(Lead.id))
        .where((Lead.qualified_at >= starts) & (Lead.qualified_at < ends) & lead_not_in_trash())
        .group_by(FIRST_COLUMN)
        .tuples()
    )
    by_id = {campaign: int(n) for campaign, n in qualified}
    spend: dict[str, Decimal] = {}
    from_channel: dict[str, int] = {}
    for share in campaign_shares(period, today=today):
        spend[share.channel] = spend.get(share.channel, ZERO) + share.spend
        from_channel[share.channel] = from_channel.get(share.channel, 0) + by_id.get(share.id, 0)
    return History(
        period=period,
        revenue=money(won[0]),
        lead_revenue=money(won[1]),
        deals_won=int(won[2]),
        deals_opened=opened,
        handed_over=int(handovers[0]),
        accepted=int(handovers[1]),
        qualified=sum(by_id.values()),
        campaign_qualified=sum(n for campaign, n in by_id.items() if campaign),
        spend_by_channel=spend,
        qualified_by_channel=from_channel,
    )


@dataclass(frozen=True)
class Working:
    """One line of the working: what is worked out, from what, and the result."""

    text: str
    value: str


@dataclass(frozen=True)
class PlanResult:
    """What a revenue goal takes, with the working that got there."""

    goal: Decimal
    deals_won: int
    deals_opened: int
    accepted: int
    qualified_leads: int  # handed over to sales: the SLA's lead volume
    budget: Decimal
    budget_by_channel: dict[str, Decimal]
    working: list[Working]


def _up(value: Decimal) -> int:
    """Round a count up, after trimming division's last-digit noise (15.000…01 is 15)."""
    trimmed = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    return int(trimmed.to_integral_value(rounding=ROUND_CEILING))


def _ratio(part: int | Decimal, whole: int | Decimal, what: str, period: Period) -> Decimal:
    if not whole or not part:
        raise UserError(
            f"There is not enough history to plan from: no {what} in {period}. "
            "Plan from more months, or set the targets by hand."
        )
    return Decimal(part) / Decimal(whole)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def plan(goal: Decimal, past: History, *, currency: str) -> PlanResult:
    """Work back from a revenue goal through each step of the funnel, rounding every count up
    (half a deal cannot be won)."""
    if not goal.is_finite() or goal <= 0:
        raise UserError("Give a revenue goal above zero.")
    period = past.period
    working: list[Working] = []

    def show(text: str, value: str) -> None:
        working.append(Working(text, value))

    show("Revenue goal for the month", f"{goal:,.0f} {currency}")
    lead_share = _ratio(past.lead_revenue, past.revenue, "won revenue", period)
    from_leads = goal * lead_share
    show(
        f"Deals from leads brought {lead_share:.0%} of revenue in {period} "
        "(the rest were repeat orders), so leads must bring",
        f"{from_leads:,.0f} {currency}",
    )
    average = _ratio(past.lead_revenue, past.deals_won, "deals won from leads", period)
    won = _up(from_leads / average)
    show(f"At an average deal of {average:,.0f} {currency}, deals to win", f"{won:,}")
    win_rate = _ratio(past.deals_won, past.deals_opened, "deals opened", period)
    opened = _up(won / win_rate)
    show(f"{win_rate:.0%} of deals opened are won, so deals to open", f"{opened:,}")
    to_deal = _ratio(past.deals_opened, past.accepted, "accepted leads", period)
    accepted = _up(opened / to_deal)
    show(f"{to_deal:.0%} of accepted leads become deals, so leads to accept", f"{accepted:,}")
    acceptance = _ratio(past.accepted, past.handed_over, "handovers", period)
    handed = _up(accepted / acceptance)
    show(
        f"Sales accepts {acceptance:.0%} of the leads handed over, so qualified leads to hand "
        "over (the SLA's lead volume)",
        f"{handed:,}",
    )
    budget_by_channel: dict[str, Decimal] = {}
    if past.campaign_qualified and any(past.spend_by_channel.values()):
        campaign_share = Decimal(past.campaign_qualified) / Decimal(past.qualified)
        bought = _up(handed * campaign_share)
        show(
            f"{campaign_share:.0%} of qualified leads came from campaigns (the rest from sales' "
            "own prospecting), so campaign leads to buy",
            f"{bought:,}",
        )
        for channel, spend in sorted(past.spend_by_channel.items(), key=lambda kv: -kv[1]):
            count = past.qualified_by_channel.get(channel, 0)
            mix = Decimal(count) / Decimal(past.campaign_qualified)
            if not count or not spend:
                continue
            per_lead = spend / count
            # bought × mix × per_lead, simplified so no rounding creeps in between.
            budget_by_channel[channel] = _money(bought * spend / past.campaign_qualified)
            show(
                f"{channel_words(channel)}: {mix:.0%} of campaign leads at "
                f"{per_lead:,.2f} {currency} per qualified lead",
                f"{budget_by_channel[channel]:,.0f} {currency}",
            )
    budget = sum((amount for amount in budget_by_channel.values()), ZERO)
    show("Marketing budget it implies", f"{budget:,.0f} {currency}")
    return PlanResult(
        goal=goal,
        deals_won=won,
        deals_opened=opened,
        accepted=accepted,
        qualified_leads=handed,
        budget=budget,
        budget_by_channel=budget_by_channel,
        working=working,
    )


def apply(month: str, result: PlanResult, *, by: Member | None, clock: Clock) -> None:
    """Make the plan the month's team targets: revenue, deals won, qualified leads (which the
    SLA reads as the month's lead volume) and the budget, by channel too; other channels'
    budget targets are cleared so the parts add up to the whole."""
    values: dict[plans.TargetKey, Decimal | None] = {
        (None, "revenue", None): result.goal,
        (None, "deals_won", None): Decimal(result.deals_won),
        (None, "qualified_leads", None): Decimal(result.qualified_leads),
        (None, "budget", None): result.budget,
    }
    for key in plans.targets(month):
        if key[0] is None and key[1] == "budget" and key[2] is not None:
            values[key] = None
    for channel, amount in result.budget_by_channel.items():
        values[(None, "budget", channel)] = amount
    plans.set_targets(month, values, by=by, clock=clock)
