"""/outbox through the real Application: admins see what was not delivered, page by page."""

from __future__ import annotations

from datetime import timedelta

from rendering.text import Html, plain, utf16_len
from services import delivery, outbox
from storage.models import OutboxStatus
from tests.handlers.conftest import ADMIN, NOW, VIEWER, Bot


async def _undelivered(bot: Bot, count: int) -> None:
    """`count` rows: every third blocked, the rest failed with an error full of markup."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        for n in range(count):
            key = f"nudge:{2000 + n}:2026-11-25"
            at = NOW + timedelta(minutes=n)
            await outbox.enqueue(session, key=key, chat_id=2000 + n, text=Html("x"), now=at)
            row = (await delivery.claim(session, now=at, lease=timedelta(minutes=2), limit=1))[0]
            status = OutboxStatus.BLOCKED if n % 3 == 0 else OutboxStatus.FAILED
            error = f"BadRequest: can't parse entities: <b> & {'x' * 400}"
            await delivery.give_up(session, row_id=row.id, status=status, error=error)
        await outbox.enqueue(session, key="sent:1", chat_id=1, text=Html("ok"), now=NOW)


async def test_admins_see_failed_and_blocked_messages_newest_first(bot: Bot) -> None:
    await _undelivered(bot, 20)
    [first] = await bot.say("/outbox", chat_id=ADMIN, user_id=ADMIN)
    assert "Tin nhắn chưa gửi được</b>: 20 tin" in first
    assert first.index("nudge:2019:") < first.index("nudge:2018:")  # newest first
    assert "nudge:2011:" not in first  # 8 a page
    assert "sent:1" not in first  # delivered and pending ones are not listed
    assert "Lỗi: BadRequest: can't parse entities: &lt;b&gt; &amp; xxx" in first  # escaped
    entries = first.split("\n\n")
    blocked = next(e for e in entries if "nudge:2018:" in e)
    failed = next(e for e in entries if "nudge:2019:" in e)
    assert "bị chặn (người nhận đã chặn bot" in blocked
    assert "— gửi lỗi" in failed
    assert "tạo lúc 09:19 ngày 25/11/2026" in plain(first)  # committee time
    assert "Trang 1/3" in first
    assert utf16_len(plain(first)) <= 4096
    labels = [b["text"] for row in bot.last_markup() for b in row]
    assert labels == ["Trang sau ▶"]
    [second] = await bot.press("Trang sau", user_id=ADMIN, chat_id=ADMIN)
    assert "Trang 2/3" in second
    assert "nudge:2011:" in second
    assert "nudge:2019:" not in second


async def test_nothing_undelivered_says_so(bot: Bot) -> None:
    [answer] = await bot.say("/outbox", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert answer == "Every queued message was delivered: none failed or was blocked."


async def test_the_list_is_for_a_private_chat(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await _undelivered(bot, 2)
    [answer] = await bot.say("/outbox", user_id=ADMIN)
    assert "cuộc trò chuyện riêng" in answer
    assert "2001" not in answer


async def test_others_are_refused(bot: Bot) -> None:
    await _undelivered(bot, 2)
    [answer] = await bot.say("/outbox", chat_id=VIEWER, user_id=VIEWER)
    assert "2001" not in answer
