"""A file sent in chat that would undo updates made in chat: listed, kept by default, undone
only after a second, explicit confirmation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from fakeapi import updates
from services import task_writes
from services.access import COMMAND_LINE
from services.task_writes import Editor
from storage.models import TaskEvent
from tests.handlers.conftest import ADMIN, NOW, VIEWER, Bot

GOOD = (
    "code,title,agency,deadline,status,completed_on\n"
    "G-1,Số hóa hồ sơ,Bộ Tài chính,2026-12-01,đang thực hiện,\n"
    "G-2,Báo cáo quý,MOH,2026-10-01,hoàn thành,2026-09-30\n"
)
DONE_ON = date(2026, 11, 20)


async def _send_file(bot: Bot, content: bytes, name: str) -> list[str]:
    """An admin sends `content` as a file captioned /import in a private chat."""
    file_id, _unique = bot.api.add_file(content, name)
    update = updates.document(
        file_id, name, caption="/import", chat_id=ADMIN, user_id=ADMIN, file_size=len(content)
    )
    return await bot.send(update)


async def _imported(bot: Bot) -> None:
    """GOOD imported, then G-1 marked done in chat (status and completion date)."""
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    await bot.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN)
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task = await task_writes.load(session, code="G-1")
        assert task is not None
        await task_writes.update_task(
            session,
            task=task,
            seen_version=task.version,
            values={"status": "done", "completed_on": DONE_ON},
            editor=Editor(COMMAND_LINE, "Đầu mối MOF"),
            now=NOW,
        )


async def _g1(bot: Bot) -> tuple[str, date | None, list[tuple[str, str]]]:
    """G-1's status, completion date and the (source, field) of its status events."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task = await task_writes.load(session, code="G-1")
        assert task is not None
        events = await session.execute(
            select(TaskEvent.source, TaskEvent.field)
            .where(TaskEvent.task_id == task.id, TaskEvent.field == "status")
            .order_by(TaskEvent.id)
        )
        return task.status, task.completed_on, [(s, f) for s, f in events]


def _buttons(bot: Bot) -> list[str]:
    return [b["text"] for row in bot.last_markup() for b in row]


async def test_the_check_lists_the_chat_updates_and_keeping_them_is_the_first_choice(
    bot: Bot,
) -> None:
    await _imported(bot)

    check = await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")

    assert "Tệp sẽ xóa bỏ 2 cập nhật trên Telegram" in check[-1]
    assert "• G-1: trạng thái Đã hoàn thành → Đang thực hiện" in check[-1]
    assert "• G-1: ngày hoàn thành 20/11/2026 → (trống)" in check[-1]
    assert _buttons(bot) == [
        "✅ Nhập, giữ nguyên cập nhật trên Telegram",
        "⚠️ Nhập, xóa bỏ cập nhật trên Telegram",
        "✖ Hủy",
    ]
    done = await bot.press("giữ nguyên", chat_id=ADMIN, user_id=ADMIN)

    assert "Đã nhập tệp" in done[0]
    assert "Đã giữ nguyên 2 cập nhật trên Telegram" in done[0]
    assert await _g1(bot) == ("done", DONE_ON, [("chat", "status")])


async def test_undoing_them_takes_a_second_confirmation_and_is_audited(bot: Bot) -> None:
    await _imported(bot)
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")

    asked = await bot.press("xóa bỏ", chat_id=ADMIN, user_id=ADMIN)

    assert "Xóa bỏ 2 cập nhật trên Telegram?" in asked[0]
    assert "• G-1: trạng thái Đã hoàn thành → Đang thực hiện" in asked[0]
    assert _buttons(bot) == [
        "⚠️ Xóa bỏ 2 cập nhật và nhập",
        "✅ Giữ nguyên và nhập",
        "✖ Hủy",
    ]
    assert (await _g1(bot))[0] == "done"  # asking writes nothing
    done = await bot.press("Xóa bỏ 2", chat_id=ADMIN, user_id=ADMIN)

    assert "Đã nhập tệp" in done[0]
    assert "Đã xóa bỏ 2 cập nhật trên Telegram" in done[0]
    assert await _g1(bot) == ("in_progress", None, [("chat", "status"), ("import", "status")])


async def test_the_second_question_can_still_keep_them_or_cancel(bot: Bot) -> None:
    await _imported(bot)
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    await bot.press("xóa bỏ", chat_id=ADMIN, user_id=ADMIN)

    kept = await bot.press("Giữ nguyên và nhập", chat_id=ADMIN, user_id=ADMIN)

    assert "Đã giữ nguyên 2 cập nhật" in kept[0]
    assert (await _g1(bot))[0] == "done"
    await _send_file(bot, GOOD.encode(), "again.csv")
    await bot.press("xóa bỏ", chat_id=ADMIN, user_id=ADMIN)
    assert "Đã hủy" in (await bot.press("Hủy", chat_id=ADMIN, user_id=ADMIN))[0]
    assert (await _g1(bot))[0] == "done"


async def test_the_undo_buttons_of_a_handled_check_only_say_so(bot: Bot) -> None:
    await _imported(bot)
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    undo = next(
        b["callback_data"]
        for row in bot.last_markup()
        for b in row
        if ":undo:" in b["callback_data"]
    )
    await bot.press("xóa bỏ", chat_id=ADMIN, user_id=ADMIN)
    sure = next(
        b["callback_data"]
        for row in bot.last_markup()
        for b in row
        if ":sure:" in b["callback_data"]
    )
    await bot.press("Giữ nguyên và nhập", chat_id=ADMIN, user_id=ADMIN)

    for data in (undo, sure):
        seen = len(bot.api.calls)
        assert await bot.send(updates.callback(data, chat_id=ADMIN, user_id=ADMIN)) == []
        [alert] = bot.callback_answers(seen)
        assert "đã được xử lý" in alert.params["text"]
    assert (await _g1(bot))[0] == "done"


async def test_a_viewer_cannot_undo_chat_updates(bot: Bot) -> None:
    await _imported(bot)
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    await bot.press("xóa bỏ", chat_id=ADMIN, user_id=ADMIN)

    seen = len(bot.api.calls)
    assert await bot.press("Xóa bỏ 2", chat_id=ADMIN, user_id=VIEWER) == []

    assert bot.callback_answers(seen)[0].params["show_alert"] is True
    assert (await _g1(bot))[0] == "done"


async def test_no_chat_update_no_second_choice(bot: Bot) -> None:
    await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    await bot.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN)

    check = await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")

    assert "Telegram" not in check[-1]
    assert _buttons(bot) == ["✅ Xác nhận", "✖ Hủy"]


async def test_the_english_check_names_them_too(bot: Bot) -> None:
    await _imported(bot)
    await bot.say("/language en", chat_id=ADMIN, user_id=ADMIN)

    check = await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")

    assert "The file would undo 2 updates made in chat" in check[-1]
    assert "• G-1: status Completed → In progress" in check[-1]
    assert "• G-1: completion date 20 Nov 2026 → (empty)" in check[-1]
