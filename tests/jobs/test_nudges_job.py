"""The nudges job: a stable id at the send time on working days, and catch-up on start."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from jobs import nudges
from jobs.registry import JOBS
from storage.models import Agency, Member, NudgeDay, Outbox, Role, Task

LEAD = 2001


async def _app(path: Path, now: datetime) -> DondocApp:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{path}", telegram_bot_token="1:JOB", admins="9000"
    )
    return build_application(
        settings, request=FakeBotAPI(), clock=FixedClock(settings.tz, now), rate_limit=False
    )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[DondocApp]:
    """A bot at 09:00 on Wednesday 3 February 2027 (the last working day before Tết), with a
    lead whose agency has a task due today."""
    built = await _app(tmp_path / "jobs.db", datetime(2027, 2, 3, 2, 0, tzinfo=UTC))
    async with opened(built):
        async with built.bot_data.deps.sessions.begin() as session:
            mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
            assert mof is not None
            session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
            session.add(Task(code="T-1", title="t", lead_agency_id=mof,
                             deadline=date(2027, 2, 3)))  # fmt: skip
        yield built


async def _outbox(app: DondocApp) -> list[str]:
    async with app.bot_data.deps.sessions.begin() as session:
        return list(await session.scalars(select(Outbox.key).order_by(Outbox.id)))


def _job(app: DondocApp) -> object:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(nudges.JOB_ID)
    assert job.job.id == nudges.JOB_ID
    return job


async def test_a_plan_that_queued_wakes_the_sender_after_its_commit(app: DondocApp) -> None:
    # Without the bell the sender would find them at its next look, up to a minute later.
    deps = app.bot_data.deps
    local_now = deps.clock.now().astimezone(deps.settings.tz)
    assert not deps.doorbell.rung
    assert await nudges.plan(deps, local_now) == 1
    assert deps.doorbell.rung
    assert await deps.doorbell.wait(0)  # heard (and cleared)
    assert await nudges.plan(deps, local_now) == 0  # nothing new: nobody woken
    assert not deps.doorbell.rung


async def test_start_catches_up_on_today_once_and_arms_the_next_working_day(
    app: DondocApp,
) -> None:
    assert app.post_init is not None
    await app.post_init(app)  # what run_polling calls before it starts the JobQueue
    assert await _outbox(app) == [f"nudge:{LEAD}:2027-02-03"]
    job = _job(app)
    run = job.job.trigger.run_date  # type: ignore[attr-defined]
    # The next working day after Tết, at 08:30 committee time.
    assert (run.date(), run.time(), run.utcoffset()) == (
        date(2027, 2, 11),
        time(8, 30),
        timedelta(hours=7),
    )
    assert job.job.misfire_grace_time == 11 * 3600 + 1800  # type: ignore[attr-defined]
    await app.post_init(app)  # a second start: nothing queued again, still one job
    assert len(await _outbox(app)) == 1
    _job(app)
    async with app.bot_data.deps.sessions.begin() as session:
        assert await session.scalar(select(func.count()).select_from(NudgeDay)) == 1


async def test_no_catch_up_once_the_window_has_closed(tmp_path: Path) -> None:
    late = await _app(tmp_path / "late.db", datetime(2027, 2, 3, 13, 30, tzinfo=UTC))  # 20:30
    async with opened(late):
        assert late.post_init is not None
        await late.post_init(late)
        assert await _outbox(late) == []
        run = _job(late).job.trigger.run_date  # type: ignore[attr-defined]
        assert run.date() == date(2027, 2, 11)


async def test_the_job_plans_with_its_days_clock_then_arms_the_next(app: DondocApp) -> None:
    deps = app.bot_data.deps
    assert app.post_init is not None
    await app.post_init(app)
    job = _job(app)
    # 08:30 on Thursday 11 February: the job runs with that day's clock.
    later = FixedClock(deps.settings.tz, datetime(2027, 2, 11, 1, 30, tzinfo=UTC))
    app.bot_data.deps = dataclasses.replace(deps, clock=later)
    await job.run(app)  # type: ignore[attr-defined]
    # T-1 is 6 working days late on 11 February: no rung, nothing for the lead.
    assert await _outbox(app) == [f"nudge:{LEAD}:2027-02-03"]
    async with deps.sessions.begin() as session:
        assert await session.get(NudgeDay, date(2027, 2, 11)) is not None
    run = _job(app).job.trigger.run_date  # type: ignore[attr-defined]
    assert run.date() == date(2027, 2, 12)


async def test_the_registry_knows_the_nudges_job(app: DondocApp) -> None:
    deps = app.bot_data.deps
    job = JOBS["nudges"]
    after = datetime(2027, 2, 5, 12, 0, tzinfo=deps.settings.tz)  # Tết
    assert await job.next_run(deps, after) == datetime(2027, 2, 11, 8, 30, tzinfo=deps.settings.tz)
    assert await job.plan(deps, after) == 0  # a day off: nothing, whatever the hour
    at = datetime(2027, 2, 3, 10, 0, tzinfo=deps.settings.tz)
    assert await job.plan(deps, at) == 1
    assert await job.plan(deps, at) == 0


async def test_a_failed_run_tries_again_later(app: DondocApp) -> None:
    deps = app.bot_data.deps
    assert app.post_init is not None
    await app.post_init(app)
    job = _job(app)
    # The outbox sender the start began would hold a connection across the dispose below.
    await app.bot_data.background.stop()
    del app.bot_data.background
    await deps.sessions.kw["bind"].dispose()
    broken = dataclasses.replace(deps, sessions=_Broken())  # type: ignore[arg-type]
    app.bot_data.deps = broken
    await job.run(app)  # type: ignore[attr-defined]
    app.bot_data.deps = deps
    retry = _job(app).job.trigger.run_date  # type: ignore[attr-defined]
    assert (
        timedelta(seconds=nudges.RETRY - 60)
        < retry - datetime.now(UTC)
        <= timedelta(seconds=nudges.RETRY)
    )


class _Broken:
    """Sessions whose database is away."""

    def begin(self) -> object:
        raise ConnectionError("database away")
