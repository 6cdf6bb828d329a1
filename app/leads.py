"""The lead lifecycle: each step a user can take with a lead, and when it is allowed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from app import audit, deals, sla_clocks, team
from app.clock import Clock
from app.company import today as company_today
from app.errors import UserError
from app.models import (
    CUSTOMER_TYPES,
    LEAD_SOURCES,
    Activity,
    Campaign,
    Deal,
    Handover,
    Lead,
    Member,
    Reason,
    SlaCommitment,
    database,
)

CONTACT_KINDS = ("call", "email", "meeting", "demo")
STAGE_WORDS = {
    "new": "new",
    "qualified": "qualified by marketing",
    "handed_over": "handed over to sales",
    "accepted": "accepted by sales",
    "rejected": "rejected by sales",
    "converted": "already converted to a deal",
    "disqualified": "disqualified",
}


def _require(lead: Lead, allowed: tuple[str, ...], action: str) -> None:
    if lead.deleted_at is not None:
        raise UserError(f"{_who(lead)} is in the trash; restore it before you {action} it.")
    if lead.stage not in allowed:
        words = " or ".join(STAGE_WORDS[s] for s in allowed)
        raise UserError(
            f"Only a lead that is {words} can be {PAST[action]}; "
            f"{_who(lead)} is {STAGE_WORDS[lead.stage]}."
        )


PAST = {
    "qualify": "qualified",
    "hand over": "handed over",
    "accept": "accepted",
    "reject": "rejected",
    "pause": "paused",
    "convert": "converted",
    "disqualify": "disqualified",
}


def _who(lead: Lead) -> str:
    return lead.name or lead.company or f"Lead {lead.id}"


@contextmanager
def _changing(lead: Lead, action: str, by: Member | None, clock: Clock) -> Iterator[Lead]:
    """Re-read the lead inside one transaction, let the step change it, save it and log it."""
    with database.atomic():
        fresh = Lead.get_by_id(lead.id)
        before = audit.snapshot(fresh)
        yield fresh
        fresh.save()
        # Any step that changes the call-back date (pause, resume, reject, ...) keeps the
        # pause history the SLA clocks are worked out from.
        sla_clocks.record_pause_change(
            fresh.id, before["paused_until"], fresh.paused_until, clock.now()
        )
        audit.record_change(
            action,
            fresh,
            before=before,
            by=by,
            at=clock.now(),
        )


def qualify(lead: Lead, *, by: Member | None, clock: Clock) -> Lead:
    """Marketing judges the lead ready for sales (a rejected lead may be qualified again)."""
    with _changing(lead, "qualify", by, clock) as lead:
        _require(lead, ("new", "rejected"), "qualify")
        lead.stage = "qualified"
        lead.temperature = "qualified"
        lead.qualified_at = clock.now()
    return lead


def hand_over(lead: Lead, *, to: Member, by: Member | None, clock: Clock) -> Lead:
    """Give a qualified lead to a salesperson; the SLA clocks start now."""
    if to.role not in ("sales", "owner") or not to.active:
        raise UserError(f"Leads are handed over to someone in sales; {to.name} is in {to.role}.")
    with _changing(lead, "hand over", by, clock) as lead:
        _require(lead, ("qualified",), "hand over")
        lead.stage = "handed_over"
        lead.handed_over_at = clock.now()
        lead.sales_owner = to
        lead.paused_until = None
        lead.accepted_at = lead.rejected_at = lead.rejection_reason = None
        lead.reason_note = ""
        Handover.create(lead=lead, to_member=to, by_member=by, handed_over_at=clock.now())
    return lead


def _decide(lead: Lead, decision: str, reason: Reason | None, clock: Clock) -> None:
    """Record sales' decision on the open handover (a lead has at most one undecided)."""
    Handover.update(decision=decision, decided_at=clock.now(), reason=reason).where(
        (Handover.lead == lead) & Handover.decision.is_null()
    ).execute()


