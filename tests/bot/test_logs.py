"""Log lines never carry the bot token, not even inside a traceback."""

from __future__ import annotations

import logging
import sys

from bot.logs import RedactToken

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _formatted(record: logging.LogRecord) -> str:
    RedactToken().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_token_in_a_url_is_redacted() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None
    )
    assert _formatted(record) == "POST https://x/bot<token>/getMe"


def test_token_in_a_traceback_is_redacted() -> None:
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected")
    except RuntimeError:
        record = logging.LogRecord(
            "telegram", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    text = _formatted(record)
    assert "The token `<token>` was rejected" in text
    assert TOKEN.split(":")[1] not in text
