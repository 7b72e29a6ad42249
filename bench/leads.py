"""200 leads pressing buttons at once, through the real Application, beside a floor.

    python -m bench.leads --url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_leads

The database's public schema is dropped first: give it a database of its own. Seeded: 200
leads of 50 agencies (4 each), each agency with 8 open tasks. Every lead, at once, opens a
card of its agency's, sets its progress to 50 %, then presses Done (today) on the card it
saw: the 4 leads of an agency share 2 tasks, so half the Done presses hit a card another
lead has just changed and must be refused as stale, never applied twice. The updates go
through `Application.process_update`, at most 16 at a time as `dondoc run` handles them
(`concurrent_updates(16)`), with the in-process fake Bot API.

Printed: handling time per update (p50, p95, max; target p95 <= 50 ms), and the floor beside
it: a bare PTB Application whose handler updates one row in one transaction and replies,
under the same concurrency. Then the counts: presses, tasks done, progress and status
events, and versions, against what exactly-once requires.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackContext, CallbackQueryHandler

from bench.status_latency import NOW
from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from handlers.task_buttons import CardButton, DoneOn, ProgressTo, Verb
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from storage.models import Agency, Member, Role, Task, TaskEvent

App = Application[Any, Any, Any, Any, Any, Any]
AGENCIES, LEADS_PER_AGENCY, TASKS_PER_AGENCY = 50, 4, 8
CONCURRENT = 16  # bot/app.py: concurrent_updates(16); the default of --concurrency
FIRST_LEAD = 500_000
TODAY = date(2026, 11, 25)


async def reset(url: str) -> None:
    """Drop the public schema of the bench's own database and migrate it afresh."""
    engine = make_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


async def seed(app: App) -> dict[int, list[int]]:
    """Leads and tasks; each lead's task ids (the 4 leads of an agency share 2 tasks)."""
    async with app.bot_data.deps.sessions.begin() as session:
        agency_ids = list((await session.scalars(select(Agency.id).order_by(Agency.id))).all())
        tasks_of: dict[int, list[int]] = {}
        for number, agency_id in enumerate(agency_ids[:AGENCIES]):
            tasks = [
                Task(code=f"B{number}-{i}", title=f"Nhiệm vụ {i}", lead_agency_id=agency_id,
                     deadline=TODAY + timedelta(days=30 + i), status="open")
                for i in range(TASKS_PER_AGENCY)
            ]  # fmt: skip
            session.add_all(tasks)
            await session.flush()
            for k in range(LEADS_PER_AGENCY):
                lead = FIRST_LEAD + number * LEADS_PER_AGENCY + k
                session.add(Member(user_id=lead, role=Role.LEAD.value, agency_id=agency_id))
                tasks_of[lead] = [tasks[k % 2].id, tasks[2 + k].id]
    return tasks_of


def press(app: App, lead: int, data: str) -> Update:
    """A lead's press in its private chat."""
    return Update.de_json(updates.callback(data, chat_id=lead, user_id=lead), app.bot)


async def run_all(
    process: Callable[[Update], Awaitable[None]], jobs: list[list[Update]], concurrent: int
) -> list[float]:
    """Each job's updates in order, the jobs at once, `concurrent` updates at a time; the
    handling time of each update in seconds."""
    gate = asyncio.Semaphore(concurrent)
    started = time.process_time(), time.perf_counter()
    timings: list[float] = []

    async def one(job: list[Update]) -> None:
        for item in job:
            async with gate:
                start = time.perf_counter()
                await process(item)
                timings.append(time.perf_counter() - start)

    await asyncio.gather(*(one(job) for job in jobs))
    cpu, wall = time.process_time() - started[0], time.perf_counter() - started[1]
    print(
        f"  {len(timings)} updates in {wall:.2f} s wall ({len(timings) / wall:.0f}/s),"
        f" {cpu / len(timings) * 1000:.1f} ms of this process's CPU each"
    )
    return timings


