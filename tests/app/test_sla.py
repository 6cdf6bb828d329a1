"""SLA clocks as users produce them: handovers, calls, decisions and pauses on a real calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from app import activities, deals, leads, sla
from app import company as company_module
from app.clock import FixedClock
from app.errors import UserError
from app.models import (
    Activity,
    ClosingDay,
    Lead,
    LeadPause,
    SlaAgreement,
    SlaCommitment,
    Target,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def local(*parts: int, zone: zoneinfo.ZoneInfo = BERLIN) -> dt.datetime:
    """A wall-clock time where the company is, as the naive UTC instant Tandem stores."""
    wall = dt.datetime(*parts, tzinfo=zone)  # type: ignore[misc]
    return wall.astimezone(dt.UTC).replace(tzinfo=None)


def handed_over(company, clock: FixedClock, name: str = "Ada Lovelace", to=None) -> Lead:
    lead = leads.add_lead(name=name, source="referral", by=company.marketer, clock=clock)
    leads.qualify(lead, by=company.marketer, clock=clock)
    return leads.hand_over(lead, to=to or company.seller, by=company.marketer, clock=clock)


def contact(lead: Lead, by, clock: FixedClock, kind: str = "call") -> Activity:
    return activities.log_activity(
        kind=kind, lead=lead, outcome="Spoke to them", notes="…", by=by, clock=clock
    )


def clock_of(lead: Lead, kind: str, now: dt.datetime, handover: int = -1) -> sla.ClockReading:
    """The lead's clock of one kind, by default for its latest handover."""
    found = [c for c in sla.clocks_for_lead(lead.id, now=now) if c.kind == kind]
    return found[handover]


def reason(company, kind: str, *, unresponsive: bool = False):
    return next(r for r in company.reasons[kind] if r.unresponsive == unresponsive)


def agree(effective_from: dt.date, **targets: float) -> SlaAgreement:
    """A new version of the agreement: the defaults of the first one, with some changed."""
    first = SlaAgreement.select().order_by(SlaAgreement.effective_from).first()
    terms = {
        c.kind: c.target for c in SlaCommitment.select().where(SlaCommitment.agreement == first)
    }
    terms.update({kind: Decimal(str(value)) for kind, value in targets.items()})
    agreement = SlaAgreement.create(effective_from=effective_from, created_at=first.created_at)
    for kind, target in terms.items():
        SlaCommitment.create(agreement=agreement, kind=kind, target=target)
    return agreement


# --- first response ------------------------------------------------------------------------------


def test_a_call_within_the_agreed_hours_meets_first_response(company, clock: FixedClock):
    lead = handed_over(company, clock)  # Monday 16 November 2026, 11:00 in Berlin
    clock.advance(hours=3)
    contact(lead, company.seller, clock)

    response = clock_of(lead, "first_response", clock.now())
    decision = clock_of(lead, "decision", clock.now())

    assert (response.state, response.elapsed, response.target) == ("met", 180, 240)
    assert response.stopped_at == clock.now()
    assert (decision.state, decision.elapsed, decision.target) == ("running", 180, 960)
    assert decision.left == 780


def test_a_handover_after_hours_counts_from_the_next_opening(company, clock: FixedClock):
    clock.at = local(2026, 11, 16, 18, 0)
    quick = handed_over(company, clock, "Quick")
    slow = handed_over(company, clock, "Slow")

    clock.at = local(2026, 11, 17, 12, 59)
    contact(quick, company.seller, clock)
    clock.at = local(2026, 11, 17, 13, 1)
    contact(slow, company.seller, clock)

    assert clock_of(quick, "first_response", clock.now()).elapsed == 239
    assert clock_of(quick, "first_response", clock.now()).state == "met"
    assert clock_of(slow, "first_response", clock.now()).elapsed == 241
    assert clock_of(slow, "first_response", clock.now()).state == "breached"


