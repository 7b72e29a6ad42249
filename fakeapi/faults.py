"""Telegram on a bad day, for both fake Bot APIs: flood control and random faults.

    api.flood = FloodControl()          # answer 429 (retry_after) to a message over a limit
    api.chaos = Chaos(rate=0.2, seed=7) # 20 % of messages: 429, 500 or no answer at all

Both judge only methods that put a message into a chat (`SENDS`). Times come from the
fake's `clock` (time.monotonic, or a test's virtual time), and every call records its own.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from fakeapi.parse_mode import Rejected

SENDS = frozenset(("sendMessage", "sendDocument", "sendPhoto"))
TIMEOUT = -1  # a fault's status: no answer before the client gives up (never delivered)


@dataclass
class FloodControl:
    """Telegram's limits as a server would enforce them, in sliding windows: `overall`
    messages a second, `group` a minute into one group, one a `chat_gap` into one chat."""

    overall: int = 30
    group: int = 20
    chat_gap: float = 1.0
    refused: int = 0  # 429 answers given
    broken: Counter[str] = field(default_factory=Counter)  # which limit, per 429
    _recent: deque[float] = field(default_factory=deque)
    _groups: defaultdict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _last: dict[int, float] = field(default_factory=dict)

    def check(self, chat_id: int, at: float) -> None:
        """Raise the 429 Telegram would answer if a message to `chat_id` at `at` breaks a
        limit; otherwise count it."""
        while self._recent and self._recent[0] <= at - 1.0:
            self._recent.popleft()
        waits = {}
        if len(self._recent) >= self.overall:
            waits["overall"] = self._recent[-self.overall] + 1.0 - at
        if chat_id in self._last and at - self._last[chat_id] < self.chat_gap:
            waits["chat"] = self._last[chat_id] + self.chat_gap - at
        if chat_id < 0:
            window = self._groups[chat_id]
            while window and window[0] <= at - 60.0:
                window.popleft()
            if len(window) >= self.group:
                waits["group"] = window[-self.group] + 60.0 - at
        if waits:
            self.refused += 1
            self.broken.update(waits.keys())
            retry_after = max(1, math.ceil(max(waits.values())))
            raise Rejected(
                f"Too Many Requests: retry after {retry_after}", 429, {"retry_after": retry_after}
            )
        self._recent.append(at)
        self._last[chat_id] = at
        if chat_id < 0:
            self._groups[chat_id].append(at)


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