def accept(lead: Lead, *, by: Member | None, clock: Clock) -> Lead:
    """Sales agrees the lead is worth working (sales qualified)."""
    with _changing(lead, "accept", by, clock) as lead:
        _require(lead, ("handed_over",), "accept")
        lead.stage = "accepted"
        lead.accepted_at = clock.now()
        _decide(lead, "accepted", None, clock)
    return lead


def _check_reason(reason: Reason | None, kind: str, lead: Lead, clock: Clock) -> Reason:
    if reason is None:
        words = {"rejection": "rejecting", "disqualification": "disqualifying"}[kind]
        raise UserError(f"Pick a reason for {words} {_who(lead)}; marketing learns from it.")
    if reason.kind != kind:
        raise UserError(f"'{reason.label}' is not a {kind} reason.")
    if reason.unresponsive:
        needed = _follow_up_attempts(clock)
        made = contact_attempts(lead)
        if made < needed:
            raise UserError(
                f"The agreement asks for {needed} contact attempts before a lead is given up as "
                f"unresponsive; {made} logged for {_who(lead)} so far."
            )
    return reason


def _follow_up_attempts(clock: Clock) -> int:
    agreement = team.agreement_on(company_today(clock))
    if agreement is None:
        return 0
    commitment = SlaCommitment.get_or_none(
        (SlaCommitment.agreement == agreement) & (SlaCommitment.kind == "follow_up")
    )
    return int(commitment.target) if commitment else 0


def contact_attempts(lead: Lead) -> int:
    """Calls, emails, meetings and demos logged on the lead since its latest handover."""
    query = Activity.select().where(
        (Activity.lead == lead) & Activity.kind.in_(CONTACT_KINDS) & Activity.deleted_at.is_null()
    )
    if lead.handed_over_at:
        query = query.where(Activity.occurred_at >= lead.handed_over_at)
    return query.count()


def reject(
    lead: Lead, reason: Reason | None, note: str = "", *, by: Member | None, clock: Clock
) -> Lead:
    """Sales sends the lead back with a reason, so marketing learns what not to send."""
    with _changing(lead, "reject", by, clock) as lead:
        _require(lead, ("handed_over",), "reject")
        lead.rejection_reason = _check_reason(reason, "rejection", lead, clock)
        lead.stage = "rejected"
        lead.rejected_at = clock.now()
        lead.reason_note = note.strip()
        lead.paused_until = None  # its clocks end here; a new handover starts fresh ones
        _decide(lead, "rejected", reason, clock)
    return lead


def pause(lead: Lead, until: dt.date, *, by: Member | None, clock: Clock) -> Lead:
    """The customer asked to be called back on a date: the SLA clocks stop until then."""
    with _changing(lead, "pause", by, clock) as lead:
        _require(lead, ("handed_over", "accepted"), "pause")
        if until <= company_today(clock):
            raise UserError("Pick a call-back date after today.")
        lead.paused_until = until
    return lead


def resume(lead: Lead, *, by: Member | None, clock: Clock) -> Lead:
    with _changing(lead, "resume", by, clock) as lead:
        if lead.paused_until is None:
            raise UserError(f"{_who(lead)} is not paused.")
        lead.paused_until = None
    return lead


def convert_to_deal(
    lead: Lead,
    *,
    value: Decimal | str,
    currency: str,
    title: str = "",
    expected_close: dt.date | None = None,
    by: Member | None,
    clock: Clock,
) -> Deal:
    """Turn an accepted lead into a deal in the pipeline."""
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise UserError(f"'{value}' is not an amount of money.") from None
    with _changing(lead, "convert", by, clock) as lead:
        _require(lead, ("accepted",), "convert")
        lead.stage = "converted"
        lead.converted_at = clock.now()
        lead.paused_until = None
        deal = deals.add_deal(
            title=title.strip() or lead.company or lead.name,
            value=amount,
            currency=currency,
            lead=lead,
            owner=lead.sales_owner or by,
            expected_close=expected_close,
            by=by,
            clock=clock,
        )
    return deal


