"""The composition root: settings in, a ready PTB Application out."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.clock import Clock, WallTicker
from bot.context import BotData, Context, Deps, DondocApp
from bot.ratelimit import Budget, InteractiveLimiter
from bot.settings import Settings
from handlers import admin, basics, errors, imports, invites, members, outbox, reports
from jobs import rollover, runner, sender
from rendering.text import LANGUAGES, render
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade

log = logging.getLogger(__name__)

MENU = ("status", "overdue", "due", "task", "lagging", "agencies", "programs", "language", "help")


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    rate_limit: bool = True,
) -> DondocApp:
    """Wire engine, sessions, clock and handlers into an Application (nothing runs yet)."""
    engine = make_engine(settings.database_url)
    clock = clock or Clock(settings.tz)
    deps = Deps(settings, make_sessions(engine), clock, budget=Budget(WallTicker(clock)))
    builder = (
        ApplicationBuilder()
        .token(settings.token())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .context_types(ContextTypes(context=Context, bot_data=BotData))
        .defaults(
            Defaults(
                tzinfo=settings.tz,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Answer other chats while one admin's import is being checked or written; handlers
        # keep no per-chat state in memory, so their order across chats does not matter.
        .concurrent_updates(16)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limit:
        # Headroom under Telegram's 30/s overall and 20/min per group; retry 429s. Answers
        # also count in the budget they share with the outbox sender, which yields to them
        # (bot/ratelimit.py); the sender has a Bot of its own, without retries.
        inner = AIORateLimiter(overall_max_rate=25, group_max_rate=18, max_retries=3)
        limiter: Any = InteractiveLimiter(deps.budget, inner)
        builder = builder.rate_limiter(limiter)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app: Any = builder.build()
    app.bot_data.deps = deps
    app.bot_data.bot_request = request  # the outbox sender's Bot uses it too (tests, console)
    _add_handlers(app)
    return app  # type: ignore[no-any-return]


def _add_handlers(app: DondocApp) -> None:
    for handler in (
        *basics.first(),  # buttons without data, before any patterned button handler
        *basics.handlers(),
        *reports.handlers(),
        *admin.handlers(),
        *invites.handlers(),
        *members.handlers(),
        *imports.handlers(),
        *outbox.handlers(),
    ):
        app.add_handler(handler)
    app.add_handlers(basics.fallback())  # last in group 0: only unmatched commands reach it
    app.add_error_handler(errors.on_error)


async def prepare(app: DondocApp) -> None:
    """Migrate the database and publish the command menu (PTB calls post_init only when
    it runs polling or a webhook; the console and tests call this themselves)."""
    await upgrade(app.bot_data.deps.sessions.kw["bind"])
    await rollover.roll_to_today(app.bot_data.deps)  # a restarted bot counts as of today
    await set_commands(app)


async def _post_init(app: DondocApp) -> None:
    await prepare(app)
    # The JobQueue starts right after post_init (run_polling, run_webhook). Apps driven by
    # hand (console, tests) never start it; prepare() has rolled them at start.
    deps = app.bot_data.deps
    rollover.schedule(app.job_queue, deps.settings.tz)
    # The outbox sender, and the jobs (caught up after downtime, then on time): only in a
    # bot that runs by itself; the console and tests drive theirs by hand.
    previous = getattr(app.bot_data, "background", None)
    if previous is not None:  # started again (tests do): one sender, never two
        await previous.stop()
    outbox_bot = sender.make_bot(deps.settings, app.bot_data.bot_request)
    outbox_sender = sender.Sender(outbox_bot, deps.sessions, deps.budget, deps.doorbell)
    app.bot_data.background = await runner.start(deps, app.job_queue, outbox_sender)
    log.info("dondoc ready as @%s", app.bot.username)


async def set_commands(app: DondocApp) -> None:
    """Register the command menu in each language; the default follows DONDOC_LANGUAGE."""
    default = app.bot_data.deps.settings.language
    for lang in LANGUAGES:
        commands = [BotCommand(name, render(lang, f"cmd-{name}")) for name in MENU]
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == default:
            await app.bot.set_my_commands(commands)


async def _post_shutdown(app: DondocApp) -> None:
    background = getattr(app.bot_data, "background", None)
    if background is not None:  # before the engine goes: the last sends record their outcome
        await background.stop()
        del app.bot_data.background
    await app.bot_data.deps.sessions.kw["bind"].dispose()


@contextlib.asynccontextmanager
async def opened(app: DondocApp) -> AsyncIterator[DondocApp]:
    """Initialise, prepare and finally close an application that is driven by hand
    (console, tests, benchmarks) rather than by run_polling."""
    async with app:
        await prepare(app)
        try:
            yield app
        finally:
            await _post_shutdown(app)
