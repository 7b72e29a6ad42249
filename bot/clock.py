"""Clocks: the only place that reads the wall clock; rules get `now`/`today` from here."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
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


class Ticker(Protocol):
    """Time for work that waits (the outbox sender, rate limits): the wall clock (UTC),
    a monotonic clock for intervals, and sleeping; one fake of all three runs tests."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


@dataclass(frozen=True, slots=True)
class WallTicker:
    """The real Ticker: `clock` for dates, time.monotonic for intervals, asyncio's sleep."""

    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(slots=True)
class VirtualTime:
    """A Ticker whose sleep moves time forward at once (tests, benchmarks of the logic).

    Before time moves, sleep lets every other ready task run (PTB's request path, say),
    so what they record happens at the moment they were started.
    """

    at: datetime = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
    elapsed: float = 0.0

    def now(self) -> datetime:
        return self.at + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        for _ in range(YIELDS):
            await asyncio.sleep(0)
        self.elapsed += max(seconds, 0.0)


YIELDS = 8  # enough for a started send to reach the fake Bot API before time moves
