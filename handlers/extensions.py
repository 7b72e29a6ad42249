"""More time: a lead asks for a later deadline (the card's button, or /extend), choosing the
date with buttons or typing it, then typing the reason as a reply.

A question answered by a reply (ForceReply, selective, so that it works in groups with
privacy mode on) is a pending action keyed by the question's message id: `replied` runs
before every other handler (group -1), answers replies to those questions, and lets any
other reply through to the handlers that want it. The admins' side is
handlers/extension_decisions.py.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram import ForceReply, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import Context
from handlers import extension_decisions as decisions
from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import MAX_ARG, Keyboard, Turn, guarded_flow, send_replies
from handlers.task_buttons import CardButton, Verb, pressed
from rendering import extensions as views
from rendering.text import Html, cut, plain
from services import extensions, pending
from services.access import Action
from services.extensions import MENDABLE, Refusal, Refused, Step
from services.lookup import TargetIndex
from services.task_writes import Editor
from storage.db import snapshot, writing
from storage.models import Task

# The tasks a reason or date typed as a reply may mend: another date, or the reason again.
_ASK_AGAIN = {
    Refusal.NOT_LATER: Step.DATE,
    Refusal.PAST: Step.DATE,
    Refusal.TOO_FAR: Step.DATE,
    Refusal.NO_REASON: Step.REASON,
    Refusal.LONG_REASON: Step.REASON,
}
assert set(_ASK_AGAIN) == MENDABLE


class Pick(enum.StrEnum):
    """A button of the question: a date offered, another date, or cancel."""

    DAY = "d"
    OTHER = "o"
    CANCEL = "c"


@dataclass(frozen=True, slots=True)
class ExtensionPick(CallbackData, prefix="extp"):
    """A button of the question, for the task at the version the question showed."""

    task_id: int
    version: int
    pick: Pick
    day: int  # yyyymmdd for Pick.DAY, else 0

    def validate(self) -> None:
        if (self.pick is Pick.DAY) != (self.day != 0):
            raise ValueError(self.day)
        if self.pick is Pick.DAY and day_of(self.day) is None:
            raise ValueError(self.day)


def day_of(number: int) -> date | None:
    """The date a button carries as yyyymmdd, or None."""
    try:
        return date(number // 10_000, number // 100 % 100, number % 100)
    except ValueError:
        return None


def number_of(day: date) -> int:
    """A date as yyyymmdd, for callback data."""
    return day.year * 10_000 + day.month * 100 + day.day


# --- the question ------------------------------------------------------------------------


@guarded_flow(Action.VIEW_REPORTS)
async def more_time(turn: Turn) -> None:
    """Ask which new deadline to request (the task card's More time button)."""
    await _ask(turn, task_id=CardButton.of(turn.update).task_id)


@guarded_flow(Action.VIEW_REPORTS)
async def extend(turn: Turn) -> None:
    """Ask the admins for a later deadline: /extend CODE [dd/mm/yyyy reason…]."""
    message = turn.update.effective_message
    words = (message.text or "").split(maxsplit=1) if message else []
    # From the text itself, not context.args: a reason keeps its line breaks.
    parts = words[1].split(maxsplit=2) if len(words) > 1 else []
    if not parts or len(parts[0]) > MAX_ARG:
        turn.say(turn.t("extension-usage"))
        return
    code = parts[0]
    if len(parts) == 1:
        await _ask(turn, code=code)
        return
    day = extensions.parse_day(parts[1])
    if day is None:
        turn.say(turn.t("extension-bad-date", text=cut(parts[1], 40), example=views.EXAMPLE))
        turn.say(turn.t("extension-usage"))
        return
    if len(parts) == 2:
        await _ask_reason(turn, code, day)
        return
    await _make(turn, day, parts[2], code=code)


async def _ask(turn: Turn, *, task_id: int | None = None, code: str | None = None) -> None:
    """The question with its buttons, or why the caller cannot ask."""
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=task_id, code=code)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await _refuse(turn, found, index, code=code or "")
        return
    turn.say(views.question(turn.lang, found, turn.today), _choices(turn, found))


