"""The sample company: complete, consistent, reproducible, and all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import demo_names
from app.clock import FixedClock
from app.db import Store, open_database
from app.demo import DemoSummary, build_demo
from app.errors import UserError
from app.models import (
    CHANNELS,
    COMMITMENT_KINDS,
    Activity,
    Campaign,
    Deal,
    DealStageChange,
    Handover,
    Lead,
    Member,
    MonthlyPlan,
    Reason,
    Setting,
    SlaAgreement,
    Target,
    database,
)

TODAY = dt.date(2026, 11, 22)
END_OF_TODAY = dt.datetime.combine(TODAY, dt.time.max)
LEADS = 600
CONTACTS = ("call", "email", "meeting", "demo")


def _open(path: Path) -> Store:
    return open_database(path, clock=FixedClock(dt.datetime(2026, 11, 22, 12, 0)))


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[Store]:
    opened = _open(tmp_path / "t.db")
    yield opened
    opened.close()


@pytest.fixture
def built(empty: Store) -> DemoSummary:
    return build_demo(leads=LEADS, seed=7, today=TODAY)


def _index_names() -> list[str]:
    tables = ("lead", "handover", "deal", "deal_stage_change", "activity")
    return sorted(index.name for table in tables for index in database.get_indexes(table))


def test_summary_matches_what_was_written(built: DemoSummary) -> None:
    assert built.leads == Lead.select().count() == LEADS
    assert built.members == Member.select().count()
    assert built.campaigns == Campaign.select().count()
    assert built.deals == Deal.select().count() > 0
    assert built.activities == Activity.select().count() > 0
    assert built.handovers == Handover.select().count() > 0


def test_keeps_every_index_of_the_schema(tmp_path: Path) -> None:
    store = _open(tmp_path / "fresh.db")
    try:
        expected = _index_names()
        build_demo(leads=50, today=TODAY)
        assert _index_names() == expected and "lead_email" in expected
    finally:
        store.close()


def test_team_campaigns_and_company_profile(built: DemoSummary) -> None:
    roles = sorted(member.role for member in Member.select())
    assert roles == ["marketing", "marketing", "owner", "sales", "sales", "sales"]
    assert {campaign.channel for campaign in Campaign.select()} == set(CHANNELS)
    settings = {row.key: json.loads(row.value) for row in Setting.select()}
    assert settings["company.currency"] == "EUR"
    assert settings["company.timezone"] == "Europe/Berlin"
    assert settings["onboarded"] is True and settings["company.sample"] is True


def test_campaign_status_follows_its_dates(built: DemoSummary) -> None:
    for campaign in Campaign.select():
        if campaign.starts_on > TODAY:
            assert campaign.status == "planned" and campaign.actual_spend == 0
        elif campaign.ends_on < TODAY:
            assert campaign.status == "finished"
        else:
            assert campaign.status == "active"
    for lead in Lead.select().where(Lead.source == "campaign"):
        campaign = lead.campaign
        assert campaign.starts_on <= lead.created_at.date() <= campaign.ends_on
    assert not Lead.select().where((Lead.source != "campaign") & Lead.campaign.is_null(False))


def _handovers_by_lead() -> dict[int, list[Handover]]:
    found: dict[int, list[Handover]] = defaultdict(list)
    for handover in Handover.select().order_by(Handover.handed_over_at):
        found[handover.lead_id].append(handover)
    return found


def test_every_lead_story_is_in_order_and_fits_its_stage(built: DemoSummary) -> None:
    handovers = _handovers_by_lead()
    roles = {member.id: member.role for member in Member.select()}
    reasons = {reason.id: reason for reason in Reason.select()}
    for lead in Lead.select():
        steps = [
            lead.created_at,
            lead.qualified_at,
            lead.handed_over_at,
            lead.accepted_at or lead.rejected_at,
            lead.converted_at or lead.disqualified_at,
        ]
        present = [step for step in steps if step is not None]
        assert present == sorted(present), lead.id
        assert lead.owner and roles[lead.owner_id] == "marketing"
        latest = handovers[lead.id][-1] if handovers[lead.id] else None
        if lead.stage == "new":
            assert lead.temperature in ("cold", "warm") and present == [lead.created_at]
            continue
        assert lead.temperature == "qualified" and lead.qualified_at
        if lead.stage == "qualified":
            assert lead.handed_over_at is None and latest is None
            continue
        assert latest is not None and latest.handed_over_at == lead.handed_over_at
        assert latest.to_member_id == lead.sales_owner_id and roles[lead.sales_owner_id] == "sales"
        assert roles[latest.by_member_id] == "marketing"
        if lead.stage == "handed_over":
            assert latest.decision is None and lead.accepted_at is None
        elif lead.stage == "rejected":
            assert latest.decision == "rejected" and latest.decided_at == lead.rejected_at
            assert reasons[lead.rejection_reason_id].kind == "rejection"
            assert latest.reason_id == lead.rejection_reason_id
        else:
            assert latest.decision == "accepted" and latest.decided_at == lead.accepted_at
            assert lead.rejected_at is None
        if lead.stage == "converted":
            assert [deal.created_at for deal in lead.deals] == [lead.converted_at]
        elif lead.stage == "disqualified":
            assert reasons[lead.disqualification_reason_id].kind == "disqualification"
        else:
            assert not lead.deals
        if lead.paused_until is not None:
            assert lead.stage in ("handed_over", "accepted") and lead.paused_until > TODAY


def test_every_handover_but_the_last_was_rejected(built: DemoSummary) -> None:
    again = 0
    for rounds in _handovers_by_lead().values():
        assert all(earlier.decision == "rejected" for earlier in rounds[:-1])
        again += len(rounds) > 1
    assert again > 0  # some rejected leads came back qualified


def test_sales_respond_after_handover(built: DemoSummary) -> None:
    first_contact: dict[int, dt.datetime] = {}
    query = Activity.select().where(Activity.kind.in_(CONTACTS) & Activity.lead.is_null(False))
    for activity in query.order_by(Activity.occurred_at):
        first_contact.setdefault(activity.lead_id, activity.occurred_at)
    decided = Lead.select().where(Lead.stage.in_(("accepted", "converted", "disqualified")))
    answered = [lead for lead in decided if lead.id in first_contact]
    assert len(answered) > 0.9 * decided.count()
    for lead in answered:
        assert lead.created_at <= first_contact[lead.id]
    late = sum(
        first_contact[lead.id] - lead.handed_over_at > dt.timedelta(days=1) for lead in answered
    )
    assert 0 < late < len(answered) / 2  # mostly quick, some late


def test_giving_up_as_unresponsive_follows_three_attempts(built: DemoSummary) -> None:
    unresponsive = Reason.select().where(Reason.unresponsive)
    leads = Lead.select().where(
        Lead.rejection_reason.in_(unresponsive) | Lead.disqualification_reason.in_(unresponsive)
    )
    assert leads.count() > 0
    for lead in leads:
        ended = lead.rejected_at or lead.disqualified_at
        attempts = Activity.select().where(
            (Activity.lead == lead)
            & Activity.kind.in_(CONTACTS)
            & (Activity.occurred_at >= lead.handed_over_at)
            & (Activity.occurred_at <= ended)
        )
        assert attempts.count() >= 3, lead.id


def test_deals_move_forward_and_close_with_dates(built: DemoSummary) -> None:
    for deal in Deal.select():
        changes = list(deal.stage_changes.order_by(DealStageChange.id))
        assert changes[0].from_stage is None and changes[0].changed_at == deal.created_at
        times = [change.changed_at for change in changes]
        assert times == sorted(times) and changes[-1].to_stage == deal.stage
        assert deal.stage_changed_at == times[-1]
        assert deal.currency == "EUR" and deal.value > 0 and deal.owner.role == "sales"
        if deal.stage == "won":
            assert deal.won_at and deal.lost_at is None and deal.probability == 100
        elif deal.stage == "lost":
            assert deal.lost_at and deal.loss_reason.kind == "loss" and deal.probability == 0
        else:
            assert deal.won_at is None and deal.lost_at is None
            assert deal.expected_close > TODAY
    assert Deal.select().where(Deal.lead.is_null()).exists()  # direct deals too


def test_history_covers_a_year_and_stops_today(built: DemoSummary) -> None:
    first = Lead.select().order_by(Lead.created_at).first().created_at
    assert first.date() <= TODAY - dt.timedelta(days=365)
    stamps = [
        (Lead, ("created_at", "qualified_at", "handed_over_at", "accepted_at", "rejected_at")),
        (Lead, ("converted_at", "disqualified_at")),
        (Handover, ("handed_over_at", "decided_at")),
        (Deal, ("created_at", "stage_changed_at", "won_at", "lost_at")),
        (DealStageChange, ("changed_at",)),
        (Activity, ("occurred_at",)),
        (Campaign, ("created_at",)),
        (MonthlyPlan, ("updated_at",)),
    ]
    for model, names in stamps:
        for name in names:
            latest = model.select().order_by(getattr(model, name).desc()).first()
            value = getattr(latest, name)
            assert value is None or value <= END_OF_TODAY, (model, name)
    months = {lead.created_at.strftime("%Y-%m") for lead in Lead.select()}
    assert len(months) >= 13


def test_names_come_from_many_scripts(built: DemoSummary) -> None:
    names = [lead.name for lead in Lead.select()]
    assert any(not name.isascii() for name in names)
    scripts = {
        unicodedata.name(char).split()[0] for name in names for char in name if char.isalpha()
    }
    assert {"LATIN", "GREEK", "CYRILLIC", "CJK", "ARABIC", "DEVANAGARI"} <= scripts
    emails = [lead.email for lead in Lead.select()]
    assert all(email.isascii() for email in emails) and len(set(emails)) == len(emails)


def test_agreements_targets_and_plans(built: DemoSummary) -> None:
    agreements = list(SlaAgreement.select().order_by(SlaAgreement.effective_from))
    assert len(agreements) == 2 and agreements[0].effective_from <= dt.date(2025, 10, 22)
    for agreement in agreements:
        assert agreement.at_risk_share == 0.75
        assert sorted(c.kind for c in agreement.commitments) == sorted(COMMITMENT_KINDS)
    first = {c.kind: c.target for c in agreements[0].commitments}
    assert first["lead_acceptance"] == 80 and first["first_response"] == 4
    months = {target.month for target in Target.select().where(Target.member.is_null())}
    assert {"2025-11", "2026-11", "2027-01"} <= months
    per_member = Target.select().where(Target.member.is_null(False))
    assert {target.member.role for target in per_member} == {"sales"}
    assert Target.select().where(Target.channel.is_null(False)).exists()
    plans = list(MonthlyPlan.select())
    assert len(plans) >= 3 and "2026-11" in {plan.month for plan in plans}
    for plan in plans:
        texts = (plan.objectives, plan.ideal_customer, plan.key_messages, plan.sales_actions)
        assert all(text.strip() for text in (*texts, plan.resources, plan.agenda_notes))


def _contents() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for model in (Lead, Deal, Activity, Handover):
        rows += list(model.select().order_by(model.id).tuples())
    return rows


def test_same_seed_builds_the_same_company(tmp_path: Path) -> None:
    contents = []
    for name, seed in (("a.db", 3), ("b.db", 3), ("c.db", 4)):
        store = _open(tmp_path / name)
        try:
            build_demo(leads=300, seed=seed, today=TODAY)
            contents.append(_contents())
        finally:
            store.close()
    assert contents[0] == contents[1]
    assert contents[0] != contents[2]


def test_refuses_a_database_that_has_data(built: DemoSummary) -> None:
    with pytest.raises(UserError, match="already has data"):
        build_demo(leads=10, today=TODAY)
    assert Lead.select().count() == LEADS


def test_a_failing_progress_report_leaves_nothing_behind(empty: Store) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done >= 2000:
            raise RuntimeError("cancelled")

    indexes = _index_names()
    with pytest.raises(RuntimeError, match="cancelled"):
        build_demo(leads=5000, today=TODAY, progress=progress)
    assert _index_names() == indexes
    assert calls[0] == (0, 5000) and calls[-1][0] >= 2000
    assert Lead.select().count() == 0 and Member.select().count() == 0
    assert Campaign.select().count() == 0 and Activity.select().count() == 0


def test_progress_reaches_the_total(empty: Store) -> None:
    calls: list[tuple[int, int]] = []
    build_demo(leads=50, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 50) and calls[-1] == (50, 50)


def test_sample_names_have_plain_email_spellings() -> None:
    spelled = re.compile(r"^[a-z]+$")
    for locale in demo_names.LOCALES:
        people = (
            *locale.male,
            *locale.female,
            *(form for pair in locale.surnames for form in pair),
        )
        for shown, plain in people:
            assert spelled.match(plain), (locale.code, shown, plain)


def test_paused_sample_leads_have_their_pause_in_the_history(tmp_path):
    """The SLA clocks stand still for a paused lead only if its pause is recorded."""
    import datetime as dt

    from app.clock import FixedClock
    from app.db import open_database
    from app.demo import build_demo
    from app.models import Lead, LeadPause

    store = open_database(tmp_path / "p.db", clock=FixedClock(dt.datetime(2026, 11, 22, 12)))
    try:
        build_demo(leads=3000, seed=3, today=dt.date(2026, 11, 22))
        paused = {lead.id: lead.paused_until for lead in Lead.select().where(Lead.paused_until)}
        assert paused, "the sample has paused leads"
        pauses = {p.lead_id: p.ends_on for p in LeadPause.select()}
        assert pauses == paused
    finally:
        store.close()
