"""Typed dependencies that reach every handler through PTB's context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.settings import Settings
from services.lookup_cache import LookupCache
from services.reports import SummaryCache
from storage.db import Sessions

if TYPE_CHECKING:
    from jobs.leader import Leadership


@dataclass(frozen=True, slots=True)
class Deps:
    """Everything a handler needs, built once in bot/app.py."""

    settings: Settings
    sessions: Sessions
    clock: Clock
    lookup: LookupCache = field(default_factory=LookupCache)
    summaries: SummaryCache = field(default_factory=SummaryCache)


class BotData(dict[str, Any]):
    """bot_data with a typed `deps` slot (a dict subclass, as PTB expects)."""

    deps: Deps
    # This process's bid to run the scheduled work (jobs/leader.py), set by post_init.
    leadership: Leadership | None = None
    leadership_task: asyncio.Task[None] | None = None


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with `context.deps`."""

    @property
    def deps(self) -> Deps:
        return self.bot_data.deps


DondocApp = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Any]