def _choices(turn: Turn, task: Task) -> Keyboard:
    assert task.deadline is not None
    keyboard: Keyboard = []
    for day in extensions.choices(task.deadline, turn.today):
        data = ExtensionPick(task.id, task.version, Pick.DAY, number_of(day)).pack()
        keyboard.append([(views.day_button(turn.lang, task.deadline, day, turn.today), data)])
    other = ExtensionPick(task.id, task.version, Pick.OTHER, 0).pack()
    cancel = ExtensionPick(task.id, task.version, Pick.CANCEL, 0).pack()
    keyboard.append(
        [
            (turn.t("extension-button-other"), other),
            (turn.t("extension-button-cancel"), cancel),
        ]
    )
    return keyboard


async def _refuse(
    turn: Turn,
    refused: Refused,
    index: TargetIndex,
    *,
    code: str = "",
    new: date | None = None,
    reason: str = "",
) -> None:
    """Say why: a pop-up for a pressed button (the message stays for the others)."""
    by_button = turn.update.callback_query is not None
    if by_button and refused.why is Refusal.NOT_FOUND:  # the task was deleted since
        await turn.alert(turn.t("expired-button"))
        return
    task = refused.task
    agency = index.by_id("agency", task.lead_agency_id) if task is not None else None
    text = views.refusal(
        turn.lang,
        refused,
        code=code,
        today=turn.today,
        tz=turn.deps.clock.tz,
        new=new,
        reason=reason,
        agency=agency,
    )
    if by_button:
        await turn.alert(text)
    else:
        turn.say(text)


@guarded_flow(Action.VIEW_REPORTS)
async def pick(turn: Turn) -> None:
    """Answer a button of the question: a date, another date, or cancel."""
    pressed_ = ExtensionPick.of(turn.update)
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=pressed_.task_id)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await _refuse(turn, found, index)
        return
    if pressed_.pick is Pick.CANCEL:
        turn.say(turn.t("extension-cancelled", code=found.code))
        return
    if found.version != pressed_.version:  # the deadline may have moved: offer new dates
        note = turn.t("extension-stale")
        turn.say(views.question(turn.lang, found, turn.today, note), _choices(turn, found))
        return
    if pressed_.pick is Pick.OTHER:
        turn.say(turn.t("extension-typing", code=found.code))
        await send_replies(turn)
        await _prompt(turn, Step.DATE, found)
        return
    day = day_of(pressed_.day)
    assert day is not None  # validate() refused any other
    why = extensions.refuse_date(found.deadline, day, turn.today)
    if why is not None:  # forged, or the day has passed since the question
        await _refuse(turn, Refused(why, found), index, new=day)
        return
    turn.say(turn.t("extension-chosen", code=found.code, day=day))
    await send_replies(turn)
    await _prompt(turn, Step.REASON, found, day)


async def _ask_reason(turn: Turn, code: str, day: date) -> None:
    """/extend CODE dd/mm/yyyy without a reason: check, then ask for the reason."""
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, code=code)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await _refuse(turn, found, index, code=code)
        return
    why = extensions.refuse_date(found.deadline, day, turn.today)
    if why is not None:
        await _refuse(turn, Refused(why, found), index, new=day)
        return
    await _prompt(turn, Step.REASON, found, day)


# --- questions answered by a reply -------------------------------------------------------


async def _prompt(turn: Turn, step: Step, task: Task, day: date | None = None) -> None:
    """Ask for a date or a reason as a reply, and remember what the reply will answer."""
    user, message = turn.update.effective_user, turn.update.effective_message
    by_button = turn.update.callback_query is not None
    who = Html("")
    if by_button and turn.caller.in_group and user is not None:
        who = views.mention(turn.lang, user.id, user.full_name)  # selective needs a mention
    if step is Step.DATE:
        text, hint = views.ask_date(turn.lang, task, who), "extension-placeholder-date"
    else:
        assert day is not None
        text, hint = views.ask_reason(turn.lang, task, day, who), "extension-placeholder-reason"
    force = ForceReply(selective=True, input_field_placeholder=plain(turn.t(hint)))
    if message is not None:
        # Typed: answer the user's own message, which makes the selective ForceReply theirs.
        sent = await message.reply_html(text, reply_markup=force, do_quote=not by_button)
    else:  # a button under a message too old for Telegram to hand back
        sent = await turn.context.bot.send_message(turn.caller.chat_id, text, reply_markup=force)
    async with writing(turn.deps.sessions) as session:
        await extensions.await_reply(
            session,
            caller=turn.caller,
            step=step,
            task_id=task.id,
            day=day,
            message_id=sent.message_id,
            now=turn.deps.clock.now(),
        )


