"""What reading an import's rows needs besides the rows: formats, who imports, when, and the
names rows refer to (team members, campaigns, leads), looked up once and kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.io.values import CellError, Formats
from app.models import Campaign, Member, database


@dataclass
class Context:
    """One import's settings and lookups; a dry run creates nothing, only counts."""

    formats: Formats
    now: dt.datetime
    today: dt.date
    by: int | None  # the member importing; owner of what names no owner
    currency: str  # the company's, for deals without one
    create_campaigns: bool = False
    dry_run: bool = False
    campaigns_created: list[str] = field(default_factory=list)
    _members: dict[str, int | None] | None = None
    _campaigns: dict[str, int | None] | None = None
    _leads: dict[str, int] | None = None

    def member(self, text: str) -> int:
        if self._members is None:
            self._members = {}
            # peewee's type hints do not know .tuples() yields tuples.
            people: Any = Member.select(Member.id, Member.name, Member.email).tuples()
            for member_id, name, email in people:
                for key in (_key(name), _key(email or "")):
                    if key:
                        # Two members of one name: the name alone no longer says who.
                        self._members[key] = None if key in self._members else member_id
        found = self._members.get(_key(text), 0)
        if found is None:
            raise CellError("two team members have this name; use their email instead")
        if not found:
            raise CellError("no team member has this name or email")
        return found

    def campaign(self, text: str) -> int:
        """The campaign of that name; a new one when the user chose to create missing campaigns
        (a dry run only counts it, and stands -1 for its id)."""
        if self._campaigns is None:
            self._campaigns = {}
            query: Any = Campaign.select(Campaign.id, Campaign.name).where(
                Campaign.deleted_at.is_null()
            )
            for campaign_id, name in query.tuples():
                key = _key(name)
                self._campaigns[key] = None if key in self._campaigns else campaign_id
        key = _key(text)
        if key in self._campaigns:
            found = self._campaigns[key]
            if found is None:
                raise CellError("two campaigns have this name")
            return found
        if not self.create_campaigns:
            raise CellError(
                "there is no campaign of this name; add it first, or let the import create "
                "missing campaigns"
            )
        name = " ".join(text.split())[:200]
        self.campaigns_created.append(name)
        created = -1
        if not self.dry_run:
            created = Campaign.create(
                name=name, channel="other", starts_on=self.today, created_at=self.now
            ).id
        self._campaigns[key] = created
        return created

    def lead(self, text: str) -> int:
        if self._leads is None:
            self._leads = {}
            cursor = database.execute_sql(
                "SELECT id, email FROM lead WHERE deleted_at IS NULL AND email != '' ORDER BY id"
            )
            for lead_id, email in cursor:
                self._leads.setdefault(email.strip().casefold(), lead_id)
        found = self._leads.get(text.strip().casefold())
        if not found:
            raise CellError("no lead has this email")
        return found


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
