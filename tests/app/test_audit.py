"""The audit log and the settings kept in the database."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from app import audit, settings
from app.clock import FixedClock
from app.models import AuditEntry


def test_only_the_fields_that_changed_are_logged(company, clock: FixedClock):
    before = {"name": "Zoë", "value": Decimal("10.00"), "due": dt.date(2026, 12, 1), "x": 1}
    after = {"name": "Zoë Ł.", "value": Decimal("12.50"), "due": dt.date(2026, 12, 1), "x": 1}

    audit.record("edit", "deal", 7, before=before, after=after, by=company.seller, at=clock.now())

    entry = AuditEntry.get(AuditEntry.action == "edit")
    assert (entry.table, entry.row_id, entry.member, entry.at) == (
        "deal",
        7,
        company.seller,
        clock.now(),
    )
    assert json.loads(entry.before) == {"name": "Zoë", "value": "10.00"}
    assert json.loads(entry.after) == {"name": "Zoë Ł.", "value": "12.50"}
    assert "Zoë Ł." in entry.after  # readable text, not \\u escapes


def test_a_new_record_is_logged_whole(store, clock: FixedClock):
    audit.record(
        "add",
        "lead",
        1,
        before=None,
        after={"when": dt.datetime(2026, 11, 16, 10, 0), "logo": b"\x00" * 12},
        by=None,
        at=clock.now(),
    )

    entry = AuditEntry.get()
    assert entry.before is None
    assert json.loads(entry.after) == {"when": "2026-11-16T10:00:00", "logo": "<12 bytes>"}


def test_history_is_in_order_and_per_record(store, clock: FixedClock):
    for action, row_id, minutes in [("b", 1, 5), ("a", 1, 0), ("other", 2, 1), ("c", 1, 5)]:
        at = clock.now() + dt.timedelta(minutes=minutes)
        audit.record(action, "lead", row_id, before=None, after={}, by=None, at=at)

    assert [e.action for e in audit.history("lead", 1)] == ["a", "b", "c"]
    assert [e.action for e in audit.history("deal", 1)] == []


def test_adding_a_member_is_logged_by_who_added_them(company):
    entry = audit.history("member", company.seller.id)[0]
    assert (entry.action, entry.member) == ("add", company.owner)
    assert json.loads(entry.after)["name"] == "Sam Sales"


def test_settings_keep_any_json_value(store):
    assert settings.get("plan.footer", "none") == "none"

    settings.put("plan.footer", "Łódź · 東京")
    settings.put("plan.columns", [1, 2, 3])
    settings.put("plan.footer", "Berlin")

    assert settings.get("plan.footer") == "Berlin"
    assert settings.get_many("plan.") == {"plan.footer": "Berlin", "plan.columns": [1, 2, 3]}
    assert settings.get_many("company.") == {}
