"""What every handler shares: the permission guard, the language, replies and buttons."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import CallbackQueryLimit
from telegram.error import BadRequest

from bot.context import Context
from rendering.text import Html, normalize_lang, plain, render
from services.access import Caller, denial, load_caller

Keyboard = list[list[tuple[str, str]]]  # rows of (label, callback_data)
MAX_ARG = 200  # characters of a command argument worth looking at
MAX_ALERT = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH


@dataclass(slots=True)
class Request:
    """One update being answered: caller, language, today, and the replies to send."""

    update: Update
    context: Context
    session: AsyncSession
    caller: Caller
    lang: str
    today: date
    replies: list[tuple[Html, Keyboard | None]] = field(default_factory=list)

    def t(self, msg_id: str, **data: Any) -> Html:
        """Render a catalog message in this request's language."""
        return render(self.lang, msg_id, **data)

    def say(self, text: Html, keyboard: Keyboard | None = None) -> None:
        """Queue a reply; it is sent after the database session is closed."""
        self.replies.append((text, keyboard))

    @property
    def args(self) -> str:
        """The command's argument text (after the command word)."""
        return " ".join(self.context.args or [])


Handler = Callable[[Request], Coroutine[Any, Any, None]]
PtbCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


def language_of(update: Update, caller: Caller | None, default: str) -> str:
    """The chat's setting wins, then the user's Telegram language, then DONDOC_LANGUAGE."""
    if caller is not None and caller.language:
        return caller.language
    user = update.effective_user
    return normalize_lang(user.language_code if user else None) or default


def guarded(*, admin: bool = False, registering: bool = False) -> Callable[[Handler], PtbCallback]:
    """Run a handler only for callers allowed to (services.access.denial); explain otherwise."""

    def decorate(handler: Handler) -> PtbCallback:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: Context) -> None:
            chat, user = update.effective_chat, update.effective_user
            if chat is None or user is None:
                return
            deps = context.deps
            async with deps.sessions.begin() as session:
                caller = await load_caller(
                    session,
                    user_id=user.id,
                    chat_id=chat.id,
                    chat_type=chat.type,
                    admins=deps.settings.admins,
                )
                lang = language_of(update, caller, deps.settings.language)
                req = Request(update, context, session, caller, lang, deps.clock.today())
                refusal = denial(caller, admin=admin, registering=registering)
                if refusal is None:
                    await handler(req)
            if refusal is not None and update.callback_query is not None:
                # A pop-up for whoever pressed: editing would take the buttons from the rest.
                alert = plain(render(lang, refusal))[:MAX_ALERT]
                await update.callback_query.answer(alert, show_alert=True)
                return
            if refusal is not None:
                req.say(req.t(refusal))
            await send_replies(req)

        return wrapper

    return decorate


def markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    """Inline keyboard from (label, callback_data) rows."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in keyboard
        ]
    )


async def send_replies(req: Request) -> None:
    """Send queued replies: edit the pressed message for a button, else reply in the chat."""
    query = req.update.callback_query
    for index, (text, keyboard) in enumerate(req.replies):
        if query is not None and index == 0:
            await query.answer()
            await _edit(query.edit_message_text(text, reply_markup=markup(keyboard)))
            continue
        message = req.update.effective_message
        if message is not None:
            await message.reply_html(text, reply_markup=markup(keyboard), do_quote=False)
    if query is not None and not req.replies:
        await query.answer()


async def _edit(call: Awaitable[Any]) -> None:
    try:
        await call
    except BadRequest as exc:  # a double tap re-sends the same page
        if "not modified" not in exc.message.lower():
            raise
