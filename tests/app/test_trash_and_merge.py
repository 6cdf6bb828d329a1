"""Deleting to the trash and back, and merging two leads that are one person."""

from decimal import Decimal

import pytest

from app import leads, merge, trash
from app.errors import UserError
from app.models import AuditEntry, Deal, Handover, Lead


def add(team, clock, **fields):
    return leads.add_lead(source="referral", by=team.owner, clock=clock, **fields)


def test_trash_and_restore_are_logged(company, clock):
    lead = add(company, clock, name="Ana")
    trash.move_to_trash("lead", lead.id, by=company.owner, clock=clock)
    assert Lead.get_by_id(lead.id).deleted_at == clock.now()
    with pytest.raises(UserError, match="already in the trash"):
        trash.move_to_trash("lead", lead.id, by=company.owner, clock=clock)
    trash.restore("lead", lead.id, by=company.owner, clock=clock)
    assert Lead.get_by_id(lead.id).deleted_at is None
    actions = [
        e.action
        for e in AuditEntry.select()
        .where(AuditEntry.row_id == lead.id)
        .where(AuditEntry.table == "lead")
        .order_by(AuditEntry.id)
    ]
    assert actions[-2:] == ["move to trash", "restore"]
    with pytest.raises(UserError, match="no longer exists"):
        trash.restore("lead", 9999, by=company.owner, clock=clock)


def test_a_lead_in_the_trash_takes_no_steps(company, clock):
    lead = add(company, clock, name="Ana")
    trash.move_to_trash("lead", lead.id, by=company.owner, clock=clock)
    with pytest.raises(UserError, match="in the trash"):
        leads.qualify(lead, by=company.owner, clock=clock)


def test_merge_moves_history_and_fills_gaps(company, clock):
    keep = add(company, clock, name="Dora", email="dora@example.com", notes="Met at the fair")
    other = add(company, clock, company="Dora's Garden", phone="+1 555", notes="Wants roses")
    leads.qualify(other, by=company.owner, clock=clock)
    leads.hand_over(other, to=company.seller, by=company.owner, clock=clock)
    leads.accept(other, by=company.owner, clock=clock)
    deal = leads.convert_to_deal(other, value="900", currency="EUR", by=company.owner, clock=clock)
    kept = merge.merge_leads(keep, other, by=company.owner, clock=clock)
    assert (kept.name, kept.company, kept.email, kept.phone) == (
        "Dora",
        "Dora's Garden",
        "dora@example.com",
        "+1 555",
    )
    assert kept.notes == "Met at the fair\n\nWants roses"
    assert Handover.get(Handover.to_member == company.seller).lead.id == keep.id
    assert Deal.get_by_id(deal.id).lead.id == keep.id
    assert Lead.get_by_id(other.id).deleted_at is not None


def test_merge_refuses_what_cannot_be_merged(company, clock):
    lead = add(company, clock, name="Ana")
    gone = add(company, clock, name="Ben")
    with pytest.raises(UserError, match="two different"):
        merge.merge_leads(lead, lead, by=company.owner, clock=clock)
    trash.move_to_trash("lead", gone.id, by=company.owner, clock=clock)
    with pytest.raises(UserError, match="Restore both"):
        merge.merge_leads(lead, gone, by=company.owner, clock=clock)


def test_the_trash_lists_every_kind_newest_first(company, clock):
    import datetime as dt

    from app import campaigns as campaign_rules
    from app import deals as deal_rules

    lead = add(company, clock, name="Ana")
    campaign = campaign_rules.add_campaign(
        name="Flyers",
        channel="print",
        starts_on=dt.date(2026, 10, 1),
        by=company.owner,
        clock=clock,
    )
    deal = deal_rules.add_deal(
        title="Roof garden", value=Decimal(100), currency="EUR", by=company.owner, clock=clock
    )
    for kind, record_id in (("lead", lead.id), ("campaign", campaign.id), ("deal", deal.id)):
        clock.advance(minutes=1)
        trash.move_to_trash(kind, record_id, by=company.owner, clock=clock)
    assert [(t.kind, t.title) for t in trash.in_trash()] == [
        ("deal", "Roof garden"),
        ("campaign", "Flyers"),
        ("lead", "Ana"),
    ]


def test_history_reads_as_field_before_and_after(company, clock):
    from app import audit

    lead = add(company, clock, name="Ana")
    clock.advance(minutes=5)
    leads.qualify(lead, by=company.marketer, clock=clock)
    newest = audit.readable_history("lead", lead.id)[0]
    assert (newest.member, newest.action) == ("Mara Marketing", "qualify")
    assert "stage: new → qualified" in newest.changes
    assert "temperature: cold → qualified" in newest.changes
