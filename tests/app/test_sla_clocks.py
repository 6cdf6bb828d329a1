"""The stored SLA clocks: kept in step with the records, and the same as working them all out."""

from __future__ import annotations

import datetime as dt

from app import leads, settings, sla, sla_clocks
from app.clock import FixedClock
from app.models import (
    Activity,
    Handover,
    Lead,
    LeadPause,
    SlaClock,
    SlaStaleLead,
    SlaTally,
    database,
)
from tests.app.test_sla import contact, handed_over, local, reason


def _stored() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    clocks = (
        SlaClock.select(
            SlaClock.handover_id,
            SlaClock.kind,
            SlaClock.month,
            SlaClock.member_id,
            SlaClock.marketer_id,
            SlaClock.started_at,
            SlaClock.stopped_at,
            SlaClock.target,
            SlaClock.actual,
            SlaClock.result,
            SlaClock.due_at,
            SlaClock.at_risk_at,
            SlaClock.decision,
        )
        .order_by(SlaClock.handover_id, SlaClock.kind)
        .tuples()
    )
    tally = (
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
        .order_by(SlaTally.month, SlaTally.kind, SlaTally.member_id, SlaTally.result)
        .tuples()
    )
    return list(clocks), list(tally)


def _a_busy_week(company, clock: FixedClock) -> list[Lead]:
    """Handovers, answers, decisions, pauses, a give-up and a second handover."""
    made = []
    for day in range(5):
        clock.at = local(2026, 11, 16 + day, 10, 0)
        for n in range(3):
            lead = handed_over(company, clock, f"Lead {day}-{n}")
            made.append(lead)
            clock.advance(minutes=50 * (n + 1) * (day + 1))
            if n != 1:
                contact(lead, company.seller, clock)
            if n == 0:
                leads.accept(lead, by=company.seller, clock=clock)
            if n == 2 and day % 2:
                leads.pause(lead, dt.date(2026, 11, 25), by=company.seller, clock=clock)
    clock.at = local(2026, 11, 23, 10, 0)
    unreachable = made[2]
    for _ in range(3):
        clock.advance(hours=1)
        contact(unreachable, company.seller, clock)
    leads.reject(
        unreachable, reason(company, "rejection", unresponsive=True), by=company.seller, clock=clock
    )
    leads.qualify(unreachable, by=company.marketer, clock=clock)
    leads.hand_over(unreachable, to=company.other_seller, by=company.marketer, clock=clock)
    return made


def test_clocks_kept_up_to_date_match_clocks_worked_out_afresh(company, clock: FixedClock):
    made = _a_busy_week(company, clock)
    for lead in made[:6]:  # reading after each change works out only the stale leads
        clock.advance(minutes=7)
        contact(lead, company.seller, clock, kind="email")
        sla.scorecard("2026-11", now=clock.now())
    Activity.update(deleted_at=clock.now()).where(Activity.lead == made[4]).execute()
    sla_clocks.bring_up_to_date()
    kept = _stored()

    settings.put(sla_clocks.INPUTS_KEY, "out of date")  # as after a calendar edit
    sla_clocks.bring_up_to_date()

    assert _stored() == kept
    assert len(kept[0]) == 2 * Handover.select().count() + 1  # and one follow-up
    assert (
        sum(row[-1] for row in kept[1])
        == SlaClock.select().where(SlaClock.result.is_null(False)).count()
    )


def test_what_changes_a_lead_marks_it_for_working_out_again(company, clock: FixedClock):
    lead = handed_over(company, clock)
    other = handed_over(company, clock, "Other")
    sla_clocks.bring_up_to_date()
    assert not SlaStaleLead.select().exists()

    def stale_after(change) -> set[int]:
        change()
        marked = {row.lead_id for row in SlaStaleLead.select()}
        sla_clocks.bring_up_to_date()
        return marked

    call = contact(lead, company.seller, clock)
    assert {row.lead_id for row in SlaStaleLead.select()} == {lead.id}
    sla_clocks.bring_up_to_date()
    assert stale_after(lambda: Activity.update(occurred_at=clock.now()).execute()) == set()
    assert stale_after(
        lambda: Activity.update(lead=other).where(Activity.id == call.id).execute()
    ) == {lead.id, other.id}
    assert stale_after(lambda: Activity.update(outcome="Left a message").execute()) == set()
    assert stale_after(
        lambda: leads.pause(other, dt.date(2026, 11, 20), by=company.seller, clock=clock)
    ) == {other.id}
    assert stale_after(lambda: Lead.update(notes="VIP").execute()) == set()
    assert stale_after(
        lambda: Lead.update(deleted_at=clock.now()).where(Lead.id == lead.id).execute()
    ) == {lead.id}
    assert stale_after(lambda: Lead.delete().where(Lead.id == other.id).execute()) == {other.id}
    assert not SlaClock.select().exists()  # one lead in the trash, the other gone


def test_a_new_agreement_works_every_clock_out_again(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=3)
    contact(lead, company.seller, clock)
    assert sla.clocks_for_lead(lead.id, now=clock.now())[0].state == "met"

    from app.models import SlaCommitment

    SlaCommitment.update(target=2).where(SlaCommitment.kind == "first_response").execute()

    assert sla.clocks_for_lead(lead.id, now=clock.now())[0].state == "breached"


def test_pause_history_is_recovered_from_the_audit_log(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=1)
    leads.pause(lead, dt.date(2026, 11, 20), by=company.seller, clock=clock)
    clock.advance(hours=2)
    leads.resume(lead, by=company.seller, clock=clock)
    clock.advance(hours=1)
    leads.pause(lead, dt.date(2026, 11, 25), by=company.seller, clock=clock)
    clock.advance(days=1)
    leads.reject(lead, reason(company, "rejection"), by=company.seller, clock=clock)
    written = list(
        LeadPause.select(LeadPause.starts_at, LeadPause.ends_on, LeadPause.ended_at).tuples()
    )

    LeadPause.delete().execute()
    sla_clocks.recover_pauses(database.obj)

    recovered = LeadPause.select(LeadPause.starts_at, LeadPause.ends_on, LeadPause.ended_at)
    assert list(recovered.tuples()) == written
    assert written == [
        (local(2026, 11, 16, 12, 0), dt.date(2026, 11, 20), local(2026, 11, 16, 14, 0)),
        (local(2026, 11, 16, 15, 0), dt.date(2026, 11, 25), local(2026, 11, 17, 15, 0)),
    ]
