"""A month's plan: targets per member and for the team, and the written plan beside them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from app import audit
from app.clock import Clock
from app.errors import UserError
from app.metrics import add_months, month_name, parse_month
from app.models import CHANNELS, TARGET_METRICS, Member, MonthlyPlan, Target, database

METRIC_WORDS = {
    "revenue": "revenue",
    "deals_won": "deals won",
    "qualified_leads": "qualified leads",
    "budget": "marketing budget",
}
# What a member can be held to; the budget is the team's (by channel).
MEMBER_METRICS = ("revenue", "deals_won", "qualified_leads")
WHOLE_NUMBERS = ("deals_won", "qualified_leads")
LARGEST = Decimal("999999999999")

# member id (None: the team), metric, channel (budget only; None: the whole budget)
TargetKey = tuple[int | None, str, str | None]


def parse_target(metric: str, text: str) -> Decimal | None:
    """A target as typed: empty means none; otherwise a number that fits the metric."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise UserError(f"'{text.strip()}' is not a number.") from None
    check_target(metric, value)
    return value


def check_target(metric: str, value: Decimal) -> None:
    words = METRIC_WORDS.get(metric, metric)
    if metric not in TARGET_METRICS:
        raise UserError(f"'{metric}' is not something Tandem sets targets for.")
    if not value.is_finite():
        raise UserError(f"'{value}' is not a number.")
    if value < 0:
        raise UserError(f"A {words} target cannot be negative.")
    if value > LARGEST:
        raise UserError(f"A {words} target of {value:,} is more than Tandem can keep.")
    if metric in WHOLE_NUMBERS and value != value.to_integral_value():
        raise UserError(f"A {words} target is a whole number.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise UserError(f"A {words} target has at most two decimals.")


def targets(month: str) -> dict[TargetKey, Decimal]:
    """Every target typed in for the month."""
    month = parse_month(month)
    rows: Any = (
        Target.select(Target.member, Target.metric, Target.channel, Target.value)
        .where(Target.month == month)
        .tuples()
    )
    return {(member, metric, channel): Decimal(value) for member, metric, channel, value in rows}


def set_targets(
    month: str,
    values: dict[TargetKey, Decimal | None],
    *,
    by: Member | None,
    clock: Clock,
) -> None:
    """Set (or, with None, remove) some of a month's targets, all or nothing, each change in
    the audit log."""
    month = parse_month(month)
    members = {m.id: m for m in Member.select()}
    for (member_id, metric, channel), value in values.items():
        _check_key(member_id, metric, channel, members)
        if value is not None:
            check_target(metric, value)
    with database.atomic():
        for (member_id, metric, channel), value in values.items():
            _store(month, member_id, metric, channel, value, by, clock)


def _check_key(
    member_id: int | None, metric: str, channel: str | None, members: dict[int, Member]
) -> None:
    if metric not in TARGET_METRICS:
        raise UserError(f"'{metric}' is not something Tandem sets targets for.")
    if channel is not None and (metric != "budget" or channel not in CHANNELS):
        raise UserError("Only the marketing budget is set by channel, for a channel Tandem knows.")
    if member_id is not None:
        member = members.get(member_id)
        if member is None:
            raise UserError("That team member no longer exists.")
        if metric not in MEMBER_METRICS:
            raise UserError(f"The {METRIC_WORDS[metric]} is the team's, not {member.name}'s.")
        if metric == "qualified_leads" and member.role == "sales":
            raise UserError(f"{member.name} is in sales; marketing delivers qualified leads.")
        if metric in ("revenue", "deals_won") and member.role == "marketing":
            raise UserError(f"{member.name} is in marketing; sales wins deals and revenue.")


def _store(
    month: str,
    member_id: int | None,
    metric: str,
    channel: str | None,
    value: Decimal | None,
    by: Member | None,
    clock: Clock,
) -> None:
    # Target's unique index treats NULLs as distinct, so the row is found with IS NULL.
    where = (Target.month == month) & (Target.metric == metric)
    where &= Target.member.is_null() if member_id is None else Target.member == member_id
    where &= Target.channel.is_null() if channel is None else Target.channel == channel
    row = Target.get_or_none(where)
    if row is None and value is None:
        return
    if row is not None and value is not None and Decimal(row.value) == value:
        return
    before = audit.snapshot(row) if row is not None else None
    if value is None:
        assert row is not None
        row.delete_instance()
        after = None
        action = "remove target"
    elif row is None:
        row = Target.create(
            month=month, member=member_id, metric=metric, channel=channel, value=value
        )
        after = audit.snapshot(row)
        action = "set target"
    else:
        row.value = value
        row.save()
        after = audit.snapshot(row)
        action = "set target"
    audit.record(action, "target", row.id, before=before, after=after, by=by, at=clock.now())


# --- the written plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenPlan:
    objectives: str = ""
    ideal_customer: str = ""
    key_messages: str = ""
    sales_actions: str = ""
    resources: str = ""
    agenda_notes: str = ""

    def is_empty(self) -> bool:
        return not any(value.strip() for value in dataclasses.astuple(self))


PLAN_FIELDS = {
    "objectives": "Objectives",
    "ideal_customer": "Ideal customer and target audience",
    "key_messages": "Key messages",
    "sales_actions": "Sales actions",
    "resources": "Resources and tools",
    "agenda_notes": "Meeting agenda notes",
}


def written_plan(month: str) -> WrittenPlan:
    row = MonthlyPlan.get_or_none(MonthlyPlan.month == parse_month(month))
    if row is None:
        return WrittenPlan()
    return WrittenPlan(**{name: getattr(row, name) for name in PLAN_FIELDS})


def save_written_plan(month: str, plan: WrittenPlan, *, by: Member | None, clock: Clock) -> None:
    month = parse_month(month)
    values = {name: getattr(plan, name).strip() for name in PLAN_FIELDS}
    with database.atomic():
        row = MonthlyPlan.get_or_none(MonthlyPlan.month == month)
        before = audit.snapshot(row) if row is not None else None
        if row is None:
            row = MonthlyPlan.create(month=month, updated_at=clock.now(), **values)
        else:
            if all(getattr(row, name) == value for name, value in values.items()):
                return
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = clock.now()
            row.save()
        audit.record(
            "write plan" if before else "start plan",
            "monthly_plan",
            row.id,
            before=before,
            after=audit.snapshot(row),
            by=by,
            at=clock.now(),
        )


def copy_from_last_month(month: str, *, by: Member | None, clock: Clock) -> WrittenPlan:
    """Start the month's written plan from last month's (replacing what is there)."""
    month = parse_month(month)
    previous = add_months(month, -1)
    plan = written_plan(previous)
    if plan.is_empty():
        raise UserError(f"There is no written plan for {month_name(previous)} to copy.")
    save_written_plan(month, plan, by=by, clock=clock)
    return plan
