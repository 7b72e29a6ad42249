"""What the sender tests share: a sender on virtual time against the in-process fake Bot API
(which enforces Telegram's limits), rows to queue, and the checks on what arrived."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.clock import VirtualTime
from bot.context import Deps
from bot.ratelimit import Budget
from fakeapi.core import ApiCall
from fakeapi.faults import FloodControl
from fakeapi.inprocess import FakeBotAPI
from jobs import sender
from jobs.registry import Job
from jobs.sender import Sender
from rendering.text import Html
from services.outbox import enqueue
from storage.db import Sessions, make_sessions
from storage.models import Outbox

TOKEN = "123:SENDER"
SLACK = 1e-9  # seconds: float rounding of virtual time


@dataclass
class Rig:
    """A sender, its database, the fake Telegram it talks to and the time they share."""

    sender: Sender
    sessions: Sessions
    api: FakeBotAPI
    time: VirtualTime

    async def queue(self, chats: Iterable[int], *, prefix: str = "m") -> list[str]:
        """One message per chat id given, in order; their keys (the text is the key)."""
        keys = []
        async with self.sessions.begin() as session:
            for number, chat in enumerate(chats):
                key = f"{prefix}:{number}:{chat}"
                await enqueue(session, key=key, chat_id=chat, text=Html(key), now=self.time.now())
                keys.append(key)
        return keys

    async def rows(self) -> dict[str, Outbox]:
        async with self.sessions.begin() as session:
            return {r.key: r for r in (await session.scalars(select(Outbox))).all()}

    def delivered(self) -> list[ApiCall]:
        """Messages Telegram accepted, in the order it accepted them."""
        return [c for c in self.api.sent() if c.method == "sendMessage"]


def fake_api(time: VirtualTime) -> FakeBotAPI:
    """The fake Bot API on virtual time, enforcing Telegram's limits, and refusing any call
    made while the sender holds a transaction."""
    api = FakeBotAPI()
    api.clock = time.monotonic
    api.flood = FloodControl()
    api.refuse_when = lambda method: (
        f"{method} inside an outbox transaction" if sender.in_transaction() else None
    )
    return api


@contextlib.asynccontextmanager
async def rig(
    engine: AsyncEngine, api: FakeBotAPI | None = None, time: VirtualTime | None = None
) -> AsyncIterator[Rig]:
    time = time or VirtualTime()
    api = api or fake_api(time)
    api.clock = time.monotonic
    sessions = make_sessions(engine)
    outbox_sender = Sender(Bot(TOKEN, request=api), sessions, Budget(time))
    yield Rig(outbox_sender, sessions, api, time)
    assert api.violations == []


def check_limits(calls: Sequence[ApiCall], *, overall: int = 30, group: int = 20) -> None:
    """Telegram's limits hold for these accepted messages: `overall` in any second, one
    a second into a chat, `group` a minute into a group (messages exactly a window apart,
    to float precision, fall in different windows)."""
    times = sorted(c.at for c in calls)
    for index, at in enumerate(times):
        in_window = [t for t in times[max(0, index - overall) : index + 1] if t > at - 1.0 + SLACK]
        assert len(in_window) <= overall, f"{len(in_window)} messages in the second to {at}"
    per_chat: defaultdict[int, list[float]] = defaultdict(list)
    for call in calls:
        assert call.chat_id is not None
        per_chat[call.chat_id].append(call.at)
    for chat, stamps in per_chat.items():
        stamps.sort()
        gaps = [b - a for a, b in itertools.pairwise(stamps)]
        assert all(gap >= 1.0 - SLACK for gap in gaps), f"chat {chat}: gaps {gaps}"
        if chat < 0:
            for index, at in enumerate(stamps):
                recent = [t for t in stamps[: index + 1] if t > at - 60.0 + SLACK]
                assert len(recent) <= group, f"group {chat}: {len(recent)} in a minute to {at}"


AT = time(8, 30)  # the test job's time, committee time


@dataclasses.dataclass
class MorningJob:
    """A job that greets chat 42 once a day at 08:30 (its key is the day)."""

    name: str = "greet"
    runs: list[datetime] = dataclasses.field(default_factory=list)
    broken: bool = False

    async def plan(self, deps: Deps, local_now: datetime) -> int:
        self.runs.append(local_now)
        if self.broken:
            raise RuntimeError("a bug in the plan")
        async with deps.sessions.begin() as session:
            queued = await enqueue(
                session,
                key=f"{self.name}:42:{local_now.date()}",
                chat_id=42,
                text=Html(f"Chào buổi sáng {local_now.date()}"),
                now=deps.clock.now(),
            )
        return int(queued)

    async def next_run(self, deps: Deps, after: datetime) -> datetime | None:
        local = after.astimezone(deps.settings.tz)
        today = datetime.combine(local.date(), AT, tzinfo=deps.settings.tz)
        return today if today > local else today + timedelta(days=1)

    def job(self) -> Job:
        return Job(self.name, self.plan, self.next_run)
