"""The jobs operators can list and run by name (`dondoc jobs`, `dondoc run-job NAME`).

A job plans: given the committee's local time, it writes what it produces (outbox rows, in
the same transaction as the state they derive from) and returns how many messages it
queued. Sending is the outbox sender's work, never a job's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.context import Deps

Plan = Callable[[Deps, datetime], Awaitable[int]]  # (deps, aware local time) -> queued
NextRun = Callable[[Deps, datetime], Awaitable[datetime | None]]  # next run after a time


@dataclass(frozen=True, slots=True)
class Job:
    name: str  # the contract: `nudges`, `digest`
    plan: Plan
    next_run: NextRun
    # A job that catches up and arms itself (its own start(): working days, retries, hourly
    # re-checks); jobs/runner.py catches up and arms only the others.
    self_scheduled: bool = False


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Make a job known by its name (a module registers its job when imported)."""
    if JOBS.setdefault(job.name, job) is not job:
        raise ValueError(f"job {job.name!r} is registered twice")
    return job
