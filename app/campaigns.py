"""Campaign rules: adding and editing a campaign, its status steps, and the money it spends."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from peewee import fn

from app import audit
from app.clock import Clock
from app.company import today as company_today
from app.errors import UserError
from app.models import CHANNEL_WORDS, CHANNELS, Campaign, CampaignSpend, Member, database

REACH_WORDS = {
    "impressions": "Impressions",
    "clicks": "Clicks or visits",
    "engagements": "Engagement",
}
# What add_campaign takes and update_campaign may change; status and spend have their own steps.
FIELDS = (
    "name",
    "channel",
    "objective",
    "audience",
    "starts_on",
    "ends_on",
    "planned_budget",
    "owner",
    *REACH_WORDS,
)
EARLIER_SPEND_NOTE = "Spent before spend was recorded entry by entry"
CENT = Decimal("0.01")
NOTE_LENGTH = 200  # CampaignSpend.note
LARGEST_AMOUNT = Decimal("999999999999.99")  # what the database's money columns hold
_THOUSANDS = re.compile(r"[1-9]\d{0,2}([.,]\d{3})+")


def parse_amount(text: str) -> Decimal | None:
    """An amount of money as people type it ("2500", "2,500.50", "2.500,50", "1 200"), or None.

    A comma or dot followed by exactly three digits groups thousands; otherwise the last one
    marks the cents, so both English and German habits read right."""
    text = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "")
    sign = "-" if text.startswith("-") else ""
    text = text.removeprefix("-")
    if not text:
        return None
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "").replace(".", "")
    else:
        last = max(text.rfind(","), text.rfind("."))
        if last >= 0:
            whole = text[:last]
            # What comes before the cents is plain digits, or thousands grouped the other way.
            if whole and not (
                whole.isdigit() or (_THOUSANDS.fullmatch(whole) and text[last] not in whole)
            ):
                return None
            text = f"{whole.replace(',', '').replace('.', '')}.{text[last + 1 :]}"
    if not re.fullmatch(r"\d*\.?\d*", text) or not re.search(r"\d", text):
        return None
    try:
        return Decimal(sign + text)
    except InvalidOperation:
        return None


def to_amount(value: object, what: str) -> Decimal:
    """A money value from a Decimal, a number or typed text; what names it in the sentence."""
    if isinstance(value, str):
        amount = parse_amount(value)
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        amount = None
    if amount is None or not amount.is_finite():
        raise UserError(f"Type {what} as an amount of money, for example 2500 or 2500.50.")
    if amount < 0:
        raise UserError(f"{what.capitalize()} cannot be negative.")
    if amount != amount.quantize(CENT):
        raise UserError(f"{what.capitalize()} has at most two decimals (cents).")
    if amount > LARGEST_AMOUNT:
        raise UserError(f"{what.capitalize()} is larger than Tandem can hold.")
    return amount.quantize(CENT)


def _check_reach(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UserError(f"{REACH_WORDS[name]} is a whole number, 0 or more.")
    return value


def _checked(values: Mapping[str, Any], kept_owner: int | None = None) -> dict[str, Any]:
    """The campaign fields made ready to store, or a UserError saying the first problem.
    kept_owner: the owner already set, who may stay on even after leaving the team."""
    name = str(values.get("name") or "").strip()
    if not name:
        raise UserError("A campaign needs a name.")
    channel = values.get("channel")
    if channel not in CHANNELS:
        raise UserError(
            "Pick the campaign's channel: " + ", ".join(CHANNEL_WORDS.values()).lower() + "."
        )
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, dt.date):
        raise UserError("A campaign needs a start date.")
    if ends_on is not None and not isinstance(ends_on, dt.date):
        raise UserError("The end date must be a date, or empty for a campaign with no end.")
    if ends_on is not None and ends_on < starts_on:
        raise UserError(
            f"The campaign cannot end ({_day(ends_on)}) before it starts ({_day(starts_on)})."
        )
    owner = values.get("owner")
    if owner is not None and (
        not isinstance(owner, Member) or not (owner.active or owner.id == kept_owner)
    ):
        raise UserError("The owner must be someone on the team.")
    return {
        "name": name,
        "channel": channel,
        "objective": str(values.get("objective") or "").strip(),
        "audience": str(values.get("audience") or "").strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "planned_budget": to_amount(values.get("planned_budget", 0), "the planned budget"),
        "owner": owner,
        **{key: _check_reach(key, values.get(key, 0)) for key in REACH_WORDS},
    }


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def problem(values: Mapping[str, Any], kept_owner: int | None = None) -> str:
    """The first reason these fields cannot be saved as a campaign, or "" when they can (forms
    ask this as the user types, so the form and the service judge alike)."""
    try:
        _checked(values, kept_owner)
    except UserError as exc:
        return str(exc)
    return ""


def add_campaign(*, by: Member | None, clock: Clock, **values: Any) -> Campaign:
    """A new campaign, planned until someone starts it. Takes the names in FIELDS."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"add_campaign() got unexpected fields {sorted(unknown)}")
    fields = _checked(values)
    with database.atomic():
        campaign = Campaign.create(**fields, status="planned", created_at=clock.now())
        audit.record_change(
            "add",
            campaign,
            before=None,
            by=by,
            at=clock.now(),
        )
    return campaign


