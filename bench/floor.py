"""Warm /status throughput beside a floor, side by side in one process and one run.

    python -m bench.floor --url sqlite+aiosqlite:////tmp/b1m.db --updates 3000

The floor is a bare PTB Application with one handler that opens one session, reads one row
by primary key and replies with the very HTML dondoc sends for the same command (captured
first), so that the fake Bot API, which parses and checks every reply as Telegram would,
costs both the same. dondoc answers /status and /status MOF as a registered group's admin,
warm (the register unchanged since its last answer). Both run through
`Application.process_update` with the same in-process fake Bot API (fakeapi/inprocess.py),
interleaved in rounds so that a loaded machine slows them alike. Printed: updates/s of each,
dondoc's share of the floor (target >= 80 %), and the SQL statements each update runs.
Seed the database first with `python -m bench.seed_db`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackContext, CommandHandler

from bench.status_latency import ADMIN, GROUP, NOW
from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from storage.db import Sessions, make_engine, make_sessions, recorded
from storage.models import Agency

App = Application[Any, Any, Any, Any, Any, Any]
COMMANDS = ("/status", "/status MOF")


def floor_app(sessions: Sessions, replies: dict[str, str]) -> App:
    """A bare Application: one handler, one session, one primary-key read, one reply."""

    async def reply(update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        async with sessions.begin() as session:
            agency = await session.get(Agency, 1)
        message = update.effective_message
        assert message is not None
        assert message.text is not None
        assert agency is not None
        await message.reply_html(replies[message.text], do_quote=False)

    api = FakeBotAPI()
    app: App = ApplicationBuilder().token("1:FLOOR").request(api).get_updates_request(api).build()
    app.add_handler(CommandHandler("status", reply))
    return app


async def send(app: App, text: str) -> None:
    update = updates.text_message(text, chat_id=GROUP, user_id=ADMIN)
    await app.process_update(Update.de_json(update, app.bot))


async def timed(app: App, text: str, n: int) -> tuple[float, float]:
    """Wall-clock and process CPU seconds for `n` updates."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        await send(app, text)
    return time.perf_counter() - wall, time.process_time() - cpu


async def answer(app: App, text: str) -> str:
    """What the app sends back for `text`."""
    api = app.bot.request
    assert isinstance(api, FakeBotAPI)
    await send(app, text)
    return str(api.calls[-1].params["text"])


async def main(url: str, n: int, rounds: int) -> None:
    settings = load_settings(database_url=url, admins=frozenset({ADMIN}),
                             telegram_bot_token="1:BENCH")  # fmt: skip
    dondoc = build_application(settings, request=FakeBotAPI(),
                               clock=FixedClock(settings.tz, NOW), rate_limit=False)  # fmt: skip
    floor_engine = make_engine(url)
    replies: dict[str, str] = {}
    floor = floor_app(make_sessions(floor_engine), replies)
    async with opened(dondoc), floor:
        await send(dondoc, "/register")
        replies.update({text: await answer(dondoc, text) for text in COMMANDS})
        apps: dict[str, tuple[App, str]] = {}
        for text in COMMANDS:
            apps[f"floor {text}"], apps[f"dondoc {text}"] = (floor, text), (dondoc, text)
        for app, text in apps.values():
            await timed(app, text, 20)  # warm-up: connections, caches, code paths
        results = {text: await compare(floor, dondoc, text, n, rounds) for text in COMMANDS}
        statements = {}
        for name, (app, text) in apps.items():
            engine = floor_engine if app is floor else dondoc.bot_data.deps.sessions.kw["bind"]
            with recorded(engine) as seen:
                await send(app, text)
            statements[name] = len(seen)
    await floor_engine.dispose()
    chunk = n // rounds
    print(f"{url.split(':', 1)[0]}: {chunk * rounds} updates each, in {rounds} alternating rounds")
    for text, (wall, cpu, ratios) in results.items():
        floor_rate, dondoc_rate = (chunk * rounds / seconds for seconds in wall)
        floor_n, dondoc_n = statements[f"floor {text}"], statements[f"dondoc {text}"]
        print(
            f"{text:12} floor {floor_rate:5.0f} updates/s ({floor_n} statement)"
            f"   dondoc {dondoc_rate:5.0f} updates/s ({dondoc_n} statements)"
            f"   dondoc/floor: {dondoc_rate / floor_rate:.0%} overall,"
            f" {statistics.median(ratios):.0%} median of rounds, {cpu[0] / cpu[1]:.0%} by CPU"
        )


async def compare(
    floor: App, dondoc: App, text: str, n: int, rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Floor and dondoc in alternating chunks: total wall and CPU seconds, per-round ratios."""
    wall, cpu, ratios = [0.0, 0.0], [0.0, 0.0], []
    for round_ in range(rounds):
        order = (0, 1) if round_ % 2 == 0 else (1, 0)  # neither always runs first
        spent = {}
        for who in order:
            spent[who] = await timed((floor, dondoc)[who], text, n // rounds)
            wall[who] += spent[who][0]
            cpu[who] += spent[who][1]
        ratios.append(spent[0][0] / spent[1][0])  # floor's time / dondoc's = dondoc's rate share
    return wall, cpu, ratios


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.updates, args.rounds))
