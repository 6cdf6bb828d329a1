"""The lead lifecycle: handover to sales, its decision, pauses, conversion, and the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from app import audit, leads
from app.clock import FixedClock
from app.errors import UserError
from app.models import (
    LEAD_STAGES,
    Activity,
    AuditEntry,
    Deal,
    DealStageChange,
    Handover,
    Lead,
    SlaCommitment,
    database,
)


def _lead(company, clock: FixedClock) -> Lead:
    return leads.add_lead(
        name="Zoë Łukasiewicz",
        company="東京商事",
        email="zoe@example.com",
        source="referral",
        by=company.marketer,
        clock=clock,
    )


def _handed_over(company, clock: FixedClock) -> Lead:
    lead = leads.qualify(_lead(company, clock), by=company.marketer, clock=clock)
    return leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)


def _accepted(company, clock: FixedClock) -> Lead:
    return leads.accept(_handed_over(company, clock), by=company.seller, clock=clock)


def _log(lead: Lead, kind: str, company, clock: FixedClock) -> Activity:
    return Activity.create(kind=kind, lead=lead, member=company.seller, occurred_at=clock.now())


def _reason(company, kind: str, *, unresponsive: bool = False):
    return next(r for r in company.reasons[kind] if r.unresponsive == unresponsive)


def _fresh(lead: Lead) -> Lead:
    return Lead.get_by_id(lead.id)


def _stored_lead(lead: Lead) -> dict[str, object]:
    return audit.snapshot(_fresh(lead))


def test_a_lead_goes_from_new_to_a_deal(company, clock: FixedClock):
    lead = _lead(company, clock)
    created = clock.now()
    clock.advance(hours=1)
    leads.qualify(lead, by=company.marketer, clock=clock)
    qualified = clock.now()
    clock.advance(hours=1, minutes=30)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
    handed_over = clock.now()
    clock.advance(hours=2)
    leads.accept(lead, by=company.seller, clock=clock)
    accepted = clock.now()
    clock.advance(days=3)

    deal = leads.convert_to_deal(
        lead, value="12500.50", currency="CHF", by=company.owner, clock=clock
    )
    converted = clock.now()

    stored = _fresh(lead)
    assert stored.stage == "converted"
    assert stored.temperature == "qualified"
    assert stored.sales_owner == company.seller
    assert (
        stored.created_at,
        stored.qualified_at,
        stored.handed_over_at,
        stored.accepted_at,
        stored.converted_at,
    ) == (created, qualified, handed_over, accepted, converted)
    assert stored.rejected_at is None

    handover = Handover.get(Handover.lead == lead)
    assert (handover.to_member, handover.by_member) == (company.seller, company.marketer)
    assert (handover.handed_over_at, handover.decision, handover.decided_at) == (
        handed_over,
        "accepted",
        accepted,
    )

    saved = Deal.get_by_id(deal.id)
    assert saved.lead == stored
    assert (saved.value, saved.currency) == (Decimal("12500.50"), "CHF")
    assert saved.owner == company.seller  # the lead's salesperson, not who clicked
    assert saved.title == "東京商事"
    assert (saved.stage, saved.probability) == ("qualification", 10)
    assert (saved.created_at, saved.stage_changed_at) == (converted, converted)
    change = DealStageChange.get(DealStageChange.deal == saved)
    assert (change.from_stage, change.to_stage, change.changed_at) == (
        None,
        "qualification",
        converted,
    )


def test_every_step_is_in_the_audit_log(company, clock: FixedClock):
    lead = _lead(company, clock)
    clock.advance(minutes=5)
    leads.qualify(lead, by=company.marketer, clock=clock)
    clock.advance(minutes=5)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
    clock.advance(minutes=5)
    leads.accept(lead, by=company.seller, clock=clock)
    clock.advance(minutes=5)
    leads.convert_to_deal(lead, value="100", currency="EUR", by=company.seller, clock=clock)

    entries = audit.history("lead", lead.id)

    assert [(e.action, e.member) for e in entries] == [
        ("add", company.marketer),
        ("qualify", company.marketer),
        ("hand over", company.marketer),
        ("accept", company.seller),
        ("convert", company.seller),
    ]
    start = dt.datetime(2026, 11, 16, 10, 0)
    assert [e.at for e in entries] == [start + dt.timedelta(minutes=5 * n) for n in range(5)]
    assert all(e.table == "lead" for e in entries)
    stages = [(json.loads(e.before)["stage"], json.loads(e.after)["stage"]) for e in entries[1:]]
    assert stages == [
        ("new", "qualified"),
        ("qualified", "handed_over"),
        ("handed_over", "accepted"),
        ("accepted", "converted"),
    ]
    hand_over = json.loads(entries[2].after)
    assert hand_over["sales_owner"] == company.seller.id
    assert hand_over["handed_over_at"] == "2026-11-16T10:10:00"
    assert json.loads(entries[0].after)["name"] == "Zoë Łukasiewicz"


def test_rejecting_without_a_reason_asks_for_one_and_changes_nothing(company, clock):
    lead = _handed_over(company, clock)
    before = _stored_lead(lead)
    entries = AuditEntry.select().count()
    clock.advance(hours=1)

    with pytest.raises(UserError, match="Pick a reason for rejecting Zoë Łukasiewicz"):
        leads.reject(lead, None, "no idea", by=company.seller, clock=clock)

    assert _stored_lead(lead) == before
    assert Handover.get(Handover.lead == lead).decision is None
    assert AuditEntry.select().count() == entries


def test_rejecting_with_a_loss_reason_is_refused(company, clock):
    lead = _handed_over(company, clock)
    price = company.reasons["loss"][0]

    with pytest.raises(UserError, match=f"'{price.label}' is not a rejection reason"):
        leads.reject(lead, price, by=company.seller, clock=clock)

    assert _fresh(lead).stage == "handed_over"


def test_rejecting_with_a_reason_records_it(company, clock):
    lead = _handed_over(company, clock)
    no_budget = _reason(company, "rejection")
    clock.advance(hours=4)

    leads.reject(lead, no_budget, "  Asked for a discount first  ", by=company.seller, clock=clock)

    stored = _fresh(lead)
    assert (stored.stage, stored.rejection_reason, stored.rejected_at) == (
        "rejected",
        no_budget,
        clock.now(),
    )
    assert stored.reason_note == "Asked for a discount first"
    handover = Handover.get(Handover.lead == lead)
    assert (handover.decision, handover.reason, handover.decided_at) == (
        "rejected",
        no_budget,
        clock.now(),
    )
    entry = audit.history("lead", lead.id)[-1]
    assert (entry.action, entry.member) == ("reject", company.seller)
    assert json.loads(entry.after)["rejection_reason"] == no_budget.id


def test_unresponsive_needs_the_agreed_contact_attempts_first(company, clock):
    unreachable = _reason(company, "rejection", unresponsive=True)
    lead = _lead(company, clock)
    _log(lead, "call", company, clock)  # marketing's call before the handover does not count
    clock.advance(hours=1)
    leads.qualify(lead, by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)

    with pytest.raises(UserError, match=r"asks for 3 contact attempts.*0 logged"):
        leads.reject(lead, unreachable, by=company.seller, clock=clock)

    for kind in ("call", "note", "meeting", "note"):
        clock.advance(hours=2)
        _log(lead, kind, company, clock)
    deleted = _log(lead, "demo", company, clock)
    deleted.deleted_at = clock.now()
    deleted.save()
    with pytest.raises(UserError, match=r"asks for 3 contact attempts.*2 logged"):
        leads.reject(lead, unreachable, by=company.seller, clock=clock)
    assert _fresh(lead).stage == "handed_over"

    clock.advance(hours=2)
    _log(lead, "email", company, clock)
    leads.reject(lead, unreachable, by=company.seller, clock=clock)

    assert _fresh(lead).stage == "rejected"
    assert _fresh(lead).rejection_reason == unreachable


def test_the_number_of_attempts_comes_from_the_agreement(company, clock):
    SlaCommitment.update(target=1).where(SlaCommitment.kind == "follow_up").execute()
    unreachable = _reason(company, "disqualification", unresponsive=True)
    lead = _accepted(company, clock)
    with pytest.raises(UserError, match="asks for 1 contact attempts"):
        leads.disqualify(lead, unreachable, by=company.seller, clock=clock)

    _log(lead, "demo", company, clock)
    leads.disqualify(lead, unreachable, by=company.seller, clock=clock)

    assert _fresh(lead).stage == "disqualified"


def test_a_rejected_lead_can_be_handed_over_again(company, clock):
    lead = _handed_over(company, clock)
    clock.advance(hours=1)
    leads.reject(lead, _reason(company, "rejection"), by=company.seller, clock=clock)
    clock.advance(days=1)

    leads.qualify(lead, by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.other_seller, by=company.marketer, clock=clock)

    stored = _fresh(lead)
    assert (stored.stage, stored.sales_owner, stored.handed_over_at) == (
        "handed_over",
        company.other_seller,
        clock.now(),
    )
    assert (stored.rejected_at, stored.rejection_reason) == (None, None)
    handovers = list(Handover.select().where(Handover.lead == lead).order_by(Handover.id))
    assert [(h.to_member, h.decision) for h in handovers] == [
        (company.seller, "rejected"),
        (company.other_seller, None),
    ]

    leads.accept(lead, by=company.other_seller, clock=clock)
    assert [h.decision for h in Handover.select().order_by(Handover.id)] == [
        "rejected",
        "accepted",
    ]


def test_a_lead_is_not_handed_over_to_marketing(company, clock):
    lead = leads.qualify(_lead(company, clock), by=company.marketer, clock=clock)

    with pytest.raises(UserError, match="someone in sales; Mara Marketing is in marketing"):
        leads.hand_over(lead, to=company.marketer, by=company.marketer, clock=clock)

    assert _fresh(lead).stage == "qualified"
    assert _fresh(lead).sales_owner is None
    assert Handover.select().count() == 0


def test_the_owner_may_take_a_lead(company, clock):
    lead = leads.qualify(_lead(company, clock), by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.owner, by=company.marketer, clock=clock)
    assert _fresh(lead).sales_owner == company.owner


def _new(company, clock):
    return _lead(company, clock)


def _qualified(company, clock):
    return leads.qualify(_lead(company, clock), by=company.marketer, clock=clock)


def _rejected(company, clock):
    lead = _handed_over(company, clock)
    return leads.reject(lead, _reason(company, "rejection"), by=company.seller, clock=clock)


def _converted(company, clock):
    lead = _accepted(company, clock)
    leads.convert_to_deal(lead, value="10", currency="EUR", by=company.seller, clock=clock)
    return _fresh(lead)


def _disqualified(company, clock):
    lead = _new(company, clock)
    return leads.disqualify(
        lead, _reason(company, "disqualification"), by=company.marketer, clock=clock
    )


ILLEGAL_STEPS: list[tuple[Callable, str, Callable, str]] = [
    (_new, "accept", lambda c, lead, k: leads.accept(lead, by=c.seller, clock=k), "is new"),
    (
        _new,
        "hand over",
        lambda c, lead, k: leads.hand_over(lead, to=c.seller, by=c.marketer, clock=k),
        "is new",
    ),
    (
        _handed_over,
        "convert",
        lambda c, lead, k: leads.convert_to_deal(
            lead, value="1", currency="EUR", by=c.seller, clock=k
        ),
        "is handed over to sales",
    ),
    (
        _handed_over,
        "disqualify",
        lambda c, lead, k: leads.disqualify(
            lead, _reason(c, "disqualification"), by=c.seller, clock=k
        ),
        "is handed over to sales",
    ),
    (
        _accepted,
        "reject",
        lambda c, lead, k: leads.reject(lead, _reason(c, "rejection"), by=c.seller, clock=k),
        "is accepted by sales",
    ),
    (
        _converted,
        "qualify",
        lambda c, lead, k: leads.qualify(lead, by=c.marketer, clock=k),
        "is already converted to a deal",
    ),
    (
        _disqualified,
        "qualify",
        lambda c, lead, k: leads.qualify(lead, by=c.marketer, clock=k),
        "is disqualified",
    ),
    (
        _rejected,
        "accept",
        lambda c, lead, k: leads.accept(lead, by=c.seller, clock=k),
        "is rejected by sales",
    ),
    (
        _qualified,
        "pause",
        lambda c, lead, k: leads.pause(lead, dt.date(2026, 12, 1), by=c.seller, clock=k),
        "is qualified by marketing",
    ),
]


@pytest.mark.parametrize(
    ("make", "step", "act", "words"),
    ILLEGAL_STEPS,
    ids=[f"{make.__name__.strip('_')}-{step}" for make, step, _, _ in ILLEGAL_STEPS],
)
def test_an_illegal_step_says_what_the_lead_is(company, clock, make, step, act, words):
    lead = make(company, clock)
    before = _stored_lead(lead)
    entries = AuditEntry.select().count()
    deals = Deal.select().count()
    clock.advance(hours=1)

    with pytest.raises(UserError) as refused:
        act(company, lead, clock)

    message = str(refused.value)
    assert f"Zoë Łukasiewicz {words}." in message
    assert message.startswith("Only a lead that is ")
    assert _stored_lead(lead) == before
    assert AuditEntry.select().count() == entries
    assert Deal.select().count() == deals


def test_a_lead_in_the_trash_must_be_restored_first(company, clock):
    lead = _lead(company, clock)
    Lead.update(deleted_at=clock.now()).where(Lead.id == lead.id).execute()

    with pytest.raises(UserError, match="in the trash; restore it before you qualify it"):
        leads.qualify(lead, by=company.marketer, clock=clock)


def test_pausing_needs_a_date_after_today_and_resuming_clears_it(company, clock):
    lead = _handed_over(company, clock)
    clock.advance(hours=1)
    before = _stored_lead(lead)

    with pytest.raises(UserError, match="after today"):
        leads.pause(lead, dt.date(2026, 11, 16), by=company.seller, clock=clock)
    assert _stored_lead(lead) == before

    leads.pause(lead, dt.date(2026, 11, 17), by=company.seller, clock=clock)
    assert _stored_lead(lead) == {**before, "paused_until": dt.date(2026, 11, 17)}
    entry = audit.history("lead", lead.id)[-1]
    assert (entry.action, json.loads(entry.after)) == ("pause", {"paused_until": "2026-11-17"})

    clock.advance(hours=1)
    leads.resume(lead, by=company.seller, clock=clock)
    assert _stored_lead(lead) == before
    with pytest.raises(UserError, match="Zoë Łukasiewicz is not paused"):
        leads.resume(lead, by=company.seller, clock=clock)


def test_today_for_a_pause_is_the_companys_day(company, clock):
    lead = _handed_over(company, clock)
    clock.at = dt.datetime(2026, 11, 16, 23, 30)  # already the 17th in Berlin

    with pytest.raises(UserError, match="after today"):
        leads.pause(lead, dt.date(2026, 11, 17), by=company.seller, clock=clock)

    leads.pause(lead, dt.date(2026, 11, 18), by=company.seller, clock=clock)
    assert _fresh(lead).paused_until == dt.date(2026, 11, 18)


def test_a_lead_handed_over_again_is_not_still_paused(company, clock):
    lead = _handed_over(company, clock)
    leads.pause(lead, dt.date(2026, 12, 15), by=company.seller, clock=clock)
    leads.reject(lead, _reason(company, "rejection"), by=company.seller, clock=clock)
    leads.qualify(lead, by=company.marketer, clock=clock)

    leads.hand_over(lead, to=company.other_seller, by=company.marketer, clock=clock)

    assert _fresh(lead).paused_until is None


def test_disqualifying_needs_a_disqualification_reason(company, clock):
    lead = _accepted(company, clock)
    before = _stored_lead(lead)

    with pytest.raises(UserError, match="Pick a reason for disqualifying Zoë Łukasiewicz"):
        leads.disqualify(lead, None, by=company.seller, clock=clock)
    rejection = _reason(company, "rejection")
    with pytest.raises(UserError, match="is not a disqualification reason"):
        leads.disqualify(lead, rejection, by=company.seller, clock=clock)
    assert _stored_lead(lead) == before

    bought_elsewhere = company.reasons["disqualification"][1]
    leads.pause(lead, dt.date(2026, 12, 1), by=company.seller, clock=clock)
    clock.advance(days=2)
    leads.disqualify(lead, bought_elsewhere, " Went to a rival ", by=company.seller, clock=clock)

    stored = _fresh(lead)
    assert (stored.stage, stored.disqualification_reason, stored.disqualified_at) == (
        "disqualified",
        bought_elsewhere,
        clock.now(),
    )
    assert (stored.reason_note, stored.paused_until) == ("Went to a rival", None)


def test_converting_with_a_bad_amount_or_currency_changes_nothing(company, clock):
    lead = _accepted(company, clock)
    before = _stored_lead(lead)

    for value, currency, words in [
        ("-5", "EUR", "cannot be negative"),
        ("12,50", "EUR", "'12,50' is not an amount of money"),
        ("100", "euro", "three-letter code"),
    ]:
        with pytest.raises(UserError, match=words):
            leads.convert_to_deal(
                lead, value=value, currency=currency, by=company.seller, clock=clock
            )

    assert _stored_lead(lead) == before
    assert Deal.select().count() == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_an_amount_that_is_not_a_number_is_refused(company, clock, value):
    lead = _accepted(company, clock)

    with pytest.raises(UserError, match="not an amount of money"):
        leads.convert_to_deal(lead, value=value, currency="EUR", by=company.seller, clock=clock)

    assert Deal.select().count() == 0


def test_a_lead_needs_a_name_and_a_known_source(company, clock):
    with pytest.raises(UserError, match="name"):
        leads.add_lead(name="  ", company="", source="referral", by=company.marketer, clock=clock)
    with pytest.raises(UserError, match="Pick the campaign"):
        leads.add_lead(name="Zoë", by=company.marketer, clock=clock)
    with pytest.raises(UserError, match="does not look like an email"):
        leads.add_lead(name="Zoë", email="zoe@", source="referral", by=None, clock=clock)
    assert Lead.select().count() == 0


def test_the_steps_offered_in_each_stage_are_the_ones_allowed(company, clock):
    """Screens offer NEXT_STEPS; each must work in its stage and every other step be refused."""
    attempts: dict[Callable, Callable[[Lead], object]] = {
        leads.qualify: lambda lead: leads.qualify(lead, by=company.marketer, clock=clock),
        leads.hand_over: lambda lead: leads.hand_over(
            lead, to=company.seller, by=company.marketer, clock=clock
        ),
        leads.accept: lambda lead: leads.accept(lead, by=company.seller, clock=clock),
        leads.reject: lambda lead: leads.reject(
            lead, _reason(company, "rejection"), by=company.seller, clock=clock
        ),
        leads.pause: lambda lead: leads.pause(
            lead, dt.date(2026, 12, 1), by=company.seller, clock=clock
        ),
        leads.convert_to_deal: lambda lead: leads.convert_to_deal(
            lead, value="10", currency="EUR", by=company.seller, clock=clock
        ),
        leads.disqualify: lambda lead: leads.disqualify(
            lead, _reason(company, "disqualification"), by=company.seller, clock=clock
        ),
    }
    makers = {
        "new": _new,
        "qualified": _qualified,
        "handed_over": _handed_over,
        "accepted": _accepted,
        "rejected": _rejected,
        "converted": _converted,
        "disqualified": _disqualified,
    }
    assert set(makers) == set(LEAD_STAGES)

    works: dict[str, set[str]] = {}
    for stage, make in makers.items():
        lead = make(company, clock)
        assert _fresh(lead).stage == stage
        works[stage] = set()
        for step, attempt in attempts.items():
            with database.atomic() as transaction:
                try:
                    attempt(lead)
                except UserError:
                    pass
                else:
                    works[stage].add(step.__name__)
                transaction.rollback()
            assert _fresh(lead).stage == stage

    offered = {
        stage: {step.__name__ for step in steps} for stage, steps in leads.NEXT_STEPS.items()
    }
    assert works == offered
    assert works["handed_over"] == {"accept", "reject", "pause"}
    assert works["converted"] == set()
