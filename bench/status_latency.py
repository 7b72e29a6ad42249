"""Latency of report commands through `Application.process_update` with the fake Bot API.

    python -m bench.status_latency --url sqlite+aiosqlite:////tmp/b100k.db

Prints p50/p95/max per command, "warm" (register unchanged since the last answer) and
"cold", then the process's peak RSS. Cold bumps the register version before every call
(services.reports.expire_reports, untimed), as an import does: the report cache
(services/reports.py SummaryCache) then counts the figures again from the tallies, fetches
an agency's lists again, and reloads agency codes and kinds; only the lookup index stays,
since it follows agency and program ids, which such an import leaves alone. Seed the
database first with `python -m bench.seed_db`.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import Update

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from services.reports import expire_reports

ADMIN, GROUP = 1, -1001000000001
COMMANDS = ("/status", "/status MOF", "/status Bộ Tài chính", "/overdue", "/due 30", "/lagging")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # the seed's "today" in Hanoi


async def send(app: DondocApp, text: str) -> None:
    update = updates.text_message(text, chat_id=GROUP, user_id=ADMIN)
    await app.process_update(Update.de_json(update, app.bot))


async def bump(app: DondocApp) -> None:
    async with app.bot_data.deps.sessions.begin() as session:
        await expire_reports(session)


async def timed(
    app: DondocApp, text: str, runs: int, before: Callable[[], Awaitable[None]] | None
) -> list[float]:
    """Milliseconds per process_update call (the `before` step is not timed)."""
    times = []
    for _ in range(runs):
        if before is not None:
            await before()
        start = time.perf_counter()
        await send(app, text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return (f"{label:34} p50 {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms"
            f"   max {times[-1]:7.2f} ms")  # fmt: skip


async def main(url: str, runs: int, commands: tuple[str, ...] = COMMANDS) -> None:
    settings = load_settings(database_url=url, admins=frozenset({ADMIN}),
                             telegram_bot_token="1:BENCH")  # fmt: skip
    api = FakeBotAPI()
    app = build_application(settings, request=api, clock=FixedClock(settings.tz, NOW),
                            rate_limit=False)  # fmt: skip
    async with opened(app):
        await send(app, "/register")
        errors_before = len(api.errors())
        for text in commands:
            await timed(app, text, 3, None)  # warm-up: connections, caches, code paths
            print(line(f"{text} (warm)", await timed(app, text, runs, None)))
            print(
                line(f"{text} (cold)", await timed(app, text, runs // 4 or 1, lambda: bump(app)))
            )
        assert len(api.errors()) == errors_before, api.errors()[-1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this bot process: {rss_mb:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--command", action="append", help="only these (repeatable)")
    args = parser.parse_args()
    asyncio.run(main(args.url, args.runs, tuple(args.command or COMMANDS)))
