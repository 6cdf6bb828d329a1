"""The schema: one peewee class per record kind in DESIGN.md, bound to the open database."""

from __future__ import annotations

from typing import Any

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()

ROLES = ("owner", "marketing", "sales")
CHANNELS = (
    "social_ads",
    "search_ppc",
    "seo_content",
    "email_newsletter",
    "direct_mail",
    "print",
    "radio",
    "event",
    "referral",
    "other",
)
# The channels as people say them (Campaign.channel keeps the short keys).
CHANNEL_WORDS = {
    "social_ads": "Social ads",
    "search_ppc": "Search / PPC",
    "seo_content": "SEO / content",
    "email_newsletter": "Email newsletter",
    "direct_mail": "Direct mail",
    "print": "Print",
    "radio": "Radio",
    "event": "Event / trade show",
    "referral": "Referral",
    "other": "Other",
}
CAMPAIGN_STATUSES = ("planned", "active", "finished")
LEAD_SOURCES = ("campaign", "cold_call", "networking", "referral", "other")
TEMPERATURES = ("cold", "warm", "qualified")
# Where a lead stands in the handover between marketing and sales (see app/leads.py for the rules).
LEAD_STAGES = (
    "new",
    "qualified",
    "handed_over",
    "accepted",
    "rejected",
    "converted",
    "disqualified",
)
CUSTOMER_TYPES = ("b2b", "b2c")
FUNNEL_STAGES = ("awareness", "interest", "desire", "action")
DEAL_STAGES = ("qualification", "proposal", "negotiation", "won", "lost")
OPEN_DEAL_STAGES = ("qualification", "proposal", "negotiation")
ACTIVITY_KINDS = ("call", "email", "meeting", "demo", "note")
REASON_KINDS = ("rejection", "disqualification", "loss")
TARGET_METRICS = ("revenue", "deals_won", "qualified_leads", "budget")
COMMITMENT_KINDS = (
    "lead_volume",
    "lead_acceptance",
    "first_response",
    "decision",
    "follow_up",
    "revenue",
)


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class BaseModel(Model):
    id: Any  # peewee adds the key (an int on rows, a field on the class); declared for mypy

    class Meta:
        database = database
        legacy_table_names = False


class SchemaInfo(BaseModel):
    """One row: the schema version this file is at (upgrades in app/migrations.py)."""

    version = IntegerField()


class Setting(BaseModel):
    """Company profile and preferences kept in the database, as JSON values by key."""

    key = CharField(primary_key=True, max_length=64)
    value = TextField()


class Member(BaseModel):
    name = CharField(max_length=120)
    email = CharField(max_length=254, null=True)
    role = CharField(max_length=16, choices=choices(ROLES))
    active = BooleanField(default=True)
    created_at = DateTimeField()


class Reason(BaseModel):
    """An entry of the team's reason lists: why sales rejects, disqualifies or loses."""

    kind = CharField(max_length=20, choices=choices(REASON_KINDS), index=True)
    label = CharField(max_length=120)
    # Rejecting or disqualifying for this reason needs the agreed number of contact attempts first.
    unresponsive = BooleanField(default=False)
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("kind", "label"), True),)


class Campaign(BaseModel):
    name = CharField(max_length=200)
    channel = CharField(max_length=20, choices=choices(CHANNELS), index=True)
    objective = TextField(default="")
    audience = TextField(default="")
    starts_on = DateField()
    ends_on = DateField(null=True)
    planned_budget = DecimalField(max_digits=14, decimal_places=2, default=0)
    actual_spend = DecimalField(max_digits=14, decimal_places=2, default=0)
    status = CharField(max_length=12, choices=choices(CAMPAIGN_STATUSES), default="planned")
    owner = ForeignKeyField(Member, null=True, backref="campaigns", on_delete="SET NULL")
    impressions = IntegerField(default=0)
    clicks = IntegerField(default=0)
    engagements = IntegerField(default=0)
    created_at = DateTimeField()
    deleted_at = DateTimeField(null=True)


class Lead(BaseModel):
    name = CharField(max_length=200, default="")
    company = CharField(max_length=200, default="")
    email = CharField(max_length=254, default="", index=True)
    phone = CharField(max_length=40, default="", index=True)
    source = CharField(max_length=20, choices=choices(LEAD_SOURCES), default="campaign")
    campaign = ForeignKeyField(Campaign, null=True, backref="leads", on_delete="SET NULL")
    customer_type = CharField(max_length=4, choices=choices(CUSTOMER_TYPES), default="b2b")
    funnel_stage = CharField(max_length=12, choices=choices(FUNNEL_STAGES), default="awareness")
    temperature = CharField(max_length=12, choices=choices(TEMPERATURES), default="cold")
    stage = CharField(max_length=16, choices=choices(LEAD_STAGES), default="new")
    score = IntegerField(default=0)
    notes = TextField(default="")
    owner = ForeignKeyField(Member, null=True, backref="owned_leads", on_delete="SET NULL")
    sales_owner = ForeignKeyField(Member, null=True, backref="sales_leads", on_delete="SET NULL")
    created_at = DateTimeField()
    qualified_at = DateTimeField(null=True)
    handed_over_at = DateTimeField(null=True, index=True)
    accepted_at = DateTimeField(null=True)
    rejected_at = DateTimeField(null=True)
    rejection_reason = ForeignKeyField(Reason, null=True, backref="+", on_delete="SET NULL")
    converted_at = DateTimeField(null=True)
    disqualified_at = DateTimeField(null=True)
    disqualification_reason = ForeignKeyField(Reason, null=True, backref="+", on_delete="SET NULL")
    reason_note = TextField(default="")
    paused_until = DateField(null=True)
    deleted_at = DateTimeField(null=True)

    class Meta:
        # Counting leads by stage outside the trash reads this index alone (1M leads: 0.1 s).
        indexes = ((("stage", "deleted_at"), False),)