@contextmanager
def _changing(campaign: Campaign, action: str, by: Member | None, clock: Clock) -> Iterator[Any]:
    """Re-read the campaign inside one transaction, let the step change it, save it and log it."""
    with database.atomic():
        fresh = Campaign.get_by_id(campaign.id)
        if fresh.deleted_at is not None:
            raise UserError(f"The campaign '{fresh.name}' is in the trash; restore it first.")
        before = audit.snapshot(fresh)
        yield fresh
        after = audit.snapshot(fresh)
        if after == before:
            return  # an edit that changed nothing leaves no trace in the log
        fresh.save()
        audit.record(
            action, "campaign", fresh.id, before=before, after=after, by=by, at=clock.now()
        )


def update_campaign(
    campaign: Campaign, *, by: Member | None, clock: Clock, **changes: Any
) -> Campaign:
    """Change any of the names in FIELDS; the whole campaign is checked again as changed."""
    if "status" in changes:
        raise UserError("A campaign's status changes with Start and Finish, not by editing it.")
    if "actual_spend" in changes:
        raise UserError(
            "Spend is recorded entry by entry (Record spend), so the total always matches them."
        )
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"update_campaign() got unexpected fields {sorted(unknown)}")
    with _changing(campaign, "update", by, clock) as fresh:
        current = {key: getattr(fresh, key) for key in FIELDS}
        for key, value in _checked({**current, **changes}, fresh.owner_id).items():
            setattr(fresh, key, value)
    return fresh


def _step_rule(campaign: Campaign, needed: str, done: str) -> None:
    if campaign.status != needed:
        article = "an" if needed[0] in "aeiou" else "a"
        raise UserError(
            "A campaign goes from planned to active to finished, so only "
            f"{article} {needed} campaign can be {done}; '{campaign.name}' is {campaign.status}."
        )


def start(campaign: Campaign, *, by: Member | None, clock: Clock) -> Campaign:
    """A planned campaign goes live; started early, its start date becomes today."""
    with _changing(campaign, "start", by, clock) as fresh:
        _step_rule(fresh, "planned", "started")
        today = company_today(clock)
        fresh.status = "active"
        if fresh.starts_on > today:
            fresh.starts_on = today  # the figures by date should show when it really ran
            if fresh.ends_on is not None and fresh.ends_on < today:
                fresh.ends_on = today
    return fresh


def finish(campaign: Campaign, *, by: Member | None, clock: Clock) -> Campaign:
    """An active campaign ends; ended early (or open-ended), its end date becomes today."""
    with _changing(campaign, "finish", by, clock) as fresh:
        _step_rule(fresh, "active", "finished")
        today = company_today(clock)
        fresh.status = "finished"
        if fresh.ends_on is None or fresh.ends_on > today:
            fresh.ends_on = max(today, fresh.starts_on)
    return fresh


def _entries_total(campaign_id: int) -> Decimal:
    total: Any = (
        CampaignSpend.select(fn.SUM(CampaignSpend.amount))
        .where(CampaignSpend.campaign == campaign_id)
        .scalar()
    )
    return money(total)