@pytest.mark.parametrize(
    ("now", "elapsed", "state"),
    [
        (local(2026, 11, 21, 15, 0), 30, "running"),  # Saturday: Friday's last half hour only
        (local(2026, 11, 23, 10, 0), 90, "running"),
        (local(2026, 11, 23, 11, 30), 180, "at_risk"),  # 75% of four hours
        (local(2026, 11, 23, 12, 30), 240, "at_risk"),  # at the target, not past it
        (local(2026, 11, 23, 12, 31), 241, "breached"),  # still running, past the target
    ],
)
def test_a_clock_over_a_weekend_goes_at_risk_then_breaches(
    company, clock: FixedClock, now, elapsed, state
):
    clock.at = local(2026, 11, 20, 17, 0)  # Friday
    lead = handed_over(company, clock)

    response = clock_of(lead, "first_response", now)
    card = sla.scorecard("2026-11", now=now).figures["first_response"]

    assert (response.state, response.elapsed) == (state, elapsed)
    assert (card.breached, card.pending) == ((1, 0) if state == "breached" else (0, 1))


def test_a_clock_due_at_closing_time_is_not_late_until_work_starts_again(
    company, clock: FixedClock
):
    clock.at = local(2026, 11, 16, 13, 30)
    early = handed_over(company, clock, "Early bird")
    late = handed_over(company, clock, "Late riser")

    evening = clock_of(early, "first_response", local(2026, 11, 16, 20, 0))
    assert (evening.state, evening.elapsed) == ("at_risk", 240)
    assert evening.due_at == local(2026, 11, 17, 9, 0)

    clock.at = local(2026, 11, 17, 8, 59)
    contact(early, company.seller, clock)
    clock.at = local(2026, 11, 17, 9, 1)
    contact(late, company.seller, clock)
    assert clock_of(early, "first_response", clock.now()).state == "met"
    assert clock_of(late, "first_response", clock.now()).state == "breached"


def test_friday_evening_before_a_monday_holiday_counts_from_tuesday(company, clock: FixedClock):
    clock.at = local(2027, 5, 14, 18, 0)  # the Friday before Whit Monday
    lead = handed_over(company, clock)

    assert clock_of(lead, "first_response", local(2027, 5, 17, 12, 0)).elapsed == 0
    clock.at = local(2027, 5, 18, 9, 30)
    contact(lead, company.seller, clock)

    response = clock_of(lead, "first_response", clock.now())
    assert (response.state, response.elapsed, response.month) == ("met", 30, "2027-05")


def test_thanksgiving_is_not_worked_by_a_us_company(company, clock: FixedClock):
    profile = company_module.load()
    profile.country, profile.region, profile.timezone = "US", "", "America/New_York"
    profile.day_starts, profile.day_ends = "09:00", "17:00"
    company_module.save(profile, by=company.owner, clock=clock)
    clock.at = local(2026, 11, 25, 16, 0, zone=NEW_YORK)  # the Wednesday before
    lead = handed_over(company, clock)

    clock.at = local(2026, 11, 27, 10, 0, zone=NEW_YORK)
    contact(lead, company.seller, clock)

    assert clock_of(lead, "first_response", clock.now()).elapsed == 60 + 60


def test_a_dst_change_is_counted_on_the_wall_clock(company, clock: FixedClock):
    clock.at = local(2027, 10, 29, 17, 0)  # Friday, summer time; winter time from Sunday
    lead = handed_over(company, clock)
    clock.at = local(2027, 11, 1, 11, 30)
    contact(lead, company.seller, clock)

    response = clock_of(lead, "first_response", clock.now())
    assert (response.elapsed, response.state, response.month) == (30 + 150, "met", "2027-10")


def test_a_clock_belongs_to_the_month_of_its_handover(company, clock: FixedClock):
    clock.at = local(2026, 11, 30, 17, 0)
    lead = handed_over(company, clock)
    clock.at = local(2026, 12, 1, 10, 30)
    contact(lead, company.seller, clock)

    november = sla.scorecard("2026-11", now=clock.now())
    december = sla.scorecard("2026-12", now=clock.now())

    assert clock_of(lead, "first_response", clock.now()).elapsed == 30 + 90
    assert (november.figures["first_response"].met, november.figures["lead_volume"].actual) == (
        1,
        1,
    )
    assert (december.figures["first_response"].met, december.figures["lead_volume"].actual) == (
        0,
        0,
    )