# The leads list sorts and pages on these (app/lead_list.py); partial, so the trash stays out.
for _column in (Lead.name, Lead.company, Lead.created_at):
    Lead.add_index(_column, Lead.id, where=Lead.deleted_at.is_null())


class Handover(BaseModel):
    """One handover of a lead to sales and sales' decision on it; SLA clocks run per handover."""

    lead = ForeignKeyField(Lead, backref="handovers", on_delete="CASCADE")
    to_member = ForeignKeyField(Member, backref="handovers_received")
    by_member = ForeignKeyField(Member, null=True, backref="+")
    handed_over_at = DateTimeField(index=True)
    decision = CharField(max_length=10, null=True)  # accepted | rejected
    decided_at = DateTimeField(null=True)
    reason = ForeignKeyField(Reason, null=True, backref="+", on_delete="SET NULL")


class Deal(BaseModel):
    lead = ForeignKeyField(Lead, null=True, backref="deals", on_delete="SET NULL")
    title = CharField(max_length=200)
    value = DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = CharField(max_length=3)
    stage = CharField(max_length=16, choices=choices(DEAL_STAGES), default="qualification")
    probability = IntegerField(default=10)
    expected_close = DateField(null=True, index=True)
    owner = ForeignKeyField(Member, null=True, backref="deals", on_delete="SET NULL")
    created_at = DateTimeField()
    stage_changed_at = DateTimeField()
    won_at = DateTimeField(null=True, index=True)
    lost_at = DateTimeField(null=True)
    loss_reason = ForeignKeyField(Reason, null=True, backref="+", on_delete="SET NULL")
    loss_note = TextField(default="")
    deleted_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("stage", "expected_close"), False),)


class DealStageChange(BaseModel):
    """Each move of a deal between stages, for time-in-stage and cycle-length figures."""

    deal = ForeignKeyField(Deal, backref="stage_changes", on_delete="CASCADE")
    from_stage = CharField(max_length=16, null=True)
    to_stage = CharField(max_length=16)
    changed_at = DateTimeField()


class Activity(BaseModel):
    kind = CharField(max_length=10, choices=choices(ACTIVITY_KINDS))
    lead = ForeignKeyField(Lead, null=True, backref="activities", on_delete="CASCADE")
    deal = ForeignKeyField(Deal, null=True, backref="activities", on_delete="CASCADE")
    member = ForeignKeyField(Member, null=True, backref="activities", on_delete="SET NULL")
    occurred_at = DateTimeField()
    outcome = CharField(max_length=200, default="")
    notes = TextField(default="")
    follow_up_on = DateField(null=True)
    deleted_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("lead", "occurred_at"), False), (("deal", "occurred_at"), False))


# My day lists follow-ups that are due (app/my_day.py).
Activity.add_index(
    Activity.member,
    Activity.follow_up_on,
    where=Activity.follow_up_on.is_null(False) & Activity.deleted_at.is_null(),
)


class Target(BaseModel):
    """A monthly goal for one member, or for the team when member is empty."""

    month = CharField(max_length=7)  # YYYY-MM
    member = ForeignKeyField(Member, null=True, backref="targets", on_delete="CASCADE")
    metric = CharField(max_length=20, choices=choices(TARGET_METRICS))
    channel = CharField(max_length=20, null=True)  # only for budget by channel
    value = DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        indexes = ((("month", "member", "metric", "channel"), True),)


class SlaAgreement(BaseModel):
    """The marketing-sales agreement; a new version applies from its effective date on."""

    effective_from = DateField(unique=True)
    at_risk_share = FloatField(default=0.75)
    created_at = DateTimeField()
    created_by = ForeignKeyField(Member, null=True, backref="+", on_delete="SET NULL")


class SlaCommitment(BaseModel):
    agreement = ForeignKeyField(SlaAgreement, backref="commitments", on_delete="CASCADE")
    kind = CharField(max_length=20, choices=choices(COMMITMENT_KINDS))
    # lead_volume: leads/month; lead_acceptance: percent; first_response and decision: business
    # hours; follow_up: contact attempts; revenue: money per month.
    target = DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        indexes = ((("agreement", "kind"), True),)


class WorkingHours(BaseModel):
    """The team's working time on one weekday (0 = Monday), in the company's time zone."""

    weekday = IntegerField()
    starts = CharField(max_length=5)  # HH:MM
    ends = CharField(max_length=5)


