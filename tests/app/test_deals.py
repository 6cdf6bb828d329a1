"""Deals in the pipeline: stage moves with their history, winning, losing with a reason."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app import audit, deals
from app.clock import FixedClock
from app.errors import UserError
from app.models import Deal, DealStageChange


def _deal(company, clock: FixedClock, **changes) -> Deal:
    values = {"title": "Garden centre fit-out", "value": Decimal("4800.00"), "currency": "EUR"}
    values.update(changes)
    return deals.add_deal(**values, owner=company.seller, by=company.seller, clock=clock)


def _changes(deal: Deal) -> list[tuple[str | None, str]]:
    rows = DealStageChange.select().where(DealStageChange.deal == deal).order_by(DealStageChange.id)
    return [(row.from_stage, row.to_stage) for row in rows]


def test_a_new_deal_starts_in_qualification(company, clock):
    deal = _deal(company, clock, title="  Garden centre fit-out  ")

    stored = Deal.get_by_id(deal.id)
    assert (stored.title, stored.stage, stored.probability) == (
        "Garden centre fit-out",
        "qualification",
        10,
    )
    assert (stored.value, stored.currency, stored.owner) == (
        Decimal("4800.00"),
        "EUR",
        company.seller,
    )
    assert _changes(stored) == [(None, "qualification")]


def test_moving_a_deal_records_the_change_and_the_usual_probability(company, clock):
    deal = _deal(company, clock)
    clock.advance(days=2)

    deals.move_to_stage(deal, "proposal", by=company.seller, clock=clock)
    proposal_at = clock.now()
    clock.advance(days=5)
    deals.move_to_stage(deal, "negotiation", by=company.seller, clock=clock)

    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.probability, stored.stage_changed_at) == (
        "negotiation",
        60,
        clock.now(),
    )
    assert _changes(stored) == [
        (None, "qualification"),
        ("qualification", "proposal"),
        ("proposal", "negotiation"),
    ]
    moved = DealStageChange.get(DealStageChange.to_stage == "proposal")
    assert moved.changed_at == proposal_at
    entry = audit.history("deal", deal.id)[-1]
    assert (entry.action, entry.member) == ("move to negotiation", company.seller)
    assert json.loads(entry.before)["stage"] == "proposal"
    assert json.loads(entry.after)["probability"] == 60


def test_winning_sets_the_date_and_full_probability(company, clock):
    deal = _deal(company, clock)
    clock.advance(days=10)

    deals.win(deal, by=company.seller, clock=clock)

    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.won_at, stored.probability) == ("won", clock.now(), 100)
    assert _changes(stored)[-1] == ("qualification", "won")


def test_losing_needs_a_loss_reason(company, clock):
    deal = _deal(company, clock)
    entries = len(audit.history("deal", deal.id))

    with pytest.raises(UserError, match="Pick a reason for losing 'Garden centre fit-out'"):
        deals.lose(deal, None, by=company.seller, clock=clock)
    rejection = company.reasons["rejection"][0]
    with pytest.raises(UserError, match="is not a reason for losing a deal"):
        deals.lose(deal, rejection, by=company.seller, clock=clock)
    assert Deal.get_by_id(deal.id).stage == "qualification"
    assert len(audit.history("deal", deal.id)) == entries

    price = company.reasons["loss"][0]
    clock.advance(days=1)
    deals.lose(deal, price, "  Cheaper offer from a rival ", by=company.seller, clock=clock)

    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.lost_at, stored.loss_reason, stored.probability) == (
        "lost",
        clock.now(),
        price,
        0,
    )
    assert stored.loss_note == "Cheaper offer from a rival"


def test_a_closed_deal_stays_where_it_is(company, clock):
    won = _deal(company, clock)
    deals.win(won, by=company.seller, clock=clock)
    changes = _changes(won)

    with pytest.raises(UserError, match="'Garden centre fit-out' is already won"):
        deals.move_to_stage(won, "proposal", by=company.seller, clock=clock)
    with pytest.raises(UserError, match="already won"):
        deals.lose(won, company.reasons["loss"][0], by=company.seller, clock=clock)
    with pytest.raises(UserError, match="already won"):
        deals.win(won, by=company.seller, clock=clock)

    stored = Deal.get_by_id(won.id)
    assert (stored.stage, stored.probability, stored.lost_at) == ("won", 100, None)
    assert _changes(stored) == changes


def test_won_and_lost_are_not_plain_stage_moves(company, clock):
    deal = _deal(company, clock)
    with pytest.raises(UserError, match="Use Won or Lost"):
        deals.move_to_stage(deal, "won", by=company.seller, clock=clock)
    assert Deal.get_by_id(deal.id).stage == "qualification"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"value": Decimal("-0.01")}, "cannot be negative"),
        ({"currency": "eur"}, "three-letter code"),
        ({"currency": "EURO"}, "three-letter code"),
        ({"currency": "€"}, "three-letter code"),
        ({"title": "   "}, "needs a title"),
        ({"probability": 101}, "from 0 to 100"),
        ({"stage": "won"}, "starts in qualification, proposal or negotiation"),
    ],
)
def test_a_deal_with_bad_figures_is_refused(company, clock, changes, words):
    with pytest.raises(UserError, match=words):
        _deal(company, clock, **changes)
    assert Deal.select().count() == 0
    assert DealStageChange.select().count() == 0


def test_a_free_deal_is_allowed(company, clock):
    deal = _deal(company, clock, value=Decimal(0), stage="proposal")
    assert (Deal.get_by_id(deal.id).value, deal.probability) == (Decimal(0), 30)
