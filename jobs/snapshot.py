"""The daily snapshot (services/snapshots.py): each day's figures kept once the day is over.

Runs just after the committee's midnight, after the open-task roll (jobs/rollover.py), and
at every start, so that a bot that was down at midnight still keeps yesterday; taking a day
twice keeps the first. `dondoc run-job snapshot --at "YYYY-MM-DD HH:MM"` keeps the day
before that time's day.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

from telegram.ext import JobQueue

from bot.context import Context, Deps
from jobs import schedule
from jobs.registry import Job, register
from services import snapshots
from storage.db import writing

log = logging.getLogger(__name__)

JOB_ID = "daily-snapshot"
AT = time(0, 1)  # after the roll at 00:00:30
GRACE = 6 * 3600


async def keep_yesterday(deps: Deps, local_now: datetime) -> int:
    """Take the snapshot of the day before `local_now`'s (committee time) unless kept."""
    day = local_now.date() - timedelta(days=1)
    async with writing(deps.sessions) as session:  # reads, then writes
        kept = await snapshots.take(session, day=day, now=local_now.astimezone(UTC))
    if kept.taken_at == local_now.astimezone(UTC):
        log.info("snapshot of %s taken: %d agency-programme rows", day, len(kept.pairs))
    return 0  # it queues no message


async def next_run(deps: Deps, after: datetime) -> datetime:
    """The next AT, committee time, after `after`."""
    local = after.astimezone(deps.settings.tz)
    today = datetime.combine(local.date(), AT, tzinfo=deps.settings.tz)
    return today if today > local else today + timedelta(days=1)


JOB = register(Job("snapshot", keep_yesterday, next_run, self_scheduled=True))


async def take_daily(context: Context) -> None:
    """The JobQueue callback."""
    deps = context.deps
    await keep_yesterday(deps, deps.clock.now().astimezone(deps.settings.tz))


async def start(job_queue: JobQueue[Context] | None, deps: Deps) -> None:
    """Keep yesterday now (a start after downtime), then every day at AT."""
    await keep_yesterday(deps, deps.clock.now().astimezone(deps.settings.tz))
    tz = deps.settings.tz
    schedule.daily(job_queue, take_daily, at=AT, tz=tz, job_id=JOB_ID, grace=GRACE)
