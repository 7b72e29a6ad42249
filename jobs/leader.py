"""One scheduler per database, however many dondoc processes serve the bot.

Every process answers updates; only the leader runs the scheduled work (the JobQueue jobs
and, gated by the same call, the outbox sender): `start_scheduled_work` when it becomes the
leader, `stop_scheduled_work` when it stops being one.

- PostgreSQL: the leader holds a session-level `pg_try_advisory_lock(LOCK_KEY)` on a
  connection of its own, kept for the process's life (advisory locks belong to a database,
  so two committees on one server do not compete). The server frees the lock when that
  session ends: the process dies, or its connection is cut. The leader checks the
  connection a few times per interval and, once it is gone, stops its scheduled work; a
  follower tries the lock every DONDOC_LEADER_RETRY seconds and takes over.
- SQLite: one process is the rule. The leader holds an exclusive `flock` on `<db>.lock`
  next to the database file: the kernel frees it when the process ends, even by SIGKILL, so
  there is no stale lock to clean up, and it never touches the database itself (SQLite's
  own exclusive lock would block the bot's writers too). A second process still answers
  updates but refuses to schedule, with one clear log line, until the first one exits.

Between the moment a leader's connection is cut and the moment it notices (a third of the
interval at most) two processes may schedule: every message has its outbox dedupe key and
the sender claims rows with FOR UPDATE SKIP LOCKED, so nothing goes out twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Protocol

from apscheduler.jobstores.base import JobLookupError  # type: ignore[import-untyped]
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.pool import NullPool

from bot.context import DondocApp
from jobs import digest as digest_job
from jobs import nudges as morning_nudges
from jobs import rollover, runner, sender
from jobs import snapshot as snapshot_job
from storage.db import make_engine

try:  # POSIX; where it is missing, every process schedules (see SoleLock)
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

LOCK_KEY = 0x646F6E646F63  # "dondoc" in ASCII: the advisory lock's bigint key
CHECKS_PER_INTERVAL = 3  # a leader checks its connection this often per follower retry


async def start_scheduled_work(app: DondocApp, *, handover: float = 0.0) -> None:
    """Start what only the leader runs: the daily roll, the morning nudges (catching up on
    today if it is still in time), yesterday's snapshot and the digests missed while down
    (then both armed), and the outbox sender, which takes back the former leader's leases
    after `handover` seconds (Lock.handover)."""
    deps = app.bot_data.deps
    outbox_bot = sender.make_bot(deps.settings, app.bot_data.bot_request)
    outbox_sender = sender.Sender(
        outbox_bot, deps.sessions, deps.budget, deps.doorbell, handover=handover
    )
    app.bot_data.background = await runner.start(deps, app.job_queue, outbox_sender)
    rollover.schedule(app.job_queue, deps.settings.tz)
    await morning_nudges.start(app)
    await snapshot_job.start(app.job_queue, deps)
    await digest_job.start(app.job_queue, deps)


async def stop_scheduled_work(app: DondocApp) -> None:
    """Stop what start_scheduled_work started: this process no longer leads."""
    background = getattr(app.bot_data, "background", None)
    if background is not None:  # before the engine goes: the last sends record their outcome
        del app.bot_data.background
        await background.stop()
    if app.job_queue is not None:
        for name in (
            rollover.JOB_ID,
            morning_nudges.JOB_ID,
            snapshot_job.JOB_ID,
            digest_job.JOB_ID,
        ):
            for job in app.job_queue.get_jobs_by_name(name):
                with contextlib.suppress(JobLookupError):  # at shutdown the store is gone
                    job.schedule_removal()


class Lock(Protocol):
    """What a leader holds; `describe` names it in the follower's log line."""

    describe: str

    def handover(self, interval: float) -> float:
        """Seconds after taking the lock until the former holder surely sends no more."""
        ...

    async def acquire(self) -> bool: ...  # try once, never wait

    async def alive(self) -> bool: ...  # still held

    async def release(self) -> None: ...


class PgLock:
    """A session-level advisory lock on a connection of its own (no pool: nothing recycles
    it, and the app's pool keeps its size)."""

    def __init__(self, url: str, key: int = LOCK_KEY) -> None:
        self.key = key
        self.describe = "another process holds the scheduler's advisory lock on PostgreSQL"
        self._engine = make_engine(url, poolclass=NullPool)
        self._conn: AsyncConnection | None = None
        self.pid: int | None = None  # the server process of the connection (tests cut it)

    async def acquire(self) -> bool:
        try:
            if self._conn is None:
                conn = await self._engine.connect()
                self._conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                self.pid = (await self._conn.execute(text("SELECT pg_backend_pid()"))).scalar()
            got = await self._conn.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}
            )
            return bool(got.scalar())
        except Exception as exc:  # the database away: try again on the next tick
            log.warning("scheduler lock: cannot reach PostgreSQL (%s)", str(exc).splitlines()[0])
            await self._drop()
            return False

    def handover(self, interval: float) -> float:
        """The former leader may be alive with its lock connection cut: it notices within
        interval / CHECKS_PER_INTERVAL, then settles its sends in flight."""
        return interval / CHECKS_PER_INTERVAL + sender.SETTLE

    async def alive(self) -> bool:
        if self._conn is None:
            return False
        try:
            await self._conn.execute(text("SELECT 1"))
        except Exception:
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()  # the session ends: the server frees the lock
            self._conn = None
        await self._engine.dispose()

    async def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.invalidate()
            self._conn = None


