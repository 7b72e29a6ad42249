"""Command registration shared by handler modules."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

# New messages only: an edited "/status" must not answer twice, channel posts and
# forwarded commands are not someone asking the bot.
COMMAND_FILTER = filters.UpdateType.MESSAGE & ~filters.FORWARDED


class ForThisBot(filters.MessageFilter):
    """A text or caption that starts with /name (any name if None), bare or /name@thisbot.

    In a group, `/import@otherbot` is meant for another bot; CommandHandler already skips
    those, this does the same for captions and catch-alls.
    """

    __slots__ = ("command",)

    def __init__(self, command: str | None = None) -> None:
        super().__init__(name=f"ForThisBot({command})")
        self.command = command

    def filter(self, message: Message) -> bool:
        text = message.text or message.caption or ""
        if not text.startswith("/"):
            return False
        name, _, addressee = text.split(maxsplit=1)[0][1:].partition("@")
        if self.command is not None and name.lower() != self.command:
            return False
        return not addressee or addressee.lower() == (message.get_bot().username or "").lower()


def command(
    name: str, callback: Callable[[Update, Any], Coroutine[Any, Any, None]]
) -> CommandHandler[Any, None]:
    """A CommandHandler for `/name` (and `/name@bot`) on new, non-forwarded messages."""
    return CommandHandler(name, callback, filters=COMMAND_FILTER)
