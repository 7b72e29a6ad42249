"""/update CODE done [dd/mm] | CODE 60% | CODE note <text>, through the real Application."""

from __future__ import annotations

from datetime import date

import pytest

from services.task_updates import parse_day
from storage.models import TaskEvent
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, TODAY, VIEWER, Bot
from tests.handlers.leads import LEAD, OTHER_LEAD, D, count, events, notes_of, set_up, task_row


@pytest.fixture
async def leads(bot: Bot) -> Bot:
    return await set_up(bot)


async def test_done_today_by_default(leads: Bot) -> None:
    [said] = await leads.say("/update mof-4 done", user_id=LEAD)
    assert "✅ Đã ghi nhận <b>MOF-4</b> hoàn thành ngày 25/11/2026." in said
    assert "<b>MOF-4</b> — " in said  # the card follows, with its buttons
    row = await task_row(leads, "MOF-4")
    assert (row.status, row.completed_on, row.progress) == ("done", TODAY, 100)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("done 20/11", date(2026, 11, 20)),
        ("xong 3/1", date(2026, 1, 3)),
        ("hoàn thành 31/12", date(2025, 12, 31)),  # no year: the latest 31/12 not ahead
        ("done 20/11/2026", date(2026, 11, 20)),
        ("done hôm qua", TODAY - D),
        ("DONE 24.11.26", date(2026, 11, 24)),
    ],
)
async def test_done_on_a_day_as_people_type_it(leads: Bot, typed: str, day: date) -> None:
    await leads.say(f"/update MOF-4 {typed}", user_id=LEAD)
    assert (await task_row(leads, "MOF-4")).completed_on == day


@pytest.mark.parametrize(
    ("typed", "percent", "status"),
    [("60%", 60, "in_progress"), ("60 %", 60, "in_progress"), ("tiến độ 25", 25, "in_progress"),
     ("0%", 0, "open"), ("100%", 100, "in_progress")],
)  # fmt: skip
async def test_progress_in_one_line(leads: Bot, typed: str, percent: int, status: str) -> None:
    [said] = await leads.say(f"/update MOF-4 {typed}", user_id=LEAD)
    assert f"{percent}%" in said
    row = await task_row(leads, "MOF-4")
    assert (row.progress, row.status) == (percent, status)


async def test_a_note_in_one_line_keeps_its_lines_and_markup_as_typed(leads: Bot) -> None:
    text = "<b>Họp</b> & chốt\ndòng hai"
    [said] = await leads.say(f"/update MOF-4 ghi chú {text}", user_id=LEAD)
    assert "Đã lưu ghi chú cho <b>MOF-4</b>" in said
    assert "&lt;b&gt;Họp&lt;/b&gt; &amp; chốt\ndòng hai" in said
    assert await notes_of(leads, "MOF-4") == [text]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/update", "Cách dùng:"),
        ("/update MOF-4", "Cách dùng:"),
        ("/update MOF-4 xyz", "Chưa hiểu “xyz”"),
        ("/update MOF-4 done 31/02", "“31/02” không phải là ngày hợp lệ"),
        ("/update MOF-4 done mai", "“mai” không phải là ngày hợp lệ"),
        ("/update MOF-4 done 1/1/2027", "không thể ở tương lai"),
        ("/update MOF-4 done 1/1/2020", "hơn một năm"),
        ("/update MOF-4 150%", "số nguyên từ 0 đến 100"),
        ("/update MOF-4 note", "Vui lòng ghi nội dung ghi chú"),
        ("/update NOPE-1 60%", "Không tìm thấy nhiệm vụ có mã “NOPE-1”"),
        ("/update MOF-1 50%", "đã hoàn thành nên không cập nhật tiến độ"),
    ],
)
async def test_mistakes_are_explained_with_the_expected_form(
    leads: Bot, typed: str, expected: str
) -> None:
    answers = await leads.say(typed, user_id=LEAD)
    assert expected in " ".join(answers), answers
    assert await count(leads, TaskEvent) == 0


async def test_mistakes_are_explained_in_english_too(leads: Bot) -> None:
    [said] = await leads.say("/update MOF-4 soon", user_id=LEAD, lang="en")
    assert "I did not understand “soon”." in said
    assert "/update &lt;code&gt; 60%" in said


@pytest.mark.parametrize("user", [OTHER_LEAD, VIEWER, STRANGER])
async def test_others_are_refused(leads: Bot, user: int) -> None:
    for typed in ("done", "50%"):
        [said] = await leads.say(f"/update MOF-4 {typed}", user_id=user)
        assert "không có quyền cập nhật nhiệm vụ MOF-4" in said
    [said] = await leads.say("/update MOF-4 note xin chào", user_id=user)
    assert "không có quyền thêm ghi chú, minh chứng cho nhiệm vụ MOF-4" in said
    assert await count(leads, TaskEvent) == 0


async def test_a_stranger_in_private_is_not_even_told_about_the_task(leads: Bot) -> None:
    [said] = await leads.say("/update MOF-4 50%", chat_id=STRANGER, user_id=STRANGER)
    assert "chưa được cấp quyền" in said


async def test_a_coordinating_lead_may_note_but_not_change(leads: Bot) -> None:
    [refused] = await leads.say("/update HN-9 50%", user_id=LEAD)
    assert "không có quyền cập nhật" in refused
    await leads.say("/update HN-9 note đã phối hợp", user_id=LEAD)
    assert await notes_of(leads, "HN-9") == ["đã phối hợp"]


async def test_an_admin_updates_any_task_and_the_history_names_them(leads: Bot) -> None:
    await leads.say("/update HN-1 75%", chat_id=ADMIN, user_id=ADMIN)
    assert await events(leads, "HN-1") == [
        ("status", "open", "in_progress", ADMIN),
        ("progress", "0", "75", ADMIN),
    ]


async def test_update_works_in_the_group(leads: Bot) -> None:
    [said] = await leads.say("/update MOF-4 25%", chat_id=GROUP, user_id=LEAD)
    assert "25%" in said


def test_a_day_without_a_year_is_never_ahead() -> None:
    assert parse_day("26/11", TODAY) == date(2025, 11, 26)
    assert parse_day("25/11", TODAY) == TODAY
    assert parse_day("29/02", date(2025, 3, 1)) == date(2024, 2, 29)
    assert parse_day("32/1", TODAY) is None
    assert parse_day("", TODAY) is None
