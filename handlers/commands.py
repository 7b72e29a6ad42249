"""Command registration shared by handler modules."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

# New messages only: an edited "/status" must not answer twice, channel posts and
# forwarded commands are not someone asking the bot.
COMMAND_FILTER = filters.UpdateType.MESSAGE & ~filters.FORWARDED


def command(
    name: str, callback: Callable[[Update, Any], Coroutine[Any, Any, None]]
) -> CommandHandler[Any, None]:
    """A CommandHandler for `/name` (and `/name@bot`) on new, non-forwarded messages."""
    return CommandHandler(name, callback, filters=COMMAND_FILTER)
