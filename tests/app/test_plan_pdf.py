"""The printed plan: every section, the same figures as the metrics, names printed literally."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from app import cli, company, deals, forecast, funnel, metrics, plans, team
from app.clock import FixedClock
from app.db import open_database
from app.metrics import Period
from app.models import Campaign
from app.reports import plan_data, plan_pdf
from app.reports.plan_pdf import SECTIONS, PlanRenderer
from tests.app.test_metrics import TODAY, build_october

NAME = "Zoë Łukasiewicz — 東京商事 <b>&"
NOVEMBER = "2026-11"


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def figures(store, company, clock):
    build_october(company, clock, special_name=NAME)
    profile = company_profile(name=NAME)
    company_save(profile, company, clock)
    zoe = team.add_member(NAME, "", "sales", by=company.owner, clock=clock)
    deals.add_deal(title=NAME, value=Decimal(4200), currency="EUR", owner=zoe,
                   stage="negotiation", expected_close=dt.date(2026, 11, 25), by=zoe,
                   clock=clock)  # fmt: skip
    plans.save_written_plan(
        NOVEMBER,
        plans.WrittenPlan(
            objectives=f"Win {NAME}\nsecond line", agenda_notes="Bring <i>coffee</i>"
        ),
        by=company.owner,
        clock=clock,
    )
    return plan_data.gather(NOVEMBER, clock=clock)


def company_profile(**changes):
    profile = company.load()
    for key, value in changes.items():
        setattr(profile, key, value)
    return profile


def company_save(profile, company_fixture, clock):
    company.save(profile, by=company_fixture.owner, clock=clock)


def test_every_section_in_order_with_page_x_of_y(figures):
    pages = pages_of(PlanRenderer(figures).render())
    text = flat(" ".join(pages))

    positions = [text.find(title) for title in ("Sales & marketing plan", *SECTIONS)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    total = len(pages)
    assert total >= len(SECTIONS) + 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page


def test_names_print_literally_in_every_script(figures):
    pages = pages_of(PlanRenderer(figures).render())
    text = flat(" ".join(pages))

    assert flat(pages[0]).startswith(NAME)  # the cover
    assert all(NAME in page.splitlines()[0] for page in pages[1:])  # each page's header
    sales_plan = next(page for page in pages if "Deals to close this month" in page)
    assert f"{NAME} {NAME} Negotiation 4,200 60%" in flat(sales_plan)  # the deal, its owner
    assert "Bring <i>coffee</i>" in text
    assert "second line" in text


def test_key_figures_are_the_metrics_figures(figures):
    text = flat(" ".join(pages_of(PlanRenderer(figures).render())))
    october = Period.of("2026-10")

    flow = funnel.funnel(october, today=TODAY)
    for step in flow.steps:
        assert re.search(rf"{step.label} {step.stage.capitalize()} {step.count:,}\b", text), step
    costs = metrics.costs(october, today=TODAY)
    ads = costs.by_campaign[0]
    assert f"Autumn ads 1,550 4 {ads.per_lead:,.2f} 3 {ads.per_qualified:,.2f} 1" in text
    team_quota, _people, _channels = forecast.attainment("2026-10", today=TODAY)
    revenue = team_quota.figures["revenue"]
    assert f"Revenue {revenue.target:,.0f} EUR {revenue.actual:,.0f} EUR 70%" in text
    december = forecast.pipeline(NOVEMBER, today=TODAY).months[1]
    assert f"December 2026 1 2,000 {december.weighted:,.0f} 0 " in text
    assert "Why sales rejected leads Reason Count Share No budget 1 100%" in text
    cycle = metrics.sales_cycle(october)
    assert f"median of {cycle.median_days:.0f} days" in text


def test_the_sla_section_shows_the_scorecard_or_says_it_is_missing(figures):
    text = flat(" ".join(pages_of(PlanRenderer(figures).render())))
    assert "Scorecard for October 2026" in text
    assert "First response Sales → marketing within 4 business hours" in text

    figures.sla = None
    text = flat(" ".join(pages_of(PlanRenderer(figures).render())))
    assert "SLA figures are not available." in text


def test_paper_size_comes_from_the_company_profile(figures):
    figures.profile.paper = "Letter"
    letter = PdfReader(io.BytesIO(PlanRenderer(figures).render())).pages[0].mediabox
    figures.profile.paper = "A4"
    a4 = PdfReader(io.BytesIO(PlanRenderer(figures).render())).pages[0].mediabox

    assert (round(letter.width), round(letter.height)) == (612, 792)
    assert (round(a4.width), round(a4.height)) == (595, 842)


def test_long_tables_split_across_pages_with_their_header_repeated(store, company, clock):
    for number in range(70):
        Campaign.create(
            name=f"Campaign number {number} with a long name that wraps in its cell",
            channel="social_ads", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30),
            planned_budget=Decimal(100), status="planned", created_at=clock.now(),
        )  # fmt: skip

    pages = pages_of(plan_pdf.render_plan(NOVEMBER, clock=clock))

    with_header = [p for p in pages if "Budget this month" in flat(p)]
    assert len(with_header) >= 2
    assert all("Campaign Channel Dates Status" in flat(p) for p in with_header)
    assert "Campaign number 69" in " ".join(pages)
    assert "All campaigns 7,000 " in flat(" ".join(pages))


def test_the_same_figures_print_the_same_bytes(figures):
    assert PlanRenderer(figures).render() == PlanRenderer(figures).render()


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def closed_database(tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    clock = FixedClock(dt.datetime(2026, 11, 16, 10))
    store = open_database(path, clock=clock)
    try:
        profile = company.CompanyProfile(name="Kiosk", country="DE", region="BE")
        team.start_company(profile, "Olga Owner", "olga@example.com", clock=clock)
    finally:
        store.close()
    return path


def test_report_writes_the_pdf(closed_database, tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    code = cli.run(
        cli.parse(["report", "--month", NOVEMBER, "--out", str(out), "--db", str(closed_database)])
    )

    assert code == 0
    assert "Wrote the plan for November 2026" in capsys.readouterr().out
    assert "Kiosk" in pages_of(out.read_bytes())[0]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("month", "out", "db", "reason"),
    [
        ("2026-13", "plan.pdf", None, "'2026-13' is not a month"),
        (NOVEMBER, "missing/plan.pdf", None, "does not exist"),
        (NOVEMBER, "plan.pdf", "nowhere.db", "There is no database"),
    ],
)
def test_report_refuses_bad_input_in_one_line_and_keeps_the_old_file(
    closed_database, tmp_path, capsys, month, out, db, reason
):
    target = tmp_path / out
    if target.parent.is_dir():
        target.write_bytes(b"the plan from before")
    database = str(tmp_path / db) if db else str(closed_database)

    code = cli.run(cli.parse(["report", "--month", month, "--out", str(target), "--db", database]))

    assert code == 1
    error = capsys.readouterr().err
    assert reason in error and error.count("\n") == 1
    if target.parent.is_dir():
        assert target.read_bytes() == b"the plan from before"


def test_user_text_becomes_escaped_runs_in_fonts_that_have_each_letter():
    from app.reports import fonts

    assert fonts.markup("Zoë <b>&\n東京 김") == (
        'Zoë &lt;b&gt;&amp;<br/><font face="TandemCJK">東京</font> '
        '<font face="TandemKorean">김</font>'
    )
    assert [name for name, _piece in fonts.runs("Ωμέγα محمد")] == ["TandemSans"]
    assert fonts.needs_shaping("राजेश") and not fonts.needs_shaping("Zoë 東京")