async def replied(update: Update, context: Context) -> None:
    """A reply to one of our questions: answer it and stop; any other reply goes on."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or message.reply_to_message is None:
        return
    to = message.reply_to_message
    if to.from_user is None or to.from_user.id != context.bot.id:
        return
    async with snapshot(context.deps.sessions) as session:
        prompt = await extensions.find_prompt(
            session, user_id=user.id, chat_id=chat.id, message_id=to.message_id
        )
    if prompt is None:
        return
    await _answer(update, context)
    raise ApplicationHandlerStop


@guarded_flow(Action.VIEW_REPORTS)
async def _answer(turn: Turn) -> None:
    """Take the question (once), then go on with the date or the reason typed."""
    message = turn.update.effective_message
    assert message is not None
    assert message.reply_to_message is not None
    async with writing(turn.deps.sessions) as session:
        prompt = await extensions.find_prompt(
            session,
            user_id=turn.caller.user_id,
            chat_id=turn.caller.chat_id,
            message_id=message.reply_to_message.message_id,
        )
        taken = None
        if prompt is not None:
            taken = await extensions.take_prompt(
                session, prompt=prompt, chat_id=turn.caller.chat_id, now=turn.deps.clock.now()
            )
    if prompt is None or isinstance(taken, pending.Refusal):
        used = taken is pending.Refusal.USED
        turn.say(turn.t("extension-prompt-used" if used else "extension-prompt-expired"))
        return
    text = message.text or ""
    if prompt.step is Step.DATE:
        await _typed_date(turn, prompt.task_id, text)
    else:
        assert prompt.day is not None
        await _make(turn, prompt.day, text, task_id=prompt.task_id, again=True)


async def _typed_date(turn: Turn, task_id: int, text: str) -> None:
    """A date typed in reply: on to the reason, or ask again."""
    day = extensions.parse_day(text)
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=task_id)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await _refuse(turn, found, index)
        return
    if day is None:
        turn.say(turn.t("extension-bad-date", text=cut(text, 40), example=views.EXAMPLE))
    elif (why := extensions.refuse_date(found.deadline, day, turn.today)) is not None:
        await _refuse(turn, Refused(why, found), index, new=day)
    else:
        await _prompt(turn, Step.REASON, found, day)
        return
    await send_replies(turn)
    await _prompt(turn, Step.DATE, found)


async def _make(
    turn: Turn,
    day: date,
    reason: str,
    *,
    task_id: int | None = None,
    code: str | None = None,
    again: bool = False,
) -> None:
    """Record the request, send it to the admins, tell the lead; `again`: a refusal that
    another answer can mend asks the question again."""
    if code is not None:
        async with snapshot(turn.deps.sessions) as session:
            found = await extensions.check(session, caller=turn.caller, code=code)
            index = await turn.deps.lookup.get(session)
        if isinstance(found, Refused):
            await _refuse(turn, found, index, code=code)
            return
        task_id = found.id
    assert task_id is not None
    user = turn.update.effective_user
    editor = Editor(turn.caller, user.full_name if user else "")
    async with writing(turn.deps.sessions) as session:
        made = await extensions.request_extension(
            session,
            editor=editor,
            task_id=task_id,
            new_deadline=day,
            reason=reason,
            now=turn.deps.clock.now(),
            today=turn.today,
        )
        index = await turn.deps.lookup.get(session)
    if isinstance(made, Refused):
        await _refuse(turn, made, index, code=code or "", new=day, reason=reason)
        step = _ASK_AGAIN.get(made.why)
        if again and step is not None and made.task is not None:
            await send_replies(turn)
            await _prompt(turn, step, made.task, day if step is Step.REASON else None)
        return
    count = await decisions.notify_admins(turn.context, made)
    turn.say(views.sent(turn.lang, made, count))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """More time, /extend, the question's buttons, and the admins' decision buttons."""
    return [
        CallbackQueryHandler(more_time, pattern=pressed(Verb.MORE_TIME)),  # type: ignore[arg-type]
        command("extend", extend),
        CallbackQueryHandler(pick, pattern=ExtensionPick.matches),
        *decisions.handlers(),
    ]


def replies() -> list[BaseHandler[Any, Any, Any]]:
    """Replies to the questions (registered in group -1, before every other handler)."""
    reply = filters.UpdateType.MESSAGE & filters.REPLY & filters.TEXT & ~filters.COMMAND
    return [MessageHandler(reply, replied)]
