"""The SLA between marketing and sales: clock readings, monthly scorecards and the trend.

The clocks themselves are worked out in app/sla_clocks.py and kept in the sla_clock table; every
function here brings that table up to date first, then reads it with a few SQL aggregates.
Time is passed in (now, naive UTC): nothing here reads the real time."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import Case, fn

from app.calendar import MINUTE_US, BusinessCalendar, to_us
from app.clock import Clock
from app.errors import UserError
from app.models import (
    COMMITMENT_KINDS,
    Deal,
    Lead,
    Member,
    SlaAgreement,
    SlaClock,
    SlaCommitment,
    SlaTally,
    Target,
    database,
)
from app.sla_clocks import ClockMaker, bring_up_to_date, pause_intervals

SIDES = {
    "lead_volume": "marketing",
    "lead_acceptance": "marketing",
    "first_response": "sales",
    "decision": "sales",
    "follow_up": "sales",
    "revenue": "shared",
}
CLOCK_KINDS = ("first_response", "decision")
STATES = ("running", "at_risk", "met", "breached")
# Which commitments a member's scorecard shows: each side keeps its own promises.
ROLE_COMMITMENTS = {
    "marketing": ("lead_volume", "lead_acceptance"),
    "sales": ("first_response", "decision", "follow_up", "revenue"),
    "owner": COMMITMENT_KINDS,
}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> str:
    """A month as typed by a user, checked: 'YYYY-MM'."""
    text = text.strip()
    if not _MONTH.match(text) or text < "1900-01":
        raise UserError(f"'{text}' is not a month; write it as YYYY-MM, for example 2026-11.")
    return text


def months_before(month: str, count: int) -> list[str]:
    """count months ending with month, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


# --- the agreement ----------------------------------------------------------------------------

UNITS = {
    "lead_volume": "leads a month",
    "lead_acceptance": "percent",
    "first_response": "business hours",
    "decision": "business hours",
    "follow_up": "contact attempts",
    "revenue": "money a month",
}


def set_agreement(
    *,
    effective_from: dt.date,
    targets: Mapping[str, Decimal | str | float | int],
    at_risk_share: float = 0.75,
    by: Member | None,
    clock: Clock,
) -> SlaAgreement:
    """The owner changes the agreement from a day on (today or later): earlier months keep the
    terms they had. A second change for the same day replaces the first. A target of 0 is no
    promise. The clocks are worked out again on the next read."""
    from app import audit, company

    if by is not None and by.role != "owner":
        raise UserError("Only an owner can change the agreement between marketing and sales.")
    if effective_from < company.today(clock):
        raise UserError(
            "A change to the agreement starts today or later; earlier months keep their terms."
        )
    if not 0 < at_risk_share < 1:
        raise UserError("A clock goes at risk after a share of its time between 1% and 99%.")
    values = {kind: _target(kind, targets.get(kind)) for kind in COMMITMENT_KINDS}
    with database.atomic():
        agreement = SlaAgreement.get_or_none(SlaAgreement.effective_from == effective_from)
        before = None
        if agreement is None:
            agreement = SlaAgreement.create(
                effective_from=effective_from,
                at_risk_share=at_risk_share,
                created_at=clock.now(),
                created_by=by,
            )
        else:
            before = {**audit.snapshot(agreement), **_commitment_targets(agreement)}
            agreement.at_risk_share = at_risk_share
            agreement.save()
            SlaCommitment.delete().where(SlaCommitment.agreement == agreement).execute()
        SlaCommitment.insert_many(
            [(agreement.id, kind, value) for kind, value in values.items()],
            fields=[SlaCommitment.agreement, SlaCommitment.kind, SlaCommitment.target],
        ).execute()
        after = {**audit.snapshot(agreement), **{k: float(v) for k, v in values.items()}}
        audit.record(
            "change agreement",
            "sla_agreement",
            agreement.id,
            before=before,
            after=after,
            by=by,
            at=clock.now(),
        )
    return agreement


