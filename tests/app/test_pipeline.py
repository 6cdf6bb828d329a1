"""The pipeline's figures: column totals, cards, the deals list, the forecast, edits and moves."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from app import audit, deals, leads, pipeline, trash
from app.errors import UserError
from app.models import Deal, database
from app.pipeline import DealFilter

D = Decimal


def _deal(company, clock, title, value, *, currency="EUR", owner=None, lead=None, **extra):
    return deals.add_deal(
        title=title,
        value=D(value),
        currency=currency,
        lead=lead,
        owner=owner or company.seller,
        by=company.seller,
        clock=clock,
        **extra,
    )


@pytest.fixture
def board(company, clock):
    """Open deals in every stage, two currencies, and deals that must not count."""
    made = {
        "small": _deal(company, clock, "Small hedge", "1000.00"),
        "odd": _deal(company, clock, "Odd cents", "2500.50", probability=15),
        "offer": _deal(company, clock, "Offer sent", "4000", stage="proposal"),
        "dollars": _deal(company, clock, "Dollar deal", "999.99", currency="USD", stage="proposal"),
        "big": _deal(company, clock, "Big estate", "10000", stage="negotiation"),
        "won": _deal(company, clock, "Signed", "7000", stage="negotiation"),
        "lost": _deal(company, clock, "Gone", "3000"),
        "binned": _deal(company, clock, "Binned", "5000", stage="proposal"),
    }
    deals.win(made["won"], by=company.seller, clock=clock)
    deals.lose(made["lost"], company.reasons["loss"][0], by=company.seller, clock=clock)
    trash.move_to_trash("deal", made["binned"].id, by=company.seller, clock=clock)
    return made


def test_column_totals_count_value_and_weighted_value_per_currency(board):
    totals = pipeline.stage_totals()

    assert list(totals) == ["qualification", "proposal", "negotiation"]
    qualification, proposal, negotiation = totals.values()
    # 1000.00 at 10 % and 2500.50 at 15 %
    assert (qualification.count, qualification.value, qualification.weighted) == (
        2,
        {"EUR": D("3500.50")},
        {"EUR": D("475.075")},
    )
    # won, lost and trashed deals are not in any column; the dollars are summed on their own
    assert (proposal.count, proposal.value, proposal.weighted) == (
        2,
        {"EUR": D("4000"), "USD": D("999.99")},
        {"EUR": D("1200"), "USD": D("299.997")},
    )
    assert (negotiation.count, negotiation.value, negotiation.weighted) == (
        1,
        {"EUR": D("10000")},
        {"EUR": D("6000")},
    )


def test_totals_follow_a_move_and_empty_stages_show_zero(company, clock):
    assert {s: t.count for s, t in pipeline.stage_totals().items()} == {
        "qualification": 0,
        "proposal": 0,
        "negotiation": 0,
    }
    deal = _deal(company, clock, "Pond", "800")
    pipeline.move(deal.id, "proposal", by=company.seller, clock=clock)

    totals = pipeline.stage_totals()
    assert (totals["qualification"].count, totals["qualification"].value) == (0, {})
    assert (totals["proposal"].count, totals["proposal"].weighted) == (1, {"EUR": D("240")})


def test_sums_are_exact_in_cents_however_many_deals(company, clock):
    for _ in range(10):
        _deal(company, clock, "Small change", "0.29", probability=33)
    totals = pipeline.stage_totals()["qualification"]
    # Summed as floats, ten times 0.29 comes to 2.8999999999999995; whole cents give 2.90.
    assert totals.value == {"EUR": D("2.90")}
    assert totals.weighted == {"EUR": D("0.957")}


def test_cards_show_customer_owner_and_days_soonest_close_first(company, clock):
    lead = leads.add_lead(
        name="Anna Müller", company="Gärtnerei", source="referral", by=company.owner, clock=clock
    )
    person = leads.add_lead(name="Ben Adams", source="referral", by=company.owner, clock=clock)
    later = _deal(company, clock, "Later", "10", lead=lead, expected_close=dt.date(2027, 3, 1))
    undated = _deal(company, clock, "Undated", "20", owner=company.other_seller)
    soon = _deal(company, clock, "Soon", "30", lead=person, expected_close=dt.date(2026, 12, 1))
    clock.advance(days=3, hours=5)

    cards = pipeline.cards("qualification", now=clock.now())

    assert [c.title for c in cards] == ["Soon", "Later", "Undated"]
    assert cards[1] == pipeline.Card(
        later.id,
        "Later",
        "Gärtnerei",
        D("10"),
        "EUR",
        10,
        dt.date(2027, 3, 1),
        "Sam Sales",
        3,
        "qualification",
    )
    assert (cards[0].customer, cards[2].customer, cards[2].owner) == ("Ben Adams", "", "Sia Sales")
    assert {soon.id, undated.id} < {c.id for c in cards}


def test_cards_are_limited_and_read_in_one_query(company, clock, monkeypatch):
    for number in range(12):
        lead = leads.add_lead(
            name=f"Person {number}", source="other", by=company.owner, clock=clock
        )
        _deal(company, clock, f"Deal {number:02}", "100", lead=lead)
    statements = []
    run = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return run(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    cards = pipeline.cards("qualification", now=clock.now(), limit=5)

    assert [c.title for c in cards] == [f"Deal {n:02}" for n in range(5)]
    assert [c.customer for c in cards] == [f"Person {n}" for n in range(5)]
    assert len(statements) == 1


def test_cards_of_a_closed_stage_are_refused(company):
    with pytest.raises(UserError, match="'won' is not an open pipeline stage"):
        pipeline.cards("won", now=dt.datetime(2026, 11, 16))


def test_forecast_buckets_weighted_value_by_close_month(company, clock):
    # The clock says Monday 16 November 2026: this month and the next five, then "later".
    for title, value, close, stage in (
        ("Slipped", "1000", dt.date(2026, 10, 20), "qualification"),  # 100
        ("This month", "2000", dt.date(2026, 11, 30), "proposal"),  # 600
        ("Also this month", "50.50", dt.date(2026, 11, 1), "negotiation"),  # 30.30
        ("December", "3000", dt.date(2026, 12, 1), "negotiation"),  # 1800
        ("Sixth month", "400", dt.date(2027, 4, 30), "proposal"),  # 120
        ("Later", "5000", dt.date(2027, 5, 1), "qualification"),  # 500
        ("Undated", "700", None, "proposal"),  # 210
    ):
        _deal(company, clock, title, value, stage=stage, expected_close=close)
    _deal(company, clock, "Dollars", "100", currency="USD", expected_close=dt.date(2027, 1, 5))
    won = _deal(company, clock, "Won already", "9000", expected_close=dt.date(2026, 11, 20))
    deals.win(won, by=company.seller, clock=clock)

    buckets = pipeline.forecast(dt.date(2026, 11, 16))

    assert [(b.key, b.count, b.weighted) for b in buckets] == [
        ("overdue", 1, {"EUR": D("100")}),
        ("2026-11", 2, {"EUR": D("630.30")}),
        ("2026-12", 1, {"EUR": D("1800")}),
        ("2027-01", 1, {"USD": D("10")}),
        ("2027-02", 0, {}),
        ("2027-03", 0, {}),
        ("2027-04", 1, {"EUR": D("120")}),
        ("later", 1, {"EUR": D("500")}),
        ("none", 1, {"EUR": D("210")}),
    ]
    assert buckets[1].first_day == dt.date(2026, 11, 1)
    assert buckets[7].first_day == dt.date(2027, 5, 1)


def test_forecast_adds_up_to_the_weighted_pipeline(board):
    buckets = pipeline.forecast(dt.date(2026, 11, 16))
    weighted: dict[str, Decimal] = {}
    for bucket in buckets:
        for code, amount in bucket.weighted.items():
            weighted[code] = weighted.get(code, D(0)) + amount
    assert weighted == {"EUR": D("7675.075"), "USD": D("299.997")}
    assert buckets[-1].count == 5  # none of the board's deals has a close date


def test_forecast_crosses_the_year_end(company, clock):
    _deal(company, clock, "New year", "100", expected_close=dt.date(2027, 1, 31))
    keys = [b.key for b in pipeline.forecast(dt.date(2026, 12, 31))]
    assert keys == [
        "overdue",
        "2026-12",
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
        "2027-05",
        "later",
        "none",
    ]
    assert pipeline.forecast(dt.date(2026, 12, 31))[2].count == 1


def test_the_deals_list_filters_by_stage_owner_and_text(board, company, clock):
    lead = leads.add_lead(
        name="Zoë Łukasiewicz", company="Baumschule", source="other", by=company.owner, clock=clock
    )
    _deal(company, clock, "Hedge trimming", "120", lead=lead, owner=company.other_seller)

    def titles(**criteria):
        found = pipeline.page(DealFilter(**criteria), sort="title")
        assert pipeline.count(DealFilter(**criteria)) == len(found)
        return [row.title for row in found]

    assert titles() == [
        "Big estate",
        "Dollar deal",
        "Gone",
        "Hedge trimming",
        "Odd cents",
        "Offer sent",
        "Signed",
        "Small hedge",
    ]
    assert titles(stage="open") == [
        "Big estate",
        "Dollar deal",
        "Hedge trimming",
        "Odd cents",
        "Offer sent",
        "Small hedge",
    ]
    assert titles(stage="won") == ["Signed"]
    assert titles(owner_id=company.other_seller.id) == ["Hedge trimming"]
    assert titles(text="hedge") == ["Hedge trimming", "Small hedge"]
    assert titles(text="small HEDGE") == ["Small hedge"]
    assert titles(text="baumsch") == ["Hedge trimming"]  # the lead's company
    assert titles(text="zoe") == ["Hedge trimming"]  # the lead's name, accents aside
    assert titles(text="nothing like it") == []


def test_the_deals_list_sorts_and_pages_the_same_from_either_end(company, clock):
    for number in range(25):
        close = dt.date(2026, 12, 1) + dt.timedelta(days=number % 7) if number % 5 else None
        _deal(
            company,
            clock,
            f"Deal {number:02}",
            str(1000 - number * 10 if number % 3 else 500),
            stage=("qualification", "proposal", "negotiation")[number % 3],
            expected_close=close,
        )
    every = DealFilter()
    for sort in pipeline.SORT_COLUMNS:
        for descending in (False, True):
            whole = pipeline.page_ids(every, sort, descending, 0, 100)
            pieces = [
                pipeline.page_ids(every, sort, descending, offset, 4, total=25)
                for offset in range(0, 25, 4)
            ]
            assert [i for piece in pieces for i in piece] == whole, (sort, descending)
    by_value = pipeline.page(every, "value", True, 0, 3)
    assert [(r.title, r.value) for r in by_value] == [
        ("Deal 01", D("990")),
        ("Deal 02", D("980")),
        ("Deal 04", D("960")),
    ]
    by_stage = [r.stage for r in pipeline.page(every, "stage", False, 0, 25)]
    assert by_stage == ["qualification"] * 9 + ["proposal"] * 8 + ["negotiation"] * 8


def test_update_deal_changes_the_figures_and_is_audited(company, clock):
    deal = _deal(company, clock, "Pond", "800", expected_close=dt.date(2026, 12, 1))

    pipeline.update_deal(
        deal.id,
        title="  Pond and stream ",
        value=D("950.25"),
        probability=45,
        expected_close=None,
        by=company.owner,
        clock=clock,
    )

    stored = Deal.get_by_id(deal.id)
    assert (stored.title, stored.value, stored.probability, stored.expected_close) == (
        "Pond and stream",
        D("950.25"),
        45,
        None,
    )
    entry = audit.history("deal", deal.id)[-1]
    assert (entry.action, entry.member) == ("update", company.owner)
    assert json.loads(entry.after) == {
        "expected_close": None,
        "probability": 45,
        "title": "Pond and stream",
        "value": "950.25",
    }


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"title": "  "}, "needs a title"),
        ({"value": D("-1")}, "cannot be negative"),
        ({"probability": 101}, "from 0 to 100"),
    ],
)
def test_update_deal_refuses_bad_figures_and_changes_nothing(company, clock, changes, words):
    deal = _deal(company, clock, "Pond", "800")
    entries = len(audit.history("deal", deal.id))
    values = {"title": "Pond", "value": D("900"), "probability": 20, "expected_close": None}
    values.update(changes)

    with pytest.raises(UserError, match=words):
        pipeline.update_deal(deal.id, **values, by=company.owner, clock=clock)

    stored = Deal.get_by_id(deal.id)
    assert (stored.value, stored.probability) == (D("800"), 10)
    assert len(audit.history("deal", deal.id)) == entries


def test_a_closed_or_vanished_deal_cannot_be_edited(company, clock):
    deal = _deal(company, clock, "Pond", "800")
    deals.win(deal, by=company.seller, clock=clock)
    values = {"title": "Pond", "value": D("1"), "probability": 5, "expected_close": None}
    with pytest.raises(UserError, match="already won; it keeps the figures it closed with"):
        pipeline.update_deal(deal.id, **values, by=company.owner, clock=clock)
    assert Deal.get_by_id(deal.id).value == D("800")
    with pytest.raises(UserError, match="no longer there"):
        pipeline.update_deal(deal.id + 100, **values, by=company.owner, clock=clock)


def test_move_takes_a_deal_to_any_column(company, clock):
    first = _deal(company, clock, "First", "100")
    second = _deal(company, clock, "Second", "100")
    loss = company.reasons["loss"][0]

    assert pipeline.move(first.id, "negotiation", by=company.seller, clock=clock).probability == 60
    assert pipeline.move(first.id, "won", by=company.seller, clock=clock).stage == "won"
    with pytest.raises(UserError, match="Pick a reason for losing 'Second'"):
        pipeline.move(second.id, "lost", by=company.seller, clock=clock)
    assert Deal.get_by_id(second.id).stage == "qualification"
    lost = pipeline.move(second.id, "lost", reason=loss, note="Too dear", by=None, clock=clock)
    assert (lost.stage, lost.loss_reason, lost.loss_note) == ("lost", loss, "Too dear")
    with pytest.raises(UserError, match="already won"):
        pipeline.move(first.id, "proposal", by=company.seller, clock=clock)


def test_neighbour_stages():
    assert pipeline.neighbour_stage("qualification", 1) == "proposal"
    assert pipeline.neighbour_stage("negotiation", -1) == "proposal"
    assert pipeline.neighbour_stage("negotiation", 1) is None
    assert pipeline.neighbour_stage("qualification", -1) is None
    assert pipeline.neighbour_stage("won", -1) is None
