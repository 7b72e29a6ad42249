"""/invite and its link, /members, /revoke, /promote through the real Application."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fakeapi import updates
from storage.models import Agency, Member, Role
from tests.handlers.conftest import ADMIN, GROUP, NOW, STRANGER, VIEWER, Bot, add_tasks, running

LINK = re.compile(r"https://t\.me/dondoc_bot\?start=([A-Za-z0-9_-]{16})")
LEAD, OTHER = 2001, 2002


async def _invite(bot: Bot, agency: str = "MOF") -> str:
    """An admin's /invite in private; the token of the link it answers with."""
    answers = await bot.say(f"/invite {agency}", chat_id=ADMIN, user_id=ADMIN)
    found = LINK.search(answers[-1])
    assert found is not None, answers
    return found[1]


async def _open(bot: Bot, token: str, user_id: int, **extra: Any) -> list[str]:
    """The user opens the link: Telegram sends /start <token> in their private chat."""
    return await bot.say(f"/start {token}", chat_id=user_id, user_id=user_id, **extra)


async def _member(bot: Bot, user_id: int) -> tuple[str, str | None, int | None] | None:
    """(role, agency code, invited_by) of a member, None for nobody."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        member = await session.get(Member, user_id)
        if member is None:
            return None
        code = await session.scalar(select(Agency.code).where(Agency.id == member.agency_id))
        return member.role, code, member.invited_by


async def test_an_invite_names_the_agency_and_expiry_and_makes_its_opener_a_lead(
    bot: Bot,
) -> None:
    answers = await bot.say("/invite Bộ Tài chính", chat_id=ADMIN, user_id=ADMIN)
    assert len(answers) == 2  # what was made, then the message to forward
    assert "<b>Bộ Tài chính</b> (MOF)" in answers[0]
    assert "đến 09:00 ngày 02/12/2026" in answers[0]  # NOW + 7 days, in Hanoi
    assert "chuyển tiếp tin nhắn dưới đây" in answers[0]
    assert "đầu mối của <b>Bộ Tài chính</b>" in answers[1]
    token = LINK.search(answers[1])
    assert token is not None
    assert await _member(bot, STRANGER) is None
    welcome = await _open(bot, token[1], STRANGER)
    assert welcome == [welcome[0]]
    assert "đã là đầu mối của <b>Bộ Tài chính</b> (MOF)" in welcome[0]
    for command in ("/status MOF", "/overdue MOF", "/task"):
        assert command in welcome[0]
    assert await _member(bot, STRANGER) == ("lead", "MOF", ADMIN)
    report = await bot.say("/status MOF", chat_id=STRANGER, user_id=STRANGER)
    assert "Bộ Tài chính" in report[0]
    assert "chưa được cấp quyền" not in report[0]


async def test_the_invitee_is_greeted_in_their_own_language(bot: Bot) -> None:
    token = await _invite(bot, "MOF")
    welcome = await _open(bot, token, STRANGER, lang="en")
    assert "You are now a focal point of <b>Ministry of Finance</b> (MOF)" in welcome[0]


async def test_a_used_link_is_refused_and_its_lead_told_they_are_one(bot: Bot) -> None:
    token = await _invite(bot)
    await _open(bot, token, LEAD)
    second = await _open(bot, token, OTHER)
    assert "đã được sử dụng" in second[0]
    assert await _member(bot, OTHER) is None
    again = await _open(bot, token, LEAD)
    assert "đã là đầu mối của <b>Bộ Tài chính</b>" in again[0]


async def test_an_expired_link_is_refused_with_its_date(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    async with running(database) as before:
        token = await _invite(before)
    async with running(database, now=NOW + timedelta(days=7, seconds=1)) as after:
        answers = await _open(after, token, STRANGER)
        assert "đã hết hạn (hiệu lực đến 09:00 ngày 02/12/2026)" in answers[0]
        assert await _member(after, STRANGER) is None


async def test_a_forged_link_is_refused(bot: Bot) -> None:
    real = await _invite(bot)
    forged = ("A" if real[0] != "A" else "B") + real[1:]
    answers = await _open(bot, forged, STRANGER)
    assert "không hợp lệ hoặc đã hết hạn" in answers[0]
    assert await _member(bot, STRANGER) is None
    assert "đã là đầu mối" in (await _open(bot, real, STRANGER))[0]  # the real one still works


async def test_an_admin_opening_an_invite_stays_admin_and_leaves_it_valid(bot: Bot) -> None:
    token = await _invite(bot)
    answers = await _open(bot, token, ADMIN)
    assert "vẫn giữ quyền quản trị" in answers[0]
    assert "chưa được sử dụng" in answers[0]
    assert await _member(bot, ADMIN) is None
    assert "đã là đầu mối" in (await _open(bot, token, STRANGER))[0]


async def test_a_lead_of_another_agency_moves_only_when_they_confirm(bot: Bot) -> None:
    await _open(bot, await _invite(bot, "MOF"), LEAD)
    token = await _invite(bot, "Hà Nội")
    asked = await _open(bot, token, LEAD)
    assert "đang là đầu mối của <b>Bộ Tài chính</b> (MOF)" in asked[0]
    assert "thôi làm đầu mối của Bộ Tài chính" in asked[0]
    assert await _member(bot, LEAD) == ("lead", "MOF", ADMIN)
    kept = await bot.press("Giữ MOF", user_id=LEAD, chat_id=LEAD)
    assert "vẫn là đầu mối của <b>Bộ Tài chính</b>" in kept[0]
    assert "trước 09:00 ngày 02/12/2026" in kept[0]
    assert await _member(bot, LEAD) == ("lead", "MOF", ADMIN)
    await _open(bot, token, LEAD)
    moved = await bot.press("Chuyển sang HN", user_id=LEAD, chat_id=LEAD)
    assert "đã là đầu mối của <b>Thành phố Hà Nội</b> (HN)" in moved[0]
    assert "không còn là đầu mối của Bộ Tài chính (MOF)" in moved[0]
    assert await _member(bot, LEAD) == ("lead", "HN", ADMIN)


async def test_only_admins_manage_members(bot: Bot) -> None:
    await _open(bot, await _invite(bot), LEAD)
    for command in ("/invite MOF", "/members", f"/revoke {LEAD}", f"/promote {LEAD}"):
        answers = await bot.say(command, chat_id=LEAD, user_id=LEAD)
        assert answers == ["Lệnh này chỉ dành cho quản trị viên của Ban Chỉ đạo."], command
        stranger = await bot.say(command, chat_id=STRANGER, user_id=STRANGER)
        assert "chưa được cấp quyền" in stranger[0], command
    assert await _member(bot, LEAD) == ("lead", "MOF", ADMIN)


async def test_invite_usage_groups_programs_and_near_names(bot: Bot) -> None:
    assert "Cách dùng: /invite" in (await bot.say("/invite", chat_id=ADMIN, user_id=ADMIN))[0]
    await bot.say("/register", user_id=ADMIN)
    in_group = await bot.say("/invite MOF", user_id=ADMIN)
    assert "cuộc trò chuyện riêng" in in_group[0]
    assert LINK.search(in_group[0]) is None
    await add_tasks(bot, [("P-1", "MOF", None, "open", None)], program="NQ57")
    program = await bot.say("/invite NQ57", chat_id=ADMIN, user_id=ADMIN)
    assert "là chương trình, không phải cơ quan" in program[0]
    near = await bot.say("/invite Quảng", chat_id=ADMIN, user_id=ADMIN)
    assert "Vui lòng chọn cơ quan" in near[0]
    made = await bot.press("Quảng Ninh", user_id=ADMIN, chat_id=ADMIN)
    assert "<b>Tỉnh Quảng Ninh</b>" in made[0]
    assert LINK.search(made[1]) is not None


async def test_a_start_link_typed_in_a_group_is_not_consumed(bot: Bot) -> None:
    token = await _invite(bot)
    answers = await bot.say(f"/start {token}", user_id=STRANGER)
    assert "trong cuộc trò chuyện riêng" in answers[0]
    assert "đã là đầu mối" in (await _open(bot, token, STRANGER))[0]


async def test_members_lists_leads_per_agency_with_names_escaped(bot: Bot) -> None:
    token = await _invite(bot, "MOF")
    evil = updates.command(f"/start {token}", chat_id=LEAD, user_id=LEAD)
    evil["message"]["from"]["first_name"] = "<b>Trần</b> & Co"
    await bot.send(evil)
    await _open(bot, await _invite(bot, "HN"), OTHER)
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
    await _open(bot, await _invite(bot), LEAD)
    asked = await bot.say(f"/revoke {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert (
        "Thu hồi quyền của User 2001 (ID <code>2001</code>, đầu mối của Bộ Tài chính)?" in asked[0]
    )
    assert await _member(bot, LEAD) is not None
    seen = len(bot.api.calls)
    done = await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    assert "Đã thu hồi quyền của User 2001" in done[0]
    assert await _member(bot, LEAD) is None
    assert "chưa được cấp quyền" in (await bot.say("/status", chat_id=LEAD, user_id=LEAD))[0]
    seen = len(bot.api.calls)
    await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    [alert] = bot.callback_answers(seen)
    assert "đã được xử lý" in str(alert.params.get("text"))


async def test_revoke_by_reply_in_a_group_and_cancel(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await _open(bot, await _invite(bot), LEAD)
    asked = await bot.send(_reply("/revoke", user_id=ADMIN, to_user=LEAD))
    assert "Thu hồi quyền của User 2001" in asked[0]
    cancelled = await bot.press("Hủy", user_id=ADMIN)
    assert "Đã hủy; quyền của User 2001" in cancelled[0]
    assert await _member(bot, LEAD) == ("lead", "MOF", ADMIN)
    not_admin = await bot.say("/revoke 2001", user_id=VIEWER)
    assert "chỉ dành cho quản trị viên" in not_admin[0]


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


async def test_promote_makes_a_lead_an_admin_after_confirming(bot: Bot) -> None:
    await _open(bot, await _invite(bot), LEAD)
    asked = await bot.say(f"/promote {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert (
        "Chuyển User 2001 (ID <code>2001</code>, đầu mối của Bộ Tài chính) thành quản trị viên?"
        in asked[0]
    )
    assert "thôi làm đầu mối của Bộ Tài chính" in asked[0]
    assert await _member(bot, LEAD) == ("lead", "MOF", ADMIN)
    done = await bot.press("Xác nhận", user_id=ADMIN, chat_id=ADMIN)
    assert "đã trở thành quản trị viên" in done[0]
    assert await _member(bot, LEAD) == ("admin", None, ADMIN)
    assert LINK.search((await bot.say("/invite HN", chat_id=LEAD, user_id=LEAD))[-1])
    again = await bot.say(f"/promote {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    assert "đã là quản trị viên" in again[0]


async def test_a_confirm_for_a_member_who_changed_meanwhile_does_nothing(bot: Bot) -> None:
    await _open(bot, await _invite(bot, "MOF"), LEAD)
    await bot.say(f"/revoke {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    markup = bot.last_markup()
    token = await _invite(bot, "HN")
    await _open(bot, token, LEAD)
    await bot.press("Chuyển sang HN", user_id=LEAD, chat_id=LEAD)
    confirm = markup[0][0]["callback_data"]
    answers = await bot.send(updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN))
    assert "đã thay đổi trong lúc chờ xác nhận" in answers[0]
    assert await _member(bot, LEAD) == ("lead", "HN", ADMIN)