def test_a_clock_runs_across_the_year_end_and_new_years_day(company, clock: FixedClock):
    clock.at = local(2026, 12, 31, 16, 0)
    lead = handed_over(company, clock)
    clock.at = local(2027, 1, 4, 10, 0)
    contact(lead, company.seller, clock)

    response = clock_of(lead, "first_response", clock.now())
    assert (response.elapsed, response.month) == (90 + 60, "2026-12")


# --- pauses --------------------------------------------------------------------------------------


def test_a_pause_stops_the_clocks_until_business_starts_on_the_call_back_day(
    company, clock: FixedClock
):
    lead = handed_over(company, clock)  # Monday 11:00
    clock.advance(hours=1)
    leads.pause(lead, dt.date(2026, 11, 19), by=company.seller, clock=clock)

    paused = clock_of(lead, "first_response", local(2026, 11, 18, 15, 0))
    assert (paused.elapsed, paused.paused, paused.state) == (60, True, "running")

    clock.at = local(2026, 11, 19, 10, 0)
    running = clock_of(lead, "decision", clock.now())
    assert (running.elapsed, running.paused) == (120, False)
    contact(lead, company.seller, clock)
    assert clock_of(lead, "first_response", clock.now()).elapsed == 120


def test_resuming_early_restarts_the_clocks_at_once(company, clock: FixedClock):
    lead = handed_over(company, clock)  # Monday 11:00
    clock.advance(hours=1)
    leads.pause(lead, dt.date(2026, 11, 20), by=company.seller, clock=clock)
    clock.at = local(2026, 11, 17, 14, 0)
    leads.resume(lead, by=company.seller, clock=clock)
    clock.at = local(2026, 11, 17, 16, 0)
    contact(lead, company.seller, clock)

    assert clock_of(lead, "first_response", clock.now()).elapsed == 60 + 120
    assert [(p.starts_at, p.ends_on, p.ended_at) for p in LeadPause.select()] == [
        (local(2026, 11, 16, 12, 0), dt.date(2026, 11, 20), local(2026, 11, 17, 14, 0))
    ]


def test_a_paused_clock_is_due_later_by_the_time_it_stood_still(company, clock: FixedClock):
    lead = handed_over(company, clock)  # Monday 11:00, four hours: due at 15:00
    clock.advance(hours=1)
    leads.pause(lead, dt.date(2026, 11, 18), by=company.seller, clock=clock)

    # An hour ran before the pause; three are left from Wednesday's opening.
    assert clock_of(lead, "first_response", clock.now()).due_at == local(2026, 11, 18, 12, 0)


# --- what answers a lead ------------------------------------------------------------------------


def test_a_note_is_not_a_first_response(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=1)
    contact(lead, company.seller, clock, kind="note")
    assert clock_of(lead, "first_response", clock.now()).state == "running"

    clock.advance(hours=1)
    contact(lead, company.seller, clock, kind="email")
    response = clock_of(lead, "first_response", clock.now())
    assert (response.state, response.elapsed) == ("met", 120)


def test_only_the_assigned_seller_or_an_owner_answers_a_lead(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=1)
    contact(lead, company.other_seller, clock)
    assert clock_of(lead, "first_response", clock.now()).state == "running"

    clock.advance(hours=1)
    contact(lead, company.owner, clock, kind="meeting")
    assert clock_of(lead, "first_response", clock.now()).elapsed == 120


def test_a_call_logged_later_for_earlier_counts_from_when_it_happened(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=6)
    activities.log_activity(
        kind="call",
        lead=lead,
        outcome="Reached them",
        occurred_at=clock.now() - dt.timedelta(hours=5),
        by=company.seller,
        clock=clock,
    )

    assert clock_of(lead, "first_response", clock.now()).elapsed == 60


def test_rejecting_a_lead_without_calling_answers_it(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=5)
    leads.reject(lead, reason(company, "rejection"), by=company.seller, clock=clock)

    response = clock_of(lead, "first_response", clock.now())
    decision = clock_of(lead, "decision", clock.now())
    assert (response.state, response.elapsed) == ("breached", 300)
    assert (decision.state, decision.elapsed) == ("met", 300)


