"""Setting up a company and its team: owner, reason lists, the first agreement, members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import settings, team
from app.clock import FixedClock
from app.company import CompanyProfile, load
from app.errors import UserError
from app.models import COMMITMENT_KINDS, Member, Reason, SlaAgreement, SlaCommitment


def _profile(**changes) -> CompanyProfile:
    values = {"name": "Test GmbH", "country": "DE", "region": "BE", "timezone": "Europe/Berlin"}
    values.update(changes)
    return CompanyProfile(**values)


def _counts() -> tuple[int, int, int, int]:
    return (
        Member.select().count(),
        Reason.select().count(),
        SlaAgreement.select().count(),
        SlaCommitment.select().count(),
    )


def test_starting_a_company_sets_up_everything(store, clock: FixedClock):
    assert team.is_onboarded() is False

    owner = team.start_company(_profile(), "  Olga Owner ", "olga@example.com", clock=clock)

    stored = Member.get_by_id(owner.id)
    assert (stored.name, stored.email, stored.role, stored.active) == (
        "Olga Owner",
        "olga@example.com",
        "owner",
        True,
    )
    assert stored.created_at == clock.now()
    assert team.is_onboarded() is True
    assert team.current_member() == owner
    assert load().name == "Test GmbH"
    assert load().region == "BE"


def test_a_new_company_has_reason_lists(company):
    labels = {kind: [(r.label, r.unresponsive) for r in rs] for kind, rs in company.reasons.items()}
    assert labels["rejection"] == [
        ("Not our target customer", False),
        ("No budget", False),
        ("Already a customer or duplicate", False),
        ("Wrong contact details", False),
        ("Could not reach them", True),
    ]
    assert labels["disqualification"] == [
        ("No need after all", False),
        ("Bought elsewhere", False),
        ("Could not reach them", True),
    ]
    assert labels["loss"] == [
        ("Price", False),
        ("Chose a competitor", False),
        ("No decision", False),
    ]


def test_a_new_company_has_an_agreement_with_every_commitment(company):
    agreement = SlaAgreement.get()
    assert agreement.effective_from == dt.date(2026, 11, 1)
    assert agreement.created_by == company.owner
    assert agreement.at_risk_share == 0.75
    targets = {c.kind: c.target for c in agreement.commitments}
    assert targets == {
        "lead_volume": Decimal(20),
        "lead_acceptance": Decimal(80),
        "first_response": Decimal(4),
        "decision": Decimal(16),
        "follow_up": Decimal(3),
        "revenue": Decimal(0),
    }
    assert set(targets) == set(COMMITMENT_KINDS)


def test_a_second_company_is_refused(company, clock: FixedClock):
    before = _counts()

    with pytest.raises(UserError, match="already holds a company"):
        team.start_company(_profile(name="Other"), "Otto", "otto@example.com", clock=clock)

    assert _counts() == before
    assert load().name == "Test GmbH"


@pytest.mark.parametrize(
    ("profile", "owner", "email", "words"),
    [
        (_profile(currency="euro"), "Olga", "olga@example.com", "three-letter code"),
        (_profile(), "  ", "olga@example.com", "needs a name"),
        (_profile(), "Olga", "olga@", "does not look like an email address"),
    ],
)
def test_a_refused_start_leaves_the_database_empty(store, clock, profile, owner, email, words):
    with pytest.raises(UserError, match=words):
        team.start_company(profile, owner, email, clock=clock)

    assert _counts() == (0, 0, 0, 0)
    assert team.is_onboarded() is False
    assert settings.get_many("company.") == {}


@pytest.mark.parametrize(
    ("name", "email", "role", "words"),
    [
        ("", "a@example.com", "sales", "needs a name"),
        ("Ana", "not an address", "sales", "does not look like an email address"),
        ("Ana", "a@example.com", "intern", "The role must be one of: owner, marketing, sales."),
    ],
)
def test_a_member_needs_a_name_a_valid_email_and_a_role(company, clock, name, email, role, words):
    before = Member.select().count()
    with pytest.raises(UserError, match=words):
        team.add_member(name, email, role, by=company.owner, clock=clock)
    assert Member.select().count() == before


def test_a_member_may_have_no_email(company, clock):
    member = team.add_member("Pia Print", "", "marketing", by=company.owner, clock=clock)
    assert Member.get_by_id(member.id).email is None


def test_members_are_listed_by_role_and_name_without_former_staff(company):
    assert [m.name for m in team.members("sales")] == ["Sam Sales", "Sia Sales"]
    Member.update(active=False).where(Member.id == company.seller.id).execute()

    assert [m.name for m in team.members("sales")] == ["Sia Sales"]
    assert [m.name for m in team.members()] == ["Mara Marketing", "Olga Owner", "Sia Sales"]


def test_the_agreement_in_force_is_the_latest_effective_one(company, clock):
    first = SlaAgreement.get()
    second = SlaAgreement.create(
        effective_from=dt.date(2027, 1, 1), created_at=clock.now(), created_by=company.owner
    )

    assert team.agreement_on(dt.date(2026, 10, 31)) is None
    assert team.agreement_on(dt.date(2026, 11, 1)) == first
    assert team.agreement_on(dt.date(2026, 12, 31)) == first
    assert team.agreement_on(dt.date(2027, 1, 1)) == second
