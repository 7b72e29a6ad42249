"""/status, /overdue, /due, /task, /lagging, /agencies through the real Application."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakeapi import updates
from services import importer, reports
from tests.handlers.conftest import ADMIN, GROUP, TODAY, VIEWER, Bot, add_tasks
from tests.sessions import ACTOR, NOW

D = timedelta(days=1)


@pytest.fixture
async def group(bot: Bot) -> Bot:
    """A registered group with a small known register."""
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY - 10 * D, "done", TODAY - 12 * D),  # done on time
            ("MOF-2", "MOF", TODAY - 10 * D, "done", TODAY - 2 * D),  # done late
            ("MOF-3", "MOF", TODAY - 3 * D, "open", None),  # overdue 3 days
            ("MOF-4", "MOF", TODAY + 5 * D, "in_progress", None),  # on schedule, due this year
            ("MOF-5", "MOF", None, "in_progress", None),  # routine
            ("HN-1", "HN", TODAY - 40 * D, "open", None),  # overdue 40 days
            ("HN-2", "HN", TODAY + 60 * D, "open", None),  # on schedule, next year
        ],
    )
    return bot


async def test_committee_status_counts_every_bucket(group: Bot) -> None:
    text = (await group.say("/status", lang="en"))[0]
    assert "Total: <b>7</b> tasks" in text
    assert "Completed: <b>2</b> (28.6%) — on time 1, late 1" in text
    assert "In progress, on schedule: <b>2</b> (28.6%)" in text
    assert "Overdue, not yet completed: <b>2</b> (28.6%)" in text
    assert "Routine tasks: <b>1</b> (14.3%)" in text
    assert (
        "Of the 2 tasks in progress on schedule, 1 falls due by 31 Dec 2026; with the 2 overdue,"
        " 3 tasks must still be completed in 2026." in text
    )
    assert "Ministries and central agencies (1 agency)</b>: 5 tasks" in text
    assert "Localities (1 province or city)</b>: 2 tasks" in text


@pytest.mark.parametrize("query", ["MOF", "Bộ Tài chính", "bo tai chinh", "BTC", "finance"])
async def test_agency_status_by_code_or_name(group: Bot, query: str) -> None:
    text = (await group.say(f"/status {query}"))[0]
    assert "Bộ Tài chính</b> (MOF)" in text
    assert "Tổng số: <b>5</b>" in text
    assert "MOF-3" in text  # its overdue task is listed
    assert "MOF-4" in text  # and the next one due


async def test_merged_province_answers_as_the_new_one(group: Bot) -> None:
    text = (await group.say("/status Bình Thuận"))[0]
    assert "Tỉnh Lâm Đồng</b> (LDG)" in text


async def test_near_tie_offers_buttons_that_answer(group: Bot) -> None:
    text = (await group.say("/status Quang"))[0]
    assert "Vui lòng chọn" in text
    labels = [b["text"] for row in group.last_markup() for b in row]
    assert labels[:3] == ["Tỉnh Quảng Ninh", "Tỉnh Quảng Trị", "Tỉnh Quảng Ngãi"]
    answer = await group.press("Quảng Ninh")
    assert "(QNH)" in answer[0]


async def test_unknown_agency_points_to_the_list(group: Bot) -> None:
    text = (await group.say("/status xyzzy"))[0]
    assert "xyzzy" in text
    assert "/agencies" in text


COMMANDS = ("/status", "/overdue", "/due", "/task", "/lagging", "/agencies", "/start", "/help",
            "/language", "/register")  # fmt: skip


@pytest.mark.parametrize(
    "argument",
    ["<b>bold</b> & co", "🙂🙂🙂", "x" * 5000, "9" * 5000, "&amp; <script>", "Bộ <i>Tài</i> chính",
     "-1"],
)  # fmt: skip
async def test_garbage_arguments_get_a_clear_valid_answer(group: Bot, argument: str) -> None:
    for command in COMMANDS:
        answers = await group.say(f"{command} {argument}")
        assert answers, command
        assert all(0 < len(a) <= 4096 for a in answers), command
        assert not any("đã có lỗi" in a for a in answers), command  # an answer, not an apology
    # The fake Bot API rejects what Telegram would (bad HTML, too long, bad buttons).
    assert group.api.errors() == []


async def test_overdue_lists_most_overdue_first_with_days(group: Bot) -> None:
    text = (await group.say("/overdue", lang="en"))[0]
    assert "<b>Overdue tasks</b>: 2" in text
    assert text.index("HN-1") < text.index("MOF-3")
    text = (await group.say("/overdue"))[0]
    assert "quá 40 ngày" in text
    assert "quá 3 ngày" in text


async def test_overdue_paginates_with_buttons(group: Bot) -> None:
    await add_tasks(
        group, [(f"P-{i:02d}", "MOH", TODAY - (i + 1) * D, "open", None) for i in range(25)]
    )
    first = (await group.say("/overdue MOH"))[0]
    assert "Trang 1/3" in first
    assert ": 25" in first.split("\n")[0]
    second = (await group.press("Trang sau"))[0]
    assert "Trang 2/3" in second
    assert "P-14" in second
    assert "Trang 1/3" in (await group.press("Trang trước"))[0]


async def test_due_defaults_to_seven_days(group: Bot) -> None:
    text = (await group.say("/due"))[0]
    assert "MOF-4" in text
    assert "HN-2" not in text
    assert "HN-2" in (await group.say("/due 90"))[0]
    assert "HN-2" in (await group.say("/due 90 ngày"))[0]
    assert "HN-2" in (await group.say("/due 90 days"))[0]
    assert "Cách dùng" in (await group.say("/due abc"))[0]
    assert "Cách dùng" in (await group.say("/due 0"))[0]


async def test_task_card_shows_everything(group: Bot) -> None:
    text = (await group.say("/task mof-3", lang="en"))[0]
    assert "<b>MOF-3</b>" in text
    assert "Ministry of Finance (MOF)" in text
    assert "3 days overdue" in text
    assert "No task" in (await group.say("/task NOPE", lang="en"))[0]
    assert "Usage" in (await group.say("/task", lang="en"))[0]
    late = (await group.say("/task MOF-2"))[0]
    assert "Trạng thái: Hoàn thành quá hạn\n" in late


async def test_lagging_ranks_agencies_by_overdue(group: Bot) -> None:
    text = (await group.say("/lagging"))[0]
    assert text.index("<b>HN</b>") < text.index("<b>MOF</b>")


async def test_agencies_lists_all_56_within_limits(group: Bot) -> None:
    answers = await group.say("/agencies")
    assert all(len(a) <= 4096 for a in answers)
    assert sum(a.count("<code>") for a in answers) == 56


async def test_program_status(group: Bot) -> None:
    await add_tasks(group, [("NQ-1", "MOST", TODAY + D, "open", None)], program="NQ57")
    text = (await group.say("/status NQ57"))[0]
    assert "<b>NQ57</b> — tính đến ngày 25/11/2026" in text
    assert "Tổng số: <b>1</b>" in text


async def test_status_reflects_an_import_made_after_it_was_cached(group: Bot) -> None:
    assert "Tổng số: <b>7</b>" in (await group.say("/status"))[0]
    rows = [{"code": "NEW-1", "title": "Mới", "agency": "MOH", "deadline": "", "status": "open"}]
    report = await importer.import_tasks(
        group.app.bot_data.deps.sessions, rows, dry_run=False, actor=ACTOR, now=NOW
    )
    assert report.created == 1
    assert "Tổng số: <b>8</b>" in (await group.say("/status"))[0]


async def test_the_longest_task_card_fits_one_message(group: Bot) -> None:
    async with group.app.bot_data.deps.sessions.begin() as session:
        task = await reports.get_task(session, code="MOF-3")
        assert task is not None
        task.title, task.source, task.notes = "🙂" * 2000, "&" * 2000, "<b>" * 2000
    answers = await group.say("/task MOF-3")
    assert len(answers) == 1
    assert "MOF-3" in answers[0]
    assert group.api.errors() == []


async def test_a_button_for_a_vanished_program_says_it_expired(group: Bot) -> None:
    answers = await group.send(updates.callback("ov:p999:1", chat_id=GROUP, user_id=VIEWER))
    assert "hết hiệu lực" in answers[0]


@pytest.mark.parametrize("data", ["garbage", "st:zz", "ov:", "imp:ok:bogus", "du:9:x"])
async def test_unknown_button_is_answered_with_an_alert(group: Bot, data: str) -> None:
    seen = len(group.api.calls)
    await group.send(updates.callback(data, chat_id=GROUP, user_id=VIEWER, lang="en"))
    [answer] = [c for c in group.api.calls[seen:] if c.method == "answerCallbackQuery"]
    assert answer.params["show_alert"] is True
    assert "expired" in str(answer.params["text"])
    assert group.api.errors() == []


async def test_agencies_lists_every_agency_and_each_program_once(group: Bot) -> None:
    await add_tasks(group, [("DA-1", "MOH", None, "open", None)], program="Đề án 06")
    text = "\n".join(await group.say("/agencies"))
    assert "<code>MOF</code> — Bộ Tài chính" in text
    assert "<code>LDG</code> — Tỉnh Lâm Đồng" in text
    assert text.count("Đề án 06") == 1


@pytest.mark.parametrize("data", ["du:999:0", "du:0:0", "du:367:0", "ov:a1:-1", "st:a1:0", "st:-"])
async def test_forged_button_data_gets_an_alert_and_no_list(group: Bot, data: str) -> None:
    seen = len(group.api.calls)
    assert await group.send(updates.callback(data, chat_id=GROUP, user_id=VIEWER)) == []
    [answer] = group.callback_answers(seen)
    assert answer.params["show_alert"] is True
    assert "hết hiệu lực" in str(answer.params["text"])


async def test_due_pages_up_to_the_cap_still_work(group: Bot) -> None:
    answers = await group.send(updates.callback("du:366:0", chat_id=GROUP, user_id=VIEWER))
    assert "366 ngày tới" in answers[0]


@pytest.mark.parametrize("data", [None, ""])
async def test_a_button_without_data_is_answered_silently(group: Bot, data: str | None) -> None:
    update = updates.callback("x", chat_id=GROUP, user_id=VIEWER)
    if data is None:
        del update["callback_query"]["data"]
    else:
        update["callback_query"]["data"] = data
    seen = len(group.api.calls)
    assert await group.send(update) == []
    [answer] = group.callback_answers(seen)
    assert "text" not in answer.params
    assert "show_alert" not in answer.params
    assert [c.method for c in group.api.calls[seen:]] == ["answerCallbackQuery"]


async def test_every_button_the_bot_sends_fits_and_answers(group: Bot) -> None:
    await add_tasks(
        group, [(f"Q-{i:02d}", "MOH", TODAY - (i + 1) * D, "open", None) for i in range(25)]
    )
    await group.say("/status Quang")
    await group.say("/overdue MOH")
    await group.say("/due 366")
    pressed = [d for call in group.api.sent() for d in call.callback_data]
    assert {d.split(":")[0] for d in pressed} == {"st", "ov"}
    for data in pressed:
        assert len(data.encode()) <= 64
        answers = await group.send(updates.callback(data, chat_id=GROUP, user_id=VIEWER))
        assert answers
        assert not any("hết hiệu lực" in a or "đã có lỗi" in a for a in answers), data
