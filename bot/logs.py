"""Logging set-up: no bot token in any log line."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


class RedactToken(logging.Filter):
    """httpx logs request URLs, which carry the token: blank it out."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub("bot<token>", message), None
        return True


def quiet_http_logs() -> None:
    """httpx at WARNING (it logs every URL at INFO) and redaction on every handler."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken())
