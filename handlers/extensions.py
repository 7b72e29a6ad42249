"""More time: a lead asks for a later deadline (the card's button, or /extend), choosing the
date with buttons or typing it, then typing the reason as a reply
(handlers/extension_replies.py); the admins decide (handlers/extension_decisions.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers import extension_decisions as decisions
from handlers import extension_replies as replies_
from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import MAX_ARG, Keyboard, Turn, guarded_flow, send_replies
from handlers.task_buttons import CardButton, Verb, pressed
from rendering import extensions as views
from rendering.text import cut
from services import extension_rules as rules
from services import extensions
from services.access import Action
from services.extension_prompts import Step
from services.extensions import Refused
from storage.db import snapshot
from storage.models import Task


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
    day = rules.parse_day(parts[1])
    if day is None:
        turn.say(turn.t("extension-bad-date", text=cut(parts[1], 40), example=views.EXAMPLE))
        turn.say(turn.t("extension-usage"))
        return
    if len(parts) == 2:
        await _ask_reason(turn, code, day)
        return
    await replies_.make(turn, day, parts[2], code=code)


async def _ask(turn: Turn, *, task_id: int | None = None, code: str | None = None) -> None:
    """The question with its buttons, or why the caller cannot ask."""
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=task_id, code=code)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await replies_.refuse(turn, found, index, code=code or "")
        return
    turn.say(views.question(turn.lang, found, turn.today), _choices(turn, found))


def _choices(turn: Turn, task: Task) -> Keyboard:
    assert task.deadline is not None
    keyboard: Keyboard = []
    for day in rules.choices(task.deadline, turn.today):
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


@guarded_flow(Action.VIEW_REPORTS)
async def pick(turn: Turn) -> None:
    """Answer a button of the question: a date, another date, or cancel."""
    pressed_ = ExtensionPick.of(turn.update)
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=pressed_.task_id)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await replies_.refuse(turn, found, index)
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
        await replies_.ask_reply(turn, Step.DATE, found)
        return
    day = day_of(pressed_.day)
    assert day is not None  # validate() refused any other
    why = rules.refuse_date(found.deadline, day, turn.today)
    if why is not None:  # forged, or the day has passed since the question
        await replies_.refuse(turn, Refused(why, found), index, new=day)
        return
    turn.say(turn.t("extension-chosen", code=found.code, day=day))
    await send_replies(turn)
    await replies_.ask_reply(turn, Step.REASON, found, day)


async def _ask_reason(turn: Turn, code: str, day: date) -> None:
    """/extend CODE dd/mm/yyyy without a reason: check, then ask for the reason."""
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, code=code)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await replies_.refuse(turn, found, index, code=code)
        return
    why = rules.refuse_date(found.deadline, day, turn.today)
    if why is not None:
        await replies_.refuse(turn, Refused(why, found), index, new=day)
        return
    await replies_.ask_reply(turn, Step.REASON, found, day)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """More time, /extend, the question's buttons, and the admins' decision buttons."""
    return [
        CallbackQueryHandler(more_time, pattern=pressed(Verb.MORE_TIME)),
        command("extend", extend),
        CallbackQueryHandler(pick, pattern=ExtensionPick.matches),
        *decisions.handlers(),
    ]


def replies() -> list[BaseHandler[Any, Any, Any]]:
    """Replies to the questions (registered in group -1, before every other handler)."""
    reply = filters.UpdateType.MESSAGE & filters.REPLY & filters.TEXT & ~filters.COMMAND
    return [MessageHandler(reply, replies_.replied)]
