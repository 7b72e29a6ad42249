"""Two `dondoc run --webhook` processes on one PostgreSQL database; the scheduler's leader
is killed with SIGKILL in the middle of the morning's nudges. The other one takes the lead
and sends the rest: every nudge arrives, once (bar one Telegram took in the instant before
the kill, which no Bot API call can tell apart: jobs/sender.py)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.pool import NullPool

from bench.kill_trials import (
    LEADS_MAX,
    Kill,
    Life,
    Row,
    Trial,
    check,
    environment,
    leads_reached,
    nudged,
    recorded,
)
from bench.kill_trials import seed as seed_register
from fakeapi.standin import StandIn
from jobs.leader import PgLock
from storage.db import make_engine
from tests.fresh_db import PG_URL, no_pg

pytestmark = [pytest.mark.e2e, pytest.mark.pg]

SECRET = "two-processes-secret-0123456789"
WAIT = 60.0  # a bound on the processes doing something, never a measure
LEADING = "scheduler: this process runs the scheduled jobs"
FOLLOWING = "scheduler not started here"


async def _admin(statement: str) -> None:
    engine = make_engine(PG_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A database of the test's own on TEST_PG_URL's server (the advisory lock belongs to
    a database); its URL."""
    if not PG_URL:
        no_pg("TEST_PG_URL is not set")
    name = f"two_{uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f"CREATE DATABASE {name}"))
    except OSError as exc:
        no_pg(f"cannot reach {PG_URL}: {exc}")
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(f"DROP DATABASE {name} WITH (FORCE)"))


@contextlib.contextmanager
def lock_held(url: str) -> Iterator[None]:
    """Hold the scheduler's lock until the block ends: both processes start as followers."""
    taken, done = threading.Event(), threading.Event()

    async def hold() -> None:
        lock = PgLock(url)
        assert await lock.acquire()
        taken.set()
        await asyncio.to_thread(done.wait)
        await lock.release()

    thread = threading.Thread(target=asyncio.run, args=(hold(),))
    thread.start()
    try:
        assert taken.wait(WAIT)
        yield
    finally:
        done.set()
        thread.join(WAIT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _webhook(env: dict[str, str], log: Path) -> Life:
    port = _free_port()
    return Life(
        {
            **env,
            "DONDOC_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "DONDOC_WEBHOOK_LISTEN": "127.0.0.1",
            "DONDOC_WEBHOOK_PORT": str(port),
            "DONDOC_WEBHOOK_SECRET": SECRET,
            "DONDOC_LEADER_RETRY": "1",  # a follower tries the lock every second
        },
        log,
        "--webhook",
    )


def _until_logged(lives: list[Life], line: str) -> list[Life]:
    """Wait until at least one of `lives` logged `line`; those that did."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        said = [life for life in lives if line in life.log.read_text()]
        if said:
            return said
        time.sleep(0.05)
    raise TimeoutError(f"nobody logged {line!r}")


async def _rows(url: str) -> list[Row]:
    engine = make_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(text("SELECT key, chat_id, text, status FROM outbox"))
            return [(key, chat, body, status) for key, chat, body, status in result]
    finally:
        await engine.dispose()


def test_the_leader_killed_mid_run_the_other_sends_the_rest_once(
    pg_database: str, tmp_path: Path
) -> None:
    seed_register(pg_database, LEADS_MAX)
    with StandIn() as standin:
        env = environment(standin, pg_database, time.time())
        with lock_held(pg_database):
            lives = [_webhook(env, tmp_path / f"process-{n}.log") for n in (1, 2)]
            try:
                for life in lives:
                    _until_logged([life], FOLLOWING)
            except TimeoutError:
                for life in lives:
                    life.process.kill()
                raise
        try:
            (leader,) = _until_logged(lives, LEADING)
            (survivor,) = [life for life in lives if life is not leader]
            standin.wait_until(nudged(5), WAIT)  # the leader is sending
            kill = Kill(leader.kill(), recorded(asyncio.run(_rows(pg_database))))
            at_kill = leads_reached(standin.calls)
            standin.wait_until(nudged(LEADS_MAX), WAIT)
        finally:
            for life in lives:
                if life.process.poll() is None:
                    life.stop()
        outcome = Trial(0, kills=["sending"])
        rows = asyncio.run(_rows(pg_database))
        check(outcome, rows, standin.sent(), [kill], None, LEADS_MAX)
    log = survivor.log.read_text()
    assert outcome.problems == [], log
    assert at_kill < LEADS_MAX  # killed with nudges still to send
    assert LEADING in log  # the follower took the lead
    assert "took back" in log  # and the leases the dead leader had left
    assert outcome.duplicates <= 1
    assert survivor.process.returncode == 0, log
