"""/mytasks, the task card and its Done and Progress buttons, through the real Application."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from fakeapi import updates
from handlers.task_buttons import CardButton, DoneOn, MyTasksPage, ProgressTo, Verb
from storage.models import Task, TaskEvent
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, TODAY, VIEWER, Bot, add_tasks
from tests.handlers.leads import (
    LEAD,
    OTHER_LEAD,
    SECOND_LEAD,
    D,
    count,
    data_of,
    events,
    labels,
    press_data,
    set_up,
    task_row,
)


@pytest.fixture
async def leads(bot: Bot) -> Bot:
    return await set_up(bot)


async def test_mytasks_lists_the_leads_open_tasks_overdue_first_routine_last(leads: Bot) -> None:
    [text] = await leads.say("/mytasks", user_id=LEAD)
    assert "Nhiệm vụ chưa hoàn thành của Bộ Tài chính</b> (MOF): 5" in text
    assert "Quá hạn: 2 · ⏳ Trong hạn: 2 · 🔁 Thường xuyên: 1" in text
    order = [text.index(code) for code in ("MOF-3", "MOF-2", "MOF-6", "MOF-4", "MOF-5")]
    assert order == sorted(order)
    assert "MOF-1" not in text  # done
    assert "HN-1" not in text  # another agency's
    assert "quá hạn 30 ngày" in text
    assert "(hôm nay)" in text  # MOF-6 falls due today
    buttons = labels(leads)
    assert [b.split(" · ")[0] for b in buttons] == [
        "⚠️ MOF-3",
        "⚠️ MOF-2",
        "⏳ MOF-6",
        "⏳ MOF-4",
        "🔁 MOF-5",
    ]


async def test_each_listed_task_opens_its_card_with_the_leads_buttons(leads: Bot) -> None:
    await leads.say("/mytasks", user_id=LEAD)
    seen = len(leads.api.calls)
    [card] = await leads.press("MOF-4", user_id=LEAD)
    assert "<b>MOF-4</b>" in card
    assert "Thời hạn: 30/11/2026 (còn 5 ngày)" in card
    assert "Minh chứng: chưa có" in card
    assert labels(leads) == [
        "✅ Hoàn thành",
        "📈 Tiến độ",
        "📝 Ghi chú",
        "📎 Minh chứng",
        "⏳ Xin gia hạn",
        "◀ Danh sách",
    ]
    assert len(leads.callback_answers(seen)) == 1


async def test_mytasks_pages_through_a_long_list_without_repeating_a_task(bot: Bot) -> None:
    await set_up(bot)
    rows = [(f"P-{n:02d}", "MOF", TODAY + n * D, "open", None) for n in range(1, 16)]
    await add_tasks(bot, [*rows, ("P-99", "MOF", None, "open", None)])
    [first] = await bot.say("/mytasks", user_id=LEAD)
    assert "Trang 1/3" in first
    seen: list[str] = []
    pages = [first]
    seen += [b.split(" · ")[0] for b in labels(bot) if "·" in b]
    for _ in range(2):
        pages += await bot.press("Trang sau", user_id=LEAD)
        seen += [b.split(" · ")[0] for b in labels(bot) if "·" in b]
    assert "Trang 3/3" in pages[-1]
    assert "Trang sau" not in " ".join(labels(bot))
    codes = [s.split()[1] for s in seen]
    assert len(codes) == len(set(codes)) == 21  # 5 of set_up, 15 dated, 1 routine
    assert codes[-2:] == ["MOF-5", "P-99"]  # routine ones last, by code
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", "\n".join(pages), re.MULTILINE)]
    assert numbers == list(range(1, 22))
    back = await bot.press("Trang trước", user_id=LEAD)
    assert "Trang 2/3" in back[0]


async def test_an_admin_names_the_agency_or_is_told_how(leads: Bot) -> None:
    [usage] = await leads.say("/mytasks", chat_id=ADMIN, user_id=ADMIN)
    assert "/mytasks MOF" in usage
    [listing] = await leads.say("/mytasks Hà Nội", chat_id=ADMIN, user_id=ADMIN)
    assert "Thành phố Hà Nội</b> (HN): 2" in listing
    assert "MOF-" not in listing


async def test_an_admin_choosing_among_close_names_gets_buttons(leads: Bot) -> None:
    [ask] = await leads.say("/mytasks Quang", chat_id=ADMIN, user_id=ADMIN)
    assert "Vui lòng chọn cơ quan" in ask
    [listing] = await leads.press("Quảng Ninh", chat_id=ADMIN, user_id=ADMIN)
    assert "(QNH) không còn nhiệm vụ nào chưa hoàn thành" in listing
    [unknown] = await leads.say("/mytasks xyzzy", chat_id=ADMIN, user_id=ADMIN)
    assert "xyzzy" in unknown
    assert "/agencies" in unknown


async def test_an_admin_in_an_agencys_group_gets_that_agencys_list(leads: Bot) -> None:
    await leads.say("/register MOF", user_id=ADMIN)
    [listing] = await leads.say("/mytasks", user_id=ADMIN)
    assert "(MOF): 5" in listing


async def test_a_lead_asking_for_another_agency_is_shown_their_own(leads: Bot) -> None:
    [text] = await leads.say("/mytasks HN", user_id=LEAD)
    assert "/mytasks liệt kê nhiệm vụ của cơ quan mình" in text
    assert "(MOF): 5" in text


@pytest.mark.parametrize("user", [VIEWER, STRANGER])
async def test_mytasks_for_someone_who_leads_nothing_says_so(leads: Bot, user: int) -> None:
    [text] = await leads.say("/mytasks", user_id=user)
    assert "chưa là đầu mối của cơ quan nào" in text


async def test_mytasks_refuses_a_stranger_in_private(leads: Bot) -> None:
    [text] = await leads.say("/mytasks", chat_id=STRANGER, user_id=STRANGER)
    assert "chưa được cấp quyền" in text


async def test_no_open_task_left_is_said_plainly(bot: Bot) -> None:
    await set_up(bot)
    [text] = await bot.say("/mytasks Bộ Y tế", chat_id=ADMIN, user_id=ADMIN)
    assert "Bộ Y tế</b> (MOH) không còn nhiệm vụ nào chưa hoàn thành" in text


# --- the card: only the buttons the caller may use ---------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (ADMIN, ["✅ Hoàn thành", "📝 Ghi chú", "◀ Danh sách"]),
        (LEAD, ["✅ Hoàn thành", "📝 Ghi chú", "◀ Danh sách"]),
        (OTHER_LEAD, []),
        (VIEWER, []),
        (STRANGER, []),  # in a registered group anyone may look
    ],
)
async def test_a_cards_buttons_follow_the_callers_rights(
    leads: Bot, user: int, expected: list[str]
) -> None:
    [card] = await leads.say("/task MOF-2", user_id=user)
    assert "<b>MOF-2</b>" in card
    shown = [b for row in leads.api.calls[-1].buttons for b in row]
    assert [b["text"] for b in shown if b["text"] in expected] == expected
    assert len(shown) == (6 if expected else 0)


async def test_a_coordinating_lead_may_add_notes_and_evidence_only(leads: Bot) -> None:
    await leads.say("/task HN-9", user_id=LEAD)
    assert labels(leads) == ["📝 Ghi chú", "📎 Minh chứng", "◀ Danh sách"]


async def test_a_done_task_keeps_note_and_evidence_only(leads: Bot) -> None:
    [card] = await leads.say("/task MOF-1", user_id=LEAD)
    assert "Hoàn thành đúng hạn" in card
    assert labels(leads) == ["📝 Ghi chú", "📎 Minh chứng", "◀ Danh sách"]


async def test_a_cancelled_task_takes_no_done_or_progress(leads: Bot) -> None:
    await leads.say("/cancel MOF-4", user_id=ADMIN)
    await leads.press("Hủy nhiệm vụ", user_id=ADMIN)
    task = await task_row(leads, "MOF-4")
    assert task.status == "cancelled"
    await leads.say("/task MOF-4", user_id=LEAD)
    assert labels(leads) == ["📝 Ghi chú", "📎 Minh chứng", "◀ Danh sách"]
    for verb in (Verb.DONE, Verb.PROGRESS):  # a card shown after the cancellation: not stale
        seen = len(leads.api.calls)
        await press_data(leads, CardButton(task.id, task.version, verb).pack(), user_id=LEAD)
        [alert] = leads.callback_answers(seen)
        assert "đã bị hủy" in alert.params["text"]
    assert "MOF-4" not in (await leads.say("/mytasks", user_id=LEAD))[0]


async def test_an_extended_deadline_shows_the_original(leads: Bot) -> None:
    async with leads.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == "MOF-4"))
        assert task is not None
        task.original_deadline = TODAY - 2 * D
    [card] = await leads.say("/task MOF-4", user_id=LEAD, lang="en")
    assert "Deadline: 30 Nov 2026 (5 days left); originally 23 Nov 2026" in card


# --- Done in three taps ------------------------------------------------------------------


async def test_done_in_three_taps_with_todays_date(leads: Bot) -> None:
    await leads.say("/mytasks", chat_id=LEAD, user_id=LEAD)
    before = await task_row(leads, "MOF-2")
    seen = len(leads.api.calls)
    await leads.press("MOF-2", user_id=LEAD, chat_id=LEAD)
    [ask] = await leads.press("Hoàn thành", user_id=LEAD, chat_id=LEAD)
    assert "Xác nhận <b>MOF-2</b> đã hoàn thành?" in ask
    assert labels(leads) == [
        "Hôm nay (25/11)",
        "Hôm qua (24/11)",
        "23/11",
        "22/11",
        "21/11",
        "✖ Hủy",
    ]
    [card] = await leads.press("Hôm nay", user_id=LEAD, chat_id=LEAD)
    assert "✅ Đã ghi nhận <b>MOF-2</b> hoàn thành ngày 25/11/2026." in card
    assert "Trạng thái: Hoàn thành quá hạn" in card
    assert "Hoàn thành" not in labels(leads)[0]  # no more Done on a done task
    assert len(leads.callback_answers(seen)) == 3  # every press answered once
    after = await task_row(leads, "MOF-2")
    assert (after.status, after.completed_on, after.progress) == ("done", TODAY, 100)
    assert after.version == before.version + 1
    assert await events(leads, "MOF-2") == [
        ("status", "open", "done", LEAD),
        ("completed_on", None, "2026-11-25", LEAD),
        ("progress", "0", "100", LEAD),
    ]


async def test_done_on_an_earlier_day(leads: Bot) -> None:
    await leads.say("/task MOF-4", user_id=LEAD)
    await leads.press("Hoàn thành", user_id=LEAD)
    await leads.press("22/11", user_id=LEAD)
    assert (await task_row(leads, "MOF-4")).completed_on == TODAY - 3 * D


async def test_cancel_returns_to_the_card_unchanged(leads: Bot) -> None:
    await leads.say("/task MOF-4", user_id=LEAD)
    await leads.press("Hoàn thành", user_id=LEAD)
    [card] = await leads.press("Hủy", user_id=LEAD)
    assert "<b>MOF-4</b>" in card
    assert (await task_row(leads, "MOF-4")).status == "open"


async def test_two_leads_on_one_stale_card_the_first_wins(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    done = data_of(leads, "Hoàn thành")
    await press_data(leads, done, user_id=LEAD)
    today_for_first = data_of(leads, "Hôm nay")
    await press_data(leads, done, user_id=SECOND_LEAD)
    yesterday_for_second = data_of(leads, "Hôm qua")
    [first] = await press_data(leads, today_for_first, user_id=LEAD)
    assert "Đã ghi nhận" in first
    seen = len(leads.api.calls)
    [second] = await press_data(leads, yesterday_for_second, user_id=SECOND_LEAD)
    assert "vừa được cập nhật (có thể bởi người khác)" in second
    assert "Trạng thái: Hoàn thành quá hạn" in second  # the current card follows
    assert len(leads.callback_answers(seen)) == 1
    assert (await task_row(leads, "MOF-2")).completed_on == TODAY  # the first's date
    assert [e[0] for e in await events(leads, "MOF-2")] == ["status", "completed_on", "progress"]
    [again] = await press_data(leads, done, user_id=SECOND_LEAD)  # the old card's Done
    assert "vừa được cập nhật" in again


async def test_a_replayed_done_changes_nothing_twice(leads: Bot) -> None:
    await leads.say("/task MOF-4", user_id=LEAD)
    await leads.press("Hoàn thành", user_id=LEAD)
    today = data_of(leads, "Hôm nay")
    await press_data(leads, today, user_id=LEAD)
    [replayed] = await press_data(leads, today, user_id=LEAD)
    assert "vừa được cập nhật" in replayed
    assert len(await events(leads, "MOF-4")) == 3


@pytest.mark.parametrize("user", [OTHER_LEAD, VIEWER, STRANGER])
async def test_done_is_refused_to_anyone_but_the_agencys_leads_and_admins(
    leads: Bot, user: int
) -> None:
    await leads.say("/task MOF-4", user_id=LEAD)
    done = data_of(leads, "Hoàn thành")
    await press_data(leads, done, user_id=LEAD)
    today = data_of(leads, "Hôm nay")
    for data in (done, today):
        seen = len(leads.api.calls)
        assert await press_data(leads, data, user_id=user) == []  # the message stays
        [alert] = leads.callback_answers(seen)
        assert alert.params["show_alert"] is True
        assert "không có quyền cập nhật nhiệm vụ MOF-4" in alert.params["text"]
    assert (await task_row(leads, "MOF-4")).status == "open"
    assert await count(leads, TaskEvent) == 0


async def test_an_admin_may_mark_any_task_done(leads: Bot) -> None:
    await leads.say("/task HN-1", user_id=ADMIN)
    await leads.press("Hoàn thành", user_id=ADMIN)
    await leads.press("Hôm nay", user_id=ADMIN)
    assert (await task_row(leads, "HN-1")).status == "done"


async def _ids(bot: Bot, code: str) -> tuple[int, int]:
    task = await task_row(bot, code)
    return task.id, task.version


async def test_forged_or_impossible_presses_are_refused_politely(leads: Bot) -> None:
    task_id, version = await _ids(leads, "MOF-4")
    tomorrow = DoneOn.on(task_id, version, TODAY + D).pack()
    forged = [
        (tomorrow, "tương lai"),
        (DoneOn.on(task_id, version + 5, TODAY).pack(), "vừa được cập nhật"),
        (CardButton(999_999, 1, Verb.DONE).pack(), "Không tìm thấy nhiệm vụ"),
        (CardButton(999_999, 1, Verb.OPEN).pack(), "Không tìm thấy nhiệm vụ"),
        (ProgressTo(999_999, 1, 50).pack(), "Không tìm thấy nhiệm vụ"),
        (f"tkd:{task_id}:{version}:20261399", "hết hiệu lực"),  # no such day
        (f"tkp:{task_id}:{version}:33", "hết hiệu lực"),  # not a step
        (f"tk:{task_id}:{version}:z", "hết hiệu lực"),  # no such verb
        (MyTasksPage(999_999, 0).pack(), "hết hiệu lực"),
    ]
    for data, said in forged:
        seen = len(leads.api.calls)
        answers = await press_data(leads, data, user_id=LEAD)
        [answer] = leads.callback_answers(seen)
        assert said in " ".join([*answers, str(answer.params.get("text", ""))]), data
    assert (await task_row(leads, "MOF-4")).status == "open"
    assert leads.api.errors() == []


# --- Progress ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "percent", "status"),
    [
        ("MOF-4", "50%", "in_progress"),  # open -> in progress
        ("MOF-4", "0%", "open"),  # 0 leaves an open task open
        ("MOF-3", "0%", "in_progress"),  # ... and a task in progress in progress
        ("MOF-4", "100%", "in_progress"),  # 100 % is not done
    ],
)
async def test_progress_buttons_set_the_figure_and_the_status(
    leads: Bot, code: str, percent: str, status: str
) -> None:
    await leads.say(f"/task {code}", user_id=LEAD)
    [ask] = await leads.press("Tiến độ", user_id=LEAD)
    assert "100% chưa phải là hoàn thành" in ask
    assert labels(leads) == ["0%", "25%", "50%", "75%", "100%", "✖ Hủy"]
    [card] = await leads.press(percent, user_id=LEAD)
    row = await task_row(leads, code)
    assert (f"{row.progress}%", row.status) == (percent, status)
    if percent == "0%":  # both were at 0 %
        assert "vẫn là 0%" in card
    else:
        assert f"Đã cập nhật tiến độ <b>{code}</b>: {percent}" in card


async def test_back_returns_to_the_list_page_the_task_is_on(bot: Bot) -> None:
    await set_up(bot)
    await add_tasks(
        bot, [(f"P-{n:02d}", "MOF", TODAY + n * D, "open", None) for n in range(1, 16)]
    )
    await bot.say("/task P-12", user_id=LEAD)
    [listing] = await bot.press("Danh sách", user_id=LEAD)
    assert "Trang 2/3" in listing
    assert "P-12" in listing


async def test_back_from_a_coordinated_task_goes_to_the_leads_own_list(leads: Bot) -> None:
    await leads.say("/task HN-9", user_id=LEAD)
    [listing] = await leads.press("Danh sách", user_id=LEAD)
    assert "(MOF): 5" in listing


async def test_the_card_in_english(leads: Bot) -> None:
    [card] = await leads.say("/task MOF-4", user_id=LEAD, lang="en")
    assert "Deadline: 30 Nov 2026 (5 days left)" in card
    await leads.say("/language en", user_id=ADMIN)
    await leads.say("/task MOF-4", user_id=LEAD)
    assert labels(leads)[:2] == ["✅ Done", "📈 Progress"]


async def test_list_buttons_fit_telegram_whatever_the_title(leads: Bot) -> None:
    async with leads.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == "MOF-4"))
        assert task is not None
        task.title = "<b>Tiêu đề</b> & " * 300
    [text] = await leads.say("/mytasks", user_id=LEAD)
    assert "&lt;b&gt;Tiêu đề&lt;/b&gt; &amp;" in text
    assert leads.api.errors() == []
    assert all(len(label) < 60 for label in labels(leads))


async def test_a_group_sees_a_card_pressed_open_by_its_presser(leads: Bot) -> None:
    await leads.say("/mytasks", user_id=LEAD)
    data = data_of(leads, "MOF-2")
    [card] = await leads.send(updates.callback(data, chat_id=GROUP, user_id=VIEWER))
    assert "<b>MOF-2</b>" in card
    assert leads.api.calls[-1].buttons == []  # opened by a viewer: no buttons
    [card] = await leads.send(updates.callback(data, chat_id=GROUP, user_id=LEAD))
    assert len(leads.api.calls[-1].buttons) == 3
