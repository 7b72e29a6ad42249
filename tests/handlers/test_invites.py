"""/invite, its link opened by newcomers, leads and admins, through the real Application."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fakeapi import updates
from storage.models import Agency, Member
from tests.handlers.conftest import ADMIN, GROUP, NOW, STRANGER, Bot, add_tasks, running

LINK = re.compile(r"https://t\.me/dondoc_bot\?start=([A-Za-z0-9_-]{16})")
LEAD, OTHER = 2001, 2002


async def invite(bot: Bot, agency: str = "MOF") -> str:
    """An admin's /invite in private; the token of the link it answers with."""
    answers = await bot.say(f"/invite {agency}", chat_id=ADMIN, user_id=ADMIN)
    found = LINK.search(answers[-1])
    assert found is not None, answers
    return found[1]


async def open_link(bot: Bot, token: str, user_id: int, **extra: Any) -> list[str]:
    """The user opens the link: Telegram sends /start <token> in their private chat."""
    return await bot.say(f"/start {token}", chat_id=user_id, user_id=user_id, **extra)


async def member_of(bot: Bot, user_id: int) -> tuple[str, str | None, int | None] | None:
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
    assert await member_of(bot, STRANGER) is None
    welcome = await open_link(bot, token[1], STRANGER)
    assert len(welcome) == 2  # the newcomer's greeting, then a word to the admin
    assert "đã là đầu mối của <b>Bộ Tài chính</b> (MOF)" in welcome[0]
    told = [c.params for c in bot.api.calls if c.method == "sendMessage"][-1]
    assert told["chat_id"] == ADMIN
    assert told["text"] == welcome[1]
    assert "User 1003 (ID <code>1003</code>) đã nhận lời mời và là đầu mối của" in welcome[1]
    for command in ("/status MOF", "/overdue MOF", "/task"):
        assert command in welcome[0]
    assert await member_of(bot, STRANGER) == ("lead", "MOF", ADMIN)
    report = await bot.say("/status MOF", chat_id=STRANGER, user_id=STRANGER)
    assert "Bộ Tài chính" in report[0]
    assert "chưa được cấp quyền" not in report[0]


async def test_the_invitee_is_greeted_in_their_own_language(bot: Bot) -> None:
    await bot.say("/language en", chat_id=ADMIN, user_id=ADMIN)  # the admin reads English
    token = await invite(bot, "MOF")
    welcome = await open_link(bot, token, STRANGER, lang="vi")
    assert "Anh/chị đã là đầu mối của <b>Bộ Tài chính</b> (MOF)" in welcome[0]
    assert "accepted the invite and is now a focal point of <b>Ministry" in welcome[1]
    english = await open_link(bot, await invite(bot, "HN"), OTHER, lang="en")
    assert "You are now a focal point of <b>Hanoi</b> (HN)" in english[0]


async def test_an_admin_the_bot_cannot_reach_does_not_stop_a_lead_joining(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await invite(bot, "MOF")
    real = bot.api.handle

    def admin_gone(method: str, params: dict[str, Any], uploads: Any) -> Any:
        if method == "sendMessage" and int(params["chat_id"]) == ADMIN:
            # Gone for good (a deleted account): an error the error handler would apologise for.
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: chat not found",
            }
        return real(method, params, uploads)

    monkeypatch.setattr(bot.api, "handle", admin_gone)
    welcome = await open_link(bot, token, STRANGER)
    assert "đã là đầu mối của <b>Bộ Tài chính</b>" in welcome[0]
    assert not any("đã có lỗi" in text for text in welcome)
    assert await member_of(bot, STRANGER) == ("lead", "MOF", ADMIN)


async def test_a_used_link_is_refused_and_its_lead_told_they_are_one(bot: Bot) -> None:
    token = await invite(bot)
    await open_link(bot, token, LEAD)
    second = await open_link(bot, token, OTHER)
    assert "đã được sử dụng" in second[0]
    assert await member_of(bot, OTHER) is None
    again = await open_link(bot, token, LEAD)
    assert "đã là đầu mối của <b>Bộ Tài chính</b>" in again[0]


