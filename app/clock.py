"""Where domain code gets the time: always passed in, so tests can fix it exactly."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant as a naive UTC datetime (how timestamps are stored)."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class FixedClock:
    """A clock that stands still until moved: for tests and for building history."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)
