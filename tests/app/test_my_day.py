"""My day: first contacts still waiting, and follow-ups due, for one person or everyone."""

import datetime as dt

from app import activities, leads, my_day


def handed_over(company, clock, name, to):
    lead = leads.add_lead(name=name, source="referral", by=company.owner, clock=clock)
    leads.qualify(lead, by=company.owner, clock=clock)
    return leads.hand_over(lead, to=to, by=company.owner, clock=clock)


def test_waiting_leads_oldest_first_until_contacted(company, clock):
    first = handed_over(company, clock, "Ana", company.seller)
    clock.advance(hours=2)
    second = handed_over(company, clock, "Ben", company.seller)
    handed_over(company, clock, "Cem", company.other_seller)
    waiting = my_day.waiting_for_first_contact(company.seller.id)
    assert [w.lead_id for w in waiting] == [first.id, second.id]
    assert len(my_day.waiting_for_first_contact(None)) == 3

    clock.advance(hours=1)
    activities.log_activity(
        kind="note", lead=first, notes="Looked them up", by=company.seller, clock=clock
    )
    still = my_day.waiting_for_first_contact(company.seller.id)
    assert still[0].lead_id == first.id  # a note is not a first contact
    activities.log_activity(
        kind="call", lead=first, outcome="Spoke", by=company.seller, clock=clock
    )
    assert [w.lead_id for w in my_day.waiting_for_first_contact(company.seller.id)] == [second.id]


def test_follow_ups_due_until_something_is_logged(company, clock):
    lead = handed_over(company, clock, "Ana", company.seller)
    today = clock.now().date()
    activities.log_activity(
        kind="call",
        lead=lead,
        outcome="Call back Friday",
        follow_up_on=today + dt.timedelta(days=4),
        by=company.seller,
        clock=clock,
    )
    assert my_day.follow_ups_due(company.seller.id, today) == []
    friday = today + dt.timedelta(days=4)
    due = my_day.follow_ups_due(company.seller.id, friday + dt.timedelta(days=2))
    assert [(d.lead_id, d.due, d.last_outcome) for d in due] == [
        (lead.id, friday, "Call back Friday")
    ]
    assert my_day.follow_ups_due(company.other_seller.id, friday) == []

    clock.advance(days=5)
    activities.log_activity(
        kind="email", lead=lead, outcome="Sent the offer", by=company.seller, clock=clock
    )
    assert my_day.follow_ups_due(company.seller.id, friday + dt.timedelta(days=2)) == []


def test_closed_leads_have_no_follow_ups(company, clock):
    lead = handed_over(company, clock, "Ana", company.seller)
    activities.log_activity(
        kind="call",
        lead=lead,
        outcome="x",
        follow_up_on=clock.now().date(),
        by=company.seller,
        clock=clock,
    )
    reason = next(r for r in company.reasons["rejection"] if not r.unresponsive)
    leads.reject(lead, reason, by=company.seller, clock=clock)
    assert my_day.follow_ups_due(None, clock.now().date()) == []
