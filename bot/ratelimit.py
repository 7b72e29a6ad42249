"""Telegram's sending budget, shared by interactive answers and the outbox sender.

Telegram allows a bot about 30 messages a second overall, 20 a minute into one group and
about one a second into one chat (Bots FAQ, "My bot is hitting limits"). One `Budget` per
process counts every message either side sends, in sliding windows. Answers to users
come first: they may use the whole budget, while the sender (a "background" send) keeps
`reserve` of the overall and of each group's budget free for them, spaces its own
messages evenly and waits out a 429's retry_after. So answers never queue behind the
outbox, and the two together never exceed Telegram's limits.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.clock import Clock, Ticker, WallTicker

SECOND, MINUTE = 1.0, 60.0
EPSILON = 1e-6  # a wait ends just after a window's oldest message leaves it
CATCH_UP = 0.1  # seconds of delay the sender may make up with quicker messages
CATCH_UP_PACE = 0.75  # of its interval: how close together it sends them


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's limits, and the share of them the outbox sender leaves to answers."""

    overall: int = 30  # messages per second, the whole bot
    group: int = 20  # messages per minute into one group (negative chat id)
    chat_gap: float = 1.25  # seconds between two outbox messages into one chat (1 + jitter)
    reserve: int = 2  # of `overall`: the sender sends at most 28 a second
    group_reserve: int = 2  # of `group`: at most 18 outbox messages a minute per group

    @property
    def background_rate(self) -> int:
        """Outbox messages per second at most."""
        return self.overall - self.reserve


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative ids."""
    return chat_id < 0


class Budget:
    """Who sent what when, in sliding windows; how long a send must wait (see module)."""

    def __init__(self, ticker: Ticker, limits: Limits | None = None) -> None:
        self.ticker = ticker
        self.limits = limits or Limits()
        self._recent: deque[float] = deque()  # every message in the last second
        self._groups: dict[int, deque[float]] = {}  # per group: messages in the last minute
        self._last: dict[int, float] = {}  # per chat: its last message
        self._slot = -math.inf  # when the sender's next message is due, at its even pace
        self._last_background = -math.inf
        self._paused_until = -math.inf

    def delay(self, chat_id: int, *, background: bool) -> float:
        """Seconds before a message to `chat_id` may go (0: now)."""
        now = self.ticker.monotonic()
        self._forget(now)
        limits = self.limits
        waits = [0.0]
        cap = limits.overall - (limits.reserve if background else 0)
        if len(self._recent) >= cap:
            waits.append(self._recent[-cap] + SECOND - now)
        if background:
            waits.append(self._paused_until - now)
            waits.append(self._slot - now)  # evenly, not in bursts
            # Making up for a delay, still no closer than half the pace: arrival times
            # jitter, and a burst could land more than the limit in one of Telegram's seconds.
            waits.append(self._last_background + SECOND / cap * CATCH_UP_PACE - now)
            waits.append(self.chat_delay(chat_id, now))
        elif is_group(chat_id):
            waits.append(self._group_wait(chat_id, limits.group, now))
        wait = max(waits)
        return wait + EPSILON if wait > 0 else 0.0

    def chat_delay(self, chat_id: int, now: float) -> float:
        """Seconds before the sender may write into this chat again (its own limits only)."""
        limits = self.limits
        wait = self._last.get(chat_id, -math.inf) + limits.chat_gap - now
        if is_group(chat_id):
            wait = max(wait, self._group_wait(chat_id, limits.group - limits.group_reserve, now))
        return max(wait, 0.0)

    def _group_wait(self, chat_id: int, cap: int, now: float) -> float:
        window = self._groups.get(chat_id)
        if window is None:
            return 0.0
        while window and window[0] <= now - MINUTE:
            window.popleft()
        return window[-cap] + MINUTE - now if len(window) >= cap else 0.0

    def take(self, chat_id: int, *, background: bool) -> None:
        """Count a message going to `chat_id` now."""
        now = self.ticker.monotonic()
        self._recent.append(now)
        self._last[chat_id] = now
        if is_group(chat_id):
            self._groups.setdefault(chat_id, deque()).append(now)
        if background:
            # The next slot follows this one's, not the moment it went: a send that went a
            # little late (a busy loop, a claim) is made up for by the next ones; after a
            # longer pause (idle) the pace starts afresh, with no burst. Making up never
            # goes past the per-second cap: once the cap holds the sender back, the slot
            # follows the cap, not the earlier pace, or each second after a delay would
            # repeat it (a gap, then messages at the catch-up pace up to the cap), the
            # sliding second always full to the last message.
            cap = self.limits.background_rate
            interval = SECOND / cap
            late = now - self._slot
            slot = (now if late > CATCH_UP else self._slot) + interval
            if len(self._recent) >= cap:
                slot = max(slot, self._recent[-cap] + SECOND)
            self._slot = slot
            self._last_background = now

    async def acquire(self, chat_id: int, *, background: bool) -> None:
        """Wait until a message to `chat_id` may go, and count it."""
        while (wait := self.delay(chat_id, background=background)) > 0:
            await self.ticker.sleep(wait)
        self.take(chat_id, background=background)

    def pause(self, seconds: float) -> None:
        """Hold background sends for `seconds` (Telegram answered 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self.ticker.monotonic() + seconds)

    def paused_for(self) -> float:
        """Seconds left of a pause (0: none)."""
        return max(self._paused_until - self.ticker.monotonic(), 0.0)

    def cooling(self) -> dict[int, float]:
        """Chats the sender must not write into yet, with the seconds left."""
        now = self.ticker.monotonic()
        self._forget(now)
        waits = {chat: self.chat_delay(chat, now) for chat in self._last}
        return {chat: wait for chat, wait in waits.items() if wait > 0}

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - SECOND:
            self._recent.popleft()
        if len(self._last) > FORGET_AT:  # chats written into over a minute ago matter no more
            self._last = {c: t for c, t in self._last.items() if t > now - MINUTE}
            self._groups = {c: w for c, w in self._groups.items() if c in self._last}


def wall_budget() -> Budget:
    """A Budget on the wall clock (UTC dates) and time.monotonic."""
    return Budget(WallTicker(Clock(ZoneInfo("UTC"))))


FORGET_AT = 5000  # chats remembered before the stale ones are dropped

# Methods that put a message into a chat: what Telegram's limits count.
MESSAGES = frozenset(("sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"))
MESSAGES |= {"sendAudio", "sendVideo", "sendVoice", "sendAnimation", "sendSticker"}
MESSAGES |= {"sendLocation", "sendContact", "sendPoll", "copyMessage", "forwardMessage"}


class InteractiveLimiter(BaseRateLimiter[int]):
    """PTB's AIORateLimiter for answers (its 429 retries included), each message also
    counted in the process's Budget, which holds it only when Telegram's own limit is
    reached (the outbox sender yields before that)."""

    def __init__(self, budget: Budget, inner: AIORateLimiter) -> None:
        self.budget, self.inner = budget, inner

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = _int(data.get("chat_id"))
        if endpoint not in MESSAGES or chat_id is None:
            return await self.inner.process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def counted(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            await self.budget.acquire(chat_id, background=False)  # every try counts
            return await callback(*a, **kw)

        return await self.inner.process_request(
            counted, args, kwargs, endpoint, data, rate_limit_args
        )


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None  # "@channelname": not a chat the budget tracks
