"""A failure at start or in a command: one line for what the operator can fix, else a
traceback; the exit code says which (2 settings, 1 the database's state or a bug)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot import cli
from bot.__main__ import main
from bot.logs import MASK, redact
from bot.settings import load_settings
from rendering.text import plain, render
from storage.db import for_asyncpg

URL = "http://127.0.0.1:8081/bot"
PAGE = "b'<html><body>POST /bot4242:short-Secret_x9/getMe</body></html>'"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """English messages, a scratch directory and database, no token."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'e.db'}")
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", URL)
    for name in ("DONDOC_ADMINS", "DONDOC_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def forget_token() -> Iterator[None]:
    yield
    redact.reset()


def _caused(exc: TelegramError, cause: BaseException) -> TelegramError:
    exc.__cause__ = cause
    return exc


def _not_json(status: int) -> str:
    return plain(render("en", "startup-api-not-json", url=URL, status=status))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (_caused(TelegramError("Invalid server response"), ValueError("x")), _not_json(200)),
        (NetworkError(f"Bad Gateway (502). Parsing the server response {PAGE} failed"),
         _not_json(502)),
        # PTB re-raises a failed getMe with the token in the message; the page is the cause.
        (_caused(InvalidToken("The token `4242:short-Secret_x9` was rejected by the server."),
                 InvalidToken(f"Not Found (404). Parsing the server response {PAGE} failed")),
         _not_json(404)),
        (_caused(InvalidToken("The token `x` was rejected by the server."),
                 InvalidToken("Unauthorized")),
         plain(render("en", "startup-token-rejected"))),
        (NetworkError("httpx.ConnectError: All connection attempts failed"),
         plain(render("en", "startup-api-unreachable", url=URL,
                      reason="httpx.ConnectError: All connection attempts failed"))),
    ],
    ids=["200-html", "502-html", "404-html", "401", "refused"],
)  # fmt: skip
def test_bot_api_failures_at_start_name_the_setting(
    env: Path, exc: TelegramError, expected: str
) -> None:
    line = cli.explain_startup_error(exc, load_settings())
    assert line == expected
    assert "Secret" not in (line or "")  # the page (echoing the token) is never quoted
    assert cli.exit_code_of(exc) == 2


def _locked() -> OperationalError:
    """What SQLAlchemy raises when SQLite's write lock is held by another process."""
    orig = sqlite3.OperationalError("database is locked")
    return OperationalError("INSERT INTO task …", {}, orig)


def test_a_locked_database_is_named_as_such_and_exits_1(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def locked(*_args: object) -> int:
        raise _locked()

    monkeypatch.setattr(cli, "dispatch", locked)
    assert main(["import", "register.csv"]) == 1
    expected = plain(render("en", "db-locked", reason="database is locked"))
    assert capsys.readouterr().err == f"dondoc: {expected}\n"


def test_a_bug_keeps_its_traceback_with_the_token_masked(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    forget_token: None,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "4242:short-Secret_x9")

    def bug(*_args: object) -> int:
        raise KeyError("/bot4242:short-Secret_x9/getMe")

    monkeypatch.setattr(cli, "dispatch", bug)
    assert main(["status"]) == 1  # as the interpreter exits on an uncaught exception
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith(f"KeyError: '/bot{MASK}/getMe'\n")
    assert "Secret" not in err


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("DATABASE_URL", "postgresql+asyncpg://u@h:5x32/db",
         "DATABASE_URL: the port must be a number from 0 to 65535"),
        ("DATABASE_URL", "postgresql+asyncpg://u@h/db?sslmode=yes",
         "DATABASE_URL: sslmode must be one of disable, allow, prefer, require, verify-ca, "
         "verify-full"),
        (".env", b"DONDOC_LANGUAGE=en\nDONDOC_ADMINS=1 # B\xe1o c\xe1o\n",
         ".env: line 2 is not UTF-8 text; please save the file as UTF-8"),
        (".env", b"TELEGRAM_CHAT_ID=5\nDONDOC_TIMEZON=UTC\n",
         "DONDOC_TIMEZON: unknown setting in .env (did you mean DONDOC_TIMEZONE?)"),
    ],
    ids=["port", "sslmode", "env-not-utf8", "env-misspelt-key"],
)  # fmt: skip
def test_a_bad_setting_is_one_line_and_exit_2(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setting: str,
    value: str | bytes,
    expected: str,
) -> None:
    if isinstance(value, bytes):
        (env / setting).write_bytes(value)
    else:
        monkeypatch.setenv(setting, value)
    assert main(["status"]) == 2
    assert capsys.readouterr().err == f"dondoc: {expected}\n"


def test_libpq_url_options_are_translated_for_asyncpg() -> None:
    url, connect_args = for_asyncpg(
        make_url("postgresql+asyncpg://u@h/db?sslmode=require&connect_timeout=7")
    )
    assert dict(url.query) == {"ssl": "require"}
    assert connect_args == {"timeout": 7.0}
    url, _ = for_asyncpg(make_url("postgresql+asyncpg://u@h/db?sslmode=require&ssl=disable"))
    assert dict(url.query) == {"ssl": "disable"}  # asyncpg's own name wins


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # its PostgreSQL leg only
def test_sslmode_reaches_a_real_server(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", base + "?sslmode=disable&connect_timeout=10")
    assert main(["status", "--json"]) == 0  # before: TypeError: unexpected keyword 'sslmode'
    assert "total" in json.loads(capsys.readouterr().out)
    monkeypatch.setenv("DATABASE_URL", base + "?sslmode=require")
    code = main(["status", "--json"])  # the test server may or may not speak TLS
    err = capsys.readouterr().err
    assert (code, err) == (0, "") or (code == 2 and err.startswith("dondoc: DATABASE_URL: "))
    assert len(err.splitlines()) <= 1