def disqualify(
    lead: Lead, reason: Reason | None, note: str = "", *, by: Member | None, clock: Clock
) -> Lead:
    """Stop working a lead for good, saying why."""
    with _changing(lead, "disqualify", by, clock) as lead:
        _require(lead, ("new", "qualified", "accepted"), "disqualify")
        lead.disqualification_reason = _check_reason(reason, "disqualification", lead, clock)
        lead.stage = "disqualified"
        lead.disqualified_at = clock.now()
        lead.reason_note = note.strip()
        lead.paused_until = None
    return lead


def add_lead(
    *,
    name: str = "",
    company: str = "",
    email: str = "",
    phone: str = "",
    source: str = "campaign",
    campaign: Campaign | None = None,
    customer_type: str = "b2b",
    notes: str = "",
    owner: Member | None = None,
    by: Member | None,
    clock: Clock,
) -> Lead:
    _check_contact(name, company, email, source, campaign, customer_type)
    with database.atomic():
        lead = Lead.create(
            name=name.strip(),
            company=company.strip(),
            email=email.strip().lower(),  # addresses are case-blind; one spelling finds duplicates
            phone=phone.strip(),
            source=source,
            campaign=campaign,
            customer_type=customer_type,
            notes=notes,
            owner=owner or by,
            created_at=clock.now(),
        )
        audit.record_change("add", lead, before=None, by=by, at=clock.now())
    return lead


def _check_contact(
    name: str,
    company: str,
    email: str,
    source: str,
    campaign: Campaign | None,
    customer_type: str,
) -> None:
    if not (name.strip() or company.strip()):
        raise UserError("A lead needs a person's name or a company name.")
    if email.strip() and not team.EMAIL.match(email.strip()):
        raise UserError(f"'{email}' does not look like an email address.")
    if source not in LEAD_SOURCES:
        raise UserError(f"The source must be one of: {', '.join(LEAD_SOURCES)}.")
    if source == "campaign" and campaign is None:
        raise UserError("Pick the campaign this lead came from, or another source.")
    if customer_type not in CUSTOMER_TYPES:
        raise UserError("A lead is either a business (B2B) or a consumer (B2C).")


def update_lead(
    lead: Lead,
    *,
    name: str,
    company: str,
    email: str,
    phone: str,
    source: str,
    campaign: Campaign | None,
    customer_type: str,
    notes: str | None = None,
    by: Member | None,
    clock: Clock,
) -> Lead:
    """Change a lead's contact details and source; its lifecycle moves only through the steps."""
    _check_contact(name, company, email, source, campaign, customer_type)
    with database.atomic():
        fresh = Lead.get_by_id(lead.id)
        if fresh.deleted_at is not None:
            raise UserError(f"{_who(fresh)} is in the trash; restore it before you edit it.")
        before = audit.snapshot(fresh)
        fresh.name, fresh.company = name.strip(), company.strip()
        fresh.email, fresh.phone = email.strip().lower(), phone.strip()
        fresh.source, fresh.customer_type = source, customer_type
        fresh.campaign = campaign if source == "campaign" else None
        if notes is not None:
            fresh.notes = notes
        fresh.save()
        audit.record_change(
            "edit",
            fresh,
            before=before,
            by=by,
            at=clock.now(),
        )
    return fresh


def find_duplicates(email: str, phone: str, *, exclude: int | None = None) -> list[Lead]:
    """Leads outside the trash with the same email address, or else the same phone number."""
    condition = None
    if email.strip():
        condition = Lead.email == email.strip().lower()
    if phone.strip():
        same_phone = Lead.phone == phone.strip()
        condition = same_phone if condition is None else condition | same_phone
    if condition is None:
        return []
    query = Lead.select().where(condition & Lead.deleted_at.is_null())
    if exclude is not None:
        query = query.where(Lead.id != exclude)
    return list(query.limit(5))


# What a user may do next with a lead in each stage: screens offer only these.
NEXT_STEPS: dict[str, tuple[Callable[..., object], ...]] = {
    "new": (qualify, disqualify),
    "qualified": (hand_over, disqualify),
    "handed_over": (accept, reject, pause),
    "accepted": (convert_to_deal, disqualify, pause),
    "rejected": (qualify,),
    "converted": (),
    "disqualified": (),
}
