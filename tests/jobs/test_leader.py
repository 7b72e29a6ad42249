"""One scheduler per database: the PostgreSQL advisory lock, the SQLite lock file, and what
the leader starts and stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from bot.app import build_application
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from jobs import leader, rollover
from jobs import nudges as morning_nudges
from jobs.leader import FileLock, Leadership, PgLock, SoleLock, lock_for
from storage.db import make_engine
from storage.migrate import upgrade
from tests.fresh_db import PG_URL, pg_engine_as_is
from tests.handlers.conftest import running

GENEROUS = 30.0  # seconds a takeover may take before the test gives up (never a measure)


class Recorder:
    """on_lead / on_lose of one process, counted."""

    def __init__(self) -> None:
        self.started = self.stopped = 0
        self.led, self.lost = asyncio.Event(), asyncio.Event()

    async def lead(self) -> None:
        self.started += 1
        self.led.set()

    async def lose(self) -> None:
        self.stopped += 1
        self.lost.set()


def _process(lock: leader.Lock, interval: float = 0.05) -> tuple[Leadership, Recorder]:
    seen = Recorder()
    return Leadership(lock, interval=interval, on_lead=seen.lead, on_lose=seen.lose), seen


async def _pg_locks(n: int) -> list[PgLock]:
    await (await pg_engine_as_is()).dispose()  # skips (or fails in CI) without PG
    key = random.randrange(1, 2**62)  # tests on other workers share the database
    return [PgLock(PG_URL, key) for _ in range(n)]


async def _terminate(pid: int | None) -> None:
    """Cut a session from the server's side, as a crash or a network cut would."""
    assert pid is not None
    admin = await pg_engine_as_is()
    async with admin.begin() as conn:
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    await admin.dispose()


@pytest.mark.pg
async def test_on_postgresql_one_leads_and_the_follower_takes_over_when_it_dies() -> None:
    lock_a, lock_b = await _pg_locks(2)
    a, seen_a = _process(lock_a)
    b, seen_b = _process(lock_b)
    try:
        assert await a.tick() is True
        assert await b.tick() is False
        assert await b.tick() is False  # still held: a follower keeps standing by
        assert (seen_a.started, seen_b.started) == (1, 0)

        await _terminate(lock_a.pid)
        # The server frees the lock once the session has ended; the follower retries.
        ticks = 0
        while not await b.tick():
            ticks += 1
            assert ticks < GENEROUS / 0.05, "the follower never took over"
            await asyncio.sleep(0.05)
        assert seen_b.started == 1

        # The old leader notices its connection is gone, stops its jobs, stands by.
        assert await a.tick() is False
        assert (seen_a.started, seen_a.stopped) == (1, 1)
        assert await a.tick() is False  # reconnects as a follower: B holds the lock
        # ... and stops again whatever a job that was running at the loss re-armed.
        assert (seen_a.started, seen_a.stopped) == (1, 2)
        assert seen_b.stopped == 0
    finally:
        await a.close()
        await b.close()


@pytest.mark.pg
async def test_on_postgresql_the_running_loop_takes_over_in_the_background() -> None:
    lock_a, lock_b = await _pg_locks(2)
    # The old leader is alive after the cut and retries too: its retry comes seconds after
    # the follower's, so the follower's loop is what takes over (not a race the test loses).
    a, seen_a = _process(lock_a, interval=2.0)
    b, seen_b = _process(lock_b)
    assert await a.tick() is True
    tasks = [asyncio.create_task(p.run()) for p in (a, b)]
    try:
        await _terminate(lock_a.pid)
        async with asyncio.timeout(GENEROUS):
            await seen_b.led.wait()
            await seen_a.lost.wait()  # the old leader stands down on its next check
        assert (seen_b.started, b.leading, a.leading) == (1, True, False)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await a.close()
        await b.close()


@pytest.mark.pg
async def test_on_postgresql_a_stopped_leader_frees_the_lock_at_once() -> None:
    lock_a, lock_b = await _pg_locks(2)
    a, _ = _process(lock_a)
    b, _ = _process(lock_b)
    assert await a.tick() is True
    await a.close()  # a clean shutdown ends the session
    try:
        assert await b.tick() is True
    finally:
        await b.close()


