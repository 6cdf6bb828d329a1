"""Team members, the reason lists, and setting up a new company in an empty database."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from app import audit, company, settings
from app.clock import Clock
from app.errors import UserError
from app.models import ROLES, Member, Reason, SlaAgreement, SlaCommitment, database

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

DEFAULT_REASONS = {
    "rejection": [
        ("Not our target customer", False),
        ("No budget", False),
        ("Already a customer or duplicate", False),
        ("Wrong contact details", False),
        ("Could not reach them", True),
    ],
    "disqualification": [
        ("No need after all", False),
        ("Bought elsewhere", False),
        ("Could not reach them", True),
    ],
    "loss": [("Price", False), ("Chose a competitor", False), ("No decision", False)],
}

# A sensible first agreement; the owner changes it on the SLA page.
DEFAULT_COMMITMENTS = {
    "lead_volume": Decimal(20),
    "lead_acceptance": Decimal(80),
    "first_response": Decimal(4),
    "decision": Decimal(16),
    "follow_up": Decimal(3),
    "revenue": Decimal(0),
}


def check_member(name: str, email: str, role: str) -> None:
    if not name.strip():
        raise UserError("A team member needs a name.")
    if email and not EMAIL.match(email):
        raise UserError(f"'{email}' does not look like an email address.")
    if role not in ROLES:
        raise UserError(f"The role must be one of: {', '.join(ROLES)}.")


def add_member(name: str, email: str, role: str, *, by: Member | None, clock: Clock) -> Member:
    check_member(name, email, role)
    with database.atomic():
        member = Member.create(
            name=name.strip(), email=email.strip() or None, role=role, created_at=clock.now()
        )
        audit.record(
            "add",
            "member",
            member.id,
            before=None,
            after=audit.snapshot(member),
            by=by,
            at=clock.now(),
        )
    return member


def members(role: str | None = None) -> list[Member]:
    query = Member.select().where(Member.active).order_by(Member.name)
    if role:
        query = query.where(Member.role == role)
    return list(query)


def reasons(kind: str) -> list[Reason]:
    return list(Reason.select().where((Reason.kind == kind) & Reason.active).order_by(Reason.id))


def is_onboarded() -> bool:
    return bool(settings.get("onboarded", False))


def start_company(
    profile: company.CompanyProfile, owner_name: str, owner_email: str, *, clock: Clock
) -> Member:
    """Set up an empty database for a real company: profile, its owner, reason lists and a first
    SLA; all or nothing."""
    if is_onboarded():
        raise UserError("This database already holds a company.")
    check_member(owner_name, owner_email, "owner")
    with database.atomic():
        owner = add_member(owner_name, owner_email, "owner", by=None, clock=clock)
        company.save(profile, by=owner, clock=clock)
        Reason.insert_many(
            [
                (kind, label, unresp)
                for kind, rows in DEFAULT_REASONS.items()
                for label, unresp in rows
            ],
            fields=[Reason.kind, Reason.label, Reason.unresponsive],
        ).execute()
        today = company.today(clock)
        agreement = SlaAgreement.create(
            effective_from=today.replace(day=1), created_at=clock.now(), created_by=owner
        )
        for kind, target in DEFAULT_COMMITMENTS.items():
            SlaCommitment.create(agreement=agreement, kind=kind, target=target)
        settings.put("onboarded", True)
        settings.put("current_member", owner.id)
    return owner


def current_member() -> Member | None:
    """Who is using Tandem on this database (the owner until someone else is chosen)."""
    member_id = settings.get("current_member")
    return Member.get_or_none(Member.id == member_id) if member_id else None


def agreement_on(day: dt.date) -> SlaAgreement | None:
    """The SLA version in force on a day: the latest one effective on or before it."""
    return (
        SlaAgreement.select()
        .where(SlaAgreement.effective_from <= day)
        .order_by(SlaAgreement.effective_from.desc())
        .first()
    )
