"""SLA clocks worked out from the records and kept in the sla_clock table, up to date on demand.

Every handover under an agreement gets a first_response and a decision clock, and a follow_up
row when sales gives the lead up as unresponsive. The rows are derived data: triggers mark a
lead stale when its handovers, activities, pauses or end change, and bring_up_to_date() works
the stale leads out again; a change to the calendar, the agreement, the reason lists or who
is an owner works out every clock again. Readers then aggregate and page the rows in SQL."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import importlib.metadata
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from peewee import EXCLUDED, JOIN, Case, Database, SqliteDatabase, fn

from app import settings
from app.calendar import EPOCH, MICROSECOND, MINUTE_US, BusinessCalendar, from_us, to_us
from app.models import (
    Activity,
    ClosingDay,
    Handover,
    Lead,
    LeadPause,
    Member,
    Reason,
    SlaAgreement,
    SlaClock,
    SlaCommitment,
    SlaStaleLead,
    SlaTally,
    WorkingHours,
    database,
)

CONTACT_KINDS = ("call", "email", "meeting", "demo")  # a note is not contact with the customer
# Raise when the way clocks are worked out changes, so stored clocks are worked out again.
ENGINE_VERSION = 1
INPUTS_KEY = "sla.inputs"
# Handovers worked out per query when all clocks are rebuilt: bounded memory at any size.
CHUNK = 20_000
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()

# --- triggers: which leads need their clocks worked out again ---------------------------------

_MARK = "INSERT OR IGNORE INTO sla_stale_lead (lead_id) SELECT {0} WHERE {0} IS NOT NULL;"


def _marks(*rows: str) -> str:
    return "BEGIN " + " ".join(_MARK.format(f"{row}.lead_id") for row in rows) + " END"


_TRIGGERS = {
    "sla_stale_activity_insert": f"AFTER INSERT ON activity {_marks('NEW')}",
    "sla_stale_activity_delete": f"AFTER DELETE ON activity {_marks('OLD')}",
    "sla_stale_activity_update": (
        "AFTER UPDATE ON activity WHEN NEW.lead_id IS NOT OLD.lead_id OR NEW.kind IS NOT OLD.kind "
        "OR NEW.member_id IS NOT OLD.member_id OR NEW.occurred_at IS NOT OLD.occurred_at "
        f"OR NEW.deleted_at IS NOT OLD.deleted_at {_marks('NEW', 'OLD')}"
    ),
    "sla_stale_handover_insert": f"AFTER INSERT ON handover {_marks('NEW')}",
    "sla_stale_handover_update": f"AFTER UPDATE ON handover {_marks('NEW', 'OLD')}",
    "sla_stale_handover_delete": f"AFTER DELETE ON handover {_marks('OLD')}",
    "sla_stale_pause_insert": f"AFTER INSERT ON lead_pause {_marks('NEW')}",
    "sla_stale_pause_update": f"AFTER UPDATE ON lead_pause {_marks('NEW', 'OLD')}",
    "sla_stale_pause_delete": f"AFTER DELETE ON lead_pause {_marks('OLD')}",
    # peewee saves every column, so only a real change to what ends a lead's clocks counts.
    "sla_stale_lead_update": (
        "AFTER UPDATE ON lead WHEN NEW.converted_at IS NOT OLD.converted_at "
        "OR NEW.disqualified_at IS NOT OLD.disqualified_at "
        "OR NEW.disqualification_reason_id IS NOT OLD.disqualification_reason_id "
        "OR NEW.deleted_at IS NOT OLD.deleted_at BEGIN " + _MARK.format("NEW.id") + " END"
    ),
}


def tracks_changes(db: Database) -> bool:
    """SQLite files mark stale leads with triggers; elsewhere every clock is worked out again
    on each read (correct, slower)."""
    return isinstance(db, SqliteDatabase)


def create_triggers(db: Database) -> None:
    if tracks_changes(db):
        for name, body in _TRIGGERS.items():
            db.execute_sql(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def recover_pauses(db: Database) -> None:
    """Rebuild the pause history from the audit log, which holds every paused_until change."""
    rows = db.execute_sql(
        "SELECT row_id, at, before, after FROM audit_entry WHERE \"table\" = 'lead' AND row_id IN "
        "(SELECT row_id FROM audit_entry WHERE \"table\" = 'lead' AND action = 'pause') "
        "ORDER BY row_id, id"
    ).fetchall()
    for lead_id, at, before, after in rows:
        changed = json.loads(after or "{}")
        if "paused_until" not in changed:
            continue
        if not Lead.select().where(Lead.id == lead_id).exists():
            continue
        was = json.loads(before or "{}").get("paused_until")
        record_pause_change(lead_id, was, changed["paused_until"], _instant(at))


def record_pause_change(lead_id: int, was: object, now_until: object, at: dt.datetime) -> None:
    """Keep LeadPause in step with a change of Lead.paused_until made at an instant."""
    if was == now_until:
        return
    if was is not None:
        LeadPause.update(ended_at=at).where(
            (LeadPause.lead == lead_id) & LeadPause.ended_at.is_null()
        ).execute()
    if now_until is not None:
        ends_on = (
            now_until if isinstance(now_until, dt.date) else dt.date.fromisoformat(str(now_until))
        )
        LeadPause.create(lead=lead_id, starts_at=at, ends_on=ends_on)


# --- keeping the table up to date ---------------------------------------------------------------


def bring_up_to_date() -> None:
    """Work out again the clocks whose records changed since they were last worked out.

    Usually a few leads and milliseconds. After an upgrade, a bulk import or a change to the
    calendar or agreement it is every clock (about a minute at a million leads), so screens
    call the readers in app/sla.py off the GUI thread."""
    db = database.obj
    if not _needs_work(db):
        return
    with database.atomic():
        # Checked again inside the write lock: another thread may have just done the work.
        inputs = _inputs_fingerprint()
        if not tracks_changes(db) or settings.get(INPUTS_KEY) != inputs:
            _rebuild(stale_only=False)
            settings.put(INPUTS_KEY, inputs)
        elif SlaStaleLead.select().exists():
            stale = SlaStaleLead.select().count()
            handovers = Handover.select().count()
            _rebuild(stale_only=stale * 5 < handovers)  # a bulk import: rebuild all at once
        SlaStaleLead.delete().execute()


def _needs_work(db: Database) -> bool:
    return (
        not tracks_changes(db)
        or SlaStaleLead.select().exists()
        or settings.get(INPUTS_KEY) != _inputs_fingerprint()
    )


def _inputs_fingerprint() -> str:
    """A digest of everything outside a lead that its clocks depend on."""
    company = settings.get_many("company.")
    agreements: Any = (
        SlaAgreement.select(
            SlaAgreement.id, SlaAgreement.effective_from, SlaAgreement.at_risk_share
        )
        .order_by(SlaAgreement.id)
        .tuples()
    )
    commitments: Any = (
        SlaCommitment.select(SlaCommitment.agreement, SlaCommitment.kind, SlaCommitment.target)
        .order_by(SlaCommitment.id)
        .tuples()
    )
    hours: Any = (
        WorkingHours.select(WorkingHours.weekday, WorkingHours.starts, WorkingHours.ends)
        .order_by(WorkingHours.weekday)
        .tuples()
    )
    inputs = {
        "engine": ENGINE_VERSION,
        "holidays": _holidays_version(),
        "place": [company.get(f"company.{key}") for key in ("country", "region", "timezone")],
        "hours": list(hours),
        "closed": [row.day for row in ClosingDay.select(ClosingDay.day).order_by(ClosingDay.day)],
        "agreements": list(agreements),
        "commitments": list(commitments),
        "unresponsive": _unresponsive_reasons(),
        "owners": _owners(),
    }
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()


@cache
def _holidays_version() -> str:
    """New releases of the holidays package correct holidays, so clocks are worked out again."""
    return importlib.metadata.version("holidays")


def _unresponsive_reasons() -> list[int]:
    return [r.id for r in Reason.select(Reason.id).where(Reason.unresponsive).order_by(Reason.id)]


def _owners() -> list[int]:
    return [
        m.id for m in Member.select(Member.id).where(Member.role == "owner").order_by(Member.id)
    ]


# --- the agreement's terms ------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What one agreement version asks of each handover under it."""

    effective_day: int  # days since 1970
    at_risk_share: float
    first_response_us: int | None
    decision_us: int | None
    follow_up_attempts: int | None


