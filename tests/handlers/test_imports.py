"""Sending the register to the bot: check, Confirm / Cancel, and every way it can go wrong."""

from __future__ import annotations

import pytest

from bot import updates
from handlers import imports
from tests.handlers.conftest import ADMIN, GROUP, VIEWER, Bot

GOOD = (
    "code,title,agency,deadline,status,completed_on\n"
    "G-1,Số hóa hồ sơ,Bộ Tài chính,2026-12-01,đang thực hiện,\n"
    "G-2,Báo cáo quý,MOH,2026-10-01,hoàn thành,2026-09-30\n"
)


async def _send_file(
    bot: Bot,
    content: bytes,
    name: str,
    *,
    user_id: int = ADMIN,
    chat_id: int = ADMIN,
    caption: str = "/import",
    size: int | None = None,
) -> list[str]:
    file_id, _unique = bot.api.add_file(content, name)
    update = updates.document(
        file_id,
        name,
        caption=caption,
        chat_id=chat_id,
        user_id=user_id,
        file_size=len(content) if size is None else size,
    )
    return await bot.send(update)


async def test_check_then_confirm_imports_the_file(bot: Bot) -> None:
    answers = await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    assert "Đang đọc tệp" in answers[0]
    assert "thêm mới 2" in answers[-1]
    assert "Xác nhận nhập?" in answers[-1]
    assert "Chưa có nhiệm vụ" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]
    done = await bot.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN)
    assert "Đã nhập tệp" in done[0]
    assert "thêm mới 2" in done[0]
    status = (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]
    assert "Tổng số: <b>2</b>" in status


async def test_cancel_writes_nothing_and_a_used_button_expires(bot: Bot) -> None:
    await _send_file(bot, GOOD.encode(), "a.csv")
    markup = bot.last_markup()
    assert "Đã hủy" in (await bot.press("Hủy", chat_id=ADMIN, user_id=ADMIN))[0]
    confirm = next(
        b["callback_data"]
        for row in markup
        for b in row
        if b["callback_data"].startswith("imp:ok:")
    )
    again = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "hết hạn" in again[0]
    assert "Chưa có nhiệm vụ" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]


async def test_bad_rows_are_listed_and_nothing_is_offered(bot: Bot) -> None:
    bad = GOOD + "G-3,,Atlantis,31/02/2026,xyz,\n"
    answers = await _send_file(bot, bad.encode(), "bad.csv")
    text = answers[-1]
    assert "Chưa nhập được tệp" in text
    assert "Dòng 4" in text
    assert "Atlantis" in text
    assert bot.last_markup() == []


async def test_hundreds_of_bad_rows_fit_telegram_limits(bot: Bot) -> None:
    rows = "".join(f"B-{i},<b>x</b>,Nowhere &co {i},2026-13-01,open,\n" for i in range(600))
    answers = await _send_file(bot, (GOOD + rows).encode(), "many.csv")
    assert all(len(a) <= 4096 for a in answers)
    assert "lỗi khác" in answers[-1]


async def test_a_file_that_is_not_a_spreadsheet_is_explained(bot: Bot) -> None:
    answers = await _send_file(bot, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "anh.xlsx")
    assert "không phải bảng tính" in answers[-1]
    answers = await _send_file(bot, b"", "empty.csv")
    assert "Tệp rỗng" in answers[-1]
    answers = await _send_file(bot, b"hello", "notes.txt")
    assert "không được hỗ trợ" in answers[-1]


async def test_too_big_file_is_refused_before_download(bot: Bot) -> None:
    seen = len(bot.api.calls)
    answers = await _send_file(bot, b"x", "huge.xlsx", size=30_000_000)
    assert "quá lớn" in answers[0]
    assert all(c.method != "getFile" for c in bot.api.calls[seen:])


async def test_only_admins_import(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    answers = await _send_file(bot, GOOD.encode(), "a.csv", user_id=VIEWER, chat_id=GROUP)
    assert "chỉ dành cho quản trị viên" in answers[0]


async def test_import_without_a_file_says_how(bot: Bot) -> None:
    answers = await bot.say("/import", chat_id=ADMIN, user_id=ADMIN)
    assert "kèm chú thích /import" in answers[0]


async def test_long_checks_show_progress(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 0)
    rows = "".join(f"P-{i},Nhiệm vụ {i},MOF,2026-12-31,open,\n" for i in range(3000))
    await _send_file(bot, (GOOD + rows).encode(), "lon.csv")
    edits = [c.text for c in bot.api.calls if c.method == "editMessageText"]
    assert any("Đang xử lý tệp" in text and "%" in text for text in edits)
    assert "thêm mới 3.002" in bot.api.last_text(ADMIN)


async def test_a_viewer_pressing_confirm_gets_a_popup_and_the_buttons_stay(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await _send_file(bot, GOOD.encode(), "a.csv", chat_id=GROUP)
    seen = len(bot.api.calls)
    assert await bot.press("Xác nhận", user_id=VIEWER) == []
    answer = next(c for c in bot.api.calls[seen:] if c.method == "answerCallbackQuery")
    assert answer.params["show_alert"] is True
    assert "quản trị viên" in answer.params["text"]
    assert "Đã nhập tệp" in (await bot.press("Xác nhận", user_id=ADMIN))[0]