def test_a_lead_handed_over_again_gets_new_clocks(company, clock: FixedClock):
    lead = handed_over(company, clock)
    clock.advance(hours=1)
    leads.reject(lead, reason(company, "rejection"), by=company.seller, clock=clock)
    leads.qualify(lead, by=company.marketer, clock=clock)
    clock.advance(hours=1)
    leads.hand_over(lead, to=company.other_seller, by=company.marketer, clock=clock)
    clock.advance(hours=1)

    clocks = sla.clocks_for_lead(lead.id, now=clock.now())

    assert [(c.kind, c.member_id, c.state, c.elapsed) for c in clocks] == [
        ("first_response", company.seller.id, "met", 60),
        ("decision", company.seller.id, "met", 60),
        ("first_response", company.other_seller.id, "running", 60),
        ("decision", company.other_seller.id, "running", 60),
    ]
    assert sla.scorecard("2026-11", now=clock.now()).figures["lead_volume"].actual == 2


# --- decisions and follow-up --------------------------------------------------------------------


def test_decisions_are_timed_and_make_the_acceptance_rate(company, clock: FixedClock):
    accepted = handed_over(company, clock, "Accepted")  # Monday 11:00
    rejected = handed_over(company, clock, "Rejected")
    clock.at = local(2026, 11, 17, 11, 0)
    leads.accept(accepted, by=company.seller, clock=clock)
    clock.at = local(2026, 11, 18, 12, 0)
    leads.reject(rejected, reason(company, "rejection"), by=company.seller, clock=clock)

    assert clock_of(accepted, "decision", clock.now()).elapsed == 390 + 120
    assert clock_of(rejected, "decision", clock.now()).elapsed == 390 + 510 + 180
    card = sla.scorecard("2026-11", now=clock.now())
    assert (card.figures["decision"].met, card.figures["decision"].breached) == (1, 1)
    acceptance = card.figures["lead_acceptance"]
    assert (acceptance.actual, acceptance.target, acceptance.pending) == (50.0, 80.0, 1)
    after_the_month = sla.scorecard("2026-11", now=local(2026, 12, 1, 0, 0))
    assert after_the_month.figures["lead_acceptance"].breached == 1


def test_giving_up_on_an_unresponsive_lead_needs_the_agreed_attempts(company, clock: FixedClock):
    lead = handed_over(company, clock)
    calls = []
    for _ in range(3):
        clock.advance(hours=1)
        calls.append(contact(lead, company.seller, clock))
    leads.reject(
        lead, reason(company, "rejection", unresponsive=True), by=company.seller, clock=clock
    )

    follow_up = sla.scorecard("2026-11", now=clock.now()).figures["follow_up"]
    assert (follow_up.met, follow_up.breached, follow_up.actual, follow_up.target) == (1, 0, 3, 3)

    # One call turns out to have been logged on the wrong lead and goes to the trash.
    Activity.update(deleted_at=clock.now()).where(Activity.id == calls[1].id).execute()
    follow_up = sla.scorecard("2026-11", now=clock.now()).figures["follow_up"]
    assert (follow_up.met, follow_up.breached, follow_up.actual) == (0, 1, 2)


# --- the calendar and the agreement change -------------------------------------------------------


def test_editing_the_calendar_works_the_clocks_out_again(company, clock: FixedClock):
    lead = handed_over(company, clock)  # Monday 11:00
    clock.at = local(2026, 11, 17, 11, 0)
    contact(lead, company.seller, clock)
    assert clock_of(lead, "first_response", clock.now()).elapsed == 390 + 120

    profile = company_module.load()
    profile.day_starts, profile.day_ends = "10:00", "12:00"
    company_module.save(profile, by=company.owner, clock=clock)
    assert clock_of(lead, "first_response", clock.now()).elapsed == 60 + 60
    assert clock_of(lead, "first_response", clock.now()).state == "met"

    ClosingDay.create(day=dt.date(2026, 11, 16), label="Team day")
    assert clock_of(lead, "first_response", clock.now()).elapsed == 60


