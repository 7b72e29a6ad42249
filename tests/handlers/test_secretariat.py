"""/edit, /cancel and /reopen through the real Application: checked values, confirmations,
reports without cancelled tasks, stale confirmations, and refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fakeapi import updates
from storage.models import Agency, Member, Role, Task, TaskEvent
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, TODAY, VIEWER, Bot, add_tasks

LEAD = 2001
LATE = TODAY - timedelta(days=10)


@pytest.fixture
async def register(bot: Bot) -> Bot:
    """A registered group, an overdue task in progress (MOF-1) and a done one (MOF-2)."""
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(
        bot,
        [("MOF-1", "MOF", LATE, "in_progress", None), ("MOF-2", "MOF", LATE, "done", LATE)],
    )
    return bot


async def task(bot: Bot, code: str) -> Task:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        found = await session.scalar(select(Task).where(Task.code == code))
        assert found is not None
        return found


def data_of(bot: Bot, label: str) -> str:
    """The callback data of the last keyboard's button labelled with `label`."""
    return str(
        next(b["callback_data"] for row in bot.last_markup() for b in row if label in b["text"])
    )


async def test_edit_changes_one_field_and_shows_the_card(register: Bot) -> None:
    bot = register
    said = await bot.say("/edit mof-1 hạn 30/06/2027", chat_id=ADMIN, user_id=ADMIN)
    assert "Đã sửa Thời hạn của nhiệm vụ <b>MOF-1</b>." in said[0]
    assert "Thời hạn: 30/6/2027" in said[0]
    said = await bot.say("/edit MOF-1 agency Hà Nội", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert "The lead agency of task <b>MOF-1</b> is changed." in said[0]
    assert "Lead agency: Hanoi (HN)" in said[0]
    said = await bot.say("/edit MOF-1 tên <i>Tên</i> & mới", chat_id=ADMIN, user_id=ADMIN)
    assert "<b>MOF-1</b> — &lt;i&gt;Tên&lt;/i&gt; &amp; mới" in said[0]
    same = await bot.say("/edit MOF-1 tên <i>Tên</i> & mới", chat_id=ADMIN, user_id=ADMIN)
    assert "không có gì thay đổi" in same[0]
    edited = await task(bot, "MOF-1")
    assert (edited.deadline, edited.title, edited.version) == (
        date(2027, 6, 30), "<i>Tên</i> & mới", 4
    )  # fmt: skip
    async with bot.app.bot_data.deps.sessions.begin() as session:
        fields = (await session.scalars(select(TaskEvent.field).order_by(TaskEvent.id))).all()
    assert list(fields) == ["deadline", "agency", "title"]


@pytest.mark.parametrize(
    ("text", "vi", "en"),
    [
        ("/edit", "Cách dùng: /edit", "Usage: /edit"),
        ("/edit MOF-1 trạng thái xong", "Cách dùng: /edit", "Usage: /edit"),
        ("/edit KHONG-CO hạn 1/1/2027", "Không tìm thấy nhiệm vụ", "No task has the code"),
        ("/edit MOF-1 hạn 32/01/2027", "không phải là ngày hợp lệ", "is not a valid date"),
        ("/edit MOF-1 cơ quan Quảng", "“Quảng” có thể là: QNH, QTI", "“Quảng” could be: QNH"),
        ("/edit MOF-1 phối hợp MOF", "không thể đồng thời", "cannot also be"),
        ("/edit MOF-1 tên", "Vui lòng ghi giá trị mới", "Please write the new value"),
    ],
)
async def test_edit_errors_in_both_languages(register: Bot, text: str, vi: str, en: str) -> None:
    said = await register.say(text, chat_id=ADMIN, user_id=ADMIN)
    assert vi in said[0]
    said = await register.say(text, chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert en in said[0]
    assert (await task(register, "MOF-1")).version == 1


async def test_a_cancelled_task_leaves_the_reports_until_it_is_reopened(register: Bot) -> None:
    bot = register
    before = await bot.say("/status MOF", user_id=ADMIN)
    assert "Tổng số: <b>2</b> nhiệm vụ" in before[0]
    asked = await bot.say("/cancel MOF-1", chat_id=ADMIN, user_id=ADMIN)
    assert "<b>MOF-1</b> — Nhiệm vụ MOF-1" in asked[0]  # the card first
    assert "<b>Hủy nhiệm vụ MOF-1?</b>" in asked[0]
    cancel = data_of(bot, "Hủy nhiệm vụ")
    done = await bot.press("Hủy nhiệm vụ", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã hủy nhiệm vụ <b>MOF-1</b>" in done[0]
    assert "Trạng thái: Đã hủy (không tính trong các báo cáo)" in done[0]
    status = await bot.say("/status MOF", user_id=ADMIN)
    assert "Tổng số: <b>1</b> nhiệm vụ" in status[0]
    assert "🚫 Đã hủy (không tính vào tổng số): <b>1</b> nhiệm vụ" in status[0]
    assert "MOF-1" not in status[0]
    committee = await bot.say("/status", user_id=ADMIN, lang="en")
    assert "Cancelled (not in the total): <b>1</b> task" in committee[0]
    assert "Không có nhiệm vụ nào quá hạn" in (await bot.say("/overdue", user_id=ADMIN))[0]
    assert "Không có cơ quan nào" in (await bot.say("/lagging", user_id=ADMIN))[0]
    seen = len(bot.api.calls)
    again = await bot.send(updates.callback(cancel, chat_id=ADMIN, user_id=ADMIN))
    assert "Nhiệm vụ MOF-1 đã được hủy trước đó." in again[0]
    assert bot.callback_answers(seen)  # the phone stops its spinner

    asked = await bot.say("/reopen MOF-1", chat_id=ADMIN, user_id=ADMIN)
    assert "Trạng thái sau khi khôi phục: Đang thực hiện." in asked[0]
    reopened = await bot.press("Khôi phục", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã khôi phục nhiệm vụ <b>MOF-1</b>." in reopened[0]
    status = await bot.say("/status MOF", user_id=ADMIN)
    assert "Đã hủy" not in status[0]
    assert "Tổng số: <b>2</b> nhiệm vụ" in status[0]
    assert "MOF-1" in (await bot.say("/overdue", user_id=ADMIN))[0]
    assert (await task(bot, "MOF-1")).status == "in_progress"


async def test_keep_changes_nothing_and_reopen_makes_a_done_task_in_progress(
    register: Bot,
) -> None:
    bot = register
    await bot.say("/cancel MOF-1", chat_id=ADMIN, user_id=ADMIN)
    kept = await bot.press("Giữ nguyên", user_id=ADMIN, chat_id=ADMIN)
    assert "Giữ nguyên nhiệm vụ <b>MOF-1</b>" in kept[0]
    assert (await task(bot, "MOF-1")).status == "in_progress"
    open_already = await bot.say("/reopen MOF-1", chat_id=ADMIN, user_id=ADMIN)
    assert "không cần mở lại" in open_already[0]
    asked = await bot.say("/reopen MOF-2", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert "<b>Reopen task MOF-2?</b>" in asked[0]
    await bot.press("Restore", user_id=ADMIN, chat_id=ADMIN, lang="en")
    reopened = await task(bot, "MOF-2")
    assert (reopened.status, reopened.completed_on) == ("in_progress", None)


async def test_a_confirm_pressed_after_the_task_changed_shows_it_and_asks_again(
    register: Bot,
) -> None:
    bot = register
    await bot.say("/cancel MOF-1", chat_id=ADMIN, user_id=ADMIN)
    stale = data_of(bot, "Hủy nhiệm vụ")
    await bot.say("/edit MOF-1 tên Tên mới", chat_id=ADMIN, user_id=ADMIN)
    asked = await bot.send(updates.callback(stale, chat_id=ADMIN, user_id=ADMIN))
    assert "vừa được thay đổi trong lúc chờ xác nhận" in asked[0]
    assert "<b>MOF-1</b> — Tên mới" in asked[1]
    assert (await task(bot, "MOF-1")).status == "in_progress"
    await bot.press("Hủy nhiệm vụ", user_id=ADMIN, chat_id=ADMIN)
    assert (await task(bot, "MOF-1")).status == "cancelled"


async def test_usage_and_unknown_codes(register: Bot) -> None:
    bot = register
    assert "Cách dùng: /reopen" in (await bot.say("/reopen", chat_id=ADMIN, user_id=ADMIN))[0]
    unknown = await bot.say("/cancel NOPE-1", chat_id=ADMIN, user_id=ADMIN)
    assert "Không tìm thấy nhiệm vụ có mã “NOPE-1”" in unknown[0]


async def test_leads_viewers_and_strangers_are_refused(register: Bot) -> None:
    bot = register
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
        session.add(Member(user_id=VIEWER, role=Role.VIEWER.value))
    for text in ("/edit MOF-1 tên X", "/cancel MOF-1", "/reopen MOF-2", "/assign MOF - X"):
        for user, refusal in ((LEAD, "chỉ dành cho quản trị viên"),
                              (VIEWER, "chỉ dành cho quản trị viên"),
                              (STRANGER, "chưa được cấp quyền")):  # fmt: skip
            said = await bot.say(text, chat_id=user, user_id=user)
            assert refusal in said[0], (text, user)
        said = await bot.say(text, chat_id=GROUP, user_id=LEAD)  # in the registered group
        assert "chỉ dành cho quản trị viên" in said[0]
    await bot.say("/cancel MOF-1", chat_id=ADMIN, user_id=ADMIN)
    seen = len(bot.api.calls)
    await bot.send(updates.callback(data_of(bot, "Hủy nhiệm vụ"), chat_id=ADMIN, user_id=LEAD))
    [alert] = bot.callback_answers(seen)
    assert "quản trị viên" in alert.params["text"]
    untouched = await task(bot, "MOF-1")
    assert (untouched.status, untouched.title, untouched.version) == (
        "in_progress", "Nhiệm vụ MOF-1", 1
    )  # fmt: skip


async def test_a_cancelled_task_takes_no_update_until_it_is_reopened(register: Bot) -> None:
    bot = register
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
    await bot.say("/cancel MOF-1", chat_id=ADMIN, user_id=ADMIN)
    await bot.press("Hủy nhiệm vụ", user_id=ADMIN, chat_id=ADMIN)
    for text, user in (("/update MOF-1 60%", LEAD), ("/update MOF-1 done", ADMIN)):
        said = await bot.say(text, chat_id=user, user_id=user)
        assert "Nhiệm vụ MOF-1 đã bị hủy nên không cập nhật được" in said[0], text
    kept = await task(bot, "MOF-1")
    assert (kept.status, kept.progress) == ("cancelled", 0)
    await bot.say("/reopen MOF-1", chat_id=ADMIN, user_id=ADMIN)
    await bot.press("Khôi phục", user_id=ADMIN, chat_id=ADMIN)
    await bot.say("/update MOF-1 60%", chat_id=LEAD, user_id=LEAD)
    assert (await task(bot, "MOF-1")).progress == 60
