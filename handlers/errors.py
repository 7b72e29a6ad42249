"""The error handler: log with context, tell the user something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.context import Context
from rendering.text import normalize_lang, render

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the exception; answer the user politely if there is someone to answer."""
    error = context.error
    # BadRequest is a NetworkError too, but it is our bug: apologise for it below.
    if isinstance(error, Forbidden) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    ):
        log.warning("Telegram refused or failed: %s", error)
        return
    log.error("Unhandled error for update %s", _describe(update), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    # No database read here: it may be the database that failed.
    user = update.effective_user
    lang = normalize_lang(user.language_code if user else None) or context.deps.settings.language
    try:
        await context.bot.send_message(update.effective_chat.id, render(lang, "error-internal"))
    except Exception:  # the apology itself failed: nothing more to do
        log.warning("could not send the error notice", exc_info=True)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        chat = update.effective_chat
        return f"{update.update_id} chat={chat.id if chat else None}"
    return repr(update)[:200]
