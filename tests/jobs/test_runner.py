"""Running registered jobs: catch-up after downtime (once, idempotent through the outbox
keys), arming on PTB's JobQueue, and the sender beside them in `dondoc run`."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import Deps, DondocApp
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from jobs import runner
from jobs.registry import JOBS
from storage.models import Outbox
from tests.jobs.outbox_kit import MorningJob

MORNING = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi: today's 08:30 has passed
EARLY = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # 07:00 in Hanoi: not yet


@pytest.fixture
def greet() -> Iterator[MorningJob]:
    job = MorningJob()
    JOBS[job.name] = job.job()
    yield job
    del JOBS[job.name]


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[DondocApp]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}", telegram_bot_token="1:JOB"
    )
    built = build_application(
        settings, request=FakeBotAPI(), clock=FixedClock(settings.tz, MORNING), rate_limit=False
    )
    async with opened(built):
        yield built


def _at(app: DondocApp, now: datetime) -> Deps:
    deps = app.bot_data.deps
    return dataclasses.replace(deps, clock=FixedClock(deps.settings.tz, now))


async def _rows(deps: Deps) -> int:
    async with deps.sessions.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(Outbox)) or 0)


async def test_a_run_missed_while_down_runs_once_on_start(
    app: DondocApp, greet: MorningJob
) -> None:
    deps = _at(app, MORNING)
    assert await runner.catch_up(deps) == ["greet"]
    assert [run.time() for run in greet.runs] == [time(10, 0)]  # as of now, local time
    assert await _rows(deps) == 1
    assert deps.doorbell._event.is_set(), "the sender was woken"
    # Another restart the same day runs the plan again, which queues nothing new.
    assert await runner.catch_up(deps) == ["greet"]
    assert await _rows(deps) == 1


async def test_nothing_is_caught_up_before_the_days_run(app: DondocApp, greet: MorningJob) -> None:
    assert await runner.catch_up(_at(app, EARLY)) == []
    assert greet.runs == []


async def test_one_broken_job_does_not_stop_the_others(
    app: DondocApp, greet: MorningJob, caplog: pytest.LogCaptureFixture
) -> None:
    broken = MorningJob(name="broken", broken=True)
    JOBS[broken.name] = broken.job()
    try:
        assert await runner.catch_up(_at(app, MORNING)) == ["greet"]
    finally:
        del JOBS[broken.name]
    assert broken.runs
    assert "catch-up of job broken failed" in caplog.text


async def test_a_job_is_armed_for_its_next_run_with_a_stable_id(
    app: DondocApp, greet: MorningJob
) -> None:
    assert app.job_queue is not None
    deps = _at(app, MORNING)
    await app.start()
    try:
        at = await runner.arm(app.job_queue, deps, greet.job())
        await runner.arm(app.job_queue, deps, greet.job())  # re-armed: replaced, not doubled
        (armed,) = app.job_queue.get_jobs_by_name("job:greet")
    finally:
        await app.stop()
    assert at == datetime(2026, 12, 4, 8, 30, tzinfo=deps.settings.tz)
    assert (armed.data, armed.job.id, armed.next_t) == ("greet", "job:greet", at)


async def test_a_fired_job_plans_and_arms_its_next_run(app: DondocApp, greet: MorningJob) -> None:
    assert app.job_queue is not None
    tomorrow = datetime(2026, 12, 4, 8, 30, tzinfo=app.bot_data.deps.settings.tz)
    app.job_queue.run_once(runner._fire, when=0, data="greet", name="job:greet")
    await app.start()
    try:
        for _ in range(500):  # a guard: the JobQueue runs it at once
            armed = [job.next_t for job in app.job_queue.get_jobs_by_name("job:greet")]
            if armed == [tomorrow]:
                break
            await asyncio.sleep(0.01)
    finally:
        await app.stop()  # (a stopped JobQueue lists no job)
    assert len(greet.runs) == 1
    assert armed == [tomorrow]


async def test_start_up_runs_the_sender_and_catches_up(app: DondocApp, greet: MorningJob) -> None:
    api = app.bot_data.bot_request
    assert isinstance(api, FakeBotAPI)
    assert app.post_init is not None
    await app.post_init(app)  # what run_polling does: the sender starts, jobs catch up
    for _ in range(500):  # a guard: the caught-up message goes out at once
        if api.sent(42):
            break
        await asyncio.sleep(0.01)
    assert [c.text for c in api.sent(42)] == ["Chào buổi sáng 2026-12-03"]
    assert app.job_queue is not None
    assert app.job_queue.get_jobs_by_name("job:greet")
    assert app.post_shutdown is not None


def test_every_job_module_is_loaded() -> None:
    assert runner.load_jobs() is JOBS
