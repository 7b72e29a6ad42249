"""What every handler shares: the permission guard, the language, replies and buttons.

No Telegram call is made while a database connection is held: a handler's database work
runs in one session that is closed before its replies go out (`guarded`), or, for a
handler that must talk to Telegram in between (a file import), in short sessions of its
own between those calls (`guarded_flow`). tests/handlers/conftest.py enforces it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import CallbackQueryLimit
from telegram.error import BadRequest

from bot.context import Context, Deps
from rendering.text import Html, cut, plain, render
from services import access, pending
from services.access import Action, Caller
from storage.db import snapshot, writing

Keyboard = list[list[tuple[str, str]]]  # rows of (label, packed callback data)
MAX_ARG = 200  # characters of a command argument worth looking at
MAX_ALERT = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
REPLY_WAIT = 5.0  # seconds a reply waits for its question's record (see prompt_replied)
REPLY_LOOK = 0.05  # seconds between two looks meanwhile
T = TypeVar("T")


@dataclass(slots=True)
class Turn:
    """One update being answered: caller, language, today, and the replies to send."""

    update: Update
    context: Context
    caller: Caller
    lang: str
    today: date
    replies: list[tuple[Html, Keyboard | None]] = field(default_factory=list)
    acknowledged: bool = False

    @property
    def deps(self) -> Deps:
        """The application's dependencies."""
        return self.context.deps

    def t(self, msg_id: str, **data: Any) -> Html:
        """Render a catalog message in this turn's language."""
        return render(self.lang, msg_id, **data)

    def say(self, text: Html, keyboard: Keyboard | None = None) -> None:
        """Queue a reply; it is sent after the database session is closed."""
        self.replies.append((text, keyboard))

    @property
    def args(self) -> str:
        """The command's argument text (after the command word)."""
        return " ".join(self.context.args or [])

    async def acknowledge(self) -> None:
        """Answer a pressed button once, so the phone stops its spinner."""
        query = self.update.callback_query
        if query is not None and not self.acknowledged:
            self.acknowledged = True
            await query.answer()

    async def alert(self, text: Html) -> None:
        """Answer a pressed button with a pop-up; the message and its buttons stay."""
        query = self.update.callback_query
        if query is not None and not self.acknowledged:
            self.acknowledged = True
            await query.answer(plain(text)[:MAX_ALERT], show_alert=True)


@dataclass(slots=True)
class Request(Turn):
    """A turn whose handler does all its database work in `session`."""

    session: AsyncSession = field(kw_only=True)


Handler = Callable[[Request], Coroutine[Any, Any, None]]
FlowHandler = Callable[[Turn], Coroutine[Any, Any, None]]
PtbCallback = Callable[[Update, Context], Coroutine[Any, Any, None]]


async def _resolve(session: AsyncSession, update: Update, deps: Deps) -> Caller | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:  # channel posts, inline-mode buttons: nobody to check
        return None
    return await access.resolve_caller(
        session,
        user_id=user.id,
        chat_id=chat.id,
        chat_type=chat.type,
        admins=deps.settings.admins,
        language_code=user.language_code,
    )


def guarded(
    action: Action | None = Action.VIEW_REPORTS, *, read_only: bool = False
) -> Callable[[Handler], PtbCallback]:
    """Run a handler in one transaction for callers allowed `action` (None: anyone), then
    reply; `read_only` handlers read one snapshot (storage.db.snapshot)."""

    def decorate(handler: Handler) -> PtbCallback:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: Context) -> None:
            deps = context.deps
            opened = snapshot(deps.sessions) if read_only else deps.sessions.begin()
            async with opened as session:
                caller = await _resolve(session, update, deps)
                if caller is None:
                    return
                req = Request(
                    update,
                    context,
                    caller,
                    access.language_for(caller, deps.settings.language),
                    deps.clock.today(),
                    session=session,
                )
                refusal = access.denial(caller, action)
                if refusal is None:
                    await handler(req)
            await _finish(req, refusal)

        return wrapper

    return decorate


