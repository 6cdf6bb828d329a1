"""Campaign rules and figures: checks in the user's words, status steps, spend, exact results."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from app import campaign_results, campaigns, deals, leads
from app.campaign_results import CampaignResults
from app.db import open_database
from app.errors import UserError
from app.models import AuditEntry, Campaign, CampaignSpend, Lead

FIXTURE_V1 = Path(__file__).parent.parent / "fixtures" / "tandem-v1.db"
TODAY = dt.date(2026, 11, 16)  # the clock fixture's day


def _add(company, clock, **changes):
    values = {
        "name": "Spring fair",
        "channel": "event",
        "starts_on": dt.date(2026, 11, 1),
        "ends_on": dt.date(2026, 11, 30),
        "planned_budget": "2,500",
    }
    return campaigns.add_campaign(**{**values, **changes}, by=company.marketer, clock=clock)


def _log(table, row_id):
    """The audit entries of a row, with amounts as Decimals (their text is as stored)."""
    return [
        (
            e.action,
            _amounts(json.loads(e.before or "null")),
            _amounts(json.loads(e.after or "null")),
        )
        for e in AuditEntry.select()
        .where((AuditEntry.table == table) & (AuditEntry.row_id == row_id))
        .order_by(AuditEntry.id)
    ]


def _amounts(values):
    money = ("planned_budget", "actual_spend", "amount")
    if values is None:
        return None
    return {k: Decimal(v) if k in money and v is not None else v for k, v in values.items()}


# Amounts as people type them ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2500", "2500"),
        ("2,500", "2500"),
        ("2.500", "2500"),
        ("2,500.50", "2500.50"),
        ("2.500,50", "2500.50"),
        ("2500,5", "2500.5"),
        ("1 234 567.89", "1234567.89"),
        ("1,234,567", "1234567"),
        ("0.125", "0.125"),
        (" 19.99 ", "19.99"),
        ("-40", "-40"),
    ],
)
def test_amounts_read_as_people_type_them(typed, amount):
    assert campaigns.parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed", ["", "abc", "12a", "€", "1.2.3,4,5", "2,500,50", ".", "--5", "NaN", "1e5"]
)
def test_what_is_not_an_amount_reads_as_none(typed):
    assert campaigns.parse_amount(typed) is None


# Adding and editing ---------------------------------------------------------------------------


def test_a_new_campaign_is_planned_and_logged(company, clock):
    campaign = _add(company, clock, owner=company.marketer, impressions=12000, clicks=340)

    stored = Campaign.get_by_id(campaign.id)
    assert (stored.name, stored.status, stored.planned_budget, stored.actual_spend) == (
        "Spring fair",
        "planned",
        Decimal("2500.00"),
        Decimal("0"),
    )
    assert (stored.impressions, stored.clicks, stored.engagements) == (12000, 340, 0)
    [(action, before, after)] = _log("campaign", campaign.id)
    assert (action, before, after["name"], after["owner"]) == (
        "add",
        None,
        "Spring fair",
        company.marketer.id,
    )
    assert AuditEntry.get(AuditEntry.table == "campaign").member.id == company.marketer.id


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"name": "   "}, "A campaign needs a name."),
        ({"channel": "telepathy"}, "Pick the campaign's channel: social ads, search / ppc,"),
        ({"starts_on": None}, "A campaign needs a start date."),
        (
            {"ends_on": dt.date(2026, 10, 31)},
            "The campaign cannot end (31 Oct 2026) before it starts (1 Nov 2026).",
        ),
        ({"planned_budget": "-1"}, "The planned budget cannot be negative."),
        ({"planned_budget": Decimal(-5)}, "The planned budget cannot be negative."),
        ({"planned_budget": "lots"}, "Type the planned budget as an amount of money"),
        ({"planned_budget": 2.5}, "Type the planned budget as an amount of money"),
        ({"planned_budget": "0.125"}, "The planned budget has at most two decimals (cents)."),
        ({"planned_budget": "1" * 13}, "The planned budget is larger than Tandem can hold."),
        ({"impressions": -1}, "Impressions is a whole number, 0 or more."),
        ({"clicks": 2.5}, "Clicks or visits is a whole number, 0 or more."),
        ({"engagements": "many"}, "Engagement is a whole number, 0 or more."),
        ({"engagements": True}, "Engagement is a whole number, 0 or more."),
    ],
)
def test_an_unsound_campaign_is_refused_in_words_and_nothing_saved(
    company, clock, changes, sentence
):
    with pytest.raises(UserError) as refused:
        _add(company, clock, **changes)

    assert str(refused.value).startswith(sentence)
    assert Campaign.select().count() == 0
    assert campaigns.problem({"channel": "event", **changes}) != ""


def test_the_form_check_and_the_service_agree(company):
    sound = {"name": "Fair", "channel": "radio", "starts_on": TODAY, "planned_budget": "1.200,00"}
    assert campaigns.problem(sound) == ""
    assert campaigns.problem({**sound, "ends_on": TODAY - dt.timedelta(days=1)}).startswith(
        "The campaign cannot end"
    )
    gone = company.other_seller
    gone.active = False
    gone.save()
    assert campaigns.problem({**sound, "owner": gone}) == "The owner must be someone on the team."


def test_an_edit_is_checked_whole_and_logs_only_what_changed(company, clock):
    campaign = _add(company, clock)

    with pytest.raises(UserError, match=r"cannot end .* before it starts"):
        campaigns.update_campaign(
            campaign, starts_on=dt.date(2026, 12, 5), by=company.owner, clock=clock
        )
    clock.advance(hours=1)
    campaigns.update_campaign(
        campaign,
        name="Spring fair 2027",
        planned_budget=Decimal("3000"),
        audience=" Garden centres ",
        by=company.owner,
        clock=clock,
    )

    stored = Campaign.get_by_id(campaign.id)
    assert (stored.name, stored.planned_budget, stored.audience, stored.starts_on) == (
        "Spring fair 2027",
        Decimal("3000.00"),
        "Garden centres",
        dt.date(2026, 11, 1),
    )
    _add_entry, (action, before, after) = _log("campaign", campaign.id)
    assert action == "update"
    assert before == {"name": "Spring fair", "planned_budget": 2500, "audience": ""}
    assert after == {
        "name": "Spring fair 2027",
        "planned_budget": 3000,
        "audience": "Garden centres",
    }


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        ({"status": "finished"}, "A campaign's status changes with Start and Finish"),
        ({"actual_spend": Decimal(10)}, "Spend is recorded entry by entry (Record spend)"),
    ],
)
def test_status_and_spend_are_not_edited_directly(company, clock, changes, sentence):
    campaign = _add(company, clock)
    with pytest.raises(UserError, match=sentence.replace("(", r"\(").replace(")", r"\)")):
        campaigns.update_campaign(campaign, **changes, by=company.owner, clock=clock)
    assert Campaign.get_by_id(campaign.id).status == "planned"


def test_a_campaign_in_the_trash_is_left_alone(company, clock):
    campaign = _add(company, clock)
    Campaign.update(deleted_at=clock.now()).where(Campaign.id == campaign.id).execute()
    with pytest.raises(UserError, match="'Spring fair' is in the trash; restore it first"):
        campaigns.update_campaign(campaign, name="Autumn", by=company.owner, clock=clock)
    with pytest.raises(UserError, match="in the trash"):
        campaigns.start(campaign, by=company.owner, clock=clock)


def test_an_owner_who_left_stays_on_their_campaign_until_changed(company, clock):
    campaign = _add(company, clock, owner=company.other_seller)
    company.other_seller.active = False
    company.other_seller.save()

    campaigns.update_campaign(campaign, name="Renamed", by=company.owner, clock=clock)
    assert Campaign.get_by_id(campaign.id).owner.id == company.other_seller.id
    with pytest.raises(UserError, match="The owner must be someone on the team"):
        _add(company, clock, owner=company.other_seller)


def test_an_edit_that_changes_nothing_is_not_logged(company, clock):
    campaign = _add(company, clock)
    values = {key: getattr(campaign, key) for key in campaigns.FIELDS}
    campaigns.update_campaign(
        campaign, **{**values, "planned_budget": "2500.00"}, by=company.owner, clock=clock
    )
    assert [action for action, _b, _a in _log("campaign", campaign.id)] == ["add"]


def test_the_spend_form_check_and_the_service_agree():
    assert campaigns.spend_problem("12,50", TODAY, "", TODAY) == ""
    assert campaigns.spend_problem("", TODAY, "", TODAY).startswith("Type the amount spent")
    assert campaigns.spend_problem("5", TODAY + dt.timedelta(days=1), "", TODAY).startswith(
        "Spend is recorded once it is spent"
    )


# Status steps ---------------------------------------------------------------------------------


def test_a_campaign_goes_planned_active_finished_and_says_so(company, clock):
    campaign = _add(company, clock)
    assert [step.__name__ for step in campaigns.NEXT_STEPS["planned"]] == ["start"]

    with pytest.raises(UserError) as refused:
        campaigns.finish(campaign, by=company.owner, clock=clock)
    assert str(refused.value) == (
        "A campaign goes from planned to active to finished, so only an active campaign can be "
        "finished; 'Spring fair' is planned."
    )

    assert campaigns.start(campaign, by=company.owner, clock=clock).status == "active"
    with pytest.raises(UserError, match="only a planned campaign can be started; 'Spring fair' is"):
        campaigns.start(campaign, by=company.owner, clock=clock)
    assert campaigns.finish(campaign, by=company.owner, clock=clock).status == "finished"
    with pytest.raises(UserError, match="'Spring fair' is finished"):
        campaigns.finish(campaign, by=company.owner, clock=clock)
    assert [a for a, _b, _a in _log("campaign", campaign.id)] == ["add", "start", "finish"]
    assert _log("campaign", campaign.id)[1][1:] == ({"status": "planned"}, {"status": "active"})


def test_dates_follow_when_a_campaign_really_started_and_ended(company, clock):
    early = _add(company, clock, starts_on=dt.date(2026, 12, 1), ends_on=None)

    started = campaigns.start(early, by=company.owner, clock=clock)
    assert (started.starts_on, started.ends_on) == (TODAY, None)
    finished = campaigns.finish(early, by=company.owner, clock=clock)
    assert (finished.starts_on, finished.ends_on) == (TODAY, TODAY)

    on_time = _add(company, clock, starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 10, 31))
    campaigns.start(on_time, by=company.owner, clock=clock)
    late = campaigns.finish(on_time, by=company.owner, clock=clock)
    assert (late.starts_on, late.ends_on) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


# Spend ----------------------------------------------------------------------------------------


def test_spend_entries_add_up_to_the_campaigns_spend(company, clock):
    campaign = _add(company, clock)

    campaigns.record_spend(
        campaign,
        "1,000.10",
        spent_on=dt.date(2026, 11, 2),
        note="Stand",
        by=company.owner,
        clock=clock,
    )
    campaigns.record_spend(
        campaign, Decimal("499.90"), spent_on=TODAY, by=company.owner, clock=clock
    )

    assert Campaign.get_by_id(campaign.id).actual_spend == Decimal("1500.00")
    assert [(e.spent_on, e.amount, e.note) for e in campaigns.spend_entries(campaign.id)] == [
        (TODAY, Decimal("499.90"), ""),
        (dt.date(2026, 11, 2), Decimal("1000.10"), "Stand"),
    ]
    spend_log = [(a, b, c) for a, b, c in _log("campaign", campaign.id) if a == "record spend"]
    assert spend_log == [
        ("record spend", {"actual_spend": 0}, {"actual_spend": Decimal("1000.10")}),
        ("record spend", {"actual_spend": Decimal("1000.10")}, {"actual_spend": 1500}),
    ]
    assert AuditEntry.select().where(AuditEntry.table == "campaign_spend").count() == 2


def test_a_mistaken_entry_is_removed_and_the_spend_drops(company, clock):
    campaign = _add(company, clock)
    keep = campaigns.record_spend(campaign, 300, spent_on=TODAY, by=company.owner, clock=clock)
    wrong = campaigns.record_spend(campaign, 3000, spent_on=TODAY, by=company.owner, clock=clock)

    assert campaigns.remove_spend(wrong, by=company.owner, clock=clock).actual_spend == 300
    assert [e.id for e in campaigns.spend_entries(campaign.id)] == [keep.id]
    assert _log("campaign_spend", wrong.id)[-1][0] == "remove"
    with pytest.raises(UserError, match="already removed"):
        campaigns.remove_spend(wrong, by=company.owner, clock=clock)


@pytest.mark.parametrize(
    ("amount", "day", "note", "sentence"),
    [
        ("0", TODAY, "", "The amount spent must be more than zero."),
        ("-20", TODAY, "", "The amount spent cannot be negative."),
        ("twenty", TODAY, "", "Type the amount spent as an amount of money"),
        ("20", TODAY + dt.timedelta(days=1), "", "Spend is recorded once it is spent"),
        ("20", TODAY, "x" * 201, "Keep the note to 200 characters; this one has 201."),
    ],
)
def test_unsound_spend_is_refused_and_nothing_changes(company, clock, amount, day, note, sentence):
    campaign = _add(company, clock)
    campaigns.record_spend(campaign, "100", spent_on=TODAY, by=company.owner, clock=clock)

    with pytest.raises(UserError) as refused:
        campaigns.record_spend(
            campaign, amount, spent_on=day, note=note, by=company.owner, clock=clock
        )

    assert str(refused.value).startswith(sentence)
    assert Campaign.get_by_id(campaign.id).actual_spend == Decimal(100)
    assert CampaignSpend.select().count() == 1


def test_spend_typed_as_a_total_before_entries_is_kept_as_an_entry(company, clock):
    # The sample company (and files from before entries) hold a total without entries.
    campaign = _add(company, clock)
    Campaign.update(actual_spend=Decimal("700.25")).where(Campaign.id == campaign.id).execute()

    campaigns.record_spend(campaign, "99.75", spent_on=TODAY, by=company.owner, clock=clock)

    assert Campaign.get_by_id(campaign.id).actual_spend == Decimal("800.00")
    assert [(e.amount, e.note) for e in campaigns.spend_entries(campaign.id)] == [
        (Decimal("99.75"), ""),
        (Decimal("700.25"), campaigns.EARLIER_SPEND_NOTE),
    ]


def test_spend_and_its_entry_are_saved_together_or_not_at_all(company, clock):
    campaign = _add(company, clock)
    huge = campaigns.LARGEST_AMOUNT - 10
    Campaign.update(actual_spend=huge).where(Campaign.id == campaign.id).execute()

    with pytest.raises(UserError, match="larger than Tandem can hold"):
        campaigns.record_spend(campaign, "20", spent_on=TODAY, by=company.owner, clock=clock)

    assert CampaignSpend.select().count() == 0  # not even the earlier total's entry
    assert Campaign.get_by_id(campaign.id).actual_spend == huge


def test_an_older_file_keeps_its_spend_as_one_entry_per_campaign(tmp_path, clock):
    path = tmp_path / "old.db"
    shutil.copyfile(FIXTURE_V1, path)  # holds 'Spring fair' with 1800 spent

    store = open_database(path, clock=clock)
    try:
        [entry] = CampaignSpend.select()
        assert (entry.campaign.name, entry.amount, entry.spent_on, entry.note) == (
            "Spring fair",
            Decimal(1800),
            dt.date(2025, 3, 1),
            campaigns.EARLIER_SPEND_NOTE,
        )
        assert entry.campaign.actual_spend == Decimal(1800)
    finally:
        store.close()


# Results --------------------------------------------------------------------------------------


def _lead(company, clock, campaign, name, *steps, reason=None, deal=None):
    """A lead from the campaign taken through the given steps of its life."""
    clock.advance(minutes=10)
    lead = leads.add_lead(name=name, campaign=campaign, by=company.marketer, clock=clock)
    for step in steps:
        clock.advance(minutes=10)
        if step == "qualify":
            leads.qualify(lead, by=company.marketer, clock=clock)
        elif step == "hand over":
            leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
        elif step == "accept":
            leads.accept(lead, by=company.seller, clock=clock)
        elif step == "reject":
            label_of = {r.label: r for r in company.reasons["rejection"]}
            leads.reject(lead, label_of[reason], by=company.seller, clock=clock)
        elif step in ("win", "lose", "convert"):
            made = leads.convert_to_deal(
                lead, value=deal, currency="EUR", by=company.seller, clock=clock
            )
            if step == "win":
                deals.win(made, by=company.seller, clock=clock)
            elif step == "lose":
                deals.lose(made, company.reasons["loss"][0], by=company.seller, clock=clock)
    return lead


@pytest.fixture
def fair(company, clock):
    """A campaign that spent 1500 and brought nine leads, each left at another point."""
    fair = _add(company, clock)
    campaigns.record_spend(fair, "1000", spent_on=TODAY, by=company.owner, clock=clock)
    campaigns.record_spend(fair, "500", spent_on=TODAY, by=company.owner, clock=clock)
    q, h = "qualify", "hand over"
    _lead(company, clock, fair, "New")
    _lead(company, clock, fair, "Qualified", q)
    _lead(company, clock, fair, "Waiting", q, h)
    _lead(company, clock, fair, "Poor", q, h, "reject", reason="No budget")
    _lead(company, clock, fair, "Poorer", q, h, "reject", reason="No budget")
    _lead(company, clock, fair, "Wrong", q, h, "reject", reason="Not our target customer")
    _lead(company, clock, fair, "Buyer", q, h, "accept", "win", deal="2000")
    _lead(company, clock, fair, "Big buyer", q, h, "accept", "win", deal="3000.50")
    _lead(company, clock, fair, "Got away", q, h, "accept", "lose", deal="9999")
    return fair


def test_a_campaigns_results_exactly(company, clock, fair):
    other = _add(company, clock, name="Radio")
    _lead(company, clock, other, "Elsewhere", "qualify", "hand over", "accept", "win", deal="50")

    results = campaign_results.results_for(fair.id)

    assert results == CampaignResults(
        spend=Decimal("1500.00"),
        leads=9,
        qualified=8,
        handed_over=7,
        accepted=3,
        rejected=3,
        deals_won=2,
        revenue=Decimal("5000.50"),
        rejections=[("No budget", 2), ("Not our target customer", 1)],
    )
    assert results.cost_per_lead == Decimal("166.67")
    assert results.cost_per_qualified_lead == Decimal("187.50")
    assert results.cost_per_won_deal == Decimal("750.00")
    assert results.return_on_spend == Decimal("2.3337")  # (5000.50 − 1500) ÷ 1500
    assert results.acceptance == Decimal("0.5000")


def test_a_lead_handed_over_twice_counts_each_handover(company, clock, fair):
    lead = Lead.get(Lead.name == "Poor")
    leads.qualify(lead, by=company.marketer, clock=clock)
    leads.hand_over(lead, to=company.seller, by=company.marketer, clock=clock)
    leads.accept(lead, by=company.seller, clock=clock)

    results = campaign_results.results_for(fair.id)

    assert (results.leads, results.handed_over, results.accepted, results.rejected) == (9, 8, 4, 3)


def test_the_trash_does_not_count(company, clock, fair):
    Lead.update(deleted_at=clock.now()).where(Lead.name.in_(["Big buyer", "New"])).execute()

    results = campaign_results.results_for(fair.id)

    assert (results.leads, results.deals_won, results.revenue) == (7, 1, Decimal("2000.00"))
    assert results.cost_per_lead == Decimal("214.29")


def test_nothing_to_divide_by_gives_no_figure(company, clock):
    idle = _add(company, clock)
    results = campaign_results.results_for(idle.id)
    assert (results.leads, results.spend, results.revenue) == (0, Decimal(0), Decimal(0))
    assert results.cost_per_lead is None
    assert results.cost_per_qualified_lead is None
    assert results.cost_per_won_deal is None
    assert results.return_on_spend is None
    assert results.acceptance is None

    campaigns.record_spend(idle, "250", spent_on=TODAY, by=company.owner, clock=clock)
    spent = campaign_results.results_for(idle.id)
    assert (spent.cost_per_lead, spent.return_on_spend) == (None, Decimal("-1.0000"))


def test_the_list_summary_gives_every_campaigns_figures(company, clock, fair):
    radio = _add(company, clock, name="Radio", channel="radio", starts_on=dt.date(2026, 11, 10))
    _lead(company, clock, radio, "Listener", "qualify", "hand over", "accept", "win", deal="80")
    trashed = _add(company, clock, name="Gone")
    Campaign.update(deleted_at=clock.now()).where(Campaign.id == trashed.id).execute()
    _lead(company, clock, radio, "Binned", "qualify", "hand over", "accept", "win", deal="999")
    Lead.update(deleted_at=clock.now()).where(Lead.name == "Binned").execute()

    rows = campaign_results.summary()

    assert [row.name for row in rows] == ["Radio", "Spring fair"]  # newest start first
    radio_row, fair_row = rows
    assert (radio_row.leads, radio_row.qualified, radio_row.deals_won) == (1, 1, 1)
    assert (radio_row.revenue, radio_row.spend, radio_row.cost_per_lead) == (
        Decimal("80.00"),
        Decimal("0.00"),
        Decimal("0.00"),  # nothing spent: each lead cost nothing
    )
    assert radio_row.return_on_spend is None
    assert (fair_row.leads, fair_row.qualified, fair_row.deals_won) == (9, 8, 2)
    assert (fair_row.spend, fair_row.revenue, fair_row.planned_budget) == (
        Decimal("1500.00"),
        Decimal("5000.50"),
        Decimal("2500.00"),
    )
    assert (fair_row.cost_per_lead, fair_row.return_on_spend) == (
        Decimal("166.67"),
        Decimal("2.3337"),
    )
    assert (fair_row.channel, fair_row.status, fair_row.starts_on, fair_row.ends_on) == (
        "event",
        "planned",
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )


def test_the_summary_is_one_statement_however_many_campaigns(company, clock, store, monkeypatch):
    for number in range(5):
        campaign = _add(company, clock, name=f"Campaign {number}")
        _lead(company, clock, campaign, f"Lead {number}", "qualify")
    statements = []
    real = store.db.execute_sql
    monkeypatch.setattr(
        store.db, "execute_sql", lambda sql, *a, **k: statements.append(sql) or real(sql, *a, **k)
    )

    rows = campaign_results.summary()

    assert len(rows) == 5
    assert len(statements) == 1
    assert "GROUP BY" in statements[0]
