"""A registered group with leads of two agencies, a viewer, and a small register: what the
tests of a lead's phone flow (/mytasks, the card, /update, notes, evidence) share."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from fakeapi import updates
from fakeapi.inprocess import ApiCall
from storage.models import (
    Agency,
    Member,
    Role,
    Task,
    TaskEvent,
    TaskEvidence,
    TaskNote,
    task_coordinators,
)
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, TODAY, VIEWER, Bot, add_tasks

LEAD, OTHER_LEAD, SECOND_LEAD = 1004, 1005, 1006  # MOF, HN, MOF
D = timedelta(days=1)
USERS = {"admin": ADMIN, "lead": LEAD, "other lead": OTHER_LEAD, "viewer": VIEWER}
USERS |= {"stranger": STRANGER}


async def set_up(bot: Bot) -> Bot:
    """Register the group; MOF's leads, HN's lead, a viewer; tasks of MOF and HN (HN-9 has
    MOF coordinating)."""
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY - 10 * D, "done", TODAY - 12 * D),  # done: not listed
            ("MOF-2", "MOF", TODAY - 3 * D, "open", None),  # overdue 3 days
            ("MOF-3", "MOF", TODAY - 30 * D, "in_progress", None),  # overdue 30 days
            ("MOF-4", "MOF", TODAY + 5 * D, "open", None),  # on schedule
            ("MOF-5", "MOF", None, "in_progress", None),  # routine
            ("MOF-6", "MOF", TODAY, "open", None),  # due today
            ("HN-1", "HN", TODAY + 9 * D, "open", None),
            ("HN-9", "HN", TODAY + 9 * D, "open", None),
        ],
    )
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
        session.add_all(
            [
                Member(user_id=LEAD, role=Role.LEAD.value, agency_id=ids["MOF"], name="Chị Lan"),
                Member(user_id=SECOND_LEAD, role=Role.LEAD.value, agency_id=ids["MOF"]),
                Member(user_id=OTHER_LEAD, role=Role.LEAD.value, agency_id=ids["HN"]),
                Member(user_id=VIEWER, role=Role.VIEWER.value),
            ]
        )
        hn9 = await session.scalar(select(Task.id).where(Task.code == "HN-9"))
        await session.execute(insert(task_coordinators).values(task_id=hn9, agency_id=ids["MOF"]))
    return bot


async def task_row(bot: Bot, code: str) -> Task:
    """The stored task."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == code))
        assert task is not None
        return task


async def events(bot: Bot, code: str) -> list[tuple[str, str | None, str | None, int | None]]:
    """(field, old, new, actor id) of a task's audit events, oldest first."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        rows = await session.execute(
            select(TaskEvent.field, TaskEvent.old, TaskEvent.new, TaskEvent.actor_id)
            .join(Task, Task.id == TaskEvent.task_id)
            .where(Task.code == code)
            .order_by(TaskEvent.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def notes_of(bot: Bot, code: str) -> list[str]:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        query = (
            select(TaskNote.text)
            .join(Task, Task.id == TaskNote.task_id)
            .where(Task.code == code)
            .order_by(TaskNote.id)
        )
        return list((await session.scalars(query)).all())


async def evidence_of(bot: Bot, code: str) -> list[tuple[Any, ...]]:
    """(kind, file_id, file_unique_id, file_name, file_size, caption, user_id) per file."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        query = (
            select(
                TaskEvidence.kind,
                TaskEvidence.file_id,
                TaskEvidence.file_unique_id,
                TaskEvidence.file_name,
                TaskEvidence.file_size,
                TaskEvidence.caption,
                TaskEvidence.user_id,
            )
            .join(Task, Task.id == TaskEvidence.task_id)
            .where(Task.code == code)
            .order_by(TaskEvidence.id)
        )
        return [tuple(row) for row in await session.execute(query)]


async def count(bot: Bot, model: Any) -> int:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def labels(bot: Bot) -> list[str]:
    """The labels of the last inline keyboard, row by row."""
    return [button["text"] for row in bot.last_markup() for button in row]


def data_of(bot: Bot, label_part: str) -> str:
    """The callback data of the last keyboard's button whose label contains `label_part`."""
    for row in bot.last_markup():
        for button in row:
            if label_part in button["text"]:
                return str(button["callback_data"])
    raise AssertionError(f"no button {label_part!r} in {labels(bot)}")


async def press_data(
    bot: Bot, data: str, *, user_id: int, chat_id: int = GROUP, lang: str = "vi"
) -> list[str]:
    """Press a button with this callback data (kept from an earlier keyboard)."""
    return await bot.send(updates.callback(data, chat_id=chat_id, user_id=user_id, lang=lang))


def last_prompt(bot: Bot) -> ApiCall:
    """The last message sent with a ForceReply."""
    for call in reversed(bot.api.calls):
        markup = call.params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        if call.method == "sendMessage" and isinstance(markup, dict) and "force_reply" in markup:
            return call
    raise AssertionError("no ForceReply prompt was sent")


def force_reply_of(call: ApiCall) -> dict[str, Any]:
    markup = call.params["reply_markup"]
    return dict(json.loads(markup) if isinstance(markup, str) else markup)


async def reply_to(bot: Bot, prompt: ApiCall, update: dict[str, Any]) -> list[str]:
    """Send `update` as a reply to the bot's `prompt` message."""
    return await bot.send(updates.replying(update, prompt.result))


def answers_since(bot: Bot, seen: int) -> list[ApiCall]:
    """answerCallbackQuery calls after the first `seen` calls."""
    return bot.callback_answers(seen)


def is_future(day: date) -> bool:
    return day > TODAY