def test_a_month_keeps_the_terms_it_had_when_the_agreement_changes(company, clock: FixedClock):
    agree(dt.date(2026, 12, 1), first_response=2, lead_volume=5)
    clock.at = local(2026, 11, 30, 11, 0)
    november = handed_over(company, clock, "November")
    clock.at = local(2026, 11, 30, 14, 0)
    contact(november, company.seller, clock)
    clock.at = local(2026, 12, 1, 11, 0)
    december = handed_over(company, clock, "December")
    clock.at = local(2026, 12, 1, 14, 0)
    contact(december, company.seller, clock)

    assert clock_of(november, "first_response", clock.now()).state == "met"
    assert clock_of(december, "first_response", clock.now()).state == "breached"
    cards = {m: sla.scorecard(m, now=clock.now()) for m in ("2026-11", "2026-12")}
    assert cards["2026-11"].agreement.effective_from == dt.date(2026, 11, 1)
    assert cards["2026-12"].agreement.effective_from == dt.date(2026, 12, 1)
    assert [cards[m].figures["first_response"].target for m in cards] == [4, 2]
    assert [cards[m].figures["lead_volume"].target for m in cards] == [20, 5]
    assert [cards[m].figures["first_response"].compliance for m in cards] == [100.0, 0.0]


def test_handovers_before_any_agreement_have_no_clocks(company, clock: FixedClock):
    clock.at = local(2026, 10, 30, 11, 0)  # the first agreement starts on 1 November
    lead = handed_over(company, clock)
    assert sla.clocks_for_lead(lead.id, now=clock.now()) == []


# --- scorecards, trend and lists ---------------------------------------------------------------


def responded(company, clock: FixedClock, name: str, minutes: int, to=None) -> Lead:
    """A lead handed over now and answered that many minutes later; the clock goes back."""
    start = clock.now()
    lead = handed_over(company, clock, name, to=to)
    clock.advance(minutes=minutes)
    contact(lead, to or company.seller, clock)
    clock.at = start
    return lead


def test_the_scorecard_gives_each_side_its_figures(company, clock: FixedClock):
    Target.create(month="2026-11", member=None, metric="qualified_leads", value=4)
    Target.create(month="2026-11", member=None, metric="revenue", value=1000)
    Target.create(month="2026-11", member=company.seller, metric="revenue", value=2000)
    for name, minutes in (("A", 60), ("B", 120), ("C", 300), ("D", 30)):
        responded(company, clock, name, minutes)
    responded(company, clock, "E", 90, to=company.other_seller)
    won = handed_over(company, clock, "Won")
    leads.accept(won, by=company.seller, clock=clock)
    deal = leads.convert_to_deal(won, value="1500", currency="EUR", by=company.seller, clock=clock)
    deals.win(deal, by=company.seller, clock=clock)
    clock.advance(hours=1)

    card = sla.scorecard("2026-11", now=clock.now())

    volume, response, revenue = (
        card.figures[k] for k in ("lead_volume", "first_response", "revenue")
    )
    assert (volume.target, volume.actual, volume.met) == (4, 6, 1)  # the month's target wins
    # The won lead's clock stopped when it became a deal, 0 minutes after the handover.
    assert (response.met, response.breached, response.pending) == (5, 1, 0)
    assert response.compliance == pytest.approx(83.3)
    assert (card.response_median_minutes, card.response_p90_minutes) == (75.0, 300.0)
    assert (revenue.target, revenue.actual, revenue.met) == (1000, 1500, 1)
    seller = next(m for m in card.members if m.id == company.seller.id)
    assert (seller.response_median_minutes, seller.response_p90_minutes) == (60.0, 300.0)
    assert (seller.figures["revenue"].target, seller.figures["revenue"].pending) == (2000, 1)
    assert set(seller.figures) == {"first_response", "decision", "follow_up", "revenue"}
    marketer = next(m for m in card.members if m.id == company.marketer.id)
    assert set(marketer.figures) == {"lead_volume", "lead_acceptance"}
    assert (marketer.figures["lead_volume"].actual, marketer.figures["lead_volume"].target) == (
        6,
        None,
    )


