"""Drain the outbox against a stand-in that enforces Telegram's limits, beside the minimum.

    python -m bench.bench_drain                      # 10,000 messages over 500 chats
    python -m bench.bench_drain --messages 2000 --chats 100 --url postgresql+asyncpg://…

The HTTP Bot API stand-in (fakeapi/standin.py, in a process of its own) answers 429 with
retry_after to any message that breaks Telegram's limits (30 a second overall, one a second
into a chat, 20 a minute into a group: fakeapi/faults.py FloodControl). The real sender
(jobs/sender.py) drains the outbox through HTTP with its own Bot and budget, as `dondoc run`
does. Printed: the least time Telegram's limits allow for these messages, the least the
sender's own share allows (28 a second, 18 a minute per group), the measured time (first to
last message accepted, on the stand-in's clock), their ratio (target <= 1.1 x the first),
and how many 429s the stand-in gave (target 0).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from bot.clock import Clock, WallTicker
from bot.ratelimit import Budget, Limits
from bot.settings import load_settings
from fakeapi.faults import FloodControl
from fakeapi.standin import STATS_PATH
from jobs.sender import Sender, make_bot
from services import outbox
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from storage.models import Outbox

TOKEN = "123456:BENCH-drain"


def chats_of(count: int, groups: int) -> list[int]:
    """`groups` group chats (negative ids) among `count` chats."""
    return [-1_000_000_000_000 - n if n < groups else 10_000 + n for n in range(count)]


def least_time(per_chat: Counter[int], *, overall: float, group: int, gap: float) -> float:
    """Seconds from the first message to the last, at the least, under these limits."""
    bound = (sum(per_chat.values()) - 1) / overall
    for chat, count in per_chat.items():
        if chat < 0:  # `group` a minute, one each `gap` seconds within a minute
            full, rest = divmod(count - 1, group)
            bound = max(bound, full * 60.0 + rest * gap)
        else:
            bound = max(bound, (count - 1) * gap)
    return bound


async def fill(url: str, messages: int, chats: list[int]) -> Counter[int]:
    """A fresh outbox of `messages` rows, chat after chat (each chat's in a row)."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        now = datetime.now(UTC)
        per_chat = Counter(chats[n * len(chats) // messages] for n in range(messages))
        rows = [
            {
                "key": f"bench:{chat}:{k}",
                "chat_id": chat,
                "text": f"<b>Nhắc việc</b> số {k} cho {chat}",
                "status": "pending",
                "attempts": 0,
                "created_at": now,
                "not_before": now,
            }
            for chat, count in per_chat.items()
            for k in range(count)
        ]
        async with make_sessions(engine).begin() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(insert(Outbox), rows[start : start + 5000])
        return per_chat
    finally:
        await engine.dispose()


async def drain(url: str, base_url: str) -> dict[str, int]:
    """Run the sender until the outbox is empty; the outbox's counts then."""
    settings = load_settings(
        database_url=url, telegram_bot_token=TOKEN, telegram_api_base_url=base_url
    )
    engine = make_engine(url)
    bot = make_bot(settings)
    try:
        sender = Sender(bot, make_sessions(engine), Budget(WallTicker(Clock(settings.tz))))
        await bot.initialize()
        await sender.drain()
        async with make_sessions(engine).begin() as session:
            return await outbox.count_by_status(session)
    finally:
        await bot.shutdown()
        await engine.dispose()


@contextlib.contextmanager
def standin_process() -> Iterator[str]:
    """The HTTP stand-in, enforcing Telegram's limits, in a process of its own (as Telegram
    is: its threads must not take the sender's CPU); yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeapi.standin", "--port", "0", "--limits", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        yield first.removeprefix("TELEGRAM_API_BASE_URL=")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def stats(base_url: str) -> dict[str, Any]:
    """The stand-in's counts (GET /_stats)."""
    root = base_url.removesuffix("/bot")
    with urllib.request.urlopen(root + STATS_PATH, timeout=30) as answer:
        return dict(json.load(answer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--groups", type=int, default=50, help="how many of the chats are groups")
    parser.add_argument("--url", help="database (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'drain.db'}"
    per_chat = asyncio.run(fill(url, args.messages, chats_of(args.chats, args.groups)))
    telegram, own = FloodControl(), Limits()
    floor = least_time(per_chat, overall=telegram.overall, group=telegram.group, gap=1.0)
    share = least_time(
        per_chat,
        overall=own.background_rate,
        group=own.group - own.group_reserve,
        gap=own.chat_gap,
    )
    with standin_process() as base_url:
        started, cpu = time.perf_counter(), time.process_time()
        counts = asyncio.run(drain(url, base_url))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        seen = stats(base_url)
    measured = seen["last"] - seen["first"]
    print(f"{args.messages} messages over {args.chats} chats ({args.groups} groups), {url}")
    print(f"least time Telegram's limits allow:   {floor:8.1f} s")
    print(f"least time the sender's share allows: {share:8.1f} s")
    print(f"measured, first to last message:      {measured:8.1f} s  ({measured / floor:.3f} x)")
    print(f"whole drain (claims, records, exit):  {wall:8.1f} s, {cpu:.1f} s CPU (sender)")
    print(f"429 answers from the stand-in:        {seen['refused']:8d}  {seen['broken']}")
    print(f"accepted {seen['sent']} of {seen['calls']} calls; outbox {counts}")


if __name__ == "__main__":
    main()
