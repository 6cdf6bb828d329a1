"""The plan's figures, exact, from records made through the app's own steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from app import deals, forecast, funnel, leads, metrics, plans
from app.errors import UserError
from app.metrics import Period
from app.models import Campaign, Deal, Lead

TODAY = dt.date(2026, 11, 16)
OCTOBER = Period.of("2026-10")


@dataclass
class October:
    ads: Campaign
    newsletter: Campaign
    won: Deal
    lost: Deal
    ahead: Deal
    overdue: Deal


def at(clock, *args):
    clock.at = dt.datetime(*args)


def build_october(company, clock, *, special_name="Ada Ads") -> October:
    """A small October for the test company (Berlin time, naive UTC in the records):

    - Autumn ads (search, all October): spend 1,550, 31,000 impressions, 3,100 clicks;
      Newsletter (email, 16 Oct to 14 Nov, 30 days): spend 300 and 3,000 impressions in all,
      so 16/30 of them fall in October.
    - 7 October leads: 4 from the ads (the first made at 22:30 UTC on 30 September, which is
      already 1 October in Berlin), 2 from the newsletter, 1 referral. One more ads lead at
      23:30 UTC on 31 October belongs to November.
    - 4 qualified, 3 handed over, 2 accepted and 1 rejected (No budget); both accepted become
      deals: one won for 3,000 (Sam), one lost for Price. A repeat order of 500 is won without
      a lead (Sia). Open: one deal due in December, one overdue since 1 November.
    """
    owner, mara, sam, sia = company.owner, company.marketer, company.seller, company.other_seller
    ads = Campaign.create(
        name="Autumn ads", channel="search_ppc", starts_on=dt.date(2026, 10, 1),
        ends_on=dt.date(2026, 10, 31), planned_budget=Decimal(3100), actual_spend=Decimal(1550),
        status="finished", impressions=31000, clicks=3100, engagements=310,
        created_at=dt.datetime(2026, 9, 20),
    )  # fmt: skip
    newsletter = Campaign.create(
        name="Newsletter", channel="email_newsletter", starts_on=dt.date(2026, 10, 16),
        ends_on=dt.date(2026, 11, 14), planned_budget=Decimal(300), actual_spend=Decimal(300),
        status="finished", impressions=3000, clicks=300, engagements=30,
        created_at=dt.datetime(2026, 9, 20),
    )  # fmt: skip

    def lead(name, campaign=None, when=(2026, 10, 5, 9)):
        at(clock, *when)
        source = "campaign" if campaign else "referral"
        return leads.add_lead(name=name, source=source, campaign=campaign, by=mara, clock=clock)

    first = lead(special_name, ads, (2026, 9, 30, 22, 30))  # 1 October, 00:30 in Berlin
    second = lead("Ben Ads", ads)
    third = lead("Cleo Ads", ads)
    lead("Dan Ads", ads)
    fifth = lead("Eve News", newsletter, (2026, 10, 20, 9))
    lead("Finn News", newsletter, (2026, 10, 20, 9))
    lead("Gus Referral")
    lead("Hal Late", ads, (2026, 10, 31, 23, 30))  # 1 November, 00:30 in Berlin

    at(clock, 2026, 10, 6, 9)
    for each in (first, second, third, fifth):
        leads.qualify(each, by=mara, clock=clock)
    for each in (first, second, fifth):
        leads.hand_over(each, to=sam, by=mara, clock=clock)
    at(clock, 2026, 10, 7, 9)
    leads.accept(first, by=sam, clock=clock)
    leads.accept(second, by=sam, clock=clock)
    no_budget = next(r for r in company.reasons["rejection"] if r.label == "No budget")
    leads.reject(fifth, no_budget, by=sam, clock=clock)
    at(clock, 2026, 10, 8, 9)
    won = leads.convert_to_deal(first, value="3000", currency="EUR", by=sam, clock=clock)
    lost = leads.convert_to_deal(second, value="1000", currency="EUR", by=sam, clock=clock)
    at(clock, 2026, 10, 10, 9)
    deals.move_to_stage(won, "proposal", by=sam, clock=clock)
    at(clock, 2026, 10, 20, 9)
    deals.win(won, by=sam, clock=clock)
    price = next(r for r in company.reasons["loss"] if r.label == "Price")
    deals.lose(lost, price, by=sam, clock=clock)
    repeat = deals.add_deal(title="Repeat order", value=Decimal(500), currency="EUR", owner=sia,
                            by=sia, clock=clock)  # fmt: skip
    deals.win(repeat, by=sia, clock=clock)
    ahead = deals.add_deal(title="Big hedge", value=Decimal(2000), currency="EUR", owner=sam,
                           stage="proposal", expected_close=dt.date(2026, 12, 10), by=sam,
                           clock=clock)  # fmt: skip
    overdue = deals.add_deal(title="Old fence", value=Decimal(800), currency="EUR", owner=sam,
                             expected_close=dt.date(2026, 11, 1), by=sam, clock=clock)  # fmt: skip
    at(clock, 2026, 11, 16, 10)
    plans.set_targets(
        "2026-10",
        {
            (None, "revenue", None): Decimal(5000),
            (None, "deals_won", None): Decimal(4),
            (None, "qualified_leads", None): Decimal(6),
            (None, "budget", None): Decimal(2000),
            (None, "budget", "search_ppc"): Decimal(1600),
            (sam.id, "revenue", None): Decimal(4000),
            (mara.id, "qualified_leads", None): Decimal(6),
        },
        by=owner,
        clock=clock,
    )
    plans.set_targets("2026-12", {(None, "revenue", None): Decimal(10000)}, by=owner, clock=clock)
    return October(ads, newsletter, Deal.get_by_id(won.id), Deal.get_by_id(lost.id), ahead, overdue)


@pytest.fixture
def october(store, company, clock):
    return build_october(company, clock)


def test_months_are_the_companys_months_not_utc(october):
    assert OCTOBER.bounds() == (dt.datetime(2026, 9, 30, 22), dt.datetime(2026, 10, 31, 23))
    assert metrics.add_months("2026-01", -1) == "2025-12"
    assert Period.before("2026-11", 3) == Period("2026-08", "2026-10")
    with pytest.raises(UserError, match="not a month"):
        metrics.parse_month("2026-13")


def test_funnel_counts_each_step_of_the_month(october):
    flow = funnel.funnel(OCTOBER, today=TODAY)

    counts = {step.key: step.count for step in flow.steps}
    assert counts == {
        "impressions": 31000 + 1600,
        "clicks": 3100 + 160,
        "leads": 7,
        "qualified": 4,
        "handed_over": 3,
        "accepted": 2,
        "deals": 2,
        "won": 1,
    }
    assert flow.conversion("leads") == round(100 * 7 / 3260, 1)
    assert flow.conversion("qualified") == 57.1  # 4 of 7
    assert flow.conversion("won") == 50.0
    assert (flow.engagements, flow.rejected, flow.campaign_leads) == (310 + 16, 1, 6)
    assert flow.acceptance == round(100 * 2 / 3, 1)
    assert flow.direct_deals_won == 1
    assert funnel.funnel(Period.of("2026-11"), today=TODAY).count("leads") == 1


def test_costs_by_campaign_and_channel(october):
    costs = metrics.costs(OCTOBER, today=TODAY)

    ads, news = costs.by_campaign
    assert (ads.label, ads.spend, ads.leads, ads.qualified, ads.won) == (
        "Autumn ads", Decimal("1550.00"), 4, 3, 1,
    )  # fmt: skip
    assert (ads.per_lead, ads.per_qualified, ads.per_won) == (
        Decimal("387.50"), Decimal("516.67"), Decimal("1550.00"),
    )  # fmt: skip
    assert (news.spend, news.leads, news.qualified, news.per_won) == (Decimal("160.00"), 2, 1, None)
    assert [c.channel for c in costs.by_channel] == ["search_ppc", "email_newsletter"]
    assert costs.total.spend == Decimal("1710.00")
    assert costs.total.per_lead == Decimal("285.00")  # 1,710 / 6 campaign leads
    assert costs.total.revenue == Decimal(3000)


def test_cycle_stage_times_and_reasons(october):
    cycle = metrics.sales_cycle(OCTOBER)
    # The lead came 30 Sep 22:30 UTC and was won 20 Oct 09:00; the repeat order the same day.
    lead_days = (dt.datetime(2026, 10, 20, 9) - dt.datetime(2026, 9, 30, 22, 30)).total_seconds()
    assert cycle.deals == 2
    assert cycle.median_days == round((lead_days / 86400 + 0) / 2, 1)

    stages = {s.stage: s for s in metrics.time_in_stages(OCTOBER)}
    assert stages["qualification"].moves == 3  # won deal and lost deal left it; repeat order too
    assert stages["proposal"].median_days == 10.0  # 10 Oct to 20 Oct
    assert "negotiation" not in stages

    reasons = metrics.reasons(OCTOBER)
    assert reasons.rejections == [("No budget", 1)]
    assert reasons.losses == [("Price", 1)]
    assert reasons.disqualifications == []
    assert reasons.lost_value == Decimal(1000)


def test_pipeline_against_the_revenue_target(october):
    pipeline = forecast.pipeline("2026-11", today=TODAY)

    november, december, january = pipeline.months
    assert (november.deals, december.deals, january.deals) == (0, 1, 0)
    assert december.value == Decimal(2000)
    assert december.weighted == Decimal("600.00")  # proposal: 30%
    assert december.target == Decimal(10000)
    assert december.gap == Decimal("9400.00")
    assert (pipeline.overdue_deals, pipeline.overdue_value) == (1, Decimal(800))
    assert forecast.revenue_won(["2026-10", "2026-11"]) == {
        "2026-10": Decimal(3500),
        "2026-11": Decimal(0),
    }


def test_quota_attainment_per_member_and_team(october, company):
    team, people, channels = forecast.attainment("2026-10", today=TODAY)

    assert team.figures["revenue"].actual == Decimal(3500)
    assert team.figures["revenue"].percent == 70.0
    assert team.figures["deals_won"].percent == 50.0
    assert team.figures["qualified_leads"].actual == 3
    assert team.figures["budget"].actual == Decimal("1710.00")
    by_name = {quota.name: quota for quota in people}
    assert by_name["Sam Sales"].figures["revenue"].percent == 75.0
    assert by_name["Mara Marketing"].figures["qualified_leads"].percent == 50.0
    assert set(by_name["Mara Marketing"].figures) == {"qualified_leads"}
    search = next(c for c in channels if c.channel == "search_ppc")
    assert (search.target, search.spend) == (Decimal(1600), Decimal("1550.00"))


def test_trashed_leads_do_not_count(october):
    Lead.update(deleted_at=dt.datetime(2026, 11, 1)).where(Lead.name == "Ben Ads").execute()

    assert funnel.funnel(OCTOBER, today=TODAY).count("leads") == 6
    assert metrics.costs(OCTOBER, today=TODAY).by_campaign[0].leads == 3


def test_one_pass_counts_several_periods_as_each_alone(october):
    october_alone = metrics.lead_counts(OCTOBER)[0]
    both = metrics.lead_counts(OCTOBER, Period("2026-09", "2026-11"))

    assert both[0] == october_alone
    assert (october_alone.leads, october_alone.campaign_leads) == (7, 6)
    assert (both[1].leads, both[1].qualified_leads) == (8, 4)
    assert october_alone.created[october.ads.id] == 4