def test_the_json_scorecard_has_the_documented_shape(company, clock: FixedClock):
    responded(company, clock, "A", 60)

    data = sla.scorecard("2026-11", now=clock.now()).as_json()

    assert data["month"] == "2026-11"
    assert data["agreement"] == {"effective_from": "2026-11-01", "at_risk_share": 0.75}
    assert set(data["commitments"]) == {
        "lead_volume",
        "lead_acceptance",
        "first_response",
        "decision",
        "follow_up",
        "revenue",
    }
    assert data["commitments"]["first_response"] == {
        "side": "sales",
        "target": 4.0,
        "actual": 1.0,
        "met": 1,
        "breached": 0,
        "pending": 0,
        "compliance": 100.0,
    }
    assert data["commitments"]["decision"]["pending"] == 1
    assert [m["name"] for m in data["members"]] == [
        "Mara Marketing",
        "Olga Owner",
        "Sam Sales",
        "Sia Sales",
    ]
    sam = data["members"][2]
    assert (sam["id"], sam["role"], sam["response_median_minutes"]) == (
        company.seller.id,
        "sales",
        60.0,
    )
    assert sam["commitments"]["first_response"]["met"] == 1
    assert (data["response_median_minutes"], data["response_p90_minutes"]) == (60.0, 60.0)


def test_a_lead_in_the_trash_leaves_the_scorecard(company, clock: FixedClock):
    kept = responded(company, clock, "Kept", 60)
    trashed = responded(company, clock, "Trashed", 300)
    Lead.update(deleted_at=clock.now()).where(Lead.id == trashed.id).execute()

    card = sla.scorecard("2026-11", now=clock.now())

    assert card.figures["lead_volume"].actual == 1
    assert (card.figures["first_response"].met, card.figures["first_response"].breached) == (1, 0)
    assert sla.clocks_for_lead(trashed.id, now=clock.now()) == []
    assert len(sla.clocks_for_lead(kept.id, now=clock.now())) == 2


def test_the_trend_shows_each_month_on_its_own_terms(company, clock: FixedClock):
    agree(dt.date(2026, 12, 1), first_response=1)
    responded(company, clock, "November", 90)  # met under four hours
    clock.at = local(2026, 12, 7, 10, 0)
    responded(company, clock, "December", 90)  # breached under one hour
    responded(company, clock, "Also December", 30)
    clock.advance(hours=1)

    months = sla.trend("2026-12", now=clock.now(), months=3)

    assert [m.month for m in months] == ["2026-10", "2026-11", "2026-12"]
    volumes = [m.figures["lead_volume"].actual for m in months]
    response = [m.figures["first_response"] for m in months]
    assert volumes == [0, 1, 2]
    assert [(f.target, f.met, f.breached) for f in response] == [
        (None, 0, 0),
        (4, 1, 0),
        (1, 1, 1),
    ]
    assert [f.compliance for f in response] == [None, 100.0, 50.0]


def test_at_risk_now_lists_the_oldest_running_clocks_first(company, clock: FixedClock):
    clock.at = local(2026, 11, 16, 9, 0)
    oldest = handed_over(company, clock, "Oldest")
    clock.at = local(2026, 11, 16, 9, 30)
    handed_over(company, clock, "Next")
    clock.at = local(2026, 11, 16, 12, 0)
    answered = handed_over(company, clock, "Answered")
    contact(answered, company.seller, clock)
    clock.at = local(2026, 11, 16, 12, 15)

    # 09:00 + 3 h: the oldest first response is at risk; the second follows at 12:30.
    listed = sla.at_risk_now(now=clock.now())
    assert [(c.lead, c.kind, c.state) for c in listed] == [("Oldest", "first_response", "at_risk")]

    later = local(2026, 11, 16, 13, 1)
    assert [(c.lead, c.state) for c in sla.at_risk_now(now=later)] == [
        ("Oldest", "breached"),
        ("Next", "at_risk"),
    ]
    gone = sla.gone_at_risk(clock.now(), now=later)
    assert [(c.lead, c.kind) for c in gone] == [("Next", "first_response")]
    assert sla.clocks_for("2026-11", now=later, state="breached")[0].lead_id == oldest.id
    assert len(sla.clocks_for("2026-11", now=later, member=company.seller.id)) == 6
    pages = [sla.clocks_for("2026-11", now=later, limit=4, offset=first) for first in (0, 4)]
    whole = sla.clocks_for("2026-11", now=later)
    assert [len(page) for page in pages] == [4, 2]
    assert [c.id for c in pages[0] + pages[1]] == [c.id for c in whole]


