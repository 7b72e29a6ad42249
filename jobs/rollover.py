"""The daily roll of the open-task counts to the committee's new day (services/open_tally.py).

Reports are right without it (a read adds the days since the last roll), but each day not
rolled makes a cold /status scan a little more, and a whole year after New Year.
"""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo

from telegram.ext import JobQueue

from bot.context import Context, Deps
from jobs import schedule as jobs_schedule
from services.open_tally import roll_open_tally

log = logging.getLogger(__name__)

JOB_ID = "open-tally-roll"
AT = time(0, 0, 30)  # just after the committee's midnight
GRACE = 6 * 3600  # a bot that was busy or down at 00:00:30 still rolls when it can


async def roll_to_today(deps: Deps) -> None:
    """Roll the counts to the committee's today, in a transaction of their own."""
    today = deps.clock.today()
    async with deps.sessions.begin() as session:
        was = await roll_open_tally(session, today=today)
    if was != today:
        log.info("open-task counts rolled from %s to %s", was, today)


async def roll_open_tally_daily(context: Context) -> None:
    """The JobQueue callback."""
    await roll_to_today(context.deps)


def schedule(job_queue: JobQueue[Context] | None, tz: ZoneInfo) -> None:
    """Run the roll every day at AT committee time; a stable id, so re-adding replaces it."""
    jobs_schedule.daily(job_queue, roll_open_tally_daily, at=AT, tz=tz, job_id=JOB_ID, grace=GRACE)
