"""The weekly digest job on SQLite and PostgreSQL, walked day by day on a fake clock."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import FixedClock
from bot.context import Deps
from bot.settings import load_settings
from jobs import digest as job
from jobs import snapshot as snapshot_job
from rendering import digest as views
from rendering.text import render
from services import snapshots
from services.buckets import Summary
from services.digest_schedule import Group, next_slot, slot, weekdays_only
from services.open_tally import roll_open_tally
from services.reports import Scope
from storage.db import Sessions
from storage.models import Agency, Chat, HolidayOverride, Outbox, Program, Task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2026, 11, 23), date(2026, 12, 27)  # Monday of week 48 to Sunday of week 52
HOLIDAY = date(2026, 12, 14)  # a Monday: that week's digest goes out on Tuesday
COMMITTEE, MOF_GROUP, PROGRAM_GROUP = -1001, -1002, -1003
REGISTERED = datetime(2026, 11, 1, tzinfo=UTC)
FAKE_PNG = b"\x89PNG\r\n\x1a\n fake chart"


def working_day(day: date) -> bool:
    """The injected calendar: weekdays, less one holiday Monday."""
    return weekdays_only(day) and day != HOLIDAY


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HANOI)


def days(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


@pytest.fixture
def deps(sessions: Sessions) -> Deps:
    settings = load_settings(database_url="sqlite+aiosqlite:///unused.db")
    return Deps(settings, sessions, FixedClock(settings.tz, at(START, 8).astimezone(UTC)))


@pytest.fixture(autouse=True)
def fake_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts are drawn for real in tests/rendering/test_chart.py; here only their bytes move."""
    monkeypatch.setattr(views, "render_png", lambda text, bars: FAKE_PNG)


async def _register(session: AsyncSession) -> tuple[dict[str, int], int]:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    program = Program(code="NQ57", name="Nghị quyết 57-NQ/TW")
    session.add(program)
    await session.flush()
    session.add_all([
        Chat(id=COMMITTEE, title="BCĐ", registered_by=1, registered_at=REGISTERED),
        Chat(id=MOF_GROUP, title="MOF", registered_by=1, registered_at=REGISTERED,
             agency_id=ids["MOF"]),
        Chat(id=PROGRAM_GROUP, title="NQ57", registered_by=1, registered_at=REGISTERED,
             program_id=program.id, language="en"),
    ])  # fmt: skip
    rng = random.Random(11)
    codes = list(ids.values())
    session.add_all(
        Task(
            code=f"W-{i}",
            title=f"Nhiệm vụ {i}",
            lead_agency_id=ids["MOF"] if i % 5 == 0 else rng.choice(codes),
            program_id=program.id if i % 3 == 0 else None,
            deadline=None if i % 11 == 0 else START + timedelta(days=rng.randint(-30, 40)),
            status="open",
        )
        for i in range(300)
    )
    await session.flush()
    return ids, program.id


async def _work(session: AsyncSession, day: date, rng: random.Random) -> None:
    """A day's work: some open tasks completed, a new one assigned."""
    open_ids = list(await session.scalars(select(Task.id).where(Task.status != "done")))
    for task_id in rng.sample(open_ids, min(4, len(open_ids))):
        task = await session.get(Task, task_id)
        assert task is not None
        task.status, task.completed_on = "done", day
    session.add(
        Task(
            code=f"N-{day.isoformat()}",
            title="Nhiệm vụ mới",
            lead_agency_id=rng.choice(list(range(1, 57))),
            deadline=day + timedelta(days=rng.randint(-3, 20)),
            status="open",
        )
    )


def _expected_change(lang: str, after: Summary, before: Summary, before_day: date) -> str:
    """The change line computed from the two stored snapshots, by hand."""
    return render(
        lang,
        "digest-change",
        day=before_day,
        completed=views.signed(lang, after.completed - before.completed),
        overdue=views.signed(lang, after.overdue - before.overdue),
        completion=views.signed(lang, round(after.completion - before.completion, 1)),
    )


