"""/settings, /holiday and the nudge's snooze and mute buttons, through the real Application."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from fakeapi import updates
from handlers.nudge_buttons import SettingsPress, SnoozeAsk, open_card_data, snooze_ask_data
from handlers.task_buttons import CardButton, Verb
from jobs import nudges as morning
from services.nudge_settings import load_ladder
from storage.models import Agency, Member, NudgeMute, NudgeSnooze, Outbox, Role
from tests.handlers.conftest import ADMIN, TODAY, Bot, add_tasks

LEAD = 1004
OTHER_LEAD = 1005


async def test_settings_shows_the_defaults_with_buttons(bot: Bot) -> None:
    (answer,) = await bot.say("/settings", chat_id=ADMIN, user_id=ADMIN)
    assert "Nhắc trước hạn: 7, 3, 1 ngày làm việc; vào ngày đến hạn" in answer
    assert "nhắc lại sau mỗi 3 ngày làm việc" in answer
    assert "Sau 2 lần nhắc quá hạn" in answer
    assert "Gửi lúc 08:30" in answer
    assert "không gửi từ 20:00 đến 07:00" in answer
    labels = [b["text"] for row in bot.last_markup() for b in row]
    assert "⏸ Tạm dừng nhắc việc" in labels
    assert "⏰ 09:00" in labels
    assert "⏰ 08:30" not in labels  # the current one
    assert "↺ Mặc định" not in labels  # nothing to reset


async def test_settings_change_in_one_line_and_rearm_the_job(bot: Bot) -> None:
    (answer,) = await bot.say(
        "/settings remind 5,1 overdue 2 escalate 1 time 09:15 quiet 21:00-06:30",
        chat_id=ADMIN,
        user_id=ADMIN,
    )
    assert answer.startswith("✅ Đã lưu.")
    assert "Nhắc trước hạn: 5, 1 ngày làm việc\n" in answer
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ladder = await load_ladder(session)
    assert (ladder.reminders, ladder.overdue_every, ladder.escalate_after) == ((5, 1), 2, 1)
    assert (ladder.send_at, ladder.quiet_from, ladder.quiet_until) == (
        time(9, 15),
        time(21, 0),
        time(6, 30),
    )
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name(morning.JOB_ID)
    # The clock says 09:00 on Wednesday 25 November 2026: next is 09:15 the same day.
    run = job.job.trigger.run_date
    assert (run.date(), run.time()) == (TODAY, time(9, 15))
    assert "↺ Mặc định" in [b["text"] for row in bot.last_markup() for b in row]


async def test_settings_refuses_what_it_cannot_use(bot: Bot) -> None:
    for text, expected in [
        ("/settings time 21:00", "không được nằm trong khoảng giờ không gửi"),
        ("/settings remind 7,x", "cách nhau bởi dấu phẩy"),
        ("/settings overdue 0", "từ 1 đến 30"),
        ("/settings quiet 20:00", "20:00-07:00"),
        ("/settings often", "Không hiểu lệnh"),
    ]:
        (answer,) = await bot.say(text, chat_id=ADMIN, user_id=ADMIN)
        assert expected in answer, text
    async with bot.app.bot_data.deps.sessions.begin() as session:
        assert (await load_ladder(session)).send_at == time(8, 30)


async def test_settings_buttons_pause_resume_and_set_the_time(bot: Bot) -> None:
    await bot.say("/settings", chat_id=ADMIN, user_id=ADMIN)
    (answer,) = await bot.press("Tạm dừng", user_id=ADMIN, chat_id=ADMIN)
    assert "đang tạm dừng" in answer
    assert bot.app.job_queue is not None
    assert bot.app.job_queue.get_jobs_by_name(morning.JOB_ID) == ()
    (answer,) = await bot.press("Tiếp tục", user_id=ADMIN, chat_id=ADMIN)
    assert "đang tạm dừng" not in answer
    (answer,) = await bot.press("09:00", user_id=ADMIN, chat_id=ADMIN)
    assert "Gửi lúc 09:00" in answer
    (answer,) = await bot.press("Mặc định", user_id=ADMIN, chat_id=ADMIN)
    assert "Gửi lúc 08:30" in answer


async def test_settings_and_holiday_are_for_admins(bot: Bot) -> None:
    await _lead(bot)
    for text in ("/settings", "/settings pause", "/holiday", "/holiday add 2026-12-31"):
        (answer,) = await bot.say(text, chat_id=LEAD, user_id=LEAD)
        assert "chỉ dành cho quản trị viên" in answer


async def test_holiday_lists_and_changes_the_days_off(bot: Bot) -> None:
    (answer,) = await bot.say("/holiday", chat_id=ADMIN, user_id=ADMIN)
    assert "Ngày nghỉ từ 25/11/2026 đến 25/11/2027" in answer
    assert "05/02/2027 (Thứ Sáu) — Giao thừa Tết Nguyên Đán" in answer
    assert "03/5/2027 (Thứ Hai) — Ngày Quốc tế Lao động (nghỉ bù)" in answer
    (answer,) = await bot.say("/holiday add 31/12/2026", chat_id=ADMIN, user_id=ADMIN)
    assert answer.startswith("Đã thêm ngày nghỉ 31/12/2026 (Thứ Năm)")
    (answer,) = await bot.say("/holiday add 2026-12-31", chat_id=ADMIN, user_id=ADMIN)
    assert answer == "31/12/2026 (Thứ Năm) đã là ngày nghỉ."
    (answer,) = await bot.say("/holiday remove 2027-02-13", chat_id=ADMIN, user_id=ADMIN)
    assert answer.startswith("13/02/2027 (Thứ Bảy) là ngày làm việc")
    (answer,) = await bot.say("/holiday", chat_id=ADMIN, user_id=ADMIN)
    assert "31/12/2026 (Thứ Năm) — do quản trị viên thêm" in answer
    assert "13/02/2027 (Thứ Bảy) — do quản trị viên thêm" in answer
    # Undone, the change leaves nothing behind.
    await bot.say("/holiday remove 31/12/2026", chat_id=ADMIN, user_id=ADMIN)
    (answer,) = await bot.say("/holiday", chat_id=ADMIN, user_id=ADMIN)
    assert "31/12/2026" not in answer
    (answer,) = await bot.say("/holiday add 31/02/2027", chat_id=ADMIN, user_id=ADMIN)
    assert "Không hiểu ngày" in answer
    (answer,) = await bot.say("/holiday move 2027-01-01", chat_id=ADMIN, user_id=ADMIN)
    assert "/holiday add" in answer


async def _lead(bot: Bot) -> None:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=ids["MOF"], name="Lan"))
        session.add(Member(user_id=OTHER_LEAD, role=Role.LEAD.value, agency_id=ids["MOH"]))


async def _nudge(bot: Bot) -> list[list[list[str]]]:
    """Plan this morning (09:00 on Wednesday 25 November 2026); the lead's keyboard."""
    await _lead(bot)
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY, "open", None),
            ("MOF-3", "MOF", date(2026, 11, 30), "open", None),  # 3 working days ahead
            ("MOF-7", "MOF", date(2026, 12, 4), "open", None),  # 7 ahead
        ],
    )
    deps = bot.app.bot_data.deps
    assert await morning.plan(deps, deps.clock.now()) >= 1
    async with deps.sessions.begin() as session:
        row = await session.scalar(select(Outbox).where(Outbox.chat_id == LEAD))
    assert row is not None
    assert row.keyboard is not None
    return row.keyboard