def guarded_flow(action: Action | None) -> Callable[[FlowHandler], PtbCallback]:
    """Like `guarded`, for a handler that opens its own short sessions between Telegram
    calls (or must write first in its transaction): the caller is read in a session closed
    before the handler starts. `action` None: anyone."""

    def decorate(handler: FlowHandler) -> PtbCallback:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: Context) -> None:
            deps = context.deps
            async with snapshot(deps.sessions) as session:
                caller = await _resolve(session, update, deps)
            if caller is None:
                return
            lang = access.language_for(caller, deps.settings.language)
            turn = Turn(update, context, caller, lang, deps.clock.today())
            refusal = access.denial(caller, action)
            if refusal is None:
                await handler(turn)
            await _finish(turn, refusal)

        return wrapper

    return decorate


async def _finish(turn: Turn, refusal: str | None) -> None:
    """Store a changed Telegram language, then answer: the refusal, or the queued replies."""
    if turn.caller.language_code_changed:
        # Rare (first update after a change), and in its own transaction: a report's
        # snapshot is read-only.
        async with turn.deps.sessions.begin() as session:
            await access.remember_language_code(session, caller=turn.caller)
    if refusal is not None and turn.update.callback_query is not None:
        # A pop-up for whoever pressed: editing would take the buttons from the rest.
        await turn.alert(turn.t(refusal))
        return
    if refusal is not None:
        turn.say(turn.t(refusal))
    await send_replies(turn)


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


async def send_replies(turn: Turn) -> None:
    """Send queued replies: edit the pressed message for a button, else reply in the chat."""
    query = turn.update.callback_query
    for index, (text, keyboard) in enumerate(turn.replies):
        if query is not None and index == 0:
            await turn.acknowledge()
            await _edit(query.edit_message_text(text, reply_markup=markup(keyboard)))
            continue
        message = turn.update.effective_message
        if message is not None:
            await message.reply_html(text, reply_markup=markup(keyboard), do_quote=False)
    turn.replies.clear()
    await turn.acknowledge()


async def _edit(call: Awaitable[Any]) -> None:
    try:
        await call
    except BadRequest as exc:  # a double tap re-sends the same page
        if "not modified" not in exc.message.lower():
            raise


async def answer_silently(update: Update) -> None:
    """Answer a pressed button with nothing (it carried no data to act on)."""
    if update.callback_query is not None:
        with contextlib.suppress(BadRequest):  # "query is too old": nothing left to stop
            await update.callback_query.answer()


def code_asked(req: Turn, usage: str) -> str | None:
    """The task code a command was given (as far as it is worth reading); without one, the
    command's usage (catalog id `usage`) is said and None returned."""
    code = req.args.strip()
    if not code:
        req.say(req.t(usage))
        return None
    return code[:MAX_ARG]


def task_not_found(turn: Turn, code: str) -> Html:
    """The answer that no task has this code, the code shortened as it was typed."""
    return turn.t("task-not-found", code=cut(code, 60))


async def prompt_replied(
    deps: Deps,
    find: Callable[[AsyncSession], Awaitable[T | None]],
    being_sent: Callable[[AsyncSession], Awaitable[bool]],
) -> T | None:
    """The prompt a reply answers (`find`), or None. A prompt learns its question's message
    id only once Telegram has answered the send; a reply that arrives before that record
    (a quick thumb, another process) finds nothing yet, so while one of the user's prompts
    is `being_sent` it looks again, for REPLY_WAIT at most."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPLY_WAIT
    while True:
        async with snapshot(deps.sessions) as session:
            found = await find(session)
            if found is not None or not await being_sent(session):
                return found
        if loop.time() >= deadline:
            return None
        await asyncio.sleep(REPLY_LOOK)


async def send_question(deps: Deps, token: str, send: Callable[[], Awaitable[T]]) -> T:
    """Send a question whose waiting (the pending action `token`) is already recorded; a
    question that could not be sent waits for nothing, so its waiting is dropped."""
    try:
        return await send()
    except BaseException:
        async with writing(deps.sessions) as session:
            await pending.drop(session, token=token)  # nobody will reply to it
        raise
