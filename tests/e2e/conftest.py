"""Fixtures of the end-to-end tests: the HTTP Bot API stand-in and `dondoc run` against it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeapi.core import ApiCall
from fakeapi.standin import StandIn

TOKEN = "123456:E2E-secret-token"
ADMIN, VIEWER, STRANGER = 7001, 7002, 7003
GROUP = -1001111111111


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def bot_process(standin: StandIn, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """`python -m bot run` with its Bot API pointed at the stand-in."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        "DONDOC_ADMINS": str(ADMIN),
        "DONDOC_LANGUAGE": "vi",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


async def wait_call(
    standin: StandIn, predicate: Callable[[ApiCall], bool], since: int, *, within: float = 30.0
) -> ApiCall:
    """The first call from index `since` on that matches (TimeoutError if none comes)."""
    return await asyncio.to_thread(standin.wait_for, predicate, within, since=since)


def text_to(chat_id: int, needle: str) -> Callable[[ApiCall], bool]:
    """An accepted message sent or edited in `chat_id` whose text has `needle`."""
    return lambda call: call.ok and call.chat_id == chat_id and needle in call.text


async def say(standin: StandIn, update: dict[str, Any], chat_id: int, needle: str) -> ApiCall:
    """Push an update; the bot's message to `chat_id` with `needle` that answers it."""
    since = len(standin.calls)
    standin.push_update(update)
    return await wait_call(standin, text_to(chat_id, needle), since)
