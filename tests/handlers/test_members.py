"""/members, /revoke and /promote through the real Application."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from fakeapi import updates
from storage.models import Agency, Member, Role
from tests.handlers.conftest import ADMIN, GROUP, VIEWER, Bot
from tests.handlers.test_invites import LEAD, LINK, OTHER, invite, member_of, open_link


async def test_members_lists_leads_per_agency_with_names_escaped(bot: Bot) -> None:
    token = await invite(bot, "MOF")
    evil = updates.command(f"/start {token}", chat_id=LEAD, user_id=LEAD)
    evil["message"]["from"]["first_name"] = "<b>Trần</b> & Co"
    await bot.send(evil)
    await open_link(bot, await invite(bot, "HN"), OTHER)
    listing = await bot.say("/members", chat_id=ADMIN, user_id=ADMIN)
    assert listing == [listing[0]]
    text = listing[0]
    assert "2 người; 2/56 cơ quan đã có đầu mối" in text
    assert "&lt;b&gt;Trần&lt;/b&gt; &amp; Co — ID <code>2001</code>, từ ngày 25/11/2026" in text
    assert text.index("(MOF)") < text.index("2001") < text.index("(HN)") < text.index("2002")
    assert f"ID <code>{ADMIN}</code> (khai báo trong DONDOC_ADMINS)" in text
    one = await bot.say("/members Hà Nội", chat_id=ADMIN, user_id=ADMIN)
    assert "User 2002" in one[0]
    assert "2001" not in one[0]
    none = await bot.say("/members Bộ Y tế", chat_id=ADMIN, user_id=ADMIN)
    assert "chưa có đầu mối" in none[0]
    assert "/invite MOH" in none[0]


async def test_members_are_not_listed_to_a_whole_group(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await open_link(bot, await invite(bot, "MOF"), LEAD)
    [answer] = await bot.say("/members", user_id=ADMIN)
    assert "cuộc trò chuyện riêng" in answer
    assert str(LEAD) not in answer


async def test_a_long_member_list_is_cut_with_a_count(bot: Bot) -> None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ids = (await session.scalars(select(Agency.id).order_by(Agency.id))).all()
        session.add_all(
            Member(user_id=10_000 + n, role=Role.LEAD.value, agency_id=ids[n % 56], name="Ng" * 20)
            for n in range(400)
        )
    listing = await bot.say("/members", chat_id=ADMIN, user_id=ADMIN)
    assert listing == [listing[0]]
    assert len(listing[0]) <= 4096
    shown = listing[0].count("— ID <code>1")
    found = re.search(r"… và (\d+) người khác", listing[0])
    assert found is not None
    assert shown + int(found[1]) == 400 + 1  # every lead, and the admin, shown or counted


def _reply(text: str, *, user_id: int, to_user: int, chat_id: int = GROUP) -> dict[str, Any]:
    """`text` sent by `user_id` as a reply to a message `to_user` wrote."""
    update = updates.command(text, chat_id=chat_id, user_id=user_id)
    update["message"]["reply_to_message"] = updates.message(
        "xin chào", chat_id=chat_id, user_id=to_user
    )
    return update


async def test_revoke_asks_then_removes_a_lead(bot: Bot) -> None:
    await open_link(bot, await invite(bot), LEAD)
    asked = await bot.say(f"/revoke {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert (
        "Thu hồi quyền của User 2001 (ID <code>2001</code>, đầu mối của Bộ Tài chính)?" in asked[0]
    )
    assert await member_of(bot, LEAD) is not None
    seen = len(bot.api.calls)
    done = await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã thu hồi quyền của User 2001" in done[0]
    assert await member_of(bot, LEAD) is None
    assert "chưa được cấp quyền" in (await bot.say("/status", chat_id=LEAD, user_id=LEAD))[0]
    seen = len(bot.api.calls)
    await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    [alert] = bot.callback_answers(seen)
    assert "đã được xử lý" in str(alert.params.get("text"))


async def test_revoke_by_reply_in_a_group_and_cancel(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await open_link(bot, await invite(bot), LEAD)
    asked = await bot.send(_reply("/revoke", user_id=ADMIN, to_user=LEAD))
    assert "Thu hồi quyền của User 2001" in asked[0]
    cancelled = await bot.press("Hủy", user_id=ADMIN)
    assert "Đã hủy; quyền của User 2001" in cancelled[0]
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)
    not_admin = await bot.say("/revoke 2001", user_id=VIEWER)
    assert "chỉ dành cho quản trị viên" in not_admin[0]


async def test_revoke_in_a_forum_topic_does_not_aim_at_the_topic_creator(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await open_link(bot, await invite(bot), LEAD)
    in_topic = _reply("/revoke", user_id=ADMIN, to_user=LEAD)  # LEAD opened the topic
    in_topic["message"]["is_topic_message"] = True
    in_topic["message"]["message_thread_id"] = 7
    in_topic["message"]["reply_to_message"]["forum_topic_created"] = {
        "name": "Báo cáo",
        "icon_color": 7322096,
    }
    answer = await bot.send(in_topic)
    assert "Cách dùng: /revoke" in answer[0]
    assert "Thu hồi quyền" not in answer[0]


async def test_revoke_and_promote_refusals_are_clear(bot: Bot) -> None:
    async def ask(text: str) -> str:
        return (await bot.say(text, chat_id=ADMIN, user_id=ADMIN))[0]

    assert "Cách dùng: /revoke" in await ask("/revoke")
    assert "Cách dùng: /promote" in await ask("/promote Nguyễn")
    assert "chính mình" in await ask(f"/revoke {ADMIN}")
    assert "chưa là thành viên" in await ask("/promote 424242")
    bot_reply = _reply("/revoke", user_id=ADMIN, to_user=1, chat_id=ADMIN)
    bot_reply["message"]["reply_to_message"]["from"] = {"id": 1, "is_bot": True, "first_name": "b"}
    assert "tin nhắn của bot" in (await bot.send(bot_reply))[0]
    # Sent as the group (an anonymous admin) or a channel: Telegram's stand-in is a bot.
    anonymous = _reply("/revoke", user_id=ADMIN, to_user=1, chat_id=ADMIN)
    anonymous["message"]["reply_to_message"]["from"] = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
    }
    anonymous["message"]["reply_to_message"]["sender_chat"] = {"id": GROUP, "type": "supergroup"}
    assert "danh nghĩa một kênh hoặc một nhóm" in (await bot.send(anonymous))[0]


async def test_promote_makes_a_lead_an_admin_after_confirming(bot: Bot) -> None:
    await open_link(bot, await invite(bot), LEAD)
    asked = await bot.say(f"/promote {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert (
        "Chuyển User 2001 (ID <code>2001</code>, đầu mối của Bộ Tài chính) thành quản trị viên?"
        in asked[0]
    )
    assert "thôi làm đầu mối của Bộ Tài chính" in asked[0]
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)
    done = await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    assert "đã trở thành quản trị viên" in done[0]
    assert await member_of(bot, LEAD) == ("admin", None, ADMIN)
    assert LINK.search((await bot.say("/invite HN", chat_id=LEAD, user_id=LEAD))[-1])
    again = await bot.say(f"/promote {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert "đã là quản trị viên" in again[0]


async def test_a_confirm_for_a_member_who_changed_meanwhile_does_nothing(bot: Bot) -> None:
    await open_link(bot, await invite(bot, "MOF"), LEAD)
    await bot.say(f"/revoke {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    markup = bot.last_markup()
    token = await invite(bot, "HN")
    await open_link(bot, token, LEAD)
    await bot.press("Chuyển sang HN", user_id=LEAD, chat_id=LEAD)
    confirm = markup[0][0]["callback_data"]
    answers = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "đã thay đổi trong lúc chờ xác nhận" in answers[0]
    assert await member_of(bot, LEAD) == ("lead", "HN", ADMIN)