async def test_four_weeks_one_digest_per_group_per_week_with_the_snapshots_deltas(
    deps: Deps, session: AsyncSession
) -> None:
    async with deps.sessions.begin() as s:
        ids, program_id = await _register(s)
    rng = random.Random(5)
    for day in days(START - timedelta(days=6), END):  # kept from 16 November on
        async with deps.sessions.begin() as s:
            await roll_open_tally(s, today=day)  # 00:00:30
        await snapshot_job.keep_yesterday(deps, at(day, 0, 1))
        if day >= START:
            queued = [
                await job.plan(deps, at(day, h), working_day=working_day) for h in (8, 9, 17)
            ]
            assert queued[1:] == [0, 0], day  # planned again the same day: nothing new
            expected = (
                5
                if working_day(day) and (day.weekday() == 0 or day == HOLIDAY + timedelta(1))
                else 0
            )
            assert queued[0] == expected, day  # chart + text twice, text only for MOF
        async with deps.sessions.begin() as s:
            await _work(s, day, rng)

    rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    texts = [r for r in rows if not r.key.endswith(":chart")]
    charts = [r for r in rows if r.key.endswith(":chart")]
    weeks = ["2026-W48", "2026-W49", "2026-W50", "2026-W51", "2026-W52"]
    assert sorted(r.key for r in texts) == sorted(
        f"digest:{chat}:{week}" for chat in (COMMITTEE, MOF_GROUP, PROGRAM_GROUP) for week in weeks
    )
    assert sorted(r.key for r in charts) == sorted(
        f"digest:{chat}:{week}:chart" for chat in (COMMITTEE, PROGRAM_GROUP) for week in weeks
    )
    for chart in charts:  # queued just before its text, as a photo with its caption
        text = next(r for r in texts if r.key == chart.key.removesuffix(":chart"))
        assert chart.id < text.id
        assert chart.photo == FAKE_PNG
        assert chart.caption == chart.text
        assert text.photo is None
        assert chart.created_at == text.created_at
    sent_on = {r.created_at.astimezone(HANOI) for r in texts}
    assert sorted({t.date() for t in sent_on}) == [
        date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 15),
        date(2026, 12, 21),
    ]  # fmt: skip
    assert {t.time() for t in sent_on} == {time(8, 0)}

    scopes = {
        COMMITTEE: ("vi", Scope()),
        MOF_GROUP: ("vi", Scope(agency_id=ids["MOF"])),
        PROGRAM_GROUP: ("en", Scope(program_id=program_id)),
    }
    first_week: set[int] = set()
    for row in texts:
        lang, scope = scopes[row.chat_id]
        digest_day = row.created_at.astimezone(HANOI).date()
        now = await snapshots.load(session, day=digest_day - timedelta(days=1))
        before = await snapshots.load(session, day=digest_day - timedelta(days=8))
        assert now is not None
        after = snapshots.total(now.per_agency(scope).values())
        assert f"<b>{after.total}</b>" in row.text  # the summary is the day before's snapshot
        if before is None:  # week 48: nothing kept a week before
            assert digest_day == START
            first_week.add(row.chat_id)
            assert render(lang, "digest-change-none", day=START - timedelta(days=8)) in row.text
            continue
        old = snapshots.total(before.per_agency(scope).values())
        assert _expected_change(lang, after, old, before.day) in row.text, row.key
        assert after != old  # a week of work changed something
        assert "⏰" not in row.text  # each went out on time
    assert first_week == set(scopes)


async def _one_group(deps: Deps, **chat: object) -> None:
    async with deps.sessions.begin() as session:
        values = {"id": COMMITTEE, "title": "BCĐ", "registered_by": 1, "registered_at": REGISTERED}
        session.add(Chat(**(values | chat)))


async def test_a_digest_planned_late_says_when_it_was_due(
    deps: Deps, session: AsyncSession
) -> None:
    await _one_group(deps)
    # Down from Sunday to Wednesday 10:15: the start queues Monday's digest, marked late.
    assert await job.plan(deps, at(date(2026, 12, 9), 10, 15), working_day=working_day) == 1
    text = await session.scalar(select(Outbox.text))
    assert text is not None
    assert render("vi", "digest-late", time="08:00", day=date(2026, 12, 7)) in text
    assert await job.plan(deps, at(date(2026, 12, 9), 11), working_day=working_day) == 0


