"""The at-risk list for the Dashboard and My day, and the notification when a lead goes at risk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.app.test_sla import contact, handed_over, local
from ui.at_risk_list import AtRiskList
from ui.sla_notifier import SlaNotifier

WAIT_MS = 10_000


@pytest.fixture
def at_risk(qtbot, store, clock, company):
    widget = AtRiskList(clock)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.wait()


def read(qtbot, widget: AtRiskList) -> list[tuple[str, str, str]]:
    widget.refresh()
    qtbot.waitUntil(lambda: not widget.is_loading(), timeout=WAIT_MS)
    return [(lead, promise, state) for _id, lead, promise, state in widget.rows()]


def test_a_lead_shows_at_risk_then_not_once_contacted(qtbot, at_risk, clock, company):
    clock.at = local(2026, 11, 16, 9, 0)
    lead = handed_over(company, clock, "Ada Lovelace")
    clock.at = local(2026, 11, 16, 11, 0)
    assert read(qtbot, at_risk) == []
    assert "Nothing at risk" in at_risk.tree.topLevelItem(0).text(0)

    clock.at = local(2026, 11, 16, 12, 0)  # three of the four business hours gone
    assert read(qtbot, at_risk) == [("Ada Lovelace", "First response", "At risk")]
    assert at_risk.tree.topLevelItem(0).child(0).text(3) == "1 h left"

    contact(lead, company.seller, clock)
    assert read(qtbot, at_risk) == []


def test_breached_leads_stay_listed_oldest_first_per_person(qtbot, at_risk, clock, company):
    clock.at = local(2026, 11, 16, 9, 0)
    handed_over(company, clock, "Oldest")
    clock.at = local(2026, 11, 16, 10, 0)
    newer = handed_over(company, clock, "Newer", to=company.other_seller)
    clock.at = local(2026, 11, 16, 13, 30)
    assert read(qtbot, at_risk) == [  # those that can still be saved first
        ("Newer", "First response", "At risk"),
        ("Oldest", "First response", "Breached"),
    ]
    groups = [at_risk.tree.topLevelItem(n).text(0) for n in range(2)]
    assert groups == [
        "At risk now: act before the promised time runs out (1)",
        "Breached: the promised time has passed (1)",
    ]
    assert at_risk.tree.topLevelItem(1).child(0).text(3) == "30 min over, still open"

    at_risk.set_member(company.other_seller.id)
    qtbot.waitUntil(lambda: not at_risk.is_loading(), timeout=WAIT_MS)
    assert at_risk.lead_ids() == [newer.id]
    item = at_risk.tree.topLevelItem(0).child(0)
    at_risk.tree.setCurrentItem(item)
    with qtbot.waitSignal(at_risk.open_lead) as opened:
        qtbot.keyClick(at_risk.tree, Qt.Key.Key_Return)
    assert opened.args == [newer.id]


# --- the notifier ----------------------------------------------------------------------------


@pytest.fixture
def notifier(qtbot, store, clock, company):
    watcher = SlaNotifier(clock, interval_ms=20, use_tray=False)
    yield watcher
    watcher.stop()
    watcher.wait()


def test_the_notifier_tells_once_when_a_lead_goes_at_risk(qtbot, notifier, clock, company):
    clock.at = local(2026, 11, 16, 9, 0)
    lead = handed_over(company, clock, "Grace Hopper")
    told = []
    notifier.notified.connect(lambda *args: told.append(args))
    notifier.start()
    qtbot.wait(100)  # a few checks: nothing is at risk yet
    assert told == []

    clock.at = local(2026, 11, 16, 12, 5)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    qtbot.wait(150)  # more checks: the same lead is not announced again
    assert told == [
        (
            "Grace Hopper is at risk",
            "The first response is due within 55 min of working time.",
            lead.id,
        )
    ]
    with qtbot.waitSignal(notifier.open_lead) as opened:
        notifier.open_latest()
    assert opened.args == [lead.id]


def test_leads_already_at_risk_when_tandem_opens_are_not_announced(qtbot, notifier, clock, company):
    clock.at = local(2026, 11, 16, 9, 0)
    handed_over(company, clock, "Already late")
    clock.at = local(2026, 11, 16, 12, 30)
    notifier.start()
    with qtbot.assertNotEmitted(notifier.notified, wait=150):
        pass
    assert notifier.is_running()