def test_a_month_is_written_as_yyyy_mm(company, clock: FixedClock):
    for bad in ("2026-13", "2026-1", "November", "26-11", ""):
        with pytest.raises(UserError, match="YYYY-MM"):
            sla.scorecard(bad, now=clock.now())


# --- changing the agreement ----------------------------------------------------------------------

TARGETS = {
    "lead_volume": 30,
    "lead_acceptance": "85",
    "first_response": "2.5",
    "decision": 8,
    "follow_up": 4,
    "revenue": "50000",
}


def test_the_owner_changes_the_agreement_from_a_day_on(company, clock: FixedClock):
    before = responded(company, clock, "Before", 180)  # three hours: within four
    agreement = sla.set_agreement(
        effective_from=dt.date(2026, 11, 17), targets=TARGETS, by=company.owner, clock=clock
    )
    clock.at = local(2026, 11, 17, 10, 0)
    after = responded(company, clock, "After", 180)  # three hours: not within two and a half

    assert clock_of(before, "first_response", clock.now()).state == "met"
    assert clock_of(after, "first_response", clock.now()).state == "breached"
    terms = {c.kind: c.target for c in agreement.commitments}
    assert terms["first_response"] == Decimal("2.5")
    assert terms["lead_acceptance"] == 85
    # November began under the first version: its monthly figures keep those terms.
    assert sla.scorecard("2026-11", now=clock.now()).figures["lead_volume"].target == 20
    assert sla.scorecard("2026-12", now=clock.now()).figures["lead_volume"].target == 30


def test_a_second_change_for_the_same_day_replaces_the_first(company, clock: FixedClock):
    day = dt.date(2026, 12, 1)
    sla.set_agreement(effective_from=day, targets=TARGETS, by=company.owner, clock=clock)
    sla.set_agreement(
        effective_from=day,
        targets={**TARGETS, "decision": 24},
        at_risk_share=0.5,
        by=company.owner,
        clock=clock,
    )

    versions = list(SlaAgreement.select().order_by(SlaAgreement.effective_from))
    assert [v.effective_from for v in versions] == [dt.date(2026, 11, 1), day]
    assert versions[1].at_risk_share == 0.5
    decision = SlaCommitment.get(
        (SlaCommitment.agreement == versions[1]) & (SlaCommitment.kind == "decision")
    )
    assert decision.target == 24


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"effective_from": dt.date(2026, 11, 15)}, "starts today or later"),
        ({"targets": {**TARGETS, "decision": ""}}, "Give a target for decision"),
        ({"targets": {**TARGETS, "revenue": "lots"}}, "'lots' is not a number"),
        ({"targets": {**TARGETS, "first_response": -1}}, "0 or more"),
        ({"targets": {**TARGETS, "lead_acceptance": 120}}, "100 at most"),
        ({"targets": {**TARGETS, "follow_up": 2.5}}, "whole number"),
        ({"at_risk_share": 1.0}, "between 1% and 99%"),
    ],
)
def test_an_agreement_that_cannot_hold_is_refused(company, clock: FixedClock, changes, message):
    arguments = {"effective_from": dt.date(2026, 12, 1), "targets": TARGETS, **changes}
    with pytest.raises(UserError, match=message):
        sla.set_agreement(**arguments, by=company.owner, clock=clock)
    assert SlaAgreement.select().count() == 1


def test_only_an_owner_changes_the_agreement(company, clock: FixedClock):
    with pytest.raises(UserError, match="Only an owner"):
        sla.set_agreement(
            effective_from=dt.date(2026, 12, 1), targets=TARGETS, by=company.seller, clock=clock
        )