def _target(kind: str, value: Decimal | str | float | int | None) -> Decimal:
    label = LABELS[kind].split(" (")[0].lower()
    if value is None or str(value).strip() == "":
        raise UserError(f"Give a target for {label} ({UNITS[kind]}).")
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise UserError(f"'{value}' is not a number ({label}).") from None
    if not number.is_finite() or number < 0:
        raise UserError(f"The target for {label} must be a number of 0 or more.")
    if kind == "lead_acceptance" and number > 100:
        raise UserError("The acceptance target is a percentage: 100 at most.")
    if kind in ("follow_up", "lead_volume") and number != number.to_integral_value():
        raise UserError(f"The target for {label} is a whole number.")
    return number


# --- clocks --------------------------------------------------------------------------------------


def state_of(now: dt.datetime) -> Any:
    """The SQL expression of a clock's state at an instant, for filtering and counting."""
    return Case(
        None,
        [
            (SlaClock.result.is_null(False), SlaClock.result),
            (SlaClock.due_at < now, "breached"),
            (SlaClock.at_risk_at <= now, "at_risk"),
        ],
        "running",
    )


@dataclass(frozen=True)
class ClockReading:
    """One clock as it stands at an instant."""

    id: int
    handover_id: int
    lead_id: int
    lead: str  # the lead's name, or its company
    kind: str
    month: str
    member_id: int | None
    state: str
    started_at: dt.datetime
    stopped_at: dt.datetime | None
    due_at: dt.datetime | None  # running clocks: still met if stopped by then
    target: float  # business minutes (follow_up: contact attempts)
    elapsed: float  # business minutes so far, or taken (follow_up: attempts made)
    paused: bool  # the lead is paused at that instant: the clock stands still

    @property
    def left(self) -> float:
        """Business minutes (or attempts) left before the target; negative when over."""
        return self.target - self.elapsed


def clocks_query(
    *,
    now: dt.datetime,
    month: str | None = None,
    member: int | None = None,
    state: str | None = None,
    kind: str | None = None,
    campaign: int | None = None,
) -> Any:
    """The clocks as a query (oldest first) that a screen can count and page in SQL; each row
    also carries the lead's name and company, and the state at now as `state`. Call
    sla_clocks.bring_up_to_date() first, or use clocks_for()."""
    query = (
        SlaClock.select(SlaClock, state_of(now).alias("state"), Lead.name, Lead.company)
        .join(Lead, on=(SlaClock.lead_id == Lead.id))
        .order_by(SlaClock.started_at, SlaClock.id)
    )
    if month is not None:
        query = query.where(SlaClock.month == month)
    if member is not None:
        query = query.where(SlaClock.member_id == member)
    if state is not None:
        if state not in STATES:
            raise UserError(f"A clock is {', '.join(STATES)}; not '{state}'.")
        query = query.where(state_of(now) == state)
    if kind is not None:
        query = query.where(SlaClock.kind == kind)
    if campaign is not None:
        query = query.where(Lead.campaign == campaign)
    return query


