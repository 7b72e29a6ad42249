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
    """`text` sent as a reply to the bot's last /assign question in the chat."""
    sent = [
        c
        for c in bot.api.calls
        if c.method == "sendMessage" and c.chat_id == chat_id and c.text.startswith("🆕")
    ][-1]
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


async def test_a_flow_started_before_a_restart_is_finished_after_it(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with running(database) as before:
        await before.say("/assign", chat_id=ADMIN, user_id=ADMIN)
        asked = await before.press("Bộ Tài chính (MOF)", user_id=ADMIN, chat_id=ADMIN)
        assert "bước 2/4" in asked[1]
        question = str(last_sent(before)["text"])
    async with running(database) as after:  # another process, the same database
        update = updates.text_message("Báo cáo định kỳ", chat_id=ADMIN, user_id=ADMIN)
        update["message"]["reply_to_message"] = updates.bot_message(plain(question), chat_id=ADMIN)
        asked = await after.send(update)
        assert "bước 3/4" in asked[0]
        summary = await after.press("Không có thời hạn", user_id=ADMIN, chat_id=ADMIN)
        # No programme exists: that question is skipped.
        assert "Chương trình: không thuộc chương trình nào" in summary[1]
        assert "<b>BCD-0001</b>" in summary[1]
        await after.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
        [task] = await tasks(after)
    assert (task.code, task.title, task.deadline) == ("BCD-0001", "Báo cáo định kỳ", None)


async def test_in_a_group_the_flow_follows_replies_to_its_questions_only(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    first = await bot.say("/assign", user_id=ADMIN)
    assert f'<a href="tg://user?id={ADMIN}">User {ADMIN}</a>' in first[0]
    assert await bot.say("Bộ Tài chính", user_id=ADMIN) == []  # not a reply: not for the bot
    asked = await reply(bot, "MOF", chat_id=GROUP)
    assert "bước 2/4" in asked[0]
    markup = last_sent(bot)["reply_markup"]
    assert (markup["force_reply"], markup["selective"]) == (True, True)
    assert f"tg://user?id={ADMIN}" in str(last_sent(bot)["text"])  # whom it is selective for
    refused = await reply(bot, "Tên của người khác", chat_id=GROUP, user_id=VIEWER)
    assert "chỉ dành cho quản trị viên" in refused[0]
    await reply(bot, "Rà soát văn bản", chat_id=GROUP)
    summary = await reply(bot, "-", chat_id=GROUP)
    assert "Thời hạn: không có thời hạn (nhiệm vụ thường xuyên)" in summary[0]
    await bot.press("Xác nhận", user_id=ADMIN)
    assert [t.title for t in await tasks(bot)] == ["Rà soát văn bản"]


async def test_one_line_forms_fill_the_summary(bot: Bot) -> None:
    await add_tasks(bot, [("NQ57-0001", "HN", None, "open", None)], program="NQ57")
    summary = await bot.say(
        "/assign Bộ Tài chính 31/03/2027 nq57 Xây dựng cơ sở dữ liệu", chat_id=ADMIN, user_id=ADMIN
    )
    assert "Cơ quan chủ trì: Bộ Tài chính (MOF)" in summary[0]
    assert "Tên nhiệm vụ: Xây dựng cơ sở dữ liệu" in summary[0]
    assert "Chương trình: NQ57" in summary[0]
    assert "<b>NQ57-0002</b>" in summary[0]
    await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    given = await bot.say("/assign MOH - #BCD-100 Báo cáo quý", chat_id=ADMIN, user_id=ADMIN)
    assert "Mã nhiệm vụ: <b>BCD-100</b>\n" in given[0]  # no "automatic" note
    await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    taken = await bot.say("/assign MOF - #bcd-100 Trùng mã", chat_id=ADMIN, user_id=ADMIN)
    assert "Mã <b>bcd-100</b> đã được dùng" in taken[0]
    half = await bot.say("/assign Bộ Y tế", chat_id=ADMIN, user_id=ADMIN)
    assert "bước 2/4" in half[0]
    assert "Cơ quan chủ trì: Bộ Y tế (MOH)" in half[0]
    found = {t.code: (t.deadline, t.program_id is not None) for t in await tasks(bot)}
    assert found == {
        "NQ57-0001": (None, True),
        "NQ57-0002": (date(2027, 3, 31), True),
        "BCD-100": (None, False),
    }


async def test_errors_are_explained_in_vietnamese_and_english(bot: Bot) -> None:
    await with_programme(bot)
    cases = [
        ("/assign MOF 31/02/2027 Tên", "không phải là ngày hợp lệ", "is not a valid date"),
        ("/assign Bộ Không Tồn Tại 31/03/2027 Tên", "Không tìm thấy cơ quan", "No agency"),
        ("/assign NQ57 31/03/2027 Tên", "là chương trình, không phải cơ quan", "is a programme"),
        ("/assign MOF 31/03/2027", "Tên nhiệm vụ không được để trống", "The title cannot be"),
    ]
    for text, vi, en in cases:
        said = await bot.say(text, chat_id=ADMIN, user_id=ADMIN)
        assert vi in said[0], said
        assert "Cách dùng: gửi /assign" in said[1]
        said = await bot.say(text, chat_id=ADMIN, user_id=ADMIN, lang="en")
        assert en in said[0], said
        assert "Usage: send /assign" in said[1]
    await bot.say("/assign", chat_id=ADMIN, user_id=ADMIN, lang="en")
    await bot.say("MOF", chat_id=ADMIN, user_id=ADMIN, lang="en")
    await reply(bot, "Task", lang="en")
    retry = await bot.say("tomorrow", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert "🆕 New task — “tomorrow” is not a valid date" in retry[0]


async def test_an_ambiguous_name_offers_buttons(bot: Bot) -> None:
    offered = await bot.say("/assign Quảng - Tên", chat_id=ADMIN, user_id=ADMIN)
    assert "“Quảng” có thể là" in offered[0]
    summary = await bot.press("Quảng Ninh", user_id=ADMIN, chat_id=ADMIN)
    assert "Cơ quan chủ trì: Tỉnh Quảng Ninh (QNH)" in summary[1]


async def test_confirm_creates_once_and_cancel_creates_nothing(bot: Bot) -> None:
    await bot.say("/assign MOF - Một lần", chat_id=ADMIN, user_id=ADMIN)
    confirm = next(
        b["callback_data"] for row in bot.last_markup() for b in row if "Xác nhận" in b["text"]
    )
    await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    seen = len(bot.api.calls)
    await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))  # a double tap
    [alert] = bot.callback_answers(seen)
    assert alert.params["text"] == "Bước này đã được trả lời."
    assert len(await tasks(bot)) == 1
    await bot.say("/assign MOF - Không giao", chat_id=ADMIN, user_id=ADMIN)
    cancelled = await bot.press("Hủy", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã hủy, không giao nhiệm vụ nào." in cancelled[0]
    assert len(await tasks(bot)) == 1


async def test_cancel_without_a_code_stops_the_flow(bot: Bot) -> None:
    await bot.say("/assign", chat_id=ADMIN, user_id=ADMIN)
    await bot.say("MOF", chat_id=ADMIN, user_id=ADMIN)
    stopped = await bot.say("/cancel", chat_id=ADMIN, user_id=ADMIN)
    assert "Đã dừng việc giao nhiệm vụ" in stopped[0]
    late = await reply(bot, "Tên")
    assert "không có việc giao nhiệm vụ nào đang làm dở" in late[0]
    assert "Cách dùng: /cancel" in (await bot.say("/cancel", chat_id=ADMIN, user_id=ADMIN))[0]


async def test_only_admins_assign(bot: Bot) -> None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
        session.add(Member(user_id=VIEWER, role=Role.VIEWER.value))
    for user, refusal in ((LEAD, "chỉ dành cho quản trị viên"), (VIEWER, "chỉ dành cho quản trị"),
                          (STRANGER, "chưa được cấp quyền")):  # fmt: skip
        said = await bot.say("/assign MOF - Tên", chat_id=user, user_id=user)
        assert refusal in said[0]
        assert await bot.say("Bộ Tài chính", chat_id=user, user_id=user) == []  # quiet
    await bot.say("/assign MOF - Tên", chat_id=ADMIN, user_id=ADMIN)
    confirm = next(
        b["callback_data"] for row in bot.last_markup() for b in row if "Xác nhận" in b["text"]
    )
    seen = len(bot.api.calls)
    await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=LEAD))  # forwarded data
    [alert] = bot.callback_answers(seen)
    assert "quản trị viên" in alert.params["text"]
    assert await tasks(bot) == []


async def test_a_private_reply_to_another_message_is_not_the_flows(bot: Bot) -> None:
    await bot.say("/assign", chat_id=ADMIN, user_id=ADMIN)
    update = updates.text_message("MOF", chat_id=ADMIN, user_id=ADMIN)
    update["message"]["reply_to_message"] = updates.bot_message("Tin nhắn khác", chat_id=ADMIN)
    assert not any("bước" in answer for answer in await bot.send(update))
    asked = await bot.say("MOF", chat_id=ADMIN, user_id=ADMIN)  # typed, replying to nothing
    assert "bước 2/4" in asked[0]