async def dondoc(url: str, concurrent: int) -> tuple[list[float], dict[str, int]]:
    await reset(url)
    settings = load_settings(database_url=url, telegram_bot_token="1:BENCH")
    api = FakeBotAPI()
    app = build_application(
        settings, request=api, clock=FixedClock(settings.tz, NOW), rate_limit=False
    )
    async with opened(app):
        tasks_of = await seed(app)
        sessions = app.bot_data.deps.sessions
        # The cards as each lead saw them: every task at version 1.
        progress = [
            [press(app, lead, CardButton(ids[1], 1, Verb.OPEN).pack()),
             press(app, lead, ProgressTo(ids[1], 1, 50).pack())]
            for lead, ids in tasks_of.items()
        ]  # fmt: skip
        day = int(TODAY.strftime("%Y%m%d"))
        done = [
            [press(app, lead, DoneOn(ids[0], 1, day).pack())] for lead, ids in tasks_of.items()
        ]
        timings = await run_all(app.process_update, progress, concurrent)
        timings += await run_all(app.process_update, done, concurrent)
        async with sessions() as session:
            counts = await _counts(session)
        counts["presses"] = sum(map(len, progress)) + sum(map(len, done))
        counts["answered"] = sum(1 for c in api.calls if c.method == "answerCallbackQuery")
    return timings, counts


async def _counts(session: Any) -> dict[str, int]:
    rows = await session.execute(select(TaskEvent.field, func.count()).group_by(TaskEvent.field))
    events = dict(rows.all())
    return {
        "tasks done": await session.scalar(select(func.count()).where(Task.status == "done")),
        "status events": events.get("status", 0),
        "progress events": events.get("progress", 0),
        "sum of versions": await session.scalar(select(func.sum(Task.version))),
        "tasks": await session.scalar(select(func.count()).select_from(Task)),
    }


async def floor(url: str, jobs: int, concurrent: int) -> list[float]:
    """A bare PTB Application: one handler, one UPDATE in one transaction, one reply."""
    engine = make_engine(url)
    sessions = make_sessions(engine)

    async def handle(update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        query = update.callback_query
        assert query is not None
        assert query.data is not None
        task_id = int(query.data.split(":")[1])
        async with sessions.begin() as session:
            await session.execute(
                update_task.where(Task.id == task_id).values(progress=Task.progress + 1)
            )
        await query.answer()
        await query.edit_message_text("<b>ok</b>", parse_mode="HTML")

    update_task = update(Task)
    api = FakeBotAPI()
    app: App = ApplicationBuilder().token("1:FLOOR").request(api).get_updates_request(api).build()
    app.add_handler(CallbackQueryHandler(handle))
    async with app:
        work = [[press(app, FIRST_LEAD + n, f"f:{1 + n % 400}") for _ in range(3)]
                for n in range(jobs)]  # fmt: skip
        timings = await run_all(app.process_update, work, concurrent)
    await engine.dispose()
    return timings


def _ms(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms,"
        f" max {ordered[-1] * 1000:.1f} ms over {len(ordered)} updates"
    )


async def main_async(url: str, concurrent: int) -> None:
    print(f"{concurrent} updates handled at a time")
    timings, counts = await dondoc(url, concurrent)
    leads = AGENCIES * LEADS_PER_AGENCY
    floor_timings = await floor(url, leads, concurrent)
    print(f"dondoc, {leads} leads at once: {_ms(timings)}")
    print(f"floor (bare PTB, one UPDATE + reply): {_ms(floor_timings)}")
    ratio = (
        sorted(timings)[int(0.95 * (len(timings) - 1))]
        / sorted(floor_timings)[int(0.95 * (len(floor_timings) - 1))]
    )
    print(f"p95 ratio dondoc / floor: {ratio:.2f}")
    # Exactly once: every lead's progress press applied (one event each, its own task);
    # of the 4 Done presses per agency on 2 shared tasks, exactly 2 applied.
    expected = {
        "presses": leads * 3,
        "answered": leads * 3,
        "tasks done": AGENCIES * 2,
        "status events": leads + AGENCIES * 2,  # open -> in_progress, then -> done
        "progress events": leads + AGENCIES * 2,  # -> 50, then -> 100 on Done
        "sum of versions": AGENCIES * TASKS_PER_AGENCY + leads + AGENCIES * 2,
        "tasks": AGENCIES * TASKS_PER_AGENCY,
    }
    for name, want in expected.items():
        got = counts[name]
        print(f"{name}: {got} (exactly once: {want}){'' if got == want else '  <-- MISMATCH'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="a database of the bench's own")
    parser.add_argument("--concurrency", type=int, default=CONCURRENT)
    args = parser.parse_args()
    asyncio.run(main_async(args.url, args.concurrency))


if __name__ == "__main__":
    main()
