"""Random sequences of commands, button presses, replies, texts and files from random
roles, through the real Application and the in-process fake Bot API.

After every step: no handler raised, Telegram accepted every call (the fake checks HTML,
lengths, keyboards and callback data as Telegram does), no call was made while a database
connection was held, the buckets add up to the total, task versions only grow, and every
changed field of a task has exactly one audit event.

DONDOC_FUZZ_EXAMPLES sets how many sequences run (CI: the default below).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from telegram import Update

from bot.context import Context
from fakeapi import updates
from services.audit import FIELD_NAMES
from services.reports import summarize
from storage.models import Agency, Member, Role, Task, TaskEvent
from tests.handlers.conftest import ADMIN, TODAY, Bot, add_tasks, running

LEAD, OTHER_LEAD, VIEWER, STRANGER = 2001, 2002, 1002, 1003
USERS = (ADMIN, LEAD, OTHER_LEAD, VIEWER, STRANGER)
GROUP = updates.GROUP
CODES = ("NV-1", "NV-2", "NV-3", "HN-1", "HN-2", "R-1", "NOPE")
# The task columns whose changes the audit trail records, by their names in the trail.
TRACKED = {
    "title": "title",
    "lead_agency_id": FIELD_NAMES["lead_agency_id"],
    "program_id": FIELD_NAMES["program_id"],
    "deadline": "deadline",
    "original_deadline": "original_deadline",
    "status": "status",
    "completed_on": "completed_on",
    "progress": "progress",
    "source": "source",
}
COMMANDS = (
    "/start", "/help", "/status", "/status MOF", "/status Bộ Tài chính", "/status all",
    "/overdue", "/due", "/due 30", "/task {code}", "/mytasks", "/mytasks MOF",
    "/update {code} done", "/update {code} done 20/11", "/update {code} 60%",
    "/update {code} note {text}", "/update {code} {text}", "/assign",
    "/assign MOF 31/03/2027 {text}",
    "/edit {code} title {text}", "/edit {code} deadline 15/01/2027", "/cancel {code}",
    "/reopen {code}", "/history {code}", "/extend {code} 31/12/2027 {text}", "/lagging",
    "/members", "/invite MOF", "/register", "/register MOF", "/language en", "/language vi",
    "/settings", "/holiday", "/outbox", "/digest", "/export", "/agencies", "/programs",
    "/{text}", "/status {text}", "/task {text}", "/overdue {text}", "/due {text}",
    "/invite {text}", "/revoke {text}", "/mytasks {text}",
)  # fmt: skip

texts = st.one_of(
    st.sampled_from(["<b>…</b> &", "ok", "", "50%", "31/12/2027", "Bộ Tài chính", "NV-1"]),
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs"], include_characters="<>&"),
        max_size=120,
    ),
)
users = st.sampled_from(USERS)
chats = st.sampled_from(("group", "private"))
steps = st.one_of(
    st.tuples(st.just("command"), st.sampled_from(COMMANDS), users, chats,
              st.sampled_from(CODES), texts),
    st.tuples(st.just("press"), st.integers(0, 10_000), users),
    st.tuples(st.just("reply"), st.integers(0, 10_000), users, texts),
    st.tuples(st.just("text"), users, chats, texts),
    st.tuples(st.just("file"), users, chats, st.sampled_from(("photo", "document")),
              st.sampled_from(CODES), st.booleans()),
    st.tuples(st.just("forged"), users, chats, st.text(max_size=70)),
)  # fmt: skip


@dataclass
class Seen:
    """What the bot sent (with Telegram's answers) and what the checks remember."""

    messages: list[dict[str, Any]] = field(default_factory=list)  # the Message objects
    errors: list[BaseException] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)
    values: dict[int, dict[str, object]] = field(default_factory=dict)  # tracked columns
    last_event: int = 0


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A migrated database with members and tasks, copied for each example."""
    folder = Path(tempfile.mkdtemp())
    asyncio.run(_prepare(folder / "template.db"))
    yield folder / "template.db"
    shutil.rmtree(folder, ignore_errors=True)


async def _prepare(database: Path) -> None:
    async with running(database) as bot:
        await bot.say("/register", chat_id=GROUP, user_id=ADMIN)
        soon, late = TODAY + timedelta(5), TODAY - timedelta(9)
        await add_tasks(bot, [
            ("NV-1", "MOF", soon, "open", None), ("NV-2", "MOF", late, "in_progress", None),
            ("NV-3", "MOF", None, "open", None), ("HN-1", "HN", late, "open", None),
            ("HN-2", "HN", soon, "done", TODAY - timedelta(1)),
        ], program="NQ57")  # fmt: skip
        await add_tasks(bot, [("R-1", "MOF", date(2027, 3, 1), "open", None)])
        async with bot.app.bot_data.deps.sessions.begin() as session:
            ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
            session.add_all([
                Member(user_id=LEAD, role=Role.LEAD.value, agency_id=ids["MOF"], name="Lead"),
                Member(user_id=OTHER_LEAD, role=Role.LEAD.value, agency_id=ids["HN"]),
                Member(user_id=VIEWER, role=Role.VIEWER.value, name="Viewer"),
            ])  # fmt: skip


EXAMPLES = int(os.environ.get("DONDOC_FUZZ_EXAMPLES", "40"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(steps, min_size=5, max_size=30))
def test_random_use_keeps_every_invariant(template: Path, script: list[tuple[Any, ...]]) -> None:
    asyncio.run(_play(template, script))


async def _play(template: Path, script: list[tuple[Any, ...]]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copy(template, folder / "bot.db")
        async with running(folder / "bot.db") as bot:
            seen = Seen()
            _watch(bot, seen)
            await _check(bot, seen)
            for step in script:
                await _step(bot, seen, step)
                await _check(bot, seen)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _watch(bot: Bot, seen: Seen) -> None:
    """Keep the messages Telegram returned and every error a handler raised."""
    handle = bot.api.handle

    def recording(
        method: str, params: dict[str, Any], files: Any = None, at: float | None = None
    ) -> tuple[int, dict[str, Any]]:
        status, body = handle(method, params, files, at)
        result = body.get("result")
        if isinstance(result, dict) and "message_id" in result:
            seen.messages.append(result)
        return status, body

    bot.api.handle = recording  # type: ignore[method-assign]

    async def record(_update: object, context: Context) -> None:
        if context.error is not None:
            seen.errors.append(context.error)

    bot.app.add_error_handler(record)


def _chat_of(user: int, chat: str) -> int:
    return GROUP if chat == "group" else user


async def _step(bot: Bot, seen: Seen, step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "command":
        _, template, user, chat, code, text = step
        line = template.format(code=code, text=text)
        await _send(bot, updates.text_message(line, chat_id=_chat_of(user, chat), user_id=user))
    elif kind == "press":
        await _press(bot, seen, step[1], step[2])
    elif kind == "reply":
        await _reply(bot, seen, step[1], step[2], step[3])
    elif kind == "text":
        _, user, chat, text = step
        if text:
            await _send(
                bot, updates.text_message(text, chat_id=_chat_of(user, chat), user_id=user)
            )
    elif kind == "file":
        _, user, chat, what, code, captioned = step
        await _send(bot, _file(bot, what, code if captioned else None, _chat_of(user, chat), user))
    else:
        _, user, chat, data = step
        await _send(bot, updates.callback(data, chat_id=_chat_of(user, chat), user_id=user))


async def _send(bot: Bot, update: dict[str, Any]) -> None:
    await bot.app.process_update(Update.de_json(update, bot.app.bot))


async def _press(bot: Bot, seen: Seen, index: int, user: int) -> None:
    """Press one of the buttons sent so far (a private chat's only by its owner)."""
    buttons = [
        (message, button["callback_data"])
        for message in seen.messages
        for row in message.get("reply_markup", {}).get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]
    if not buttons:
        return
    message, data = buttons[index % len(buttons)]
    chat_id = message["chat"]["id"]
    presser = chat_id if chat_id > 0 else user
    await _send(bot, updates.callback(data, message=message, user_id=presser))


async def _reply(bot: Bot, seen: Seen, index: int, user: int, text: str) -> None:
    """Answer one of the bot's messages by replying to it (a ForceReply prompt, say)."""
    if not seen.messages or not text:
        return
    message = seen.messages[index % len(seen.messages)]
    chat_id = message["chat"]["id"]
    sender = chat_id if chat_id > 0 else user
    reply = updates.text_message(text, chat_id=chat_id, user_id=sender)
    reply["message"]["reply_to_message"] = message
    await _send(bot, reply)


def _file(bot: Bot, what: str, code: str | None, chat_id: int, user: int) -> dict[str, Any]:
    file_id, unique = bot.api.add_file(b"\x89PNG evidence", "evidence.png")
    caption = f"{code} bằng chứng <i>&" if code else None
    if what == "document":
        return updates.document(file_id, "báo cáo.pdf", caption=caption, chat_id=chat_id,
                                user_id=user)  # fmt: skip
    update = updates.text_message("", chat_id=chat_id, user_id=user)
    message = update["message"]
    del message["text"]
    message["photo"] = [{"file_id": file_id, "file_unique_id": unique, "width": 90,
                         "height": 90, "file_size": 14}]  # fmt: skip
    if caption:
        message["caption"] = caption
    return update


async def _check(bot: Bot, seen: Seen) -> None:
    assert seen.errors == [], seen.errors
    assert bot.api.errors() == []
    assert bot.api.violations == []
    deps = bot.app.bot_data.deps
    async with deps.sessions() as session:
        summary = await summarize(session, today=deps.clock.today())
        counted = await session.scalar(
            select(func.count()).select_from(Task).where(Task.status != "cancelled")
        )
        assert summary.total == counted
        tasks = {t.id: t for t in (await session.scalars(select(Task))).all()}
        events = (
            await session.execute(
                select(TaskEvent.id, TaskEvent.task_id, TaskEvent.field).where(
                    TaskEvent.id > seen.last_event
                )
            )
        ).all()
    for task_id, task in tasks.items():
        assert task.version >= seen.versions.get(task_id, 0)
    _check_audit(seen, tasks, events)
    seen.versions = {task_id: task.version for task_id, task in tasks.items()}
    seen.last_event = max([seen.last_event, *(row.id for row in events)])


def _check_audit(seen: Seen, tasks: dict[int, Task], events: Sequence[Any]) -> None:
    """Every tracked column that changed in this step has exactly one event, and no
    tracked column has an event without a change."""
    for task_id, task in tasks.items():
        now = {TRACKED[name]: getattr(task, name) for name in TRACKED}
        was = seen.values.get(task_id)
        if was is not None:
            changed = Counter(name for name in now if now[name] != was[name])
            logged = Counter(e.field for e in events if e.task_id == task_id and e.field in now)
            assert logged == changed, (task.code, logged, changed)
        seen.values[task_id] = now