class FileLock:
    """An exclusive flock on `<database>.lock`, held while the process lives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.describe = (
            f"another dondoc process already runs the scheduler on this SQLite database "
            f"(it holds {path}); SQLite means one process: use PostgreSQL for more"
        )
        self._fd: int | None = None

    async def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def handover(self, interval: float) -> float:
        """Free only once the holder died or stopped its sender (which settles first)."""
        return 0.0

    async def alive(self) -> bool:
        return self._fd is not None  # the kernel keeps it while the process lives

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor frees the flock
            self._fd = None


class SoleLock:
    """An in-memory SQLite database (or no flock): nothing to share, this process leads."""

    describe = "never refused"

    def handover(self, interval: float) -> float:
        return 0.0

    async def acquire(self) -> bool:
        return True

    async def alive(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def lock_for(database_url: str) -> Lock:
    """The lock that elects the scheduler for this database."""
    if database_url.startswith("postgresql"):
        return PgLock(database_url)
    database = make_url(database_url).database
    if not database or database == ":memory:" or fcntl is None:
        return SoleLock()
    return FileLock(Path(f"{Path(database).resolve()}.lock"))


Hook = Callable[[], Awaitable[None]]


class Leadership:
    """Leader or follower, one `tick` at a time; `run` ticks for the process's life.

    `on_lose` must be idempotent: after a loss it runs again on each follower tick, since a
    job that was running when the connection dropped re-arms itself when it ends.
    """

    def __init__(self, lock: Lock, *, interval: float, on_lead: Hook, on_lose: Hook) -> None:
        self.lock, self.interval = lock, interval
        self.on_lead, self.on_lose = on_lead, on_lose
        self.leading = False
        self._refusal_said = False
        self._has_led = False

    async def tick(self) -> bool:
        """Check the lock (leader) or try to take it (follower); whether this process leads."""
        if self.leading:
            if not await self.lock.alive():
                self.leading = False
                log.warning("scheduler: leadership lost (its database connection is gone)")
                await self.on_lose()
            return self.leading
        if await self.lock.acquire():
            self.leading, self._refusal_said, self._has_led = True, False, True
            log.info("scheduler: this process runs the scheduled jobs")
            await self.on_lead()
            return True
        if self._has_led:
            await self.on_lose()  # whatever re-armed itself since the loss
        if not self._refusal_said:  # once: a follower retries quietly
            self._refusal_said = True
            log.warning("scheduler not started here: %s", self.lock.describe)
        return False

    async def run(self) -> None:
        """Tick for ever: a leader checks its lock, a follower waits to take over."""
        while True:
            pause = self.interval / CHECKS_PER_INTERVAL if self.leading else self.interval
            await asyncio.sleep(pause)
            try:
                await self.tick()
            except Exception:  # starting the jobs failed (the database away): try again
                log.exception("scheduler: starting the scheduled jobs failed")

    async def close(self) -> None:
        """Give the lock back (process stop)."""
        await self.lock.release()


async def start(app: DondocApp) -> None:
    """At start (post_init): lead now if nobody does, then keep watching in the background."""
    if app.bot_data.leadership is not None:  # started again (tests do): one leader, one sender
        await stop(app)
    deps = app.bot_data.deps

    lock = lock_for(deps.settings.database_url)
    interval = deps.settings.leader_retry

    async def lead() -> None:
        await start_scheduled_work(app, handover=lock.handover(interval))

    async def lose() -> None:
        await stop_scheduled_work(app)

    leadership = Leadership(
        lock,
        interval=interval,
        on_lead=lead,
        on_lose=lose,
    )
    app.bot_data.leadership = leadership
    await leadership.tick()  # a start-up failure of the jobs fails the start, as before
    app.bot_data.leadership_task = asyncio.create_task(leadership.run(), name="dondoc-leader")


async def stop(app: DondocApp) -> None:
    """At shutdown: stop watching and free the lock for the next process."""
    task = app.bot_data.leadership_task
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        app.bot_data.leadership_task = None
    leadership = app.bot_data.leadership
    if leadership is not None:
        if leadership.leading:  # the scheduled work ends with the process, the sender too
            await stop_scheduled_work(app)
        await leadership.close()
        app.bot_data.leadership = None
