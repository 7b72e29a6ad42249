"""Who gets answers: registered groups, known users, admins; everyone else a polite no."""

from __future__ import annotations

from fakeapi import updates
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
