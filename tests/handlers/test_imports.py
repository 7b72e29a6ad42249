"""Sending the register to the bot: check, Confirm / Cancel, and every way it can go wrong."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from fakeapi import updates
from fakeapi.core import DOWNLOAD
from handlers import imports
from rendering import imports as import_views
from rendering.text import plain
from services import importer
from services.importer import RowError
from tests.handlers.conftest import ADMIN, GROUP, NOW, VIEWER, Bot, running
from tests.services.hostile_files import far_cell

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


def _confirm_data(bot: Bot) -> str:
    """The Confirm button's callback data on the last keyboard."""
    return next(
        str(b["callback_data"])
        for row in bot.last_markup()
        for b in row
        if b["callback_data"].startswith("imp:ok:")
    )


async def test_cancel_writes_nothing_and_the_confirm_button_then_says_so(bot: Bot) -> None:
    await _send_file(bot, GOOD.encode(), "a.csv")
    confirm = _confirm_data(bot)
    assert "Đã hủy" in (await bot.press("Hủy", chat_id=ADMIN, user_id=ADMIN))[0]
    seen = len(bot.api.calls)
    assert await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN)) == []
    [alert] = bot.callback_answers(seen)
    assert alert.params["show_alert"] is True
    assert "đã được xử lý" in alert.params["text"]
    assert "Chưa có nhiệm vụ" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]


async def test_a_double_tap_on_confirm_imports_once_and_tells_the_second_tap(bot: Bot) -> None:
    await _send_file(bot, GOOD.encode(), "a.csv")
    confirm = _confirm_data(bot)
    first = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "Đã nhập tệp" in first[-1]
    seen = len(bot.api.calls)
    # The second tap leaves the message (which shows the outcome) alone: a pop-up only.
    assert await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN)) == []
    [alert] = bot.callback_answers(seen)
    assert "đã được xử lý" in alert.params["text"]
    assert "Tổng số: <b>2</b>" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]


async def test_a_confirm_whose_write_failed_can_be_pressed_again(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _send_file(bot, GOOD.encode(), "a.csv")
    confirm = _confirm_data(bot)
    real = importer.import_tasks
    failures = [OperationalError("UPDATE task", {}, Exception("database is locked"))]

    async def fails_once(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_tasks", fails_once)
    failed = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "Vui lòng thử lại" in failed[-1]  # the apology asks to try again ...
    again = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "Đã nhập tệp" in again[-1]  # ... and trying again works
    assert "Tổng số: <b>2</b>" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]
    seen = len(bot.api.calls)
    assert await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN)) == []
    [alert] = bot.callback_answers(seen)
    assert "đã được xử lý" in alert.params["text"]


async def test_a_confirm_after_the_bot_restarts_imports_the_checked_file(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with running(database) as before:
        await _send_file(before, GOOD.encode(), "so-theo-doi.csv")
        confirm = _confirm_data(before)
    async with running(database) as after:  # a new process: nothing of the first in memory
        done = await after.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
        assert "Đã nhập tệp" in done[-1]
        assert "thêm mới 2" in done[-1]
        assert all(c.method != "getFile" for c in after.api.calls)  # the file came from the DB
        status = (await after.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]
        assert "Tổng số: <b>2</b>" in status


async def test_a_check_made_by_one_process_is_confirmed_in_another(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with running(database) as one, running(database) as other:
        await _send_file(one, GOOD.encode(), "a.csv")
        confirm = _confirm_data(one)
        done = await other.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
        assert "Đã nhập tệp" in done[-1]
        seen = len(one.api.calls)
        assert await one.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN)) == []
        assert "đã được xử lý" in one.callback_answers(seen)[0].params["text"]


async def test_a_check_expires_after_thirty_minutes(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with running(database) as bot:
        await _send_file(bot, GOOD.encode(), "a.csv")
        stale = _confirm_data(bot)
        await _send_file(bot, GOOD.encode(), "b.csv")
        fresh = _confirm_data(bot)
    async with running(database, now=NOW + imports.TTL + timedelta(seconds=1)) as later:
        answer = await later.send(updates.callback(stale, chat_id=ADMIN, user_id=ADMIN))
        assert "đã hết hạn" in answer[0]
    async with running(database, now=NOW + imports.TTL - timedelta(seconds=1)) as sooner:
        answer = await sooner.send(updates.callback(fresh, chat_id=ADMIN, user_id=ADMIN))
        assert "Đã nhập tệp" in answer[-1]


async def test_an_unknown_token_or_one_from_another_chat_is_not_found(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    forged = await bot.send(updates.callback("imp:ok:" + "A" * 16, chat_id=ADMIN, user_id=ADMIN))
    assert "Không tìm thấy yêu cầu nhập" in forged[0]
    await _send_file(bot, GOOD.encode(), "a.csv")  # checked in the admin's private chat
    elsewhere = await bot.send(updates.callback(_confirm_data(bot), chat_id=GROUP, user_id=ADMIN))
    assert "Không tìm thấy yêu cầu nhập" in elsewhere[0]
    assert "Chưa có nhiệm vụ" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]


@pytest.mark.parametrize("caption", ["/import@otherbot", "/IMPORT@otherbot extra"])
async def test_an_import_addressed_to_another_bot_is_ignored(bot: Bot, caption: str) -> None:
    seen = len(bot.api.calls)
    assert await _send_file(bot, GOOD.encode(), "a.csv", caption=caption) == []
    assert await bot.say(caption, chat_id=ADMIN, user_id=ADMIN) == []
    assert bot.api.calls[seen:] == []


async def test_an_import_addressed_to_this_bot_by_name_is_checked(bot: Bot) -> None:
    answers = await _send_file(bot, GOOD.encode(), "a.csv", caption="/import@DonDoc_Bot")
    assert "Xác nhận nhập?" in answers[-1]


async def test_confirming_a_check_older_than_the_last_import_is_refused(bot: Bot) -> None:
    older = GOOD.replace("2026-12-01", "2026-12-05")
    await _send_file(bot, older.encode(), "cu.csv")
    stale = _confirm_data(bot)
    await _send_file(bot, GOOD.encode(), "moi.csv")
    assert "Đã nhập tệp" in (await bot.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN))[0]
    answer = await bot.send(updates.callback(stale, chat_id=ADMIN, user_id=ADMIN))
    assert "Dữ liệu đã thay đổi sau khi kiểm tra tệp <b>cu.csv</b>" in answer[0]
    card = (await bot.say("/task G-1", chat_id=ADMIN, user_id=ADMIN))[0]
    assert "01/12/2026" in card  # the newer file's deadline stands


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