def money(value: object) -> Decimal:
    """A sum read from SQL as Decimal cents (SQLite adds money as floating point)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def itemise_earlier_spend(campaign_ids: list[int] | None = None) -> None:
    """Spend typed as a total before entries existed (or written by the sample company) becomes
    one entry, so the total stays the sum of its entries once more are recorded."""
    totals: Any = (
        CampaignSpend.select(CampaignSpend.campaign, fn.SUM(CampaignSpend.amount))
        .group_by(CampaignSpend.campaign)
        .tuples()
    )
    itemised = {campaign_id: money(total) for campaign_id, total in totals}
    query = Campaign.select(
        Campaign.id, Campaign.starts_on, Campaign.actual_spend, Campaign.created_at
    )
    if campaign_ids is not None:
        query = query.where(Campaign.id.in_(campaign_ids))
    rows = []
    for campaign in query:
        missing = money(campaign.actual_spend) - itemised.get(campaign.id, Decimal(0))
        if missing > 0:
            rows.append(
                (campaign.id, campaign.starts_on, missing, EARLIER_SPEND_NOTE, campaign.created_at)
            )
    if rows:
        CampaignSpend.insert_many(
            rows,
            fields=[
                CampaignSpend.campaign,
                CampaignSpend.spent_on,
                CampaignSpend.amount,
                CampaignSpend.note,
                CampaignSpend.created_at,
            ],
        ).execute()


def _checked_spend(amount: object, spent_on: object, note: str, today: dt.date) -> Decimal:
    value = to_amount(amount, "the amount spent")
    if value == 0:
        raise UserError("The amount spent must be more than zero.")
    if not isinstance(spent_on, dt.date):
        raise UserError("Say on which day the money was spent.")
    if spent_on > today:
        raise UserError("Spend is recorded once it is spent; pick today or an earlier day.")
    if len(note.strip()) > NOTE_LENGTH:
        raise UserError(
            f"Keep the note to {NOTE_LENGTH} characters; this one has {len(note.strip())}."
        )
    return value


def spend_problem(amount: object, spent_on: object, note: str, today: dt.date) -> str:
    """Why this spend entry cannot be recorded, or "" when it can (for forms, as people type)."""
    try:
        _checked_spend(amount, spent_on, note, today)
    except UserError as exc:
        return str(exc)
    return ""


def record_spend(
    campaign: Campaign,
    amount: Decimal | str | int,
    *,
    spent_on: dt.date,
    note: str = "",
    by: Member | None,
    clock: Clock,
) -> CampaignSpend:
    """Add one amount spent (an invoice, a booking) and raise the campaign's spend by it."""
    value = _checked_spend(amount, spent_on, note, company_today(clock))
    with _changing(campaign, "record spend", by, clock) as fresh:
        itemise_earlier_spend([fresh.id])
        entry = CampaignSpend.create(
            campaign=fresh,
            spent_on=spent_on,
            amount=value,
            note=note.strip(),
            created_at=clock.now(),
        )
        total = _entries_total(fresh.id)
        if total > LARGEST_AMOUNT:
            raise UserError("The campaign's total spend would be larger than Tandem can hold.")
        fresh.actual_spend = total
        audit.record_change(
            "add",
            entry,
            before=None,
            by=by,
            at=clock.now(),
        )
    return entry


def remove_spend(entry: CampaignSpend, *, by: Member | None, clock: Clock) -> Campaign:
    """Take back an entry recorded by mistake; the campaign's spend drops by its amount."""
    with _changing(entry.campaign, "remove spend", by, clock) as fresh:
        gone = CampaignSpend.get_or_none(CampaignSpend.id == entry.id)
        if gone is None:
            raise UserError("That spend entry was already removed.")
        itemise_earlier_spend([fresh.id])
        snapshot = audit.snapshot(gone)
        gone.delete_instance()
        fresh.actual_spend = _entries_total(fresh.id)
        audit.record(
            "remove",
            "campaign_spend",
            entry.id,
            before=snapshot,
            after=None,
            by=by,
            at=clock.now(),
        )
    return fresh


def spend_entries(campaign_id: int) -> list[CampaignSpend]:
    """Newest first, as people read a ledger."""
    return list(
        CampaignSpend.select()
        .where(CampaignSpend.campaign == campaign_id)
        .order_by(CampaignSpend.spent_on.desc(), CampaignSpend.id.desc())
    )


def get(campaign_id: int) -> Campaign | None:
    return Campaign.get_or_none(Campaign.id == campaign_id)


def spend_entry(entry_id: int) -> CampaignSpend | None:
    return CampaignSpend.get_or_none(CampaignSpend.id == entry_id)


# What a user may do next with a campaign in each status: screens offer only these.
NEXT_STEPS: dict[str, tuple[Callable[..., Campaign], ...]] = {
    "planned": (start,),
    "active": (finish,),
    "finished": (),
}
