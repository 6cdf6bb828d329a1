"""Everything the printed monthly plan shows, gathered from the metrics before any drawing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import JOIN

from app import company, forecast, funnel, metrics, plans, team
from app.clock import Clock
from app.metrics import Period, add_months, parse_month
from app.models import OPEN_DEAL_STAGES, Deal, Member, SlaCommitment

Progress = Callable[[int, int], None]
HISTORY_MONTHS = 3  # cost per lead for a campaign's expected leads: the last quarter's


@dataclass(frozen=True)
class CampaignLine:
    """A campaign running in the plan's month."""

    name: str
    channel: str
    starts_on: dt.date
    ends_on: dt.date | None
    status: str
    budget: Decimal  # its planned budget falling in the month
    expected_leads: int | None  # budget ÷ the channel's recent cost per lead


@dataclass(frozen=True)
class KeyDeal:
    title: str
    owner: str
    stage: str
    value: Decimal
    probability: int
    expected_close: dt.date | None


@dataclass(frozen=True)
class SlaTerm:
    kind: str
    side: str
    target: float


@dataclass
class SlaFigures:
    """The SLA section's figures, from app/sla.py (or a plain stand-in in tests)."""

    terms: list[SlaTerm]
    effective_from: dt.date | None
    scorecard: Any  # app.sla.Scorecard of the month before the plan
    trend: list[Any]  # app.sla.MonthFigures, oldest first


@dataclass(frozen=True)
class AgendaItem:
    kind: str  # "opportunity" | "issue"
    text: str


@dataclass
class PlanFigures:
    month: str
    last_month: str
    profile: company.CompanyProfile
    prepared_by: str
    prepared_on: dt.date
    written: plans.WrittenPlan
    summary_team: forecast.Quota
    summary_people: list[forecast.Quota]
    summary_channels: list[forecast.ChannelBudget]
    targets_team: forecast.Quota
    targets_people: list[forecast.Quota]
    channel_budgets: list[forecast.ChannelBudget]
    campaigns: list[CampaignLine]
    pipeline: forecast.Pipeline
    key_deals: list[KeyDeal]
    funnel: funnel.Funnel
    costs: metrics.Costs
    cycle: metrics.Cycle
    stages: list[metrics.StageTime]
    reasons: metrics.ReasonCounts
    sla: SlaFigures | None
    agenda: list[AgendaItem] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.profile.currency


def gather(month: str, *, clock: Clock, progress: Progress | None = None) -> PlanFigures:
    """Read every figure of the plan for month; progress(done, total) after each part."""
    month = parse_month(month)
    last = add_months(month, -1)
    today = company.today(clock)
    steps = 9
    tell = progress or (lambda _done, _total: None)
    tell(0, steps)
    profile = company.load()
    me = team.current_member()
    summary = forecast.attainment(last, today=today)
    tell(1, steps)
    ahead = forecast.attainment(month, today=today)
    last_period, recent_period = Period.of(last), Period.before(month, HISTORY_MONTHS)
    last_counts, recent_counts = metrics.lead_counts(last_period, recent_period)
    recent = metrics.costs(recent_period, today=today, counts=recent_counts)
    campaigns = _campaigns(month, recent, today)
    tell(2, steps)
    pipeline = forecast.pipeline(month, today=today)
    tell(3, steps)
    flow = funnel.funnel(last_period, today=today, counts=last_counts)
    tell(4, steps)
    costs = metrics.costs(last_period, today=today, counts=last_counts)
    tell(5, steps)
    cycle = metrics.sales_cycle(last_period)
    stages = metrics.time_in_stages(last_period)
    tell(6, steps)
    reasons = metrics.reasons(last_period)
    tell(7, steps)
    sla = sla_figures(month, clock)
    tell(8, steps)
    figures = PlanFigures(
        month=month,
        last_month=last,
        profile=profile,
        prepared_by=me.name if me else "",
        prepared_on=today,
        written=plans.written_plan(month),
        summary_team=summary[0],
        summary_people=summary[1],
        summary_channels=summary[2],
        targets_team=ahead[0],
        targets_people=ahead[1],
        channel_budgets=ahead[2],
        campaigns=campaigns,
        pipeline=pipeline,
        key_deals=key_deals(month),
        funnel=flow,
        costs=costs,
        cycle=cycle,
        stages=stages,
        reasons=reasons,
        sla=sla,
    )
    figures.agenda = agenda(figures)
    tell(steps, steps)
    return figures


