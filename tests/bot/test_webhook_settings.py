"""`dondoc run --webhook` settings: the URL and the secret are required, the secret checked
and never printed; the refusal filter keeps bodies and tokens out of the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.web import HTTPError

from bot.__main__ import main
from bot.logs import redact
from bot.serve import WebhookRefusals
from bot.settings import SettingsError, load_settings

TOKEN = "123456:webhook-settings-token-abcdefghijkl"
SECRET = "a-webhook-secret-of-32-characters"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name in ("DONDOC_WEBHOOK_URL", "DONDOC_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path
    redact.reset()


def test_webhook_mode_needs_the_url_then_the_secret(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--webhook"]) == 2
    assert capsys.readouterr().err.startswith(
        "dondoc: DONDOC_WEBHOOK_URL: required with --webhook"
    )
    monkeypatch.setenv("DONDOC_WEBHOOK_URL", "https://bot.example.org/telegram")
    assert main(["run", "--webhook"]) == 2
    assert capsys.readouterr().err.startswith(
        "dondoc: DONDOC_WEBHOOK_SECRET: required with --webhook"
    )
    load_settings()  # polling needs neither


@pytest.mark.parametrize("secret", ["short-secret", "has spaces in it, 32 characters!"])
def test_a_bad_secret_is_refused_without_being_quoted(
    env: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("DONDOC_WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("DONDOC_WEBHOOK_SECRET: use 16 to 256 characters")
    assert secret not in str(caught.value)


def test_the_secret_is_masked_in_everything_dondoc_prints(env: Path) -> None:
    redact.add_secret(SECRET)
    assert SECRET not in redact(f"setWebhook secret_token={SECRET}")


def _refusal(reason: str | None) -> logging.LogRecord:
    error = HTTPError(403, reason=reason)
    return logging.LogRecord(
        "telegram.ext.Updater", logging.DEBUG, __file__, 1, "%s - %s",
        ("10.0.0.9", "Exception in TelegramHandler"), (HTTPError, error, None),
    )  # fmt: skip


def test_a_refusal_becomes_one_warning_and_other_debug_records_are_dropped() -> None:
    keep = WebhookRefusals()
    record = _refusal("Request had the wrong secret token")
    assert keep.filter(record)
    assert (record.levelno, record.exc_info) == (logging.WARNING, None)
    assert record.getMessage() == (
        "webhook: refused a request from 10.0.0.9 (403: Request had the wrong secret token); "
        "its body is not logged"
    )
    body = logging.LogRecord(
        "telegram.ext.Updater", logging.DEBUG, __file__, 1, "Webhook received data: %s",
        ('{"update_id": 1}',), None,
    )  # fmt: skip
    wrong = logging.LogRecord(
        "telegram.ext.Updater", logging.DEBUG, __file__, 1,
        "Request had the wrong secret token: %s", ("guess",), None,
    )  # fmt: skip
    assert not keep.filter(body)
    assert not keep.filter(wrong)
