"""Telling whether a row is a record Tandem already has: same email, else same phone."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A record's keys: the one that decides (a lead's email), and one that counts only against
# records without the first (a lead's phone, against leads with no email).
Keys = tuple[str | None, str | None]
MIN_PHONE_DIGITS = 6  # shorter is an extension or a placeholder, not a way to tell people apart
_NOT_DIGIT = re.compile(r"\D")
POLICIES = ("skip", "update", "new")


def email_key(email: str) -> str | None:
    email = email.strip().lower()  # as app.leads stores and compares them
    return f"e:{email}" if email else None


def phone_key(phone: str) -> str | None:
    """+49 30 1234567, 0049-30-1234567 and (0049) 30 123 45 67 are the same number; a national
    030 1234567 is not recognised as it (the country is not known)."""
    text = phone.strip()
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+"):
        digits = "00" + digits
    return f"p:{digits}" if len(digits) >= MIN_PHONE_DIGITS else None


def lead_keys(email: str, phone: str) -> Keys:
    return email_key(email), phone_key(phone)


def name_key(name: str) -> str | None:
    name = " ".join(name.split()).casefold()
    return f"n:{name}" if name else None


def deal_key(title: str, lead: int | None) -> str | None:
    title = " ".join(title.split()).casefold()
    return f"t:{title}|{lead or ''}" if title else None


class KeyIndex:
    """Which record has which key: the records in the database and those added by this import.

    Values are record ids; markers below zero stand for rows waiting in the current batch, and
    0 for a row a dry run would add. Only normalised keys are kept, one entry per record."""

    def __init__(self, existing: Iterable[tuple[int, Keys]] = ()) -> None:
        self._ids: dict[str, int] = {}
        for record_id, keys in existing:
            self.add(keys, record_id, replace=False)

    def __len__(self) -> int:
        return len(self._ids)

    def find(self, keys: Keys) -> int | None:
        first, second = keys
        if first is not None and first in self._ids:
            return self._ids[first]
        if second is not None:
            return self._ids.get(second)
        return None

    def add(self, keys: Keys, record_id: int, *, replace: bool = True) -> None:
        """Index a record under its deciding key, or its second key when it has none."""
        first, second = keys
        key = first if first is not None else second
        if key is not None and (replace or key not in self._ids):
            self._ids[key] = record_id

    def move(self, old: Keys, new: Keys, record_id: int) -> None:
        """A record's keys changed (an update gave a phone-only lead its email)."""
        for key in old:
            if key is not None and self._ids.get(key) == record_id:
                del self._ids[key]
        self.add(new, record_id)

    def settle(self, marker: int, keys: Keys, record_id: int) -> None:
        """A waiting row was written and has its id now."""
        first, second = keys
        key = first if first is not None else second
        if key is not None and self._ids.get(key) == marker:
            self._ids[key] = record_id