def _campaigns(month: str, recent: metrics.Costs, today: dt.date) -> list[CampaignLine]:
    per_lead = {cost.channel: cost.per_lead for cost in recent.by_channel}
    lines = []
    for share in metrics.campaign_shares(Period.of(month), today=today):
        if share.planned == 0 and share.status == "finished":
            continue
        cost = per_lead.get(share.channel)
        expected = round(share.planned / cost) if cost else None
        lines.append(
            CampaignLine(
                share.name,
                share.channel,
                share.starts_on,
                share.ends_on,
                share.status,
                share.planned,
                expected,
            )
        )
    return lines


def key_deals(month: str, limit: int = 8) -> list[KeyDeal]:
    """The open deals expected to close in the month that weigh most (value × probability)."""
    period = Period.of(month)
    query: Any = (
        Deal.select(
            Deal.title,
            Member.name,
            Deal.stage,
            Deal.value,
            Deal.probability,
            Deal.expected_close,
        )
        .join(Member, JOIN.LEFT_OUTER, on=(Deal.owner == Member.id))
        .where(
            Deal.stage.in_(OPEN_DEAL_STAGES)
            & (Deal.expected_close >= period.start_day)
            & (Deal.expected_close < period.end_day)
            & Deal.deleted_at.is_null()
        )
        .order_by((Deal.value * Deal.probability).desc(), Deal.id)
        .limit(limit)
        .tuples()
    )
    return [
        KeyDeal(title, owner or "", stage, Decimal(value), int(chance), close)
        for title, owner, stage, value, chance, close in query
    ]


def sla_figures(month: str, clock: Clock) -> SlaFigures | None:
    """The SLA terms for the month, last month's scorecard and the half-year trend; None when
    the SLA engine (app/sla.py) is not part of this Tandem."""
    try:
        from app import sla
    except ImportError:
        return None
    last = add_months(month, -1)
    now = clock.now()
    agreement = sla.agreement_for_month(month)
    terms = []
    if agreement is not None:
        rows = SlaCommitment.select().where(SlaCommitment.agreement == agreement)
        order = {kind: index for index, kind in enumerate(sla.SIDES)}
        for row in sorted(rows, key=lambda r: order.get(r.kind, 99)):
            terms.append(SlaTerm(row.kind, sla.SIDES.get(row.kind, ""), float(row.target)))
    return SlaFigures(
        terms=terms,
        effective_from=agreement.effective_from if agreement is not None else None,
        scorecard=sla.scorecard(last, now=now),
        trend=sla.trend(last, now=now, months=6),
    )


# --- the meeting agenda: what the data says deserves the meeting's time --------------------------


def agenda(figures: PlanFigures) -> list[AgendaItem]:
    items: list[AgendaItem] = []
    money = figures.currency
    for deal in figures.key_deals[:3]:
        items.append(
            AgendaItem(
                "opportunity",
                f"{deal.title}: {deal.value:,.0f} {money} in {deal.stage} "
                f"({deal.probability}%), {deal.owner or 'no owner'}",
            )
        )
    cheapest = min(
        (c for c in figures.costs.by_channel if c.per_qualified is not None),
        key=lambda c: c.per_qualified or 0,
        default=None,
    )
    if cheapest is not None and cheapest.per_qualified is not None:
        items.append(
            AgendaItem(
                "opportunity",
                f"{metrics.channel_words(cheapest.channel)} brought qualified leads at "
                f"{cheapest.per_qualified:,.2f} {money} each last month, the lowest cost of any "
                "channel",
            )
        )
    for metric, figure in figures.summary_team.figures.items():
        percent = figure.percent
        if metric != "budget" and percent is not None and percent < 100:
            items.append(
                AgendaItem(
                    "issue",
                    f"{plans.METRIC_WORDS[metric].capitalize()} reached {percent:.0f}% of "
                    f"target in {metrics.month_name(figures.last_month)}",
                )
            )
    if figures.sla is not None:
        for kind, figure in figures.sla.scorecard.figures.items():
            if figure.breached:
                items.append(
                    AgendaItem(
                        "issue",
                        f"SLA {kind.replace('_', ' ')}: {figure.breached:,} breaches, "
                        f"{figure.compliance or 0:.0f}% kept",
                    )
                )
    pipeline = figures.pipeline
    if pipeline.overdue_deals:
        items.append(
            AgendaItem(
                "issue",
                f"{pipeline.overdue_deals:,} open deals worth {pipeline.overdue_value:,.0f} "
                f"{money} are past their expected close date",
            )
        )
    first = pipeline.months[0] if pipeline.months else None
    if first is not None and first.gap is not None and first.gap > 0:
        items.append(
            AgendaItem(
                "issue",
                f"The forecast for {first.label} is {first.gap:,.0f} {money} short of the "
                "revenue target",
            )
        )
    if figures.reasons.rejections:
        reason, count = figures.reasons.rejections[0]
        items.append(
            AgendaItem("issue", f"Most common reason sales rejected leads: {reason} ({count:,})")
        )
    return items
