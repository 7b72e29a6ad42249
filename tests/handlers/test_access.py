"""Who gets answers: registered groups, known users, admins; everyone else a polite no."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

import storage.db
from bot.context import Context
from fakeapi import updates
from storage.db import Sessions, recorded
from storage.models import Member, Role
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, VIEWER, Bot


async def test_unregistered_group_gets_one_explanation_and_no_data(bot: Bot) -> None:
    answers = await bot.say("/status")
    assert len(answers) == 1
    assert "chưa được đăng ký" in answers[0]
    assert "Tổng số" not in answers[0]


async def test_unknown_user_in_private_is_refused_politely(bot: Bot) -> None:
    answers = await bot.say("/status MOF", chat_id=STRANGER, user_id=STRANGER, lang="en")
    assert answers == [answers[0]]
    assert "not authorised" in answers[0]


async def test_admin_registers_a_group_then_members_get_reports(bot: Bot) -> None:
    assert "chưa được đăng ký" in (await bot.say("/register"))[0]
    assert "Đã đăng ký nhóm" in (await bot.say("/register", user_id=ADMIN))[0]
    assert "đã được đăng ký" in (await bot.say("/register", user_id=ADMIN))[0]
    assert "Tổng hợp tình hình thực hiện nhiệm vụ" in (await bot.say("/status"))[0]


async def test_register_in_private_explains_where_to_send_it(bot: Bot) -> None:
    answers = await bot.say("/register", chat_id=ADMIN, user_id=ADMIN)
    assert "trong nhóm" in answers[0]


async def test_admin_in_private_gets_reports_in_their_language(bot: Bot) -> None:
    answers = await bot.say("/status", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert "Task progress summary" in answers[0]


async def test_command_addressed_to_the_bot_by_name_works(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    assert "Tổng hợp tình hình thực hiện nhiệm vụ" in (await bot.say("/status@dondoc_bot"))[0]


async def test_group_language_setting_wins_over_user_language(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    assert "chỉ dành cho quản trị viên" in (await bot.say("/language en"))[0]
    assert "English" in (await bot.say("/language en", user_id=ADMIN))[0]
    assert "Task progress summary" in (await bot.say("/status", lang="vi"))[0]
    assert "Usage" in (await bot.say("/language fr", user_id=ADMIN))[0]


async def test_edited_forwarded_and_channel_messages_are_ignored(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    original = updates.command("/status", chat_id=GROUP, user_id=VIEWER)
    assert await bot.send(updates.edited(original)) == []
    assert await bot.send(updates.forwarded(original, user_id=VIEWER)) == []
    assert await bot.send(updates.channel_post("/status")) == []


async def test_group_upgraded_to_supergroup_keeps_its_registration(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    new_id = -1009999
    migrate = updates.text_message("", chat_id=GROUP, user_id=ADMIN)
    del migrate["message"]["text"]
    migrate["message"]["migrate_to_chat_id"] = new_id
    await bot.send(migrate)
    assert "Tổng hợp tình hình thực hiện nhiệm vụ" in (await bot.say("/status", chat_id=new_id))[0]
    assert "chưa được đăng ký" in (await bot.say("/status", chat_id=GROUP))[0]


async def test_unknown_command_in_private_shows_help(bot: Bot) -> None:
    answers = await bot.say("/nonsense", chat_id=ADMIN, user_id=ADMIN)
    assert "Các lệnh của dondoc" in answers[0]


async def test_an_unregistered_group_sees_no_data_even_when_an_admin_asks(bot: Bot) -> None:
    for command in ("/status", "/overdue", "/language en", "/agencies"):
        answers = await bot.say(command, user_id=ADMIN)
        assert answers == [answers[0]]
        assert "chưa được đăng ký" in answers[0], command


async def test_a_reply_telegram_rejects_ends_in_an_apology(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    bot.api.fail_next("sendMessage", status=400, description="Bad Request: can't parse entities")
    answers = await bot.say("/status")
    assert "đã có lỗi" in answers[-1]


async def test_start_with_a_link_answers_even_an_unknown_user(bot: Bot) -> None:
    for payload in ("inv_4f2a9c", "x" * 64):  # well-formed, but no such link
        answers = await bot.say(f"/start {payload}", chat_id=STRANGER, user_id=STRANGER)
        assert answers == [answers[0]]
        assert "không hợp lệ hoặc đã hết hạn" in answers[0]
    for payload in ("../../etc", "x" * 65, "a b", "<b>"):  # malformed
        answers = await bot.say(f"/start {payload}", chat_id=STRANGER, user_id=STRANGER)
        assert "không hợp lệ hoặc đã hết hạn" in answers[0], payload
    english = await bot.say("/start zzz", chat_id=STRANGER, user_id=STRANGER, lang="en")
    assert "not valid or has expired" in english[0]


async def test_start_without_a_link_still_refuses_an_unknown_user(bot: Bot) -> None:
    assert (
        "chưa được cấp quyền" in (await bot.say("/start", chat_id=STRANGER, user_id=STRANGER))[0]
    )
    assert "dondoc" in (await bot.say("/start", chat_id=ADMIN, user_id=ADMIN))[0]


async def _add_member(bot: Bot, user_id: int, role: Role, **columns: Any) -> None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        session.add(Member(user_id=user_id, role=role.value, **columns))


async def _stored_code(bot: Bot, user_id: int) -> str | None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        member = await session.get(Member, user_id)
        assert member is not None
        return member.telegram_language


def _engine(bot: Bot) -> AsyncEngine:
    engine: AsyncEngine = bot.app.bot_data.deps.sessions.kw["bind"]
    return engine


async def test_a_members_telegram_language_is_stored_once_and_then_used(bot: Bot) -> None:
    member = 2001
    await _add_member(bot, member, Role.VIEWER)
    with recorded(_engine(bot)) as statements:
        answers = await bot.say("/status", chat_id=member, user_id=member, lang="en")
        assert "Task progress summary" in answers[0]
        assert await _stored_code(bot, member) == "en"
        assert any(s.startswith("UPDATE member") for s in statements)
        statements.clear()
        await bot.say("/help", chat_id=member, user_id=member, lang="en")
        assert statements == [statements[0]]  # one read, no write: nothing changed
    # An update without language_code (Telegram may omit it): the stored one answers.
    answers = await bot.say("/help", chat_id=member, user_id=member, lang=None)
    assert "dondoc commands" in answers[0]
    await bot.say("/help", chat_id=member, user_id=member, lang="vi")
    assert await _stored_code(bot, member) == "vi"


async def test_the_members_own_setting_wins_over_telegrams_in_private(bot: Bot) -> None:
    member = 2002
    await _add_member(bot, member, Role.LEAD, language="en", telegram_language="vi")
    answers = await bot.say("/help", chat_id=member, user_id=member, lang="vi")
    assert "dondoc commands" in answers[0]


async def test_resolving_the_caller_is_one_statement_per_update(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    await bot.say("/help")
    with recorded(_engine(bot)) as statements:
        await bot.say("/help")
    assert len(statements) == 1
    assert "FROM (SELECT" in statements[0]
    assert "member" in statements[0]
    assert "chat" in statements[0]


async def test_a_command_for_another_bot_is_ignored_in_groups_and_private(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    seen = len(bot.api.calls)
    assert await bot.say("/status@otherbot") == []
    assert await bot.say("/nonsense@otherbot", chat_id=ADMIN, user_id=ADMIN) == []
    assert await bot.say("/help@otherbot", chat_id=ADMIN, user_id=ADMIN) == []
    assert bot.api.calls[seen:] == []
    ours = await bot.say("/nonsense@dondoc_bot", chat_id=ADMIN, user_id=ADMIN)
    assert "Các lệnh của dondoc" in ours[0]


async def test_reports_read_one_snapshot(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = storage.db.snapshot

    def spy(sessions: Sessions) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        opened.append("snapshot")
        return real(sessions)

    monkeypatch.setattr("handlers.common.snapshot", spy)
    await bot.say("/register", user_id=ADMIN)
    assert opened == []  # a write: an ordinary transaction
    for command in ("/status", "/status MOF", "/overdue", "/due", "/task X", "/lagging"):
        opened.clear()
        await bot.say(command)
        assert opened == ["snapshot"], command


async def test_a_telegram_call_inside_a_transaction_is_caught(bot: Bot) -> None:
    async def leaky(update: Update, context: Context) -> None:
        async with context.deps.sessions.begin() as session:
            await session.execute(text("SELECT 1"))
            assert update.effective_chat is not None
            await context.bot.send_message(update.effective_chat.id, "from inside")

    bot.app.add_handler(CommandHandler("leak", leaky), group=-1)
    await bot.say("/leak", chat_id=ADMIN, user_id=ADMIN)
    assert bot.api.violations == ["sendMessage with 1 database connection(s) checked out"]
    bot.api.violations.clear()  # seen: the fixture's own check would fail the test