def agreement_terms() -> list[Terms]:
    """Every agreement version, oldest first."""
    rows: Any = SlaCommitment.select(
        SlaCommitment.agreement, SlaCommitment.kind, SlaCommitment.target
    ).tuples()
    targets = {(agreement_id, kind): float(target) for agreement_id, kind, target in rows}
    found = []
    for agreement in SlaAgreement.select().order_by(SlaAgreement.effective_from):

        def hours(kind: str, agreement_id: int = agreement.id) -> int | None:
            value = targets.get((agreement_id, kind))
            return round(value * 60 * MINUTE_US) if value else None  # 0: nothing promised

        attempts = targets.get((agreement.id, "follow_up"))
        found.append(
            Terms(
                effective_day=agreement.effective_from.toordinal() - _EPOCH_DAY,
                at_risk_share=float(agreement.at_risk_share),
                first_response_us=hours("first_response"),
                decision_us=hours("decision"),
                follow_up_attempts=int(attempts) if attempts else None,
            )
        )
    return found


# --- working the clocks out ----------------------------------------------------------------------


class HandoverFacts(NamedTuple):
    """What the clocks of one handover depend on (instants in microseconds since 1970)."""

    handover_id: int
    lead_id: int
    member_id: int | None
    marketer_id: int | None
    handed_over_at: int
    decision: str | None
    decided_at: int | None
    first_contact_at: int | None
    left_sales_at: int | None  # converted or disqualified: no answer is owed after that
    given_up_at: int | None  # rejected or disqualified as unresponsive
    attempts: int