async def test_snooze_a_task_from_the_nudge(bot: Bot) -> None:
    keyboard = await _nudge(bot)
    assert [row[0][0] for row in keyboard[:-1]] == ["📋 MOF-1", "📋 MOF-3", "📋 MOF-7"]
    seen = len(bot.api.calls)
    snooze_mof7 = keyboard[2][1][1]
    answers = await bot.send(updates.callback(snooze_mof7, chat_id=LEAD, user_id=LEAD))
    assert answers == ["Tạm hoãn nhắc nhiệm vụ <b>MOF-7</b> trong bao lâu?"]
    assert [c.method for c in bot.api.calls[seen:]] == ["answerCallbackQuery", "sendMessage"]
    labels = [b["text"] for row in bot.last_markup() for b in row]
    assert labels == ["1 ngày làm việc", "3 ngày làm việc", "Đến ngày hạn"]
    (answer,) = await bot.press("Đến ngày hạn", user_id=LEAD, chat_id=LEAD)
    assert answer == "💤 Đã tạm hoãn nhắc nhiệm vụ <b>MOF-7</b> đến hết ngày 03/12/2026."
    # Due today: snoozing until the deadline would skip nothing, so it is not offered.
    await bot.send(updates.callback(keyboard[0][1][1], chat_id=LEAD, user_id=LEAD))
    labels = [b["text"] for row in bot.last_markup() for b in row]
    assert labels == ["1 ngày làm việc", "3 ngày làm việc"]
    (answer,) = await bot.press("3 ngày", user_id=LEAD, chat_id=LEAD)
    assert answer == "💤 Đã tạm hoãn nhắc nhiệm vụ <b>MOF-1</b> đến hết ngày 30/11/2026."
    async with bot.app.bot_data.deps.sessions.begin() as session:
        snoozes = (await session.execute(select(NudgeSnooze.until, NudgeSnooze.by_user))).all()
    assert sorted(snoozes) == [(date(2026, 11, 30), LEAD), (date(2026, 12, 3), LEAD)]