class ClosingDay(BaseModel):
    day = DateField(unique=True)
    label = CharField(max_length=120, default="")


class MonthlyPlan(BaseModel):
    month = CharField(max_length=7, unique=True)  # YYYY-MM
    objectives = TextField(default="")
    ideal_customer = TextField(default="")
    key_messages = TextField(default="")
    sales_actions = TextField(default="")
    resources = TextField(default="")
    agenda_notes = TextField(default="")
    updated_at = DateTimeField()


class AuditEntry(BaseModel):
    """Who changed what and when, with the values before and after (JSON)."""

    at = DateTimeField(index=True)
    member = ForeignKeyField(Member, null=True, backref="+", on_delete="SET NULL")
    table = CharField(max_length=40)
    row_id = IntegerField()
    action = CharField(max_length=40)
    before = TextField(null=True)
    after = TextField(null=True)

    class Meta:
        indexes = ((("table", "row_id"), False),)


class LeadPause(BaseModel):
    """One time a lead was paused (the customer asked to be called back on a date): the SLA
    clocks stand still from starts_at until business starts on ends_on, or until ended_at."""

    lead = ForeignKeyField(Lead, backref="pauses", on_delete="CASCADE")
    starts_at = DateTimeField()
    ends_on = DateField()
    ended_at = DateTimeField(null=True)  # resumed, or the lead left sales' hands, before ends_on


SLA_CLOCK_KINDS = ("first_response", "decision", "follow_up")
SLA_RESULTS = ("met", "breached")


class SlaClock(BaseModel):
    """One SLA measurement of one handover, derived from the records and kept up to date by
    app/sla_clocks.py (never edited by hand). first_response and decision are clocks in
    business minutes; follow_up counts contact attempts before giving a lead up."""

    # Plain ids, not foreign keys: a cascade would drop rows behind the tally's back; the
    # triggers mark the lead stale instead and the rows go when it is worked out again.
    handover_id = IntegerField()
    lead_id = IntegerField(index=True)
    kind = CharField(max_length=20, choices=choices(SLA_CLOCK_KINDS))
    month = CharField(max_length=7)  # YYYY-MM in the company's zone: the handover's, or give-up's
    member_id = IntegerField(null=True)  # sales: who the lead was handed to
    marketer_id = IntegerField(null=True)  # who handed it over
    started_at = DateTimeField()
    stopped_at = DateTimeField(null=True)
    target = FloatField()  # business minutes; follow_up: contact attempts
    actual = FloatField(null=True)  # when stopped: business minutes taken; follow_up: attempts
    result = CharField(max_length=8, null=True, choices=choices(SLA_RESULTS))  # when stopped
    # Running clocks turn at risk at at_risk_at and breach after due_at (known pauses counted).
    due_at = DateTimeField(null=True)
    at_risk_at = DateTimeField(null=True)
    decision = CharField(max_length=10, null=True)  # on decision clocks: accepted | rejected

    class Meta:
        indexes = (
            # A month's times taken lie sorted here, for the team and for each member: a
            # median is a walk to the middle of the index, not a sort.
            (("month", "kind", "member_id", "actual"), False),
            (("month", "kind", "actual"), False),
            # Running clocks (few) by month.
            (("result", "month"), False),
        )


class SlaTally(BaseModel):
    """Counts of stopped SLA clocks by month, kind, member, result and decision (and attempts,
    for follow_up), kept in step with sla_clock: a year's trend reads a few hundred rows."""

    month = CharField(max_length=7)
    kind = CharField(max_length=20)
    member_id = IntegerField()  # 0: nobody
    marketer_id = IntegerField()  # 0: nobody
    result = CharField(max_length=8)
    decision = CharField(max_length=10)  # "" when none
    attempts = IntegerField()  # follow_up: attempts made; 0 otherwise
    count = IntegerField()

    class Meta:
        indexes = (
            (
                ("month", "kind", "member_id", "marketer_id", "result", "decision", "attempts"),
                True,
            ),
        )


class SlaStaleLead(BaseModel):
    """Leads whose SLA clocks must be worked out again; filled by triggers (app/sla_clocks.py)."""

    lead_id = IntegerField(primary_key=True)


class CampaignSpend(BaseModel):
    """One amount spent on a campaign (an invoice, a booking); Campaign.actual_spend is their sum,
    kept in step by app/campaigns.py."""

    campaign = ForeignKeyField(Campaign, backref="spend_entries", on_delete="CASCADE")
    spent_on = DateField()
    amount = DecimalField(max_digits=14, decimal_places=2)
    note = CharField(max_length=200, default="")
    created_at = DateTimeField()


ALL_MODELS: list[type[BaseModel]] = [
    SchemaInfo,
    Setting,
    Member,
    Reason,
    Campaign,
    Lead,
    Handover,
    Deal,
    DealStageChange,
    Activity,
    Target,
    SlaAgreement,
    SlaCommitment,
    WorkingHours,
    ClosingDay,
    MonthlyPlan,
    AuditEntry,
    LeadPause,
    SlaClock,
    SlaTally,
    SlaStaleLead,
    CampaignSpend,
]