async def test_on_sqlite_a_second_process_refuses_its_scheduler_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'dondoc.db'}"
    first, second = lock_for(url), lock_for(url)
    assert isinstance(first, FileLock)
    assert first.path == (tmp_path / "dondoc.db.lock").resolve()
    a, _ = _process(first)
    b, seen_b = _process(second)
    try:
        assert await a.tick() is True
        with caplog.at_level(logging.INFO, logger="jobs.leader"):
            assert await b.tick() is False
            assert await b.tick() is False
        refusals = [r.getMessage() for r in caplog.records if "scheduler not started" in r.message]
        assert len(refusals) == 1  # once, then quiet retries
        assert "SQLite means one process" in refusals[0]
        assert seen_b.started == 0
        await a.close()  # the first process exits: the second may take over
        assert await b.tick() is True
    finally:
        await a.close()
        await b.close()


def test_an_in_memory_database_has_nothing_to_share() -> None:
    assert isinstance(lock_for("sqlite+aiosqlite://"), SoleLock)
    assert isinstance(lock_for("sqlite+aiosqlite:///:memory:"), SoleLock)


async def test_the_leader_starts_and_stops_the_scheduled_jobs(tmp_path: Path) -> None:
    async with running(tmp_path / "bot.db") as bot:
        job_queue = bot.app.job_queue
        assert job_queue is not None
        assert not _scheduled(bot.app)  # an app driven by hand never leads by itself
        await leader.start_scheduled_work(bot.app)
        assert _scheduled(bot.app) == {rollover.JOB_ID, morning_nudges.JOB_ID}
        await leader.stop_scheduled_work(bot.app)
        assert not _scheduled(bot.app)


def _scheduled(app: DondocApp) -> set[str]:
    assert app.job_queue is not None
    return {job.name or "" for job in app.job_queue.jobs()} & {
        rollover.JOB_ID,
        morning_nudges.JOB_ID,
    }


@contextlib.asynccontextmanager
async def _leader_database() -> AsyncIterator[str]:
    """A migrated database of its own beside TEST_PG_URL's (the apps commit what they plan)."""
    url = make_url(PG_URL)
    name = f"{url.database}_leader"
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    database = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(database)
    await upgrade(engine)
    await engine.dispose()
    try:
        yield database
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(*statements: str) -> None:
    admin = await pg_engine_as_is()
    async with admin.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            await conn.execute(text(statement))
    await admin.dispose()


@contextlib.asynccontextmanager
async def _app(database: str) -> AsyncIterator[DondocApp]:
    settings = load_settings(
        database_url=database, telegram_bot_token="123:TEST", leader_retry=0.05
    )
    # A Sunday night in Hanoi: outside the nudges' window, nothing is planned at start.
    clock = FixedClock(settings.tz, datetime(2026, 11, 29, 15, 0, tzinfo=UTC))
    app = build_application(settings, request=FakeBotAPI(), clock=clock, rate_limit=False)
    async with app:
        await leader.start(app)  # what post_init does
        task = app.bot_data.leadership_task
        assert task is not None
        task.cancel()  # the test ticks by hand: no second tick on the same connection
        yield app
        await leader.stop(app)
        await app.bot_data.deps.sessions.kw["bind"].dispose()


@pytest.mark.pg
async def test_two_apps_on_postgresql_one_schedules_and_the_other_takes_over() -> None:
    async with _leader_database() as database, _app(database) as a, _app(database) as b:
        lead_a, lead_b = a.bot_data.leadership, b.bot_data.leadership
        assert lead_a is not None
        assert lead_b is not None
        assert _scheduled(a) == {rollover.JOB_ID, morning_nudges.JOB_ID}
        assert _scheduled(b) == set()

        assert isinstance(lead_a.lock, PgLock)
        await _terminate(lead_a.lock.pid)
        ticks = 0
        while not await lead_b.tick():
            ticks += 1
            assert ticks < GENEROUS / 0.05, "the second app never took over"
            await asyncio.sleep(0.05)
        assert _scheduled(b) == {rollover.JOB_ID, morning_nudges.JOB_ID}
        assert await lead_a.tick() is False
        assert _scheduled(a) == set()  # the old leader's jobs are gone
