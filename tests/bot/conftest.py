"""What the command-line tests share: the HTTP Bot API stand-in and a clean environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi.standin import StandIn

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A Bot API stand-in whose getMe names the bot dondoc_bot."""
    with StandIn() as api:
        yield api


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, standin: StandIn) -> Path:
    """A fresh database, a token and the stand-in's address, no other DONDOC_ setting; the
    database file's path (the working directory is tmp_path)."""
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", standin.base_url)
    for name in ("DONDOC_ADMINS", "DONDOC_LANGUAGE", "DONDOC_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return database
