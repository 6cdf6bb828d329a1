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
        audit.record_change(
            "add",
            member,
            before=None,
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


def _owners_left(excluding: Member) -> int:
    return int(
        Member.select()
        .where((Member.role == "owner") & Member.active & (Member.id != excluding.id))
        .count()
    )


def update_member(
    member: Member, *, name: str, email: str, role: str, by: Member | None, clock: Clock
) -> Member:
    check_member(name, email, role)
    with database.atomic():
        fresh = Member.get_by_id(member.id)
        if fresh.role == "owner" and role != "owner" and not _owners_left(fresh):
            raise UserError("The team needs an owner: make someone else owner first.")
        before = audit.snapshot(fresh)
        fresh.name, fresh.email, fresh.role = name.strip(), email.strip() or None, role
        fresh.save()
        audit.record_change(
            "update",
            fresh,
            before=before,
            by=by,
            at=clock.now(),
        )
    return fresh


def set_active(member: Member, active: bool, *, by: Member | None, clock: Clock) -> Member:
    """Someone who left keeps their history but receives no new leads."""
    with database.atomic():
        fresh = Member.get_by_id(member.id)
        if not active and fresh.role == "owner" and not _owners_left(fresh):
            raise UserError("The team needs an owner: make someone else owner first.")
        fresh.active = active
        fresh.save()
        audit.record(
            "reactivate" if active else "deactivate",
            "member",
            fresh.id,
            before=None,
            after={"active": active},
            by=by,
            at=clock.now(),
        )
    return fresh


def set_current_member(member: Member) -> None:
    """Who is using Tandem on this computer: their name goes on what they do."""
    settings.put("current_member", member.id)


def all_members() -> list[Member]:
    """Everyone, including those who left (the Team page shows them greyed)."""
    return list(Member.select().order_by(Member.active.desc(), Member.name))


def add_reason(
    kind: str, label: str, *, unresponsive: bool = False, by: Member | None, clock: Clock
) -> Reason:
    if kind not in DEFAULT_REASONS:
        raise UserError(f"Reasons are for {', '.join(DEFAULT_REASONS)}.")
    label = label.strip()
    if not label:
        raise UserError("Type the reason.")
    with database.atomic():
        existing = Reason.get_or_none((Reason.kind == kind) & (Reason.label == label))
        if existing is not None and existing.active:
            raise UserError(f"'{label}' is already on the list.")
        if existing is not None:  # it was removed before: bring it back
            existing.active, existing.unresponsive = True, unresponsive
            existing.save()
            reason = existing
        else:
            reason = Reason.create(kind=kind, label=label, unresponsive=unresponsive)
        audit.record_change(
            "add",
            reason,
            before=None,
            by=by,
            at=clock.now(),
        )
    return reason


def update_reason(
    reason: Reason, *, label: str, unresponsive: bool, by: Member | None, clock: Clock
) -> Reason:
    label = label.strip()
    if not label:
        raise UserError("Type the reason.")
    with database.atomic():
        fresh = Reason.get_by_id(reason.id)
        clash = Reason.get_or_none(
            (Reason.kind == fresh.kind) & (Reason.label == label) & (Reason.id != fresh.id)
        )
        if clash is not None:
            raise UserError(f"'{label}' is already on the list.")
        before = audit.snapshot(fresh)
        fresh.label, fresh.unresponsive = label, unresponsive
        fresh.save()
        audit.record_change(
            "update",
            fresh,
            before=before,
            by=by,
            at=clock.now(),
        )
    return fresh


def remove_reason(reason: Reason, *, by: Member | None, clock: Clock) -> None:
    """Off the list for new decisions; past decisions keep their reason."""
    with database.atomic():
        fresh = Reason.get_by_id(reason.id)
        if Reason.select().where((Reason.kind == fresh.kind) & Reason.active).count() <= 1:
            raise UserError("Keep at least one reason on each list.")
        fresh.active = False
        fresh.save()
        audit.record(
            "remove",
            "reason",
            fresh.id,
            before=None,
            after={"active": False},
            by=by,
            at=clock.now(),
        )
