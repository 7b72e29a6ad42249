"""/digest through the real Application: a preview here and now (photo, then text), not
recorded; a group's day and time; admins only."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select

from fakeapi.rules import check_html
from rendering.text import Html, plain, render, utf16_len
from services import delivery, outbox
from storage.models import Agency, Chat, Member, Outbox, OutboxStatus, Role, SnapshotDay
from tests.handlers.conftest import ADMIN, GROUP, NOW, TODAY, VIEWER, Bot, add_tasks


async def _register_with_tasks(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    late, soon = TODAY - timedelta(days=9), TODAY + timedelta(days=2)
    await add_tasks(bot, [
        ("T-1", "MOF", late, "open", None),
        ("T-2", "MOF", late, "in_progress", None),
        ("T-3", "HN", late, "open", None),
        ("T-4", "HN", soon, "open", None),
        ("T-5", "MOH", soon, "done", TODAY - timedelta(days=1)),
        ("T-6", "MOH", None, "open", None),
    ])  # fmt: skip


async def _count(bot: Bot, table: type[Outbox] | type[SnapshotDay]) -> int:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_an_admin_previews_the_digest_as_a_photo_then_a_text(bot: Bot) -> None:
    await _register_with_tasks(bot)
    seen = len(bot.api.calls)
    answers = await bot.say("/digest", user_id=ADMIN)
    calls = [c for c in bot.api.calls[seen:] if c.method in ("sendPhoto", "sendMessage")]
    assert [c.method for c in calls] == ["sendPhoto", "sendMessage"]
    photo, message = calls
    assert photo.ok, photo.error
    assert message.ok, message.error
    caption = check_html(str(photo.params["caption"]))
    assert utf16_len(caption) <= 1024
    assert caption.startswith("📊 Bản tin tuần 48/2026 — toàn Ban Chỉ đạo")
    _name, png = photo.files["photo"]
    assert Image.open(io.BytesIO(png)).format == "PNG"
    (text,) = answers
    assert utf16_len(check_html(text)) <= 4096
    shown = plain(text)
    assert "Số liệu tính đến hết ngày 24/11/2026" in shown
    assert "1. MOF Bộ Tài chính: 2 quá hạn; hoàn thành 0/2 (0%)" in shown
    assert "2. HN Thành phố Hà Nội: 1 quá hạn" in shown
    assert "Đến hạn trong tuần (từ 25/11/2026 đến 29/11/2026): 1 nhiệm vụ" in shown
    assert "Chưa có đầu mối (2 cơ quan có nhiệm vụ đang thực hiện): HN, MOF." in shown
    assert plain(render("vi", "digest-preview-note")) in shown
    assert "thứ Hai hằng tuần lúc 08:00" in shown
    # A preview records nothing: no outbox row, no snapshot.
    assert await _count(bot, Outbox) == 0
    assert await _count(bot, SnapshotDay) == 0


async def _refused_nudge(bot: Bot, user_id: int, day: str) -> None:
    """A private nudge the sender gave up on: Telegram answered 403."""
    key = f"nudge:{user_id}:{day}"
    async with bot.app.bot_data.deps.sessions.begin() as session:
        await outbox.enqueue(session, key=key, chat_id=user_id, text=Html("…"), now=NOW)
        (row,) = await delivery.claim(session, now=NOW, lease=timedelta(minutes=2), limit=1)
        error = "Forbidden: bot was blocked by the user"
        await delivery.give_up(session, row_id=row.id, status=OutboxStatus.BLOCKED, error=error)


async def test_the_digest_names_agencies_whose_lead_blocked_the_bot(bot: Bot) -> None:
    await _register_with_tasks(bot)
    lead = 1004
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=lead, role=Role.LEAD.value, agency_id=mof, name="Lan"))
    line = "🚫 Đầu mối không nhận được lời nhắc (1 cơ quan có nhiệm vụ đang thực hiện mà"
    (text,) = await bot.say("/digest", user_id=ADMIN)
    assert "Chưa có đầu mối (1 cơ quan có nhiệm vụ đang thực hiện): HN." in plain(text)
    assert line not in plain(text)  # never refused yet
    await _refused_nudge(bot, lead, "2026-11-24")
    (text,) = await bot.say("/digest", user_id=ADMIN)
    assert utf16_len(check_html(text)) <= 4096
    shown = plain(text)
    assert line in shown
    assert "chưa mở trò chuyện riêng với bot hoặc đã chặn bot): MOF. Đầu mối vui lòng" in shown
    assert shown.index(line) < shown.index(plain(render("vi", "digest-preview-note")))


async def test_the_digest_is_for_admins(bot: Bot) -> None:
    await _register_with_tasks(bot)
    seen = len(bot.api.calls)
    answers = await bot.say("/digest", user_id=VIEWER)
    assert answers == [render("vi", "admin-only")]
    assert not [c for c in bot.api.calls[seen:] if c.method == "sendPhoto"]


async def test_in_a_private_chat_the_committees_digest_and_where_schedules_live(bot: Bot) -> None:
    await _register_with_tasks(bot)
    (text,) = await bot.say("/digest", chat_id=ADMIN, user_id=ADMIN)
    assert "toàn Ban Chỉ đạo" in text
    assert plain(render("vi", "digest-schedule-private")) in plain(text)
    assert await bot.say("/digest t3 09:00", chat_id=ADMIN, user_id=ADMIN) == [
        render("vi", "digest-group-only")
    ]


async def test_a_group_sets_its_day_and_time_or_turns_it_off(bot: Bot) -> None:
    await _register_with_tasks(bot)
    assert await bot.say("/digest thứ 3 9h30", user_id=ADMIN) == [
        render("vi", "digest-set", day=render("vi", "digest-weekday-2"), time="09:30")
    ]
    async with bot.app.bot_data.deps.sessions.begin() as session:
        chat = await session.get(Chat, GROUP)
        assert chat is not None
        assert (chat.digest_day, chat.digest_minute) == (2, 9 * 60 + 30)
    (preview,) = await bot.say("/digest", user_id=ADMIN)
    assert "thứ Ba hằng tuần lúc 09:30" in preview
    assert await bot.say("/digest off", user_id=ADMIN) == [render("vi", "digest-turned-off")]
    (preview,) = await bot.say("/digest", user_id=ADMIN)
    assert plain(render("vi", "digest-schedule-off")) in plain(preview)
    assert await bot.say("/digest on", user_id=ADMIN) == [
        render("vi", "digest-set", day=render("vi", "digest-weekday-1"), time="08:00")
    ]
    for wrong in ("/digest t7 09:00", "/digest t2 25:00", "/digest sometime"):
        assert await bot.say(wrong, user_id=ADMIN) == [render("vi", "digest-usage")]


async def test_an_empty_register_previews_without_a_chart(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    seen = len(bot.api.calls)
    (text,) = await bot.say("/digest", user_id=ADMIN)
    assert not [c for c in bot.api.calls[seen:] if c.method == "sendPhoto"]
    assert render("vi", "status-empty") in text
    assert NOW.date() == TODAY - timedelta(days=0)  # the clock the texts above assume
