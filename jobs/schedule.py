"""How dondoc's jobs sit in PTB's JobQueue: stable ids, one instance, a grace for late runs.

Jobs are in memory and rebuilt at every start (no SQLAlchemyJobStore: see README); what
must survive a restart lives in dondoc's own tables.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import JobQueue

Callback = Callable[[Any], Coroutine[Any, Any, None]]


def queue_of(job_queue: JobQueue[Any] | None) -> JobQueue[Any]:
    """The JobQueue (python-telegram-bot[job-queue] is a dependency: None is a broken install)."""
    if job_queue is None:
        raise RuntimeError("PTB's JobQueue is missing: install python-telegram-bot[job-queue]")
    return job_queue


def _options(job_id: str, grace: int) -> dict[str, Any]:
    return {
        "id": job_id,
        "replace_existing": True,
        "misfire_grace_time": grace,
        "coalesce": True,
        "max_instances": 1,
    }


def daily(
    job_queue: JobQueue[Any] | None,
    callback: Callback,
    *,
    at: time,
    tz: ZoneInfo,
    job_id: str,
    grace: int,
) -> None:
    """Run `callback` every day at `at` committee time; re-adding replaces it."""
    queue_of(job_queue).run_daily(
        callback, at.replace(tzinfo=tz), name=job_id, job_kwargs=_options(job_id, grace)
    )


def once(
    job_queue: JobQueue[Any] | None,
    callback: Callback,
    *,
    when: datetime | float | None,
    job_id: str,
    grace: int,
    data: object = None,
) -> None:
    """The one job `job_id`, at `when` (None: none), late by `grace` seconds at most;
    `data` reaches the callback as context.job.data."""
    queue = queue_of(job_queue)
    # replace_existing only replaces once the scheduler runs: before that (post_init), a
    # second arm would add a second pending job.
    for job in queue.get_jobs_by_name(job_id):
        job.schedule_removal()
    if when is not None:
        queue.run_once(callback, when, data=data, name=job_id, job_kwargs=_options(job_id, grace))
