"""Daily snapshots on SQLite and PostgreSQL: equal to the live report of their day, kept once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import reports, snapshots
from services.buckets import Summary, bucket_of
from services.open_tally import roll_open_tally
from services.reports import Scope
from storage.models import Program, SnapshotDay, Task
from tests.services.test_reports import TODAY, _agency_ids, _random_register

NOW = datetime(2026, 11, 25, 17, 1, tzinfo=UTC)  # 00:01 on 26 November in Hanoi


async def _scopes(session: AsyncSession, tasks: list[Task]) -> list[Scope]:
    program = Program(code="NQ57", name="Nghị quyết 57")
    session.add(program)
    await session.flush()
    for task in tasks[::3]:
        task.program_id = program.id
    await session.flush()
    ids = await _agency_ids(session)
    return [
        Scope(),
        Scope(agency_id=ids["MOF"]),
        Scope(agency_id=tasks[0].lead_agency_id),
        Scope(program_id=program.id),
        Scope(agency_id=tasks[0].lead_agency_id, program_id=program.id),
    ]


@pytest.mark.parametrize("offset", [0, -1, -40, 9])
async def test_a_snapshot_equals_the_live_report_of_its_day(
    session: AsyncSession, offset: int
) -> None:
    tasks = await _random_register(session)
    scopes = await _scopes(session, tasks)
    await roll_open_tally(session, today=TODAY)
    day = TODAY + timedelta(days=offset)  # the tallies are as of TODAY: other days shift
    snap = await snapshots.take(session, day=day, now=NOW)
    stored = await snapshots.load(session, day=day)
    assert stored is not None
    assert stored.pairs == snap.pairs
    for scope in scopes:
        live = await reports.summarize_by_agency(session, today=day, scope=scope)
        assert stored.per_agency(scope) == live, scope


async def test_a_snapshot_counts_the_buckets_of_its_day_as_the_rule_says(
    session: AsyncSession,
) -> None:
    tasks = await _random_register(session)
    day = TODAY - timedelta(days=10)
    snap = await snapshots.take(session, day=day, now=NOW)
    counted = Summary()
    for task in tasks:
        if task.status == "cancelled":  # outside every bucket, counted apart
            counted += Summary(cancelled=1)
            continue
        bucket = bucket_of(
            done=task.status == "done",
            deadline=task.deadline,
            completed_on=task.completed_on,
            today=day,
        )
        counted += Summary(**{bucket.value: 1})
    open_this_year = [
        t
        for t in tasks
        if t.status not in ("done", "cancelled") and t.deadline
        and day <= t.deadline <= date(2026, 12, 31)
    ]  # fmt: skip
    assert snapshots.total(snap.pairs.values()) == counted + Summary(
        due_by_year_end=len(open_this_year)
    )
    assert counted.cancelled  # the register has some: they are kept apart, not dropped


async def test_taking_a_day_twice_keeps_the_first(session: AsyncSession) -> None:
    await _random_register(session, n=40)
    first = await snapshots.take(session, day=TODAY, now=NOW)
    await session.execute(update(Task).values(status="done", completed_on=TODAY))
    again = await snapshots.take(session, day=TODAY, now=NOW + timedelta(hours=3))
    assert again == first
    loaded = await snapshots.load(session, day=TODAY)
    assert loaded is not None
    assert loaded.taken_at == NOW
    assert loaded.pairs == first.pairs
    # The next day sees the change.
    later = snapshots.total(
        (await snapshots.take(session, day=TODAY + timedelta(days=1), now=NOW)).pairs.values()
    )
    assert (
        (later.on_schedule, later.overdue)
        == (0, 0)
        != (
            snapshots.total(first.pairs.values()).on_schedule,
            snapshots.total(first.pairs.values()).overdue,
        )
    )


async def test_a_day_without_tasks_has_a_snapshot_and_no_counts(session: AsyncSession) -> None:
    await snapshots.take(session, day=TODAY, now=NOW)
    empty = await snapshots.load(session, day=TODAY)
    assert empty is not None
    assert empty.pairs == {}
    assert await snapshots.load(session, day=TODAY - timedelta(days=1)) is None


async def test_the_nearest_snapshot_is_the_latest_on_or_before_a_day(
    session: AsyncSession,
) -> None:
    assert await snapshots.nearest(session, day=TODAY) is None
    assert await snapshots.first_day(session) is None
    for day in (TODAY - timedelta(days=7), TODAY - timedelta(days=2)):
        await snapshots.take(session, day=day, now=NOW)
    found = await snapshots.nearest(session, day=TODAY)
    assert found is not None
    assert found.day == TODAY - timedelta(days=2)
    exact = await snapshots.nearest(session, day=TODAY - timedelta(days=7))
    assert exact is not None
    assert exact.day == TODAY - timedelta(days=7)
    assert await snapshots.nearest(session, day=TODAY - timedelta(days=8)) is None
    assert await snapshots.first_day(session) == TODAY - timedelta(days=7)
    days = await session.scalars(select(SnapshotDay.day).order_by("day"))
    assert list(days) == [TODAY - timedelta(days=7), TODAY - timedelta(days=2)]
