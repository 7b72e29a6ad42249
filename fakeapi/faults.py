"""Telegram on a bad day, for both fake Bot APIs: flood control and random faults.

    api.flood = FloodControl()          # answer 429 (retry_after) to a message over a limit
    api.chaos = Chaos(rate=0.2, seed=7) # 20 % of messages: 429, 500 or no answer at all

Both judge only methods that put a message into a chat (`SENDS`). Times come from the
fake's `clock` (time.monotonic, or a test's virtual time), and every call records its own.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from fakeapi.parse_mode import Rejected

SENDS = frozenset(("sendMessage", "sendDocument", "sendPhoto"))
TIMEOUT = -1  # a fault's status: no answer before the client gives up (never delivered)


@dataclass
class FloodControl:
    """Telegram's limits as a server would enforce them, in sliding windows: `overall`
    messages a second, `group` a minute into one group, one a `chat_gap` into one chat.

    Messages are judged by when they arrived, which may be a little out of the order in
    which they are judged (the HTTP stand-in's threads): each window holding the new one
    is checked, those after it too.
    """

    overall: int = 30
    group: int = 20
    chat_gap: float = 1.0
    refused: int = 0  # 429 answers given
    broken: Counter[str] = field(default_factory=Counter)  # which limit, per 429
    _recent: list[float] = field(default_factory=list)  # sorted; the last minute or so
    _groups: defaultdict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    _chats: defaultdict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def check(self, chat_id: int, at: float) -> None:
        """Raise the 429 Telegram would answer if a message to `chat_id` at `at` breaks a
        limit; otherwise count it."""
        waits = {}
        if _fullest(self._recent, at, 1.0) >= self.overall:
            waits["overall"] = 1.0
        near = [t for t in self._chats[chat_id] if abs(t - at) < self.chat_gap]
        if near:
            waits["chat"] = self.chat_gap
        if chat_id < 0 and _fullest(self._groups[chat_id], at, 60.0) >= self.group:
            waits["group"] = 60.0 - (at - self._groups[chat_id][-self.group])
        if waits:
            self.refused += 1
            self.broken.update(waits.keys())
            retry_after = max(1, math.ceil(max(waits.values())))
            raise Rejected(
                f"Too Many Requests: retry after {retry_after}", 429, {"retry_after": retry_after}
            )
        for times, keep in ((self._recent, 2.0), (self._chats[chat_id], 2.0)):
            _add(times, at, keep)
        if chat_id < 0:
            _add(self._groups[chat_id], at, 120.0)


def _fullest(times: list[float], at: float, span: float) -> int:
    """The most messages already in one window of `span` seconds that also holds `at`."""
    ends = [at, *(t for t in times[bisect.bisect_left(times, at) :] if t < at + span)]
    return max(
        bisect.bisect_right(times, end) - bisect.bisect_right(times, end - span) for end in ends
    )


def _add(times: list[float], at: float, keep: float) -> None:
    """Insert `at` in order; forget what is `keep` seconds older than the newest."""
    bisect.insort(times, at)
    while times and times[0] < times[-1] - keep:
        times.pop(0)


@dataclass
class Chaos:
    """A `rate` of messages fail at random (seeded): 429 with retry_after, 500, or a
    timeout; `kinds` narrows the choice."""

    rate: float = 0.2
    seed: int = 0
    kinds: tuple[int, ...] = (429, 500, TIMEOUT)
    retry_after: tuple[int, int] = (1, 3)
    injected: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    _random: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self) -> Rejected | None:
        """The fault for the next message, if it gets one."""
        if self._random.random() >= self.rate:
            return None
        kind = self._random.choice(self.kinds)
        self.injected[kind] += 1
        if kind == 429:
            after = self._random.randint(*self.retry_after)
            return Rejected(f"Too Many Requests: retry after {after}", 429, {"retry_after": after})
        if kind == TIMEOUT:
            return Rejected("fake-only: no answer (timed out)", TIMEOUT)
        return Rejected("Internal Server Error", kind)