class ClockMaker:
    """Turns handover facts into sla_clock rows, on one calendar and agreement history."""

    def __init__(self, calendar: BusinessCalendar, terms: list[Terms]) -> None:
        self.calendar = calendar
        self.terms = terms
        self._days = [t.effective_day for t in terms]
        self._months: dict[int, str] = {}

    def terms_on(self, day: int) -> Terms | None:
        index = bisect.bisect_right(self._days, day) - 1
        return self.terms[index] if index >= 0 else None

    def month_of_day(self, day: int) -> str:
        """'YYYY-MM' of a day (days since 1970)."""
        month = self._months.get(day)
        if month is None:
            month = self._months[day] = dt.date.fromordinal(day + _EPOCH_DAY).strftime("%Y-%m")
        return month

    def rows(self, facts: HandoverFacts, pauses: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
        """(kind, month, started, stopped, target, actual, result, due, at_risk, decision) with
        instants in microseconds, for each clock of a handover."""
        start = facts.handed_over_at
        day, worked = self.calendar.locate(start)
        terms = self.terms_on(day)
        if terms is None:
            return []  # handed over before any agreement: nothing was promised
        month = self.month_of_day(day)
        found = []
        if terms.first_response_us is not None:
            rejected = facts.decided_at if facts.decision == "rejected" else None
            ends = [
                moment
                for moment in (facts.first_contact_at, rejected, facts.left_sales_at)
                if moment is not None and moment >= start
            ]
            # Rejecting, converting or disqualifying answers the lead too: no call is owed then.
            stop = min(ends) if ends else None
            clock = self.clock(start, worked, stop, terms.first_response_us, terms, pauses)
            found.append(("first_response", month, *clock, None))
        if terms.decision_us is not None:
            clock = self.clock(start, worked, facts.decided_at, terms.decision_us, terms, pauses)
            found.append(("decision", month, *clock, facts.decision))
        if facts.given_up_at is not None:
            given_up_day = self.calendar.day_of(facts.given_up_at)
            given_up = self.terms_on(given_up_day)
            needed = given_up.follow_up_attempts if given_up else None
            if needed:
                result = "met" if facts.attempts >= needed else "breached"
                found.append(
                    (
                        "follow_up",
                        self.month_of_day(given_up_day),
                        start,
                        facts.given_up_at,
                        needed,
                        facts.attempts,
                        result,
                        None,
                        None,
                        None,
                    )
                )
        return found

    def clock(
        self,
        start: int,
        worked: int,
        stop: int | None,
        target: int,
        terms: Terms,
        pauses: list[tuple[int, int]],
    ) -> tuple[Any, ...]:
        """(started, stopped, target minutes, actual minutes, result, due, at_risk); worked is
        the calendar's worked_before(start)."""
        minutes = target / MINUTE_US
        if stop is not None:
            if pauses:
                taken = self.elapsed(start, stop, pauses)
            else:
                taken = self.calendar.worked_before(stop) - worked
            result = "met" if taken <= target else "breached"
            return start, stop, minutes, taken / MINUTE_US, result, None, None
        due = self.deadline(start, target, pauses, latest=True)
        at_risk = self.deadline(start, round(target * terms.at_risk_share), pauses, latest=False)
        return start, None, minutes, None, None, due, at_risk

    def elapsed(self, start: int, stop: int, pauses: Iterable[tuple[int, int]]) -> int:
        """Business time from start to stop, less the business time the lead was paused."""
        business = self.calendar.business_us
        taken = business(start, stop)
        for paused, resumed in pauses:
            if paused < stop and resumed > start:
                taken -= business(max(paused, start), min(resumed, stop))
        return taken

    def deadline(
        self, start: int, amount: int, pauses: list[tuple[int, int]], *, latest: bool
    ) -> int:
        """When a clock started at start has run for amount, pauses skipped. latest=True gives
        the last instant still within amount (a clock due at closing time is not late until
        work starts again); latest=False the first instant amount is reached."""
        calendar = self.calendar
        moment, left = start, amount
        for paused, resumed in pauses:
            if resumed <= moment:
                continue
            if paused > moment:
                room = calendar.business_us(moment, paused)
                if left < room or (left == room and not latest):
                    break
                left -= room
            moment = max(moment, resumed)
        if latest:
            return calendar.latest_within(moment, left)
        return calendar.add_business_us(moment, left)


def _instant(value: object) -> dt.datetime:
    """A stored timestamp as a naive UTC datetime (SQLite hands back text, others datetimes)."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _us(value: object) -> int | None:
    """A stored timestamp in microseconds since 1970 (called for every instant in bulk)."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return (moment - EPOCH) // MICROSECOND


def pause_intervals(
    calendar: BusinessCalendar, lead_ids: Iterable[int] | None
) -> dict[int, list[tuple[int, int]]]:
    """Each lead's paused spans in microseconds, merged and in order. A pause ends when business
    starts on its call-back date, or earlier when it was ended."""
    query = LeadPause.select(
        LeadPause.lead, LeadPause.starts_at, LeadPause.ends_on, LeadPause.ended_at
    ).order_by(LeadPause.lead, LeadPause.starts_at)
    if lead_ids is not None:
        query = query.where(LeadPause.lead.in_(list(lead_ids)))
    spans: dict[int, list[tuple[int, int]]] = {}
    cursor: Any = database.execute(query)
    for lead_id, starts_at, ends_on, ended_at in cursor:
        start = to_us(_instant(starts_at))
        day = dt.date.fromisoformat(ends_on) if isinstance(ends_on, str) else ends_on
        end = calendar.day_start_us(day.toordinal() - _EPOCH_DAY)
        if ended_at is not None:
            end = min(end, to_us(_instant(ended_at)))
        if end <= start:
            continue
        found = spans.setdefault(lead_id, [])
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return spans


def _facts_query(stale_only: bool, after: int, limit: int) -> Any:
    """The handovers with everything their clocks need, in one statement (no query per lead),
    from after on in the order they were recorded: that order follows the leads' rows and
    activities on disk, which makes the lookups two to three times faster than any other."""
    owners = _owners()
    unresponsive = _unresponsive_reasons()
    contact = Activity.alias("contact")
    first_contact = contact.select(fn.MIN(contact.occurred_at)).where(
        (contact.lead == Handover.lead)
        & (contact.occurred_at >= Handover.handed_over_at)
        & contact.kind.in_(CONTACT_KINDS)
        & contact.deleted_at.is_null()
        & ((contact.member == Handover.to_member) | contact.member.in_(owners))
    )
    given_up = Case(
        None,
        [
            (
                (Handover.decision == "rejected") & Handover.reason.in_(unresponsive),
                Handover.decided_at,
            ),
            (
                (Handover.decision == "accepted")
                & Lead.disqualification_reason.in_(unresponsive)
                & (Lead.disqualified_at >= Handover.handed_over_at),
                Lead.disqualified_at,
            ),
        ],
    )
    attempt = Activity.alias("attempt")
    attempts = attempt.select(fn.COUNT(attempt.id)).where(
        (attempt.lead == Handover.lead)
        & (attempt.occurred_at >= Handover.handed_over_at)
        & (attempt.occurred_at <= given_up)
        & attempt.kind.in_(CONTACT_KINDS)
        & attempt.deleted_at.is_null()
    )
    query = (
        Handover.select(
            Handover.id,
            Handover.lead,
            Handover.to_member,
            Handover.by_member,
            Handover.handed_over_at,
            Handover.decision,
            Handover.decided_at,
            first_contact,
            fn.COALESCE(Lead.converted_at, Lead.disqualified_at),
            given_up,
            Case(None, [(given_up.is_null(False), attempts)], 0),
        )
        .join(Lead, JOIN.INNER, on=(Handover.lead == Lead.id))
        .where(Lead.deleted_at.is_null() & (Handover.id > after))
        .order_by(Handover.id)
        .limit(limit)
    )
    if stale_only:
        query = query.where(Handover.lead.in_(SlaStaleLead.select(SlaStaleLead.lead_id)))
    return query


TallyKey = tuple[str, str, int, int, str, str, int]


def _tally_key(
    month: str,
    kind: str,
    member_id: int | None,
    marketer_id: int | None,
    result: str,
    decision: str | None,
    actual: float | None,
) -> TallyKey:
    attempts = int(actual or 0) if kind == "follow_up" else 0
    return (month, kind, member_id or 0, marketer_id or 0, result, decision or "", attempts)


def _rebuild(*, stale_only: bool) -> None:
    calendar = BusinessCalendar.load()
    maker = ClockMaker(calendar, agreement_terms())
    tally: Counter[TallyKey] = Counter()
    if stale_only:
        stale = SlaStaleLead.select(SlaStaleLead.lead_id)
        old: Any = (
            SlaClock.select(
                SlaClock.month,
                SlaClock.kind,
                SlaClock.member_id,
                SlaClock.marketer_id,
                SlaClock.result,
                SlaClock.decision,
                SlaClock.actual,
            )
            .where(SlaClock.lead_id.in_(stale) & SlaClock.result.is_null(False))
            .tuples()
        )
        for row in old:
            tally[_tally_key(*row)] -= 1
        SlaClock.delete().where(SlaClock.lead_id.in_(stale)).execute()
        pauses = pause_intervals(calendar, [row.lead_id for row in stale])
    else:
        SlaClock.delete().execute()
        SlaTally.delete().execute()
        pauses = pause_intervals(calendar, None)
        # Indexes built once over the finished table, not row by row (several times faster).
        SlaClock._schema.drop_indexes(safe=True)  # type: ignore[attr-defined]
    after = 0
    while True:
        cursor: Any = database.execute(_facts_query(stale_only, after, CHUNK))
        batch = cursor.fetchall()
        if batch:
            _insert(maker, batch, pauses, tally)
        if len(batch) < CHUNK:
            break
        after = batch[-1][0]
    if not stale_only:
        SlaClock._schema.create_indexes(safe=True)  # type: ignore[attr-defined]
    _count_in(tally, fresh=not stale_only)


def _count_in(tally: Counter[TallyKey], *, fresh: bool) -> None:
    """Apply the changes in stopped-clock counts to sla_tally."""
    changes = [(*key, count) for key, count in tally.items() if count]
    if not changes:
        return
    fields = [
        SlaTally.month,
        SlaTally.kind,
        SlaTally.member_id,
        SlaTally.marketer_id,
        SlaTally.result,
        SlaTally.decision,
        SlaTally.attempts,
        SlaTally.count,
    ]
    for first in range(0, len(changes), 1000):
        query = SlaTally.insert_many(changes[first : first + 1000], fields=fields)
        if not fresh:
            query = query.on_conflict(
                conflict_target=fields[:-1],
                update={SlaTally.count: SlaTally.count + EXCLUDED.count},
            )
        query.execute()
    if not fresh:
        SlaTally.delete().where(SlaTally.count <= 0).execute()


_COLUMNS = (
    "handover_id",
    "lead_id",
    "member_id",
    "marketer_id",
    "kind",
    "month",
    "started_at",
    "stopped_at",
    "target",
    "actual",
    "result",
    "due_at",
    "at_risk_at",
    "decision",
)


def _insert(
    maker: ClockMaker,
    batch: list[tuple[Any, ...]],
    pauses: dict[int, list[tuple[int, int]]],
    tally: Counter[TallyKey],
) -> None:
    db = database.obj
    as_text = isinstance(db, SqliteDatabase)

    def store(us: int | None) -> object:
        if us is None:
            return None
        moment = from_us(us)
        return str(moment) if as_text else moment

    rows = []
    for row in batch:
        facts = HandoverFacts(
            handover_id=row[0],
            lead_id=row[1],
            member_id=row[2],
            marketer_id=row[3],
            handed_over_at=_us(row[4]) or 0,
            decision=row[5],
            decided_at=_us(row[6]),
            first_contact_at=_us(row[7]),
            left_sales_at=_us(row[8]),
            given_up_at=_us(row[9]),
            attempts=int(row[10] or 0),
        )
        # Instants read from the database go back as they came: no formatting on the way.
        stored = {
            facts.handed_over_at: row[4],
            facts.decided_at: row[6],
            facts.first_contact_at: row[7],
            facts.left_sales_at: row[8],
            facts.given_up_at: row[9],
        }
        ids = (facts.handover_id, facts.lead_id, facts.member_id, facts.marketer_id)
        for clock in maker.rows(facts, pauses.get(facts.lead_id, [])):
            kind, month, started, stopped, target, actual, result, due, at_risk, decision = clock
            if result is not None:
                key = (month, kind, ids[2], ids[3], result, decision, actual)
                tally[_tally_key(*key)] += 1
            rows.append(
                (
                    *ids,
                    kind,
                    month,
                    stored[started],
                    None if stopped is None else stored[stopped],
                    target,
                    actual,
                    result,
                    store(due),
                    store(at_risk),
                    decision,
                )
            )
    if not rows:
        return
    marks = ", ".join([db.param] * len(_COLUMNS))
    sql = f"INSERT INTO sla_clock ({', '.join(_COLUMNS)}) VALUES ({marks})"
    cursor = db.cursor()
    cursor.executemany(sql, rows)
