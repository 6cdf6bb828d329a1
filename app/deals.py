"""Deal rules: moving through the pipeline stages, and winning or losing with a reason."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from app import audit
from app.clock import Clock
from app.errors import UserError
from app.models import (
    DEAL_STAGES,
    OPEN_DEAL_STAGES,
    Deal,
    DealStageChange,
    Lead,
    Member,
    Reason,
    database,
)

# The usual chance of closing at each open stage; people may set their own per deal.
STAGE_PROBABILITY = {"qualification": 10, "proposal": 30, "negotiation": 60}


def _check(title: str, value: Decimal, currency: str, probability: int) -> None:
    if not title.strip():
        raise UserError("A deal needs a title.")
    if not value.is_finite():
        raise UserError(f"'{value}' is not an amount of money.")
    if value < 0:
        raise UserError("A deal's value cannot be negative.")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise UserError("The currency must be a three-letter code such as EUR, USD or GBP.")
    if not 0 <= probability <= 100:
        raise UserError("The probability is a percentage from 0 to 100.")


def add_deal(
    *,
    title: str,
    value: Decimal,
    currency: str,
    lead: Lead | None = None,
    owner: Member | None = None,
    stage: str = "qualification",
    probability: int | None = None,
    expected_close: dt.date | None = None,
    by: Member | None,
    clock: Clock,
) -> Deal:
    if stage not in OPEN_DEAL_STAGES:
        raise UserError("A new deal starts in qualification, proposal or negotiation.")
    probability = STAGE_PROBABILITY[stage] if probability is None else probability
    _check(title, value, currency, probability)
    now = clock.now()
    with database.atomic():
        deal = Deal.create(
            lead=lead,
            title=title.strip(),
            value=value,
            currency=currency,
            stage=stage,
            probability=probability,
            expected_close=expected_close,
            owner=owner or by,
            created_at=now,
            stage_changed_at=now,
        )
        DealStageChange.create(deal=deal, from_stage=None, to_stage=stage, changed_at=now)
        audit.record_change("add", deal, before=None, by=by, at=now)
    return deal


def _move(deal: Deal, stage: str, by: Member | None, clock: Clock, **changes: object) -> Deal:
    if stage not in DEAL_STAGES:
        raise UserError(f"'{stage}' is not a pipeline stage.")
    now = clock.now()
    with database.atomic():
        fresh = Deal.get_by_id(deal.id)
        if fresh.deleted_at is not None:
            raise UserError(f"The deal '{fresh.title}' is in the trash; restore it first.")
        if fresh.stage not in OPEN_DEAL_STAGES:
            raise UserError(
                f"The deal '{fresh.title}' is already {fresh.stage}; reopen it to change its stage."
            )
        if fresh.stage == stage:
            return fresh
        before = audit.snapshot(fresh)
        DealStageChange.create(deal=fresh, from_stage=fresh.stage, to_stage=stage, changed_at=now)
        fresh.stage = stage
        fresh.stage_changed_at = now
        for field, value in changes.items():
            setattr(fresh, field, value)
        fresh.save()
        audit.record_change(f"move to {stage}", fresh, before=before, by=by, at=now)
    return fresh


def move_to_stage(deal: Deal, stage: str, *, by: Member | None, clock: Clock) -> Deal:
    """Move an open deal to another open stage (winning and losing have their own steps)."""
    if stage not in OPEN_DEAL_STAGES:
        raise UserError("Use Won or Lost to close a deal.")
    return _move(deal, stage, by, clock, probability=STAGE_PROBABILITY[stage])


def win(deal: Deal, *, by: Member | None, clock: Clock) -> Deal:
    return _move(deal, "won", by, clock, won_at=clock.now(), probability=100)


def lose(
    deal: Deal, reason: Reason | None, note: str = "", *, by: Member | None, clock: Clock
) -> Deal:
    """Close a deal as lost; the reason feeds the loss analysis in the monthly plan."""
    if reason is None:
        raise UserError(f"Pick a reason for losing '{deal.title}'.")
    if reason.kind != "loss":
        raise UserError(f"'{reason.label}' is not a reason for losing a deal.")
    return _move(
        deal,
        "lost",
        by,
        clock,
        lost_at=clock.now(),
        loss_reason=reason,
        loss_note=note.strip(),
        probability=0,
    )
