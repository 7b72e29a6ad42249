"""The daily roll of the open-task counts: scheduled with a stable id, and run at start."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from jobs import nudges, rollover
from storage.models import OpenTallyState

NOW = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 23:30 on 31 December in Hanoi


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[DondocApp]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}", telegram_bot_token="1:JOB"
    )
    built = build_application(
        settings, request=FakeBotAPI(), clock=FixedClock(settings.tz, NOW), rate_limit=False
    )
    async with opened(built):
        yield built


async def as_of(app: DondocApp) -> object:
    async with app.bot_data.deps.sessions.begin() as session:
        return await session.scalar(select(OpenTallyState.as_of))


async def test_the_daily_roll_is_scheduled_with_its_id(app: DondocApp) -> None:
    assert app.job_queue is not None
    assert app.post_init is not None
    await app.post_init(app)  # what run_polling calls before it starts the JobQueue
    assert [job.id for job in app.job_queue.jobs()] == [rollover.JOB_ID, nudges.JOB_ID]
    await app.post_init(app)  # a second start-up replaces the jobs, never duplicates them
    await app.start()
    try:
        jobs = app.job_queue.jobs()
        assert sorted(str(job.id) for job in jobs) == sorted([rollover.JOB_ID, nudges.JOB_ID])
        job = app.job_queue.get_jobs_by_name(rollover.JOB_ID)[0].job
        assert job.misfire_grace_time >= 3600
        # The scheduler runs on the wall clock: next is 00:00:30 committee time, within a day.
        upcoming = job.next_run_time
        assert (upcoming.time(), upcoming.utcoffset()) == (time(0, 0, 30), timedelta(hours=7))
        assert timedelta(0) < upcoming - datetime.now(UTC) <= timedelta(days=1)
    finally:
        await app.stop()


async def test_start_rolls_to_today_and_the_job_to_its_day(app: DondocApp) -> None:
    deps = app.bot_data.deps
    assert await as_of(app) == deps.clock.today()  # prepare() rolled on start
    assert app.job_queue is not None
    assert app.post_init is not None
    await app.post_init(app)
    (job,) = app.job_queue.get_jobs_by_name(rollover.JOB_ID)
    # 00:00:30 on 1 January: the job runs with that day's clock.
    later = FixedClock(deps.settings.tz, NOW + timedelta(minutes=31))
    app.bot_data.deps = dataclasses.replace(deps, clock=later)
    await job.run(app)
    assert await as_of(app) == later.today() == deps.clock.today() + timedelta(days=1)
