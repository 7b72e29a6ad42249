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
from handlers import (
    admin,
    basics,
    digest,
    errors,
    exports,
    extensions,
    history,
    imports,
    invites,
    members,
    nudges,
    outbox,
    reports,
    secretariat,
    snapshots,
    tasks,
)
from jobs import leader, rollover
from rendering.text import LANGUAGES, render
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade

log = logging.getLogger(__name__)

MENU = ("status", "overdue", "due", "task", "lagging", "agencies", "programs", "language", "help")
MENU_LEAD = ("mytasks",)  # a lead's own list (handlers/tasks.py)


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
        *extensions.handlers(),
        *history.handlers(),
        *secretariat.handlers(),  # its replies first: the task files take any other reply
        *tasks.handlers(),  # after imports: a file captioned /import is the import's
        *exports.handlers(),
        *nudges.handlers(),  # /settings, /holiday, the nudges' snooze and mute buttons
        *snapshots.handlers(),  # issue 11: a past day's /status buttons
        *digest.handlers(),  # issue 11: /digest
        *outbox.handlers(),  # /outbox: what could not be sent
    ):
        app.add_handler(handler)
    # Group -1, before all: a reply that answers an extension question stops there; any
    # other reply goes on to group 0 (a guard in group 0 would swallow the others' replies).
    app.add_handlers(extensions.replies(), group=-1)
    app.add_handlers(basics.fallback())  # last in group 0: only unmatched commands reach it
    app.add_handlers(secretariat.later(), group=secretariat.LATER)  # private texts, also
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
    # One process per database schedules the jobs and runs the outbox sender: the leader;
    # the others stand by (jobs/leader.py).
    await leader.start(app)
    log.info("dondoc ready as @%s", app.bot.username)


async def set_commands(app: DondocApp) -> None:
    """Register the command menu in each language; the default follows DONDOC_LANGUAGE."""
    default = app.bot_data.deps.settings.language
    for lang in LANGUAGES:
        commands = [BotCommand(name, render(lang, f"cmd-{name}")) for name in (*MENU, *MENU_LEAD)]
        await app.bot.set_my_commands(commands, language_code=lang)
        if lang == default:
            await app.bot.set_my_commands(commands)


async def _post_shutdown(app: DondocApp) -> None:
    await leader.stop(app)  # the sender's last sends recorded; the scheduler's lock freed
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
