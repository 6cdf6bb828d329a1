"""Targets and the written plan (checked and audited), and the reverse-funnel planner."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app import planner, plans
from app.errors import UserError
from app.metrics import Period
from app.models import AuditEntry, MonthlyPlan, Target
from app.planner import History
from tests.app.test_metrics import TODAY, build_october


def test_targets_are_set_changed_and_removed_with_an_audit_trail(store, company, clock):
    sam = company.seller
    plans.set_targets(
        "2026-12",
        {(None, "revenue", None): Decimal(9000), (sam.id, "deals_won", None): Decimal(3)},
        by=company.owner,
        clock=clock,
    )
    plans.set_targets("2026-12", {(sam.id, "deals_won", None): Decimal(4)}, by=sam, clock=clock)
    plans.set_targets("2026-12", {(None, "revenue", None): None}, by=sam, clock=clock)

    assert plans.targets("2026-12") == {(sam.id, "deals_won", None): Decimal(4)}
    trail = list(AuditEntry.select().where(AuditEntry.table == "target").order_by(AuditEntry.id))
    assert [entry.action for entry in trail] == [
        "set target",
        "set target",
        "set target",
        "remove target",
    ]
    assert json.loads(trail[2].before) == {"value": "3"}
    assert json.loads(trail[2].after) == {"value": "4"}
    assert trail[2].member_id == sam.id


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ((None, "revenue", None), Decimal(-1), "cannot be negative"),
        ((None, "deals_won", None), Decimal("2.5"), "whole number"),
        ((None, "revenue", None), Decimal("10.005"), "two decimals"),
        ((None, "revenue", "search_ppc"), Decimal(1), "Only the marketing budget"),
        ((None, "budget", "billboards"), Decimal(1), "Only the marketing budget"),
        (("seller", "budget", None), Decimal(1), "the team's, not Sam Sales's"),
        (("seller", "qualified_leads", None), Decimal(1), "marketing delivers"),
        (("marketer", "revenue", None), Decimal(1), "sales wins"),
        ((None, "smiles", None), Decimal(1), "not something Tandem sets targets for"),
    ],
)
def test_a_target_that_makes_no_sense_is_refused_and_nothing_is_saved(
    store, company, clock, key, value, message
):
    member, metric, channel = key
    member_id = getattr(company, member).id if member else None
    fine = {(None, "revenue", None): Decimal(100)}
    with pytest.raises(UserError, match=message):
        plans.set_targets(
            "2026-12", {**fine, (member_id, metric, channel): value}, by=None, clock=clock
        )
    assert Target.select().count() == 0


def test_targets_as_typed():
    assert plans.parse_target("revenue", " 12,500.50 ") == Decimal("12500.50")
    assert plans.parse_target("deals_won", "") is None
    with pytest.raises(UserError, match="'lots' is not a number"):
        plans.parse_target("revenue", "lots")
    with pytest.raises(UserError, match="whole number"):
        plans.parse_target("qualified_leads", "3.5")


def test_the_written_plan_and_copying_last_months(store, company, clock):
    with pytest.raises(UserError, match="no written plan for October 2026"):
        plans.copy_from_last_month("2026-11", by=company.owner, clock=clock)
    october = plans.WrittenPlan(objectives="Sell <b>hedges</b> & trees", agenda_notes="Review")
    plans.save_written_plan("2026-10", october, by=company.owner, clock=clock)
    plans.save_written_plan("2026-11", plans.WrittenPlan(objectives="old"), by=None, clock=clock)

    copied = plans.copy_from_last_month("2026-11", by=company.owner, clock=clock)

    assert copied == october
    assert plans.written_plan("2026-11") == october
    assert plans.written_plan("2027-01").is_empty()
    assert MonthlyPlan.select().count() == 2
    actions = [e.action for e in AuditEntry.select().where(AuditEntry.table == "monthly_plan")]
    assert actions == ["start plan", "start plan", "write plan"]


HISTORY = History(
    period=Period("2026-05", "2026-10"),
    revenue=Decimal(200000),
    lead_revenue=Decimal(150000),  # 75% from leads
    deals_won=30,  # average deal from a lead: 5,000
    deals_opened=60,  # half are won
    handed_over=150,
    accepted=120,  # 80% accepted; half of those become deals
    qualified=160,
    campaign_qualified=120,  # 75% from campaigns
    spend_by_channel={"search_ppc": Decimal(6000), "email_newsletter": Decimal(600)},
    qualified_by_channel={"search_ppc": 80, "email_newsletter": 40},
)


def test_the_planner_works_back_from_revenue_to_leads_and_budget():
    result = planner.plan(Decimal(100000), HISTORY, currency="EUR")

    # 100,000 x 75% = 75,000 from leads; / 5,000 = 15 deals; / 50% = 30 opened;
    # / 50% = 60 accepted; / 80% = 75 handed over; x 75% = 56.25, so 57 bought from campaigns:
    # search 57 x 6,000 / 120 = 2,850; email 57 x 600 / 120 = 285.
    assert (result.deals_won, result.deals_opened, result.accepted) == (15, 30, 60)
    assert result.qualified_leads == 75
    assert result.budget_by_channel == {
        "search_ppc": Decimal(2850),
        "email_newsletter": Decimal(285),
    }
    assert result.budget == Decimal(3135)
    values = [line.value for line in result.working]
    assert values[:3] == ["100,000 EUR", "75,000 EUR", "15"]
    assert values[-1] == "3,135 EUR"
    assert "75% of revenue" in result.working[1].text


def test_the_planner_says_when_history_is_too_thin():
    thin = History(Period("2026-10", "2026-10"), Decimal(0), Decimal(0), 0, 0, 0, 0, 0, 0)
    with pytest.raises(UserError, match="not enough history"):
        planner.plan(Decimal(1000), thin, currency="EUR")
    with pytest.raises(UserError, match="above zero"):
        planner.plan(Decimal(0), HISTORY, currency="EUR")


def test_history_reads_the_teams_record(store, company, clock):
    build_october(company, clock)

    past = planner.history("2026-11", months=1, today=TODAY)

    assert (past.revenue, past.lead_revenue, past.deals_won) == (3500, 3000, 1)
    assert (past.deals_opened, past.handed_over, past.accepted) == (2, 3, 2)
    assert (past.qualified, past.campaign_qualified) == (4, 4)
    assert past.spend_by_channel == {
        "search_ppc": Decimal("1550.00"),
        "email_newsletter": Decimal("160.00"),
    }
    assert past.qualified_by_channel == {"search_ppc": 3, "email_newsletter": 1}


def test_applying_a_plan_sets_the_months_targets_and_the_slas_lead_volume(store, company, clock):
    from app import sla

    plans.set_targets(
        "2026-12", {(None, "budget", "print"): Decimal(999)}, by=company.owner, clock=clock
    )
    result = planner.plan(Decimal(100000), HISTORY, currency="EUR")

    planner.apply("2026-12", result, by=company.owner, clock=clock)

    assert plans.targets("2026-12") == {
        (None, "revenue", None): Decimal(100000),
        (None, "deals_won", None): Decimal(15),
        (None, "qualified_leads", None): Decimal(75),
        (None, "budget", None): Decimal(3135),
        (None, "budget", "search_ppc"): Decimal(2850),
        (None, "budget", "email_newsletter"): Decimal(285),
    }
    card = sla.scorecard("2026-12", now=clock.now())
    assert card.figures["lead_volume"].target == 75
