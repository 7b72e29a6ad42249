"""Clocks: the only place that reads the wall clock; rules get `now`/`today` from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Clock:
    """Wall clock in UTC, with "today" in the committee's time zone."""

    tz: ZoneInfo

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()


@dataclass(frozen=True, slots=True)
class FixedClock(Clock):
    """A clock stopped at `at` (tests, benchmarks, reproducible demos)."""

    at: datetime = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at
