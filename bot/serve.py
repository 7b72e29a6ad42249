"""How `dondoc run` takes its updates: long polling (one process) or a webhook server (many).

Telegram lets one process long-poll a bot: a second poller gets 409 Conflict ("terminated by
other getUpdates request"), and the two then steal each other's updates. PTB logs that with
a traceback and retries for ever; dondoc says it in one line and exits 1 instead, because a
second poller is a mistake to fix, not a state to keep (a supervisor restarts it later, when
the other one may be gone). Several processes take updates through `--webhook`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Updater

from bot.context import DondocApp
from bot.settings import Settings

log = logging.getLogger(__name__)

# PTB's webhook server and its Updater log under this name.
PTB_UPDATER_LOGGER = "telegram.ext.Updater"


class PollingUpdater(Updater):
    """PTB's Updater, but a 409 Conflict stops the application (`conflict` tells why)."""

    def __init__(self, app: DondocApp) -> None:
        super().__init__(bot=app.bot, update_queue=app.update_queue)
        self.app = app
        self.conflict = False

    async def start_polling(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["error_callback"] = self._on_error
        return await super().start_polling(*args, **kwargs)

    def _on_error(self, exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            if not self.conflict:
                self.conflict = True
                # PTB's last getUpdates at stop gets the same 409: nothing more to say.
                logging.getLogger(PTB_UPDATER_LOGGER).addFilter(_quiet_conflicts)
                self.app.stop_running()
            return
        log.error("polling for updates failed: %s", exc)  # PTB retries with its backoff


def _quiet_conflicts(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, Conflict)


def run_polling(app: DondocApp) -> bool:
    """Long polling until stopped; False when another process polls the same bot."""
    updater = PollingUpdater(app)
    app.updater = updater
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return not updater.conflict


def run_webhook(app: DondocApp, settings: Settings) -> None:
    """Serve Telegram's posts on DONDOC_WEBHOOK_LISTEN:PORT at the public URL's path; every
    request must carry the secret token (PTB's server answers 403 otherwise)."""
    assert settings.webhook_secret is not None  # load_settings(webhook=True) checked it
    install_refusal_log()
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.strip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
    )


class WebhookRefusals(logging.Filter):
    """One WARNING line per refused webhook request, with no body and no token.

    PTB's server answers 403 to a request without the secret token or with a wrong one, but
    says so only at DEBUG (the wrong token included). Its logger is opened to DEBUG in
    webhook mode so that this filter sees those records: the 403 becomes one line naming
    the sender's address and the reason; every other DEBUG record (one of them is the body
    of each accepted update) is dropped, as at the default INFO level.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if record.msg == "%s - %s" and getattr(exc, "status_code", None) == 403:
            reason = getattr(exc, "reason", None) or "not a JSON post"
            record.msg = "webhook: refused a request from %s (403: %s); its body is not logged"
            record.args = (record.args[0] if isinstance(record.args, tuple) else "?", reason)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
            return True
        return record.levelno >= logging.INFO


def install_refusal_log() -> None:
    """Route PTB's webhook refusals through WebhookRefusals (idempotent)."""
    logger = logging.getLogger(PTB_UPDATER_LOGGER)
    if not any(isinstance(f, WebhookRefusals) for f in logger.filters):
        logger.addFilter(WebhookRefusals())
    logger.setLevel(logging.DEBUG)
