"""Fixtures of the end-to-end tests: the HTTP Bot API stand-in and `dondoc run` against it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