def clocks_for(
    month: str,
    *,
    now: dt.datetime,
    member: int | None = None,
    state: str | None = None,
    kind: str | None = None,
    campaign: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[ClockReading]:
    """The month's clocks read at now, oldest first; with limit, one page of them (a busy
    month holds tens of thousands: screens page them, counting with clocks_query)."""
    bring_up_to_date()
    query = clocks_query(
        now=now, month=parse_month(month), member=member, state=state, kind=kind, campaign=campaign
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return _readings(query, now)


def clocks_for_lead(lead_id: int, *, now: dt.datetime) -> list[ClockReading]:
    """A lead's clocks read at now, oldest handover first (for its detail pane)."""
    bring_up_to_date()
    return _readings(clocks_query(now=now).where(SlaClock.lead_id == lead_id), now)


def at_risk_now(
    *, now: dt.datetime, member: int | None = None, limit: int = 200
) -> list[ClockReading]:
    """Running clocks that are at risk or already breached, oldest first: what to do first."""
    bring_up_to_date()
    query = (
        clocks_query(now=now, member=member)
        .where(SlaClock.result.is_null() & (SlaClock.at_risk_at <= now))
        .limit(limit)
    )
    return _readings(query, now)


def gone_at_risk(since: dt.datetime, *, now: dt.datetime) -> list[ClockReading]:
    """Running clocks that turned at risk after since and up to now (for a notification)."""
    bring_up_to_date()
    query = clocks_query(now=now).where(
        SlaClock.result.is_null()
        & (SlaClock.at_risk_at > since)
        & (SlaClock.at_risk_at <= now)
        & (SlaClock.due_at >= now)
    )
    return _readings(query, now)


def _readings(query: Any, now: dt.datetime) -> list[ClockReading]:
    rows = list(query.objects())
    running = [row for row in rows if row.result is None]
    calendar = BusinessCalendar.load() if running else None
    pauses = pause_intervals(calendar, {row.lead_id for row in running}) if calendar else {}
    maker = ClockMaker(calendar, []) if calendar else None
    now_us = to_us(now)
    found = []
    for row in rows:
        spans = pauses.get(row.lead_id, [])
        if row.result is None and maker is not None:
            start = to_us(row.started_at)
            elapsed = maker.elapsed(start, max(now_us, start), spans) / MINUTE_US
        else:
            elapsed = row.actual
        found.append(
            ClockReading(
                id=row.id,
                handover_id=row.handover_id,
                lead_id=row.lead_id,
                lead=row.name or row.company,
                kind=row.kind,
                month=row.month,
                member_id=row.member_id,
                state=row.state,
                started_at=row.started_at,
                stopped_at=row.stopped_at,
                due_at=row.due_at,
                target=row.target,
                elapsed=elapsed,
                paused=any(start <= now_us < end for start, end in spans),
            )
        )
    return found


# --- scorecards ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One commitment for a month, for the team or one member."""

    kind: str
    target: float | None  # leads; percent; business hours; attempts; money
    actual: float | None  # the same unit: handovers, % accepted, median hours, fewest attempts
    met: int = 0
    breached: int = 0
    pending: int = 0

    @property
    def side(self) -> str:
        return SIDES[self.kind]

    @property
    def compliance(self) -> float | None:
        """Percent of judged measurements that met the promise; None when none is judged."""
        judged = self.met + self.breached
        return round(100 * self.met / judged, 1) if judged else None

    def as_json(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "target": self.target,
            "actual": self.actual,
            "met": self.met,
            "breached": self.breached,
            "pending": self.pending,
            "compliance": self.compliance,
        }


@dataclass
class MemberCard:
    id: int
    name: str
    role: str
    figures: dict[str, Figure]
    response_median_minutes: float | None
    response_p90_minutes: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "commitments": {kind: figure.as_json() for kind, figure in self.figures.items()},
            "response_median_minutes": self.response_median_minutes,
            "response_p90_minutes": self.response_p90_minutes,
        }


@dataclass(frozen=True)
class AgreementInForce:
    """The agreement version a month's monthly promises are judged on."""

    id: int
    effective_from: dt.date
    at_risk_share: float


@dataclass
class Scorecard:
    month: str
    agreement: AgreementInForce | None
    figures: dict[str, Figure]
    members: list[MemberCard]
    response_median_minutes: float | None
    response_p90_minutes: float | None

    def as_text(self) -> str:
        """The scorecard as a reader sees it on a terminal: each side's promises, then people."""
        year, number = int(self.month[:4]), int(self.month[5:7])
        lines = [f"SLA scorecard for {dt.date(year, number, 1):%B %Y}"]
        if self.agreement is None:
            lines.append("No agreement was in force this month: nothing was promised.")
            return "\n".join(lines)
        lines.append(
            f"Agreement in force from {self.agreement.effective_from:%d %B %Y}; a clock is at "
            f"risk after {self.agreement.at_risk_share:.0%} of its time."
        )
        header = f"  {'':<34}{'target':>12}{'actual':>12}{'met':>7}{'breached':>10}"
        header += f"{'pending':>9}{'compliance':>12}"
        for side, title in (
            ("marketing", "Marketing's promises to sales"),
            ("sales", "Sales' promises to marketing"),
            ("shared", "Shared"),
        ):
            lines += ["", title, header]
            for kind, figure in self.figures.items():
                if figure.side == side:
                    lines.append("  " + _figure_line(LABELS[kind], figure))
        lines += ["", f"First response, business minutes: {_spread_text(self)}"]
        for card in self.members:
            lines += ["", f"{card.name} ({card.role}): first response {_spread_text(card)}"]
            for kind, figure in card.figures.items():
                lines.append("  " + _figure_line(LABELS[kind], figure))
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        agreement = None
        if self.agreement is not None:
            agreement = {
                "effective_from": self.agreement.effective_from.isoformat(),
                "at_risk_share": self.agreement.at_risk_share,
            }
        return {
            "month": self.month,
            "agreement": agreement,
            "commitments": {kind: figure.as_json() for kind, figure in self.figures.items()},
            "members": [card.as_json() for card in self.members],
            "response_median_minutes": self.response_median_minutes,
            "response_p90_minutes": self.response_p90_minutes,
        }


LABELS = {
    "lead_volume": "Qualified leads handed over",
    "lead_acceptance": "Accepted by sales (%)",
    "first_response": "First response (business hours)",
    "decision": "Decision (business hours)",
    "follow_up": "Attempts before giving up",
    "revenue": "Revenue won",
}


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _figure_line(label: str, figure: Figure) -> str:
    compliance = "–" if figure.compliance is None else f"{figure.compliance:.1f}%"
    return (
        f"{label:<34}{_number(figure.target):>12}{_number(figure.actual):>12}{figure.met:>7}"
        f"{figure.breached:>10}{figure.pending:>9}{compliance:>12}"
    )


def _spread_text(holder: Scorecard | MemberCard) -> str:
    if holder.response_median_minutes is None:
        return "no responses yet"
    return (
        f"median {holder.response_median_minutes:,.1f}, "
        f"90th percentile {holder.response_p90_minutes:,.1f}"
    )


@dataclass
class _Tally:
    """Counts for one member (or the team) and one month, gathered from the clock tables."""

    states: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    stopped: Counter[str] = field(default_factory=Counter)  # clocks with a time taken, by kind
    # By kind: the median and 90th percentile of the business minutes taken, when read.
    spread: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    fewest_attempts: int | None = None
    handed_over: int = 0
    accepted: int = 0
    decided: int = 0

    def count(
        self, kind: str, state: str, number: int, attempts: int | None = None, stopped: bool = False
    ) -> None:
        self.states[kind][state] += number
        self.stopped[kind] += number if stopped else 0
        if kind == "follow_up" and attempts is not None:
            fewest = self.fewest_attempts
            self.fewest_attempts = attempts if fewest is None else min(attempts, fewest)

    def count_handovers(self, decision: str | None, number: int) -> None:
        """Every handover has one decision clock, so counting those counts handovers."""
        self.handed_over += number
        if decision:
            self.decided += number
            self.accepted += number if decision == "accepted" else 0


class _Tallies:
    """The team's tally and each member's, per month."""

    def __init__(self, months: Iterable[str]) -> None:
        self.team = {month: _Tally() for month in months}
        self.members: dict[str, dict[int, _Tally]] = {
            month: defaultdict(_Tally) for month in self.team
        }

    def count(
        self,
        month: str,
        kind: str,
        member: int | None,
        marketer: int | None,
        state: str,
        decision: str | None,
        attempts: int | None,
        number: int,
        stopped: bool,
    ) -> None:
        people = self.members[month]
        self.team[month].count(kind, state, number, attempts, stopped)
        if member:
            people[member].count(kind, state, number, attempts, stopped)
        if kind == "decision":
            self.team[month].count_handovers(decision, number)
            if marketer:
                people[marketer].count_handovers(decision, number)

    def read(self, months: list[str], now: dt.datetime, *, times: bool) -> None:
        """Stopped clocks from sla_tally, running ones from sla_clock, and with times=True every
        time taken (from an index alone) for medians."""
        stopped: Any = (
            SlaTally.select(
                SlaTally.month,
                SlaTally.kind,
                SlaTally.member_id,
                SlaTally.marketer_id,
                SlaTally.result,
                SlaTally.decision,
                SlaTally.attempts,
                SlaTally.count,
            )
            .where(SlaTally.month.in_(months))
            .tuples()
        )
        for month, kind, member, marketer, result, decision, attempts, number in database.execute(
            stopped
        ):
            self.count(month, kind, member, marketer, result, decision, attempts, number, True)
        running: Any = (
            SlaClock.select(
                SlaClock.month,
                SlaClock.kind,
                SlaClock.member_id,
                SlaClock.marketer_id,
                state_of(now),
                SlaClock.decision,
            )
            .where(SlaClock.result.is_null() & SlaClock.month.in_(months))
            .tuples()
        )
        for month, kind, member, marketer, state, decision in database.execute(running):
            self.count(month, kind, member, marketer, state, decision, None, 1, False)
        if not times:
            return
        for month in months:
            for kind in CLOCK_KINDS:
                _read_spread(month, kind, None, self.team[month])
                for member, tally in self.members[month].items():
                    _read_spread(month, kind, member, tally)


def _read_spread(month: str, kind: str, member: int | None, tally: _Tally) -> None:
    """The median and 90th percentile of the minutes taken, picked out by SQL: a member's
    times lie sorted in an index, so only the two or three wanted rows come back."""
    count = tally.stopped[kind]
    if not count:
        tally.spread[kind] = (None, None)
        return
    times = SlaClock.select(SlaClock.actual).where(
        (SlaClock.month == month) & (SlaClock.kind == kind) & SlaClock.actual.is_null(False)
    )
    if member is not None:
        times = times.where(SlaClock.member_id == member)
    times = times.order_by(SlaClock.actual)

    def at(offset: int, many: int = 1) -> list[float]:
        query: Any = times.limit(many).offset(offset).tuples()
        return [row[0] for row in database.execute(query)]

    middle = at((count - 1) // 2, 2 - count % 2)
    median = round(sum(middle) / len(middle), 1) if middle else None
    p90 = at(math.ceil(0.9 * count) - 1) if kind == "first_response" else []
    tally.spread[kind] = (median, round(p90[0], 1) if p90 else None)


def agreement_for_month(month: str) -> SlaAgreement | None:
    """The terms a month is judged on for its monthly promises: the version in force when the
    month began, or else the first one that took effect during it."""
    first = dt.date(int(month[:4]), int(month[5:7]), 1)
    end = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    in_force = (
        SlaAgreement.select()
        .where(SlaAgreement.effective_from <= first)
        .order_by(SlaAgreement.effective_from.desc())
        .first()
    )
    if in_force is not None:
        return in_force
    return (
        SlaAgreement.select()
        .where(SlaAgreement.effective_from < end)
        .order_by(SlaAgreement.effective_from)
        .first()
    )


def _commitment_targets(agreement: SlaAgreement | None) -> dict[str, float]:
    if agreement is None:
        return {}
    rows = SlaCommitment.select().where(SlaCommitment.agreement == agreement)
    return {row.kind: float(row.target) for row in rows}


def scorecard(month: str, *, now: dt.datetime) -> Scorecard:
    """The month's figures for every commitment, for the team and for each member."""
    month = parse_month(month)
    bring_up_to_date()
    calendar = BusinessCalendar.load()
    starts, ends = calendar.month_bounds(month)
    month_over = now >= ends
    agreement = agreement_for_month(month)
    terms = _commitment_targets(agreement)
    tallies = _Tallies([month])
    tallies.read([month], now, times=True)
    team, by_member = tallies.team[month], tallies.members[month]
    revenue = _revenue_by_owner(starts, ends)
    targets = _month_targets([month]).get(month, {})

    figures = _figures(team, terms, targets.get(None, {}), sum(revenue.values()), month_over)
    cards = []
    for member in Member.select().order_by(Member.name):
        tally = by_member.get(member.id)
        if tally is None and member.id not in revenue and not member.active:
            continue  # someone who left and did nothing this month
        tally = tally or _Tally()
        member_figures = _figures(
            tally,
            terms,
            targets.get(member.id, {}),
            revenue.get(member.id, 0.0),
            month_over,
            for_member=True,
        )
        shown = ROLE_COMMITMENTS.get(member.role, COMMITMENT_KINDS)
        median, p90 = tally.spread.get("first_response", (None, None))
        cards.append(
            MemberCard(
                id=member.id,
                name=member.name,
                role=member.role,
                figures={kind: member_figures[kind] for kind in COMMITMENT_KINDS if kind in shown},
                response_median_minutes=median,
                response_p90_minutes=p90,
            )
        )
    median, p90 = team.spread.get("first_response", (None, None))
    in_force = None
    if agreement is not None:
        in_force = AgreementInForce(
            agreement.id, agreement.effective_from, float(agreement.at_risk_share)
        )
    return Scorecard(month, in_force, figures, cards, median, p90)


def _revenue_by_owner(starts: dt.datetime, ends: dt.datetime) -> dict[int | None, float]:
    # The stage is grouped on, not filtered: filtering on it lets SQLite pick the stage index
    # and read every won deal ever, instead of the month's range of won_at.
    query: Any = (
        Deal.select(Deal.owner, Deal.stage, fn.SUM(Deal.value))
        .where((Deal.won_at >= starts) & (Deal.won_at < ends) & Deal.deleted_at.is_null())
        .group_by(Deal.owner, Deal.stage)
        .tuples()
    )
    return {owner: float(total or 0) for owner, stage, total in query if stage == "won"}


def _month_targets(months: list[str]) -> dict[str, dict[int | None, dict[str, float]]]:
    """Typed-in monthly targets that override the agreement: month -> member (None: team) ->
    metric -> value."""
    found: dict[str, dict[int | None, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    query: Any = (
        Target.select(Target.month, Target.member, Target.metric, Target.value)
        .where(
            Target.month.in_(months)
            & Target.metric.in_(("qualified_leads", "revenue"))
            & Target.channel.is_null()
        )
        .tuples()
    )
    for month, member, metric, value in query:
        found[month][member][metric] = float(value)
    return found


def _figures(
    tally: _Tally,
    terms: dict[str, float],
    targets: dict[str, float],
    revenue: float,
    month_over: bool,
    *,
    for_member: bool = False,
) -> dict[str, Figure]:
    """Every commitment's figure from one tally. A member's lead volume and revenue are judged
    only against a target typed in for that member; the agreement's figures are the team's."""
    volume_target = targets.get("qualified_leads")
    revenue_target = targets.get("revenue")
    if not for_member:
        volume_target = volume_target if volume_target is not None else terms.get("lead_volume")
        revenue_target = revenue_target if revenue_target is not None else terms.get("revenue")
    acceptance = 100 * tally.accepted / tally.decided if tally.decided else None
    figures = {
        "lead_volume": _reach(
            Figure("lead_volume", volume_target, float(tally.handed_over)), month_over
        ),
        "lead_acceptance": _judged_at_month_end(
            Figure(
                "lead_acceptance",
                terms.get("lead_acceptance"),
                None if acceptance is None else round(acceptance, 1),
            ),
            month_over,
        ),
        "revenue": _reach(Figure("revenue", revenue_target, round(revenue, 2)), month_over),
    }
    for kind in CLOCK_KINDS:
        states = tally.states[kind]
        median = tally.spread.get(kind, (None, None))[0]
        figures[kind] = Figure(
            kind,
            terms.get(kind),
            None if median is None else round(median / 60, 2),
            met=states["met"],
            breached=states["breached"],
            pending=states["running"] + states["at_risk"],
        )
    follow_up = tally.states["follow_up"]
    figures["follow_up"] = Figure(
        "follow_up",
        terms.get("follow_up"),
        None if tally.fewest_attempts is None else float(tally.fewest_attempts),
        met=follow_up["met"],
        breached=follow_up["breached"],
    )
    return {kind: figures[kind] for kind in COMMITMENT_KINDS}


def _reach(figure: Figure, month_over: bool) -> Figure:
    """A 'this much or more in the month' promise: met once reached, breached if the month
    ended short. A target of zero or none is no promise and is not judged."""
    if not figure.target or figure.actual is None:
        return figure
    if figure.actual >= figure.target:
        figure.met = 1
    elif month_over:
        figure.breached = 1
    else:
        figure.pending = 1
    return figure


def _judged_at_month_end(figure: Figure, month_over: bool) -> Figure:
    """A rate promise: it can still move until the month ends, so pending until then."""
    if not figure.target or figure.actual is None:
        return figure
    if not month_over:
        figure.pending = 1
    elif figure.actual >= figure.target:
        figure.met = 1
    else:
        figure.breached = 1
    return figure


# --- the trend -----------------------------------------------------------------------------------


@dataclass
class MonthFigures:
    """The team's figures for one month of a trend (no medians: those need every row)."""

    month: str
    figures: dict[str, Figure]


def trend(month: str, *, now: dt.datetime, months: int = 12) -> list[MonthFigures]:
    """The team's figures for the months up to and including month, oldest first."""
    month = parse_month(month)
    bring_up_to_date()
    calendar = BusinessCalendar.load()
    wanted = months_before(month, months)
    tallies = _Tallies(wanted)
    tallies.read(wanted, now, times=False)
    revenue = _revenue_by_month(calendar, wanted)
    targets = _month_targets(wanted)
    agreements = _agreements_by_month(wanted)
    found = []
    for each in wanted:
        month_over = now >= calendar.month_bounds(each)[1]
        team_targets = targets.get(each, {}).get(None, {})
        figures = _figures(
            tallies.team[each], agreements[each], team_targets, revenue.get(each, 0.0), month_over
        )
        found.append(MonthFigures(each, figures))
    return found


def _agreements_by_month(months: Iterable[str]) -> dict[str, dict[str, float]]:
    return {month: _commitment_targets(agreement_for_month(month)) for month in months}


def _revenue_by_month(calendar: BusinessCalendar, months: list[str]) -> dict[str, float]:
    """Revenue won in each month, summed in SQL in one pass over the range."""
    bounds = [calendar.month_bounds(month) for month in months]
    won = Deal.stage == "won"  # inside the sums: as a filter it would steer SQLite off won_at
    sums = [
        fn.SUM(Case(None, [(won & (Deal.won_at >= starts) & (Deal.won_at < ends), Deal.value)], 0))
        for starts, ends in bounds
    ]
    query: Any = (
        Deal.select(*sums)
        .where(
            (Deal.won_at >= bounds[0][0])
            & (Deal.won_at < bounds[-1][1])
            & Deal.deleted_at.is_null()
        )
        .tuples()
    )
    totals = query.get()
    return {month: float(Decimal(total or 0)) for month, total in zip(months, totals, strict=True)}
