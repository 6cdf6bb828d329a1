"""The funnel from reach to won, with the conversion between its steps, for a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import Case, fn

from app.metrics import (
    LeadCounts,
    Period,
    campaign_shares,
    deals_opened_from_leads,
    lead_counts,
    won_in,
)
from app.models import Deal, Handover

# Each step, the words a user would say for it, and the AIDA stage it belongs to.
STEPS = (
    ("impressions", "Impressions", "awareness"),
    ("clicks", "Clicks and visits", "interest"),
    ("leads", "Leads", "interest"),
    ("qualified", "Qualified by marketing", "desire"),
    ("handed_over", "Handed over to sales", "desire"),
    ("accepted", "Accepted by sales", "desire"),
    ("deals", "Deals opened", "action"),
    ("won", "Deals won", "action"),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    stage: str
    count: int
    conversion: float | None  # percent of the step before; None for the first or after nothing


@dataclass(frozen=True)
class Funnel:
    """What happened in the period at each step (not one cohort followed through): a month's
    flow, so recent months are not made to look worse by leads still in progress."""

    period: Period
    steps: list[Step]
    engagements: int  # likes, shares, replies: reach beside the main path
    rejected: int  # handovers of the period sales sent back
    campaign_leads: int  # of the leads, those that came from a campaign
    direct_deals_won: int  # deals won with no lead behind them (repeat orders)

    def count(self, key: str) -> int:
        return next(step.count for step in self.steps if step.key == key)

    def conversion(self, key: str) -> float | None:
        return next(step.conversion for step in self.steps if step.key == key)

    @property
    def acceptance(self) -> float | None:
        """Accepted of the handovers sales decided on, in percent (as the SLA counts it)."""
        decided = self.count("accepted") + self.rejected
        return round(100 * self.count("accepted") / decided, 1) if decided else None


def rate(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def funnel(period: Period, *, today: dt.date, counts: LeadCounts | None = None) -> Funnel:
    """counts: the period's lead counts when already read (metrics.lead_counts)."""
    starts, ends = period.bounds()
    shares = campaign_shares(period, today=today)
    counts = counts or lead_counts(period)[0]
    handovers: Any = (
        Handover.select(
            fn.COUNT(Handover.id),
            fn.SUM(Case(None, [(Handover.decision == "accepted", 1)], 0)),
            fn.SUM(Case(None, [(Handover.decision == "rejected", 1)], 0)),
        )
        .where((Handover.handed_over_at >= starts) & (Handover.handed_over_at < ends))
        .tuples()
        .get()
    )
    opened = deals_opened_from_leads(starts, ends)
    won: Any = (
        Deal.select(
            fn.SUM(Case(None, [(Deal.lead.is_null(False), 1)], 0)),
            fn.SUM(Case(None, [(Deal.lead.is_null(), 1)], 0)),
        )
        .where(won_in(starts, ends))
        .tuples()
        .get()
    )
    step_counts = {
        "impressions": round(sum(s.impressions for s in shares)),
        "clicks": round(sum(s.clicks for s in shares)),
        "leads": counts.leads,
        "qualified": counts.qualified_leads,
        "handed_over": int(handovers[0] or 0),
        "accepted": int(handovers[1] or 0),
        "deals": opened,
        "won": int(won[0] or 0),
    }
    steps, before = [], None
    for key, label, stage in STEPS:
        count = step_counts[key]
        steps.append(Step(key, label, stage, count, rate(count, before or 0)))
        before = count
    return Funnel(
        period=period,
        steps=steps,
        engagements=round(sum(s.engagements for s in shares)),
        rejected=int(handovers[2] or 0),
        campaign_leads=counts.campaign_leads,
        direct_deals_won=int(won[1] or 0),
    )
