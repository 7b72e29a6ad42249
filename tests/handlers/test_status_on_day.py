"""/status <scope> <dd/mm/yyyy>: a past day's figures from its snapshot, said to be one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from handlers.snapshots import split_day
from rendering.text import plain, render
from services import snapshots
from storage.models import Task
from tests.handlers.conftest import ADMIN, TODAY, Bot, add_tasks

KEPT_AT = datetime(2026, 11, 21, 17, 1, tzinfo=UTC)  # 00:01 on 22 November in Hanoi


async def _history(bot: Bot) -> None:
    """Tasks; 21 November kept with two MOF tasks open (one overdue); then both done."""
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(bot, [
        ("T-1", "MOF", date(2026, 11, 20), "open", None),
        ("T-2", "MOF", date(2026, 12, 20), "open", None),
        ("T-3", "HN", None, "open", None),
    ])  # fmt: skip
    async with bot.app.bot_data.deps.sessions.begin() as session:
        await snapshots.take(session, day=date(2026, 11, 21), now=KEPT_AT)
        await session.execute(update(Task).values(status="done", completed_on=TODAY))


async def test_a_past_day_answers_from_its_snapshot(bot: Bot) -> None:
    await _history(bot)
    (text,) = await bot.say("/status MOF 21/11/2026")
    shown = plain(text)
    assert shown.startswith("Bộ Tài chính (MOF) — tính đến ngày 21/11/2026\n")
    assert "Số liệu lưu lúc 00:01 ngày 22/11/2026." in shown
    assert "Tổng số: 2 nhiệm vụ" in shown
    assert "Quá hạn, chưa hoàn thành: 1 (50,0%)" in shown  # as it stood then, not now
    assert plain(render("vi", "status-snapshot-lists", code="MOF")) in shown
    (now,) = await bot.say("/status MOF")
    assert "Đã hoàn thành: 2 (100%)" in plain(now)


async def test_the_committee_and_a_later_day_use_the_nearest_earlier_snapshot(bot: Bot) -> None:
    await _history(bot)
    (text,) = await bot.say("/status ngày 23/11/2026")
    shown = plain(text)
    assert shown.startswith(
        plain(
            render(
                "vi", "status-snapshot-earlier", day=date(2026, 11, 23), found=date(2026, 11, 21)
            )
        )
    )
    assert "Tổng hợp tình hình thực hiện nhiệm vụ (tính đến ngày 21/11/2026)" in shown
    assert "Tổng số: 3 nhiệm vụ" in shown
    assert "1/2 cơ quan có nhiệm vụ quá hạn." in shown


async def test_days_without_a_snapshot_future_days_and_typos_are_said_so(bot: Bot) -> None:
    await bot.say("/register", user_id=ADMIN)
    assert await bot.say("/status MOF 20/11/2026") == [render("vi", "status-snapshot-never")]
    await _history(bot)
    assert await bot.say("/status 20/11/2026") == [
        render("vi", "status-snapshot-none", day=date(2026, 11, 20), first=date(2026, 11, 21))
    ]
    tomorrow = TODAY + timedelta(days=1)
    assert await bot.say("/status MOF 26/11/2026") == [
        render("vi", "status-future-day", day=tomorrow)
    ]
    assert await bot.say("/status MOF 31/02/2026") == [
        render("vi", "status-bad-day", text="31/02/2026")
    ]
    (today,) = await bot.say("/status MOF 25/11/2026")  # today: the live figures
    assert "Số liệu lưu" not in today
    assert "Đã hoàn thành: 2 (100%)" in plain(today)


async def test_a_choice_button_keeps_the_day(bot: Bot) -> None:
    await _history(bot)
    (question,) = await bot.say("/status Quang 21/11/2026")  # a near tie: buttons
    assert question == render("vi", "choose-target")
    (text,) = await bot.press("Quảng Ninh")
    assert plain(text).startswith("Tỉnh Quảng Ninh (QNH) — tính đến ngày 21/11/2026")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("MOF 21/11/2026", ("MOF", date(2026, 11, 21))),
        ("Bộ Tài chính ngày 1/2/2026", ("Bộ Tài chính", date(2026, 2, 1))),
        ("2026-11-21", ("", date(2026, 11, 21))),
        ("NQ57 21-11-2026", ("NQ57", date(2026, 11, 21))),
        ("MOF 30/02/2026", ("MOF", "30/02/2026")),
        ("MOF", ("MOF", None)),
        ("Nghị quyết 57-NQ/TW", ("Nghị quyết 57-NQ/TW", None)),
        ("MOF21/11/2026", ("MOF21/11/2026", None)),
    ],
)
def test_a_day_is_read_from_the_end_of_the_arguments(
    args: str, expected: tuple[str, date | str | None]
) -> None:
    assert split_day(args) == expected
