"""The outbox through real processes and HTTP: `dondoc run-job` sends what its job queued
and what was left over, through 429, 500 and a blocked lead; `dondoc run` drains the
outbox it finds at start and records each outcome before it exits."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakeapi.core import ApiCall
from fakeapi.standin import StandIn
from rendering.text import Html
from services.outbox import enqueue
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from tests.e2e.with_test_job import CHATS

pytestmark = pytest.mark.e2e  # starts dondoc as a process: `-m "not e2e"` skips it

TOKEN = "123456:E2E-outbox-token"
ROOT = Path(__file__).resolve().parents[2]
LEFT = [("left:1", 701), ("left:2", -100702), ("left:3", 703)]  # queued before the run


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def _env(standin: StandIn, database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # the test job lives in tests/
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "DONDOC_LANGUAGE": "en",
    }


def _queue_left(database: Path) -> None:
    async def run() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{database}")
        try:
            await upgrade(engine)
            async with make_sessions(engine).begin() as session:
                for key, chat in LEFT:
                    now = datetime.now(UTC)
                    await enqueue(session, key=key, chat_id=chat, text=Html(key), now=now)
        finally:
            await engine.dispose()

    asyncio.run(run())


def _statuses(database: Path) -> dict[str, tuple[str, int]]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT key, status, attempts FROM outbox").fetchall()
    return {key: (status, attempts) for key, status, attempts in rows}


def test_run_job_sends_what_it_queued_and_what_was_left(standin: StandIn, tmp_path: Path) -> None:
    database = tmp_path / "e2e.db"
    _queue_left(database)
    standin.fail_next("sendMessage", 429, retry_after=1)
    standin.fail_next("sendMessage", 500)
    standin.refuse_chat(703)  # that lead blocked the bot
    command = [sys.executable, "-m", "tests.e2e.with_test_job", "run-job", "e2e-greet"]
    done = subprocess.run(
        [*command, "--at", "2026-12-07 08:30"],
        env=_env(standin, database),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "e2e-greet: queued 3; outbox: sent 5, failed 0, blocked 1, still pending 0"
    )
    accepted = [(c.chat_id, c.text) for c in standin.sent()]
    assert sorted(accepted) == sorted(
        [(chat, f"<b>Chào</b> {chat} 2026-12-07 08:30") for chat in CHATS]
        + [(701, "left:1"), (-100702, "left:2")]
    )  # each once, whatever went wrong on the way
    assert [c.status for c in standin.errors()].count(429) == 1
    statuses = _statuses(database)
    assert statuses["left:3"] == ("blocked", 1)
    assert {s for key, (s, _) in statuses.items() if key != "left:3"} == {"sent"}
    assert TOKEN not in done.stdout + done.stderr

    listed = subprocess.run(
        [sys.executable, "-m", "bot", "outbox", "--json", "--status", "blocked"],
        env=_env(standin, database),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    (row,) = json.loads(listed.stdout)
    assert (row["key"], row["chat_id"], row["error"]) == (
        "left:3",
        703,
        "Forbidden: bot was blocked by the user",
    )


def test_run_job_refuses_an_unknown_job_in_one_line(standin: StandIn, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run-job", "no-such-job"],
        env=_env(standin, tmp_path / "e2e.db"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no-such-job" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_running_bot_drains_the_outbox_it_finds(standin: StandIn, tmp_path: Path) -> None:
    database = tmp_path / "e2e.db"
    _queue_left(database)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=_env(standin, database),
        cwd=tmp_path,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for key, chat in LEFT:
            standin.wait_for(_delivered(chat, key), 30.0)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert TOKEN not in output
    assert {status for status, _ in _statuses(database).values()} == {"sent"}
    chats = {chat for _key, chat in LEFT}
    assert len([c for c in standin.sent() if c.chat_id in chats]) == 3


def _delivered(chat: int, text: str) -> Callable[[ApiCall], bool]:
    return lambda call: call.ok and call.chat_id == chat and call.text == text
