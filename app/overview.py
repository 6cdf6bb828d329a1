"""At-a-glance figures for the dashboard, each one SQL aggregate (fast at a million leads)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import fn

from app.models import OPEN_DEAL_STAGES, Campaign, Deal, Lead, Member


@dataclass(frozen=True)
class Glance:
    leads_by_stage: dict[str, int]
    open_deals: int
    open_pipeline: Decimal
    active_campaigns: int
    members: int

    @property
    def leads(self) -> int:
        return sum(self.leads_by_stage.values())


def glance() -> Glance:
    # peewee's type hints do not know .tuples() yields tuples.
    stage_counts: Any = (
        Lead.select(Lead.stage, fn.COUNT(Lead.id))
        .where(Lead.deleted_at.is_null())
        .group_by(Lead.stage)
        .tuples()
    )
    open_deals: Any = (
        Deal.select(fn.COUNT(Deal.id), fn.COALESCE(fn.SUM(Deal.value), 0))
        .where(Deal.stage.in_(OPEN_DEAL_STAGES) & Deal.deleted_at.is_null())
        .tuples()
    )
    deals, value = open_deals.get()
    return Glance(
        leads_by_stage={stage: int(count) for stage, count in stage_counts},
        open_deals=int(deals),
        open_pipeline=Decimal(value),
        active_campaigns=Campaign.select()
        .where((Campaign.status == "active") & Campaign.deleted_at.is_null())
        .count(),
        members=Member.select().where(Member.active).count(),
    )