async def test_only_the_tasks_agency_may_snooze_it(bot: Bot) -> None:
    keyboard = await _nudge(bot)
    await bot.send(updates.callback(keyboard[1][1][1], chat_id=OTHER_LEAD, user_id=OTHER_LEAD))
    (answer,) = await bot.press("1 ngày", user_id=OTHER_LEAD, chat_id=OTHER_LEAD)
    assert "Chỉ đầu mối của cơ quan chủ trì" in answer
    async with bot.app.bot_data.deps.sessions.begin() as session:
        assert await session.scalar(select(NudgeSnooze.task_id)) is None


async def test_mute_and_unmute_all_nudges(bot: Bot) -> None:
    keyboard = await _nudge(bot)
    answers = await bot.send(updates.callback(keyboard[-1][0][1], chat_id=LEAD, user_id=LEAD))
    assert answers == ["Tạm dừng mọi lời nhắc việc gửi cho anh/chị trong bao lâu?"]
    (answer,) = await bot.press("1 tuần", user_id=LEAD, chat_id=LEAD)
    assert answer.startswith("🔕 Đã tạm dừng lời nhắc việc đến hết ngày 01/12/2026.")
    answers = await bot.send(updates.callback(keyboard[-1][0][1], chat_id=LEAD, user_id=LEAD))
    assert answers == [
        "Lời nhắc việc của anh/chị đang tạm dừng đến hết ngày 01/12/2026. Đổi thời gian tạm dừng?"
    ]
    (answer,) = await bot.press("Nhận lại", user_id=LEAD, chat_id=LEAD)
    assert answer.startswith("🔔 Anh/chị sẽ nhận lời nhắc việc")
    async with bot.app.bot_data.deps.sessions.begin() as session:
        assert await session.scalar(select(NudgeMute.user_id)) is None


def test_forged_nudge_buttons_are_not_ours() -> None:
    assert SnoozeAsk.unpack("nzask:9999999999") is None  # past task.id's INTEGER
    assert SettingsPress.unpack("nzset:t2900") is None
    assert SettingsPress.unpack("nzset:t0830") == SettingsPress("t0830")


def test_the_nudges_button_data_is_the_codecs() -> None:
    assert open_card_data(123456, 7) == CardButton(123456, 7, Verb.OPEN).pack()
    assert snooze_ask_data(123456) == SnoozeAsk(123456).pack()
    assert SnoozeAsk.unpack(snooze_ask_data(5)) == SnoozeAsk(5)
