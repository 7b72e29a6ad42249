"""How `dondoc run` takes its updates: long polling (one process) or a webhook server (many).

Telegram lets one process long-poll a bot: a second poller gets 409 Conflict ("terminated by
other getUpdates request"), and the two then steal each other's updates. PTB logs that with
a traceback and retries for ever; dondoc says it in one line and exits 1 instead, because a
second poller is a mistake to fix, not a state to keep (a supervisor restarts it later, when
the other one may be gone). Several processes take updates through `--webhook`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
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

    def __init__(self, app: DondocApp, stop: asyncio.Event) -> None:
        super().__init__(bot=app.bot, update_queue=app.update_queue)
        self.stop_event = stop
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
                # PTB marks the updates read at stop with one more getUpdates: that would
                # cut off the other process's long poll (409 there too), and both would stop.
                self._Updater__polling_cleanup_cb = _leave_updates_to_the_other_poller
                self.stop_event.set()
            return
        log.error("polling for updates failed: %s", exc)  # PTB retries with its backoff


async def _leave_updates_to_the_other_poller() -> None:
    """After a 409 the updates are the other poller's to fetch and mark read."""


def _quiet_conflicts(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    return not isinstance(exc, Conflict)


def run_polling(app: DondocApp) -> bool:
    """Long polling until stopped; False when another process polls the same bot."""

    async def polling() -> bool:
        stop = _stop_on_signals()
        updater = PollingUpdater(app, stop)
        app.updater = updater
        await serve(app, stop, lambda: updater.start_polling(allowed_updates=Update.ALL_TYPES))
        return not updater.conflict

    return asyncio.run(polling())


def run_webhook(app: DondocApp, settings: Settings) -> None:
    """Serve Telegram's posts on DONDOC_WEBHOOK_LISTEN:PORT at the public URL's path; every
    request must carry the secret token (PTB's server answers 403 otherwise)."""
    assert settings.webhook_secret is not None  # load_settings(webhook=True) checked it
    secret = settings.webhook_secret.get_secret_value()
    install_refusal_log()
    updater = app.updater
    assert updater is not None  # ApplicationBuilder made one

    def start() -> Awaitable[Any]:
        return updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.strip("/"),
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )

    async def webhook() -> None:
        await serve(app, _stop_on_signals(), start)

    asyncio.run(webhook())


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)  # PTB's run_* stop on these


def _stop_on_signals() -> asyncio.Event:
    """An event the first stop signal sets (called on the running loop); a second signal
    takes its default action (Ctrl+C twice ends a shutdown that hangs)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def first_signal() -> None:
        stop.set()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, first_signal)
    return stop


async def serve(
    app: DondocApp, stop: asyncio.Event, start_updates: Callable[[], Awaitable[Any]]
) -> None:
    """PTB's run_polling/run_webhook life cycle, minus its flaw: a stop signal during
    start-up (PTB raises SystemExit out of whichever step runs, leaves that step's task
    pending, and its end then stops the loop under the shutdown: "Event loop stopped
    before Future completed"). Here a signal lets the step under way finish, skips the
    rest, and shuts down as after a normal run; errors of a step propagate after it."""

    async def post_init() -> None:
        if app.post_init is not None:
            await app.post_init(app)

    try:
        for step in (app.initialize, post_init, start_updates, app.start):
            if stop.is_set():
                log.info("stop signal during start-up: stopping")
                return
            await step()
        await stop.wait()
    finally:
        await _shut_down(app)


async def _shut_down(app: DondocApp) -> None:
    """What PTB does after its loop: each part that started is stopped, in order."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


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
