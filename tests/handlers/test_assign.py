"""/assign through the real Application: the guided flow (also across a restart), the
one-line form, errors in both languages, confirmations and refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fakeapi import updates
from rendering.text import plain
from storage.models import Agency, Member, Program, Role, Task, TaskEvent
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, VIEWER, Bot, add_tasks, running

LEAD = 2001


async def with_programme(bot: Bot, code: str = "NQ57", name: str = "Nghị quyết 57") -> None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        session.add(Program(code=code, name=name))


async def tasks(bot: Bot) -> list[Task]:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        return list((await session.scalars(select(Task).order_by(Task.id))).all())


def last_sent(bot: Bot) -> dict[str, Any]:
    """The params of the last message the bot sent (not edited)."""
    return [c.params for c in bot.api.calls if c.method == "sendMessage"][-1]


async def reply(
    bot: Bot, text: str, *, chat_id: int = ADMIN, user_id: int = ADMIN, lang: str = "vi"
) -> list[str]:
    """`text` sent as a reply to the bot's last message in the chat."""
    sent = [c for c in bot.api.calls if c.method == "sendMessage" and c.chat_id == chat_id][-1]
    update = updates.text_message(text, chat_id=chat_id, user_id=user_id, lang=lang)
    update["message"]["reply_to_message"] = updates.bot_message(
        plain(str(sent.params["text"])), chat_id=chat_id
    )
    return await bot.send(update)


async def test_the_guided_flow_asks_each_field_then_creates_the_task(bot: Bot) -> None:
    await with_programme(bot)
    first = await bot.say("/assign", chat_id=ADMIN, user_id=ADMIN)
    assert "bước 1/4" in first[0]
    assert "cơ quan chủ trì" in first[0]
    asked = await bot.say("Bộ Tài chính", chat_id=ADMIN, user_id=ADMIN)  # typed, no reply
    assert "bước 2/4" in asked[0]
    assert "Cơ quan chủ trì: Bộ Tài chính (MOF)" in asked[0]
    assert last_sent(bot)["reply_markup"]["force_reply"] is True
    asked = await reply(bot, "Xây dựng <b>cơ sở dữ liệu</b> & kết nối")
    assert "bước 3/4" in asked[0]
    assert "Tên nhiệm vụ: Xây dựng &lt;b&gt;cơ sở dữ liệu&lt;/b&gt; &amp; kết nối" in asked[0]
    asked = await bot.say("31/03/2027", chat_id=ADMIN, user_id=ADMIN)
    assert "bước 4/4" in asked[0]
    assert "Thời hạn: 31/3/2027" in asked[0]
    summary = await bot.press("Nghị quyết 57", user_id=ADMIN, chat_id=ADMIN)
    assert "✔ Chương trình: Nghị quyết 57 (NQ57)" in summary[0]
    assert "Mã nhiệm vụ: <b>NQ57-0001</b>" in summary[1]
    assert await tasks(bot) == []
    done = await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã giao nhiệm vụ <b>NQ57-0001</b> cho Bộ Tài chính (MOF)" in done[0]
    [task] = await tasks(bot)
    assert (task.code, task.title, task.deadline, task.status) == (
        "NQ57-0001", "Xây dựng <b>cơ sở dữ liệu</b> & kết nối", date(2027, 3, 31), "open"
    )  # fmt: skip
    async with bot.app.bot_data.deps.sessions.begin() as session:
        [event] = (await session.scalars(select(TaskEvent))).all()
    assert (event.field, event.source, event.actor_id) == ("created", "chat", ADMIN)
