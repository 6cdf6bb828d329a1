"""The dashboard shows the figures the metrics module works out, for November 2026 so far."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app import company as company_profile
from app import deals, forecast, funnel, leads, my_day, plans, sla
from app.metrics import Period
from tests.app.test_sla import contact, handed_over, local
from ui.dashboard_page import DashboardPage, sla_row_text

WAIT_MS = 10_000
MONTH = "2026-11"


def loaded(qtbot, clock) -> tuple[DashboardPage, list[object]]:
    page = DashboardPage(clock)
    qtbot.addWidget(page)
    errors: list[object] = []
    page.failed.connect(errors.append)
    page.resize(1180, 760)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=WAIT_MS)
    page.wait()
    return page, errors


@pytest.fixture
def november(store, company, clock):
    """Three leads handed over on Monday 16 November (one answered in time, one late, one not
    at all), a deal won for 3,000 EUR, and the month's targets."""
    clock.at = local(2026, 11, 16, 9, 0)
    quick = handed_over(company, clock, "Quick Answer")
    slow = handed_over(company, clock, "Slow Answer")
    handed_over(company, clock, "Still Waiting", to=company.other_seller)
    clock.at = local(2026, 11, 16, 10, 30)
    contact(quick, company.seller, clock)
    leads.accept(quick, by=company.seller, clock=clock)
    deal = leads.convert_to_deal(
        quick, value="3000", currency="EUR", by=company.seller, clock=clock
    )
    deals.win(deal, by=company.seller, clock=clock)
    deals.add_deal(title="Big hedge", value=Decimal(2000), currency="EUR", owner=company.seller,
                   stage="proposal", expected_close=dt.date(2026, 12, 10), by=company.seller,
                   clock=clock)  # fmt: skip
    clock.at = local(2026, 11, 16, 15, 0)
    contact(slow, company.seller, clock)
    plans.set_targets(
        MONTH,
        {
            (None, "revenue", None): Decimal(12000),
            (None, "deals_won", None): Decimal(4),
            (None, "qualified_leads", None): Decimal(6),
            (None, "budget", None): Decimal(2000),
        },
        by=company.owner,
        clock=clock,
    )
    clock.at = local(2026, 11, 16, 17, 0)  # the third lead is past 4 business hours: breached


def test_tiles_show_the_months_figures_against_target(qtbot, clock, november):
    page, errors = loaded(qtbot, clock)
    team, _people, _channels = forecast.attainment(MONTH, today=company_profile.today(clock))
    revenue, won, handed = (team.figures[m] for m in ("revenue", "deals_won", "qualified_leads"))
    assert (revenue.actual, revenue.percent) == (Decimal("3000.00"), 25.0)
    assert (won.actual, won.percent) == (1, 25.0)
    assert (handed.actual, handed.percent) == (3, 50.0)

    tiles = {key: tile.text() for key, tile in page.tiles.items()}
    assert ">3,000 EUR<" in tiles["revenue"]
    assert f"{revenue.percent:.0f}% of target (12,000 EUR)" in tiles["revenue"]
    assert ">1<" in tiles["deals_won"] and "25% of target (4)" in tiles["deals_won"]
    assert ">3<" in tiles["qualified_leads"] and "50% of target (6)" in tiles["qualified_leads"]
    assert ">0 EUR<" in tiles["budget"] and "0% of target (2,000 EUR)" in tiles["budget"]
    assert "Behind" in tiles["revenue"] and "Within budget" in tiles["budget"]
    assert ">3<" in tiles["leads"] and "leads in all" in tiles["leads"]
    assert errors == []


def test_a_month_without_targets_says_so(qtbot, store, company, clock):
    leads.add_lead(name="Ana", source="referral", by=company.owner, clock=clock)
    page, errors = loaded(qtbot, clock)
    assert "No target set" in page.tiles["revenue"].text()
    assert "of target" not in page.tiles["revenue"].text()
    assert ">1<" in page.tiles["leads"].text()
    assert errors == []


def test_the_funnel_shows_each_step_with_its_conversion(qtbot, clock, november):
    page, _errors = loaded(qtbot, clock)
    flow = funnel.funnel(Period.of(MONTH), today=company_profile.today(clock))
    assert [(s.key, s.count) for s in flow.steps][2:7] == [
        ("leads", 3),
        ("qualified", 3),
        ("handed_over", 3),
        ("accepted", 1),
        ("deals", 1),
    ]
    shown = page.funnel.texts()
    assert [label for label, _count, _share in shown] == [s.label for s in flow.steps]
    assert [count for _label, count, _share in shown] == [f"{s.count:,}" for s in flow.steps]
    accepted = next(row for row in shown if row[0] == "Accepted by sales")
    assert accepted == ("Accepted by sales", "1", "↓ 33.3%")


def test_sla_compliance_is_the_scorecards(qtbot, clock, november):
    page, errors = loaded(qtbot, clock)
    card = sla.scorecard(MONTH, now=clock.now())
    response = card.figures["first_response"]
    assert (response.met, response.breached, response.compliance) == (1, 2, 33.3)

    texts = page.sla_texts()
    assert texts["first_response"] == "33% kept (1 met, 2 missed)"
    assert texts == {kind: sla_row_text(card.figures.get(kind)) for kind in texts}
    assert "Working out" not in page.sla_status.text()
    assert errors == []


def test_pipeline_by_stage_and_what_needs_attention(qtbot, clock, november):
    page, _errors = loaded(qtbot, clock)
    proposal = page.stage_cells["proposal"]
    assert [cell.text() for cell in proposal] == ["1", "2,000 EUR", "600 EUR"]
    stages = {s.stage: s for s in forecast.by_stage()}
    assert proposal[2].text() == f"{stages['proposal'].weighted:,.0f} EUR"

    waiting = my_day.waiting_for_first_contact(None)
    assert [w.name for w in waiting] == ["Still Waiting"]
    assert "1 lead is waiting for a first call" in page.waiting.text()
    qtbot.waitUntil(lambda: "Still Waiting" in [row[1] for row in page.at_risk.rows()])
