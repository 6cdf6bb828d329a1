"""What campaigns produced: leads, handovers, deals won and revenue, and what each cost, in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from peewee import JOIN, Case, fn

from app.campaigns import money
from app.models import Campaign, Deal, Handover, Lead, Member, Reason

RATIO = Decimal("0.0001")  # return on spend to a hundredth of a percent
NO_REASON = "No reason given"

# Everything here counts what is outside the trash: a trashed lead, and the deals it brought,
# no longer count for its campaign.


def cost_per(spend: Decimal, count: int) -> Decimal | None:
    """Spend shared out over count (leads, deals), in cents; None when there are none."""
    if count == 0:
        return None
    return (spend / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def return_on(revenue: Decimal, spend: Decimal) -> Decimal | None:
    """(revenue − spend) ÷ spend: 1.5 means every unit spent came back 2.5 times; None when
    nothing was spent."""
    if spend == 0:
        return None
    return ((revenue - spend) / spend).quantize(RATIO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CampaignResults:
    """One campaign's figures. Handover figures count handovers, as the SLA does: a lead
    rejected, worked on by marketing and handed over again counts in each."""

    spend: Decimal
    leads: int
    qualified: int
    handed_over: int
    accepted: int
    rejected: int
    deals_won: int
    revenue: Decimal
    rejections: list[tuple[str, int]] = field(default_factory=list)  # by reason, most first

    @property
    def cost_per_lead(self) -> Decimal | None:
        return cost_per(self.spend, self.leads)

    @property
    def cost_per_qualified_lead(self) -> Decimal | None:
        return cost_per(self.spend, self.qualified)

    @property
    def cost_per_won_deal(self) -> Decimal | None:
        return cost_per(self.spend, self.deals_won)

    @property
    def return_on_spend(self) -> Decimal | None:
        return return_on(self.revenue, self.spend)

    @property
    def acceptance(self) -> Decimal | None:
        """Accepted ÷ decided handovers, as the SLA's lead acceptance measures it."""
        decided = self.accepted + self.rejected
        return None if decided == 0 else (Decimal(self.accepted) / decided).quantize(RATIO)


def _qualified() -> Any:
    # Marketing qualified it at some time (a lead disqualified or rejected later still was).
    return fn.SUM(Case(None, [(Lead.qualified_at.is_null(False), 1)], 0))


def results_for(campaign_id: int) -> CampaignResults:
    """The figures of one campaign: three grouped queries, whatever its number of leads."""
    spend = Campaign.select(Campaign.actual_spend).where(Campaign.id == campaign_id).scalar()
    lead_counts: Any = (
        Lead.select(fn.COUNT(Lead.id), _qualified())
        .where((Lead.campaign == campaign_id) & Lead.deleted_at.is_null())
        .tuples()
    )
    leads, qualified = lead_counts.get()
    decisions: Any = (
        Handover.select(Handover.decision, Reason.label, fn.COUNT(Handover.id))
        .join(Lead, on=Handover.lead == Lead.id)
        .switch(Handover)
        .join(Reason, JOIN.LEFT_OUTER, on=Handover.reason == Reason.id)
        .where((Lead.campaign == campaign_id) & Lead.deleted_at.is_null())
        .group_by(Handover.decision, Reason.label)
        .tuples()
    )
    handed_over = accepted = rejected = 0
    rejections: dict[str, int] = {}
    for decision, label, count in decisions:
        handed_over += count
        if decision == "accepted":
            accepted += count
        elif decision == "rejected":
            rejected += count
            rejections[label or NO_REASON] = rejections.get(label or NO_REASON, 0) + count
    won: Any = (
        Deal.select(fn.COUNT(Deal.id), fn.SUM(Deal.value))
        .join(Lead, on=Deal.lead == Lead.id)
        .where(
            (Lead.campaign == campaign_id)
            & Lead.deleted_at.is_null()
            & (Deal.stage == "won")
            & Deal.deleted_at.is_null()
        )
        .tuples()
    )
    deals_won, revenue = won.get()
    return CampaignResults(
        spend=money(spend),
        leads=int(leads),
        qualified=int(qualified or 0),
        handed_over=handed_over,
        accepted=accepted,
        rejected=rejected,
        deals_won=int(deals_won),
        revenue=money(revenue),
        rejections=sorted(rejections.items(), key=lambda item: (-item[1], item[0])),
    )


@dataclass(frozen=True)
class CampaignRow:
    """A campaign as the list shows it: its facts and its main figures (plain values, so a Qt
    model can paint it without touching the database)."""

    id: int
    name: str
    channel: str
    status: str
    starts_on: dt.date
    ends_on: dt.date | None
    planned_budget: Decimal
    spend: Decimal
    owner: str
    leads: int
    qualified: int
    deals_won: int
    revenue: Decimal

    @property
    def cost_per_lead(self) -> Decimal | None:
        return cost_per(self.spend, self.leads)

    @property
    def return_on_spend(self) -> Decimal | None:
        return return_on(self.revenue, self.spend)


def summary() -> list[CampaignRow]:
    """Every campaign outside the trash with its figures, newest start first: one statement
    whose grouped subqueries count leads and won deals per campaign."""
    per_lead = (
        Lead.select(
            Lead.campaign.alias("campaign_id"),
            fn.COUNT(Lead.id).alias("leads"),
            _qualified().alias("qualified"),
        )
        .where(Lead.campaign.is_null(False) & Lead.deleted_at.is_null())
        .group_by(Lead.campaign)
        .alias("per_lead")
    )
    per_deal = (
        Deal.select(
            Lead.campaign.alias("campaign_id"),
            fn.COUNT(Deal.id).alias("won"),
            fn.SUM(Deal.value).alias("revenue"),
        )
        .join(Lead, on=Deal.lead == Lead.id)
        .where(
            Lead.campaign.is_null(False)
            & Lead.deleted_at.is_null()
            & (Deal.stage == "won")
            & Deal.deleted_at.is_null()
        )
        .group_by(Lead.campaign)
        .alias("per_deal")
    )
    rows: Any = (
        Campaign.select(
            Campaign.id,
            Campaign.name,
            Campaign.channel,
            Campaign.status,
            Campaign.starts_on,
            Campaign.ends_on,
            Campaign.planned_budget,
            Campaign.actual_spend,
            fn.COALESCE(Member.name, ""),
            fn.COALESCE(per_lead.c.leads, 0),
            fn.COALESCE(per_lead.c.qualified, 0),
            fn.COALESCE(per_deal.c.won, 0),
            per_deal.c.revenue,
        )
        .join(Member, JOIN.LEFT_OUTER, on=Campaign.owner == Member.id)
        .switch(Campaign)
        .join(per_lead, JOIN.LEFT_OUTER, on=per_lead.c.campaign_id == Campaign.id)
        .switch(Campaign)
        .join(per_deal, JOIN.LEFT_OUTER, on=per_deal.c.campaign_id == Campaign.id)
        .where(Campaign.deleted_at.is_null())
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())
        .tuples()
    )
    return [
        CampaignRow(
            id=row[0],
            name=row[1],
            channel=row[2],
            status=row[3],
            starts_on=_date(row[4]),
            ends_on=_date(row[5]) if row[5] is not None else None,
            planned_budget=money(row[6]),
            spend=money(row[7]),
            owner=row[8],
            leads=int(row[9]),
            qualified=int(row[10]),
            deals_won=int(row[11]),
            revenue=money(row[12]),
        )
        for row in rows
    ]


def _date(value: Any) -> dt.date:
    # Raw tuples skip peewee's conversion on some drivers; SQLite hands back the ISO text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
