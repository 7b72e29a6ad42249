"""Logging set-up: no bot token in any log line, no traceback for a failed start."""

from __future__ import annotations

import logging
import re

# A bot token: the bot's numeric id, a colon, then 35 URL-safe characters. It appears in
# request URLs (httpx) and in PTB's own messages ("The token `…` was rejected").
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")


class RedactToken(logging.Filter):
    """Blank out anything shaped like a bot token, in the message and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg, record.args = _TOKEN.sub("<token>", message), None
        if record.exc_info:
            # Formatters print exc_text as it is when set, so the redacted copy is what shows.
            trace = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = _TOKEN.sub("<token>", trace)
        return True


class QuietBootstrapAbort(logging.Filter):
    """PTB logs a traceback when its start-up call fails; `dondoc` explains it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno >= logging.ERROR
            and "Aborting" in str(record.msg)
            and "Bootstrap" in str(record.args)
        )


def configure_logging() -> None:
    """INFO for dondoc, WARNING for chatty libraries, and the token redacted everywhere."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL (with the token) at INFO; alembic narrates each migration.
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").addFilter(QuietBootstrapAbort())
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken())
