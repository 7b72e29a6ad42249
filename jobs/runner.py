"""Running the registered jobs (jobs/registry.py) in `dondoc run`: on time, after downtime,
and the outbox sender beside them.

A job's plan only queues messages (in the outbox, under dedupe keys), so running it twice
queues nothing twice. On start, a job whose run for today was due while the bot was down
runs once (the plan decides what it still makes at that hour); then each job is armed on
PTB's JobQueue (in memory, a stable id, replaced when re-armed) for its next run, and
re-armed after every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import cast

from telegram.ext import JobQueue

import jobs
from bot.context import Context, Deps
from jobs import schedule
from jobs.registry import JOBS, Job
from jobs.sender import Sender

log = logging.getLogger(__name__)

GRACE = 6 * 3600  # seconds a run may start late (a busy loop) and still run
STOP_WAIT = 30.0  # seconds to let sends in flight finish at shutdown


def load_jobs() -> dict[str, Job]:
    """Import every module of jobs/ so that each registers its job; the registry."""
    for module in pkgutil.iter_modules(jobs.__path__):
        importlib.import_module(f"jobs.{module.name}")
    return JOBS


async def run_job(deps: Deps, job: Job, local_now: datetime) -> int:
    """Run a job's plan once as of `local_now`; wake the sender if it queued anything."""
    queued = await job.plan(deps, local_now)
    log.info("job %s queued %s message(s) as of %s", job.name, queued, local_now)
    if queued:
        deps.doorbell.ring()
    return queued


async def missed_today(deps: Deps, job: Job, local_now: datetime) -> bool:
    """Whether the job had a run due today before `local_now` (it may have run already)."""
    midnight = datetime.combine(local_now.date(), time(0), tzinfo=local_now.tzinfo)
    due = await job.next_run(deps, midnight - timedelta(microseconds=1))
    return due is not None and due <= local_now


def scheduled_here() -> list[tuple[str, Job]]:
    """The registered jobs this runner catches up and arms: all but the self-scheduled."""
    return [(name, job) for name, job in sorted(JOBS.items()) if not job.self_scheduled]


async def catch_up(deps: Deps) -> list[str]:
    """Run once, now, each job whose run for today came while the bot was down."""
    ran = []
    for name, job in scheduled_here():
        local_now = deps.clock.now().astimezone(deps.settings.tz)
        try:
            if await missed_today(deps, job, local_now):
                await run_job(deps, job, local_now)
                ran.append(name)
        except Exception:  # one job's bug must not keep the others (or the bot) down
            log.exception("catch-up of job %s failed", name)
    return ran


async def arm(job_queue: JobQueue[Context], deps: Deps, job: Job) -> datetime | None:
    """Put the job's next run on the JobQueue (replacing an earlier one); when it is."""
    local_now = deps.clock.now().astimezone(deps.settings.tz)
    at = await job.next_run(deps, local_now)
    if at is None:
        return None
    schedule.once(job_queue, _fire, when=at, job_id=f"job:{job.name}", grace=GRACE, data=job.name)
    return at


async def _fire(context: Context) -> None:
    """The JobQueue callback: run the job, then arm its next run (whatever happened)."""
    assert context.job is not None
    job_queue = cast("JobQueue[Context] | None", context.job_queue)
    deps, job = context.deps, JOBS[str(context.job.data)]
    try:
        await run_job(deps, job, deps.clock.now().astimezone(deps.settings.tz))
    finally:
        if job_queue is not None:
            await arm(job_queue, deps, job)


@dataclass
class Background:
    """What `dondoc run` keeps going beside the handlers: the sender and the start-up."""

    sender: Sender
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self) -> None:
        """Stop the sender (sends in flight finish, leases go back) and the start-up."""
        self.sender.stop()
        done, pending = await asyncio.wait(self.tasks, timeout=STOP_WAIT)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sender.bot.shutdown()
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("background task ended with an error", exc_info=task.exception())


async def start(deps: Deps, job_queue: JobQueue[Context] | None, sender: Sender) -> Background:
    """Start the sender, then catch up and arm the jobs (in the background: the bot answers
    meanwhile)."""
    await sender.bot.initialize()
    background = Background(sender)
    background.tasks.append(asyncio.create_task(sender.run(), name="outbox-sender"))
    background.tasks.append(asyncio.create_task(_start_jobs(deps, job_queue), name="job-start"))
    return background


async def _start_jobs(deps: Deps, job_queue: JobQueue[Context] | None) -> None:
    load_jobs()
    ran = await catch_up(deps)
    if ran:
        log.info("caught up after downtime: %s", ", ".join(ran))
    if job_queue is None:
        return
    for name, job in scheduled_here():
        try:
            at = await arm(job_queue, deps, job)
        except Exception:
            log.exception("job %s could not be scheduled", name)
            continue
        log.info("job %s: next run %s", name, at)
