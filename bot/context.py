"""Typed dependencies that reach every handler through PTB's context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot
from telegram.request import BaseRequest

from bot.clock import Clock
from bot.ratelimit import Budget, wall_budget
from bot.settings import Settings
from services.lookup_cache import LookupCache
from services.outbox import Doorbell
from services.reports import SummaryCache
from storage.db import Sessions

if TYPE_CHECKING:
    from jobs.leader import Leadership
    from jobs.runner import Background


@dataclass(frozen=True, slots=True)
class Deps:
    """Everything a handler needs, built once in bot/app.py."""

    settings: Settings
    sessions: Sessions
    clock: Clock
    lookup: LookupCache = field(default_factory=LookupCache)
    summaries: SummaryCache = field(default_factory=SummaryCache)
    budget: Budget = field(default_factory=wall_budget)  # Telegram's limits, one per process
    doorbell: Doorbell = field(default_factory=Doorbell)  # a job queued messages: send them


class BotData(dict[str, Any]):
    """bot_data with a typed `deps` slot (a dict subclass, as PTB expects)."""

    deps: Deps
    # This process's bid to run the scheduled work (jobs/leader.py), set by post_init.
    leadership: Leadership | None = None
    leadership_task: asyncio.Task[None] | None = None
    bot_request: BaseRequest | None  # the Bot API transport given to build_application
    background: Background  # `dondoc run` only: the outbox sender and the jobs


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with `context.deps`."""

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps


DondocApp = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Any]