async def test_planned_within_the_grace_it_is_on_time(deps: Deps, session: AsyncSession) -> None:
    await _one_group(deps)
    assert await job.plan(deps, at(date(2026, 12, 7), 8, 29), working_day=working_day) == 1
    assert deps.doorbell.rung  # the sender wakes for it at once
    assert "⏰" not in str(await session.scalar(select(Outbox.text)))


async def test_groups_registered_after_the_weeks_time_or_turned_off_wait(
    deps: Deps, session: AsyncSession
) -> None:
    await _one_group(deps, registered_at=at(date(2026, 12, 7), 9).astimezone(UTC))
    await _one_group(deps, id=-7, digest_day=0)
    monday = date(2026, 12, 7)
    assert await job.plan(deps, at(monday + timedelta(days=2), 9)) == 0
    assert await job.plan(deps, at(monday + timedelta(days=7), 8)) == 1  # weekdays by default
    assert [r.chat_id for r in (await session.scalars(select(Outbox))).all()] == [COMMITTEE]


async def test_a_group_chooses_its_day_and_time(deps: Deps, session: AsyncSession) -> None:
    await _one_group(deps, digest_day=3, digest_minute=9 * 60 + 30)  # Wednesday 09:30
    wednesday = date(2026, 12, 9)
    assert await job.plan(deps, at(wednesday, 9, 29), working_day=working_day) == 0
    assert await job.plan(deps, at(wednesday, 9, 30), working_day=working_day) == 1
    assert await job.next_run(deps, at(wednesday, 9, 30), working_day=working_day) == at(
        wednesday + timedelta(days=7), 9, 30
    )


GROUP = Group(1, None, Scope(), 1, 8 * 60, REGISTERED)


def test_a_holiday_monday_moves_the_digest_to_the_next_working_day() -> None:
    assert slot(GROUP, HOLIDAY, working_day, HANOI) == at(HOLIDAY + timedelta(days=1), 8)
    assert slot(GROUP, HOLIDAY + timedelta(days=3), working_day, HANOI) == at(
        HOLIDAY + timedelta(days=1), 8
    )  # any day of the week names the week
    assert next_slot(GROUP, at(HOLIDAY, 9), working_day, HANOI) == at(date(2026, 12, 15), 8)


def test_a_week_without_working_days_has_no_digest() -> None:
    tet = {date(2027, 2, 8) + timedelta(days=n) for n in range(5)}  # Monday to Friday off

    def calendar(day: date) -> bool:
        return weekdays_only(day) and day not in tet

    assert slot(GROUP, date(2027, 2, 10), calendar, HANOI) is None
    assert next_slot(GROUP, at(date(2027, 2, 2), 9), calendar, HANOI) == at(date(2027, 2, 15), 8)


async def test_no_group_no_next_run_and_no_work(deps: Deps, session: AsyncSession) -> None:
    assert await job.next_run(deps, at(START, 9)) is None
    assert await job.plan(deps, at(START, 9)) == 0
    assert await snapshots.load(session, day=START - timedelta(days=1)) is None  # nothing taken


async def test_the_job_follows_the_committees_calendar_and_its_holiday_days(
    deps: Deps, session: AsyncSession
) -> None:
    await _one_group(deps)
    monday = date(2026, 12, 7)
    async with deps.sessions.begin() as s:  # `/holiday add 07/12/2026`, as an admin would
        s.add(HolidayOverride(day=monday, working=False, by_user=1, at=REGISTERED))
    assert await job.plan(deps, at(monday, 8)) == 0  # no rule given: the job's own calendar
    assert await job.plan(deps, at(monday + timedelta(days=1), 8)) == 1
    # Tết 2027 in the holidays package: 4 to 10 February off; that week's digest goes out on
    # Thursday the 11th.
    assert await job.next_run(deps, at(date(2027, 2, 2), 9)) == at(date(2027, 2, 11), 8)
