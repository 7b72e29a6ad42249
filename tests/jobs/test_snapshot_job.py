"""The daily snapshot and the digest are armed at start with stable ids; the start keeps
yesterday's snapshot (a bot down at midnight loses no day)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from jobs import digest, snapshot
from jobs.registry import JOBS
from storage.models import Chat, SnapshotDay

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # Monday 10:00 in Hanoi


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


async def test_start_keeps_yesterday_and_arms_both_jobs_once(app: DondocApp) -> None:
    deps = app.bot_data.deps
    async with deps.sessions.begin() as session:
        session.add(
            Chat(id=-5, title="BCĐ", registered_by=1, registered_at=NOW - timedelta(days=30))
        )
    assert app.job_queue is not None
    assert app.post_init is not None
    await app.post_init(app)
    await app.post_init(app)  # a second start replaces, never duplicates
    await app.start()
    try:
        ids = [job.id for job in app.job_queue.jobs()]
        (daily,) = app.job_queue.get_jobs_by_name(snapshot.JOB_ID)
        assert daily.job.next_run_time.time() == time(0, 1)
    finally:
        await app.stop()
    assert sorted(i for i in ids if i in (snapshot.JOB_ID, digest.JOB_ID)) == [
        snapshot.JOB_ID, digest.JOB_ID,
    ]  # fmt: skip
    async with deps.sessions.begin() as session:
        days = list(await session.scalars(select(SnapshotDay.day)))
    assert days == [date(2026, 12, 6)]  # yesterday, kept once


async def test_the_registry_names_both_jobs_and_their_next_runs(app: DondocApp) -> None:
    deps = app.bot_data.deps
    assert {"snapshot", "digest"} <= set(JOBS)
    local = NOW.astimezone(deps.settings.tz)
    assert await JOBS["snapshot"].next_run(deps, local) == datetime.combine(
        date(2026, 12, 8), time(0, 1), tzinfo=deps.settings.tz
    )
    assert await JOBS["digest"].next_run(deps, local) is None  # no group registered
    assert await JOBS["snapshot"].plan(deps, local) == 0  # it queues no message
