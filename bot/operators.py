"""`dondoc jobs`, `dondoc run-job NAME [--at]`, `dondoc outbox [--status] [--json]`.

The names and the JSON are a contract: scripts and checks call them.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from bot.cli import EXIT_OK, EXIT_USAGE, err, out
from bot.clock import Clock, WallTicker
from bot.context import Deps
from bot.ratelimit import Budget
from bot.settings import Settings
from jobs import runner, sender
from rendering.text import plain, render
from services import outbox
from storage.db import make_engine, make_sessions, snapshot
from storage.migrate import upgrade
from storage.models import Outbox

AT_FORMAT = "%Y-%m-%d %H:%M"


async def list_jobs(settings: Settings) -> int:
    """One line per registered job: its name and next run, in the committee's time."""
    jobs = runner.load_jobs()
    if not jobs:
        err(plain(render(settings.language, "cli-no-jobs")))
        return EXIT_OK
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        deps = Deps(settings, make_sessions(engine), Clock(settings.tz))
        now = deps.clock.now().astimezone(settings.tz)
        for name, job in sorted(jobs.items()):
            at = await job.next_run(deps, now)
            when = (
                at.astimezone(settings.tz).strftime(AT_FORMAT)
                if at is not None
                else plain(render(settings.language, "cli-no-next-run"))
            )
            out(f"{name}\t{when}\t{settings.timezone}")
    finally:
        await engine.dispose()
    return EXIT_OK


async def run_job(settings: Settings, args: argparse.Namespace) -> int:
    """Run one job's plan as of --at (default now), then send everything pending."""
    lang = settings.language
    jobs = runner.load_jobs()
    job = jobs.get(args.name)
    if job is None:
        names = ", ".join(sorted(jobs)) or "—"
        err(plain(render(lang, "cli-unknown-job", name=args.name, names=names)))
        return EXIT_USAGE
    clock = Clock(settings.tz)
    try:
        at = _local(args.at, settings) if args.at else clock.now().astimezone(settings.tz)
    except ValueError:
        err(plain(render(lang, "cli-bad-at", value=args.at)))
        return EXIT_USAGE
    engine = make_engine(settings.database_url)
    bot = sender.make_bot(settings)
    try:
        await upgrade(engine)
        deps = Deps(settings, make_sessions(engine), clock, budget=Budget(WallTicker(clock)))
        await bot.initialize()  # getMe: a rejected token or a wrong URL is said, in one line
        queued = await runner.run_job(deps, job, at)
        outbox_sender = sender.Sender(bot, deps.sessions, deps.budget, deps.doorbell)
        await outbox_sender.drain()
        async with snapshot(deps.sessions) as session:
            counts = await outbox.count_by_status(session)
    finally:
        await bot.shutdown()
        await engine.dispose()
    tally = outbox_sender.tally
    err(
        plain(
            render(
                lang,
                "cli-run-job-done",
                name=job.name,
                queued=queued,
                sent=tally.sent,
                failed=tally.failed,
                blocked=tally.blocked,
                pending=counts["pending"],
            )
        )
    )
    return EXIT_OK


def _local(text: str, settings: Settings) -> datetime:
    """'YYYY-MM-DD HH:MM' as a moment in the committee's time zone."""
    return datetime.strptime(text.strip(), AT_FORMAT).replace(tzinfo=settings.tz)


async def list_outbox(settings: Settings, args: argparse.Namespace) -> int:
    """The outbox rows, oldest first (one status with --status), as text or JSON."""
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with snapshot(make_sessions(engine)) as session:
            rows = await outbox.list_rows(session, statuses=[args.status] if args.status else [])
    finally:
        await engine.dispose()
    if args.json:
        out(json.dumps([as_json(row) for row in rows], ensure_ascii=False))
        return EXIT_OK
    for row in rows:
        created = row.created_at.astimezone(settings.tz).strftime(AT_FORMAT)
        sent = row.sent_at.astimezone(settings.tz).strftime(AT_FORMAT) if row.sent_at else "-"
        error = (row.error or "").replace("\n", " ")
        out(
            f"{row.id}\t{row.status}\t{row.chat_id}\t{row.key}\t{row.attempts}\t"
            f"{created}\t{sent}\t{error}"
        )
    return EXIT_OK


def as_json(row: Outbox) -> dict[str, Any]:
    """A row for `dondoc outbox --json`: times in ISO 8601 with their UTC offset."""
    return {
        "id": row.id,
        "key": row.key,
        "chat_id": row.chat_id,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.error,
        "created_at": row.created_at.isoformat(),
        "not_before": row.not_before.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "message_id": row.message_id,
    }