async def test_an_expired_link_is_refused_with_its_date(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    async with running(database) as before:
        token = await invite(before)
    async with running(database, now=NOW + timedelta(days=7, seconds=1)) as after:
        answers = await open_link(after, token, STRANGER)
        assert "đã hết hạn (hiệu lực đến 09:00 ngày 02/12/2026)" in answers[0]
        assert await member_of(after, STRANGER) is None


async def test_a_forged_link_is_refused(bot: Bot) -> None:
    real = await invite(bot)
    forged = ("A" if real[0] != "A" else "B") + real[1:]
    answers = await open_link(bot, forged, STRANGER)
    assert "không hợp lệ hoặc đã hết hạn" in answers[0]
    assert await member_of(bot, STRANGER) is None
    assert "đã là đầu mối" in (await open_link(bot, real, STRANGER))[0]  # the real one still works


async def test_an_admin_opening_an_invite_stays_admin_and_leaves_it_valid(bot: Bot) -> None:
    token = await invite(bot)
    answers = await open_link(bot, token, ADMIN)
    assert "vẫn giữ quyền quản trị" in answers[0]
    assert "chưa được sử dụng" in answers[0]
    assert await member_of(bot, ADMIN) is None
    assert "đã là đầu mối" in (await open_link(bot, token, STRANGER))[0]


async def test_a_lead_of_another_agency_moves_only_when_they_confirm(bot: Bot) -> None:
    await open_link(bot, await invite(bot, "MOF"), LEAD)
    token = await invite(bot, "Hà Nội")
    asked = await open_link(bot, token, LEAD)
    assert "đang là đầu mối của <b>Bộ Tài chính</b> (MOF)" in asked[0]
    assert "thôi làm đầu mối của Bộ Tài chính" in asked[0]
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)
    kept = await bot.press("Giữ MOF", user_id=LEAD, chat_id=LEAD)
    assert "vẫn là đầu mối của <b>Bộ Tài chính</b>" in kept[0]
    assert "trước 09:00 ngày 02/12/2026" in kept[0]
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)
    await open_link(bot, token, LEAD)
    moved = await bot.press("Chuyển sang HN", user_id=LEAD, chat_id=LEAD)
    assert "đã là đầu mối của <b>Thành phố Hà Nội</b> (HN)" in moved[0]
    assert "không còn là đầu mối của Bộ Tài chính (MOF)" in moved[0]
    assert await member_of(bot, LEAD) == ("lead", "HN", ADMIN)


async def test_keep_pressed_after_being_revoked_does_not_join(bot: Bot) -> None:
    await open_link(bot, await invite(bot, "MOF"), LEAD)
    await open_link(bot, await invite(bot, "Hà Nội"), LEAD)  # asks: move or keep MOF
    async with bot.app.bot_data.deps.sessions.begin() as session:  # revoked meanwhile
        await session.delete(await session.get(Member, LEAD))
    kept = await bot.press("Giữ MOF", user_id=LEAD, chat_id=LEAD)
    assert "Không có gì thay đổi" in kept[0]
    assert await member_of(bot, LEAD) is None  # "keep" never makes them a lead of HN


async def test_a_move_button_pressed_in_a_group_moves_nobody(bot: Bot) -> None:
    await open_link(bot, await invite(bot, "MOF"), LEAD)
    await open_link(bot, await invite(bot, "Hà Nội"), LEAD)  # asks: move or keep MOF
    [data] = [b["callback_data"] for b in bot.last_markup()[0] if "HN" in b["text"]]
    pressed = await bot.send(updates.callback(data, chat_id=GROUP, user_id=OTHER))  # forwarded
    assert "trò chuyện riêng" in pressed[0]
    assert await member_of(bot, OTHER) is None
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)


async def test_only_admins_manage_members(bot: Bot) -> None:
    await open_link(bot, await invite(bot), LEAD)
    for command in ("/invite MOF", "/members", f"/revoke {LEAD}", f"/promote {LEAD}"):
        answers = await bot.say(command, chat_id=LEAD, user_id=LEAD)
        assert answers == ["Lệnh này chỉ dành cho quản trị viên của Ban Chỉ đạo."], command
        stranger = await bot.say(command, chat_id=STRANGER, user_id=STRANGER)
        assert "chưa được cấp quyền" in stranger[0], command
    assert await member_of(bot, LEAD) == ("lead", "MOF", ADMIN)


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
    token = await invite(bot)
    answers = await bot.say(f"/start {token}", user_id=STRANGER)
    assert "trong cuộc trò chuyện riêng" in answers[0]
    assert "đã là đầu mối" in (await open_link(bot, token, STRANGER))[0]