@pytest.mark.parametrize(
    ("ref", "refusal"),
    [
        ("XFD1048576", "Quá nhiều dòng: trang tính có dữ liệu đến dòng 1.048.576"),
        ("ZZ200000", "Quá nhiều cột: trang tính rộng 702 cột"),
    ],
)
async def test_a_hostile_workbook_sent_in_chat_is_one_line_and_the_bot_answers_on(
    bot: Bot, ref: str, refusal: str
) -> None:
    # Issue 12: a 5 KB xlsx with one cell at XFD1048576, captioned /import, killed `dondoc run`.
    answers = await _send_file(bot, far_cell(ref), "so-theo-doi.xlsx")
    assert refusal in answers[-1]
    assert "\n" not in plain(answers[-1])
    assert not bot.last_markup()  # nothing to confirm
    assert "Chưa có nhiệm vụ" in (await bot.say("/status", chat_id=ADMIN, user_id=ADMIN))[0]


async def test_too_big_file_is_refused_before_download(bot: Bot) -> None:
    seen = len(bot.api.calls)
    answers = await _send_file(bot, b"x", "huge.xlsx", size=30_000_000)
    assert "quá lớn" in answers[0]
    assert all(c.method != "getFile" for c in bot.api.calls[seen:])


@pytest.mark.parametrize("broken", ["getFile", DOWNLOAD])
async def test_a_file_telegram_cannot_give_is_explained(bot: Bot, broken: str) -> None:
    bot.api.break_next(broken, 502)
    answers = await _send_file(bot, GOOD.encode(), "so-theo-doi.csv")
    assert "Đang đọc tệp" in answers[0]
    assert "Chưa tải được tệp so-theo-doi.csv" in answers[-1]  # not left at "Reading…"


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


async def test_the_check_names_missing_and_ignored_columns(bot: Bot) -> None:
    header = ["STT", "Mã", "Tên nhiệm vụ", "Cơ quan chủ trì", "<b>Hạn</b> & co"]
    header += [f"Cột {i}" for i in range(10)]
    content = ",".join(header) + "\n" + "1,N-1,Một,MOF\n"
    answers = await _send_file(bot, content.encode(), "thieu-cot.csv")

    text = answers[-1]
    assert "Tệp không có cột: thời hạn, trạng thái, ngày hoàn thành, chương trình" in text
    assert "nhiệm vụ đã có giữ nguyên các thông tin này" in text
    assert "Bỏ qua cột không dùng: STT, &lt;b&gt;Hạn&lt;/b&gt; &amp; co, Cột 0" in text
    assert "Cột 5 và 4 cột khác." in text  # 8 of the 12 named, the rest counted
    done = await bot.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN)
    assert "Tệp không có cột: thời hạn" in done[0]


async def test_a_completion_date_after_the_committees_today_is_refused(bot: Bot) -> None:
    # The bot's clock says 25/11/2026 in the committee's time zone.
    late = GOOD + "G-3,Tổng kết,MOJ,2026-12-01,hoàn thành,2026-11-26\n"
    answers = await _send_file(bot, late.encode(), "som.csv")
    assert "Dòng 4, cột completed_on: ngày hoàn thành sau ngày hôm nay" in answers[-1]
    ok = GOOD + "G-3,Tổng kết,MOJ,2026-12-01,hoàn thành,2026-11-25\n"
    assert "thêm mới 3" in (await _send_file(bot, ok.encode(), "dung.csv"))[-1]


def test_error_lines_name_the_file_column_and_the_accepted_values() -> None:
    errors = [
        RowError(5001, "Trạng thái", "import-err-bad-status", {"value": "tạm dừng"}, "status"),
        RowError(12345, "Tiến độ", "import-err-bad-progress", {"value": "50.5"}, "progress"),
    ]
    vi_lines = [plain(line) for line in import_views.import_errors("vi", "f.xlsx", errors)]
    en_lines = [plain(line) for line in import_views.import_errors("en", "f.xlsx", errors)]

    assert vi_lines[1].startswith("• Dòng 5001, cột Trạng thái: trạng thái “tạm dừng”")
    assert "chưa thực hiện, đang thực hiện trong hạn, đang thực hiện quá hạn" in vi_lines[1]
    assert "thường xuyên, hoàn thành đúng hạn, hoàn thành quá hạn" in vi_lines[1]
    assert (
        vi_lines[2] == "• Dòng 12345, cột Tiến độ: tiến độ “50.5” phải là số nguyên từ 0 đến 100"
    )
    assert en_lines[1].startswith("• Row 5001, column Trạng thái:")
    assert "open, in_progress, done" in en_lines[1]
    assert "whole number from 0 to 100" in en_lines[2]
