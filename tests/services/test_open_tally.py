"""Figures from the tallies equal a row-by-row recount on any day, before and after rolling."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import reports
from services.buckets import Bucket, Summary, bucket_of, year_end
from services.figures import EVERYONE, Scope
from services.open_tally import OpenCounts, roll_open_tally, shift, window
from storage.models import Agency, OpenTally, OpenTallyState, Program, Status, Task

AS_OF = date(2026, 11, 25)
SLOTS = {
    Bucket.DONE_ON_TIME: 0,
    Bucket.DONE_LATE: 1,
    Bucket.ON_SCHEDULE: 2,
    Bucket.OVERDUE: 3,
    Bucket.ROUTINE: 4,
}


async def recount(
    session: AsyncSession, today: date, scope: Scope = EVERYONE
) -> dict[int, Summary]:
    """Every task's bucket by services.buckets.bucket_of, summed per lead agency; cancelled
    tasks counted apart (Register draws every status, so tasks are cancelled and reopened)."""
    query = select(Task.lead_agency_id, Task.status, Task.deadline, Task.completed_on)
    counts: dict[int, list[int]] = {}
    for agency_id, status, deadline, completed_on in await session.execute(
        query.where(*scope.where())
    ):
        values = counts.setdefault(agency_id, [0] * 7)
        if status == Status.CANCELLED.value:
            values[6] += 1
            continue
        done = status == Status.DONE.value
        bucket = bucket_of(done=done, deadline=deadline, completed_on=completed_on, today=today)
        values[SLOTS[bucket]] += 1
        if bucket is Bucket.ON_SCHEDULE and deadline is not None and deadline <= year_end(today):
            values[5] += 1
    return {agency_id: Summary(*values) for agency_id, values in counts.items()}


async def figures(
    session: AsyncSession, today: date, scope: Scope = EVERYONE
) -> dict[int, Summary]:
    return await reports.summarize_by_agency(session, today=today, scope=scope)


class Register:
    """A random register and random writes of every report-relevant kind."""

    def __init__(self, session: AsyncSession, seed: int) -> None:
        self.session, self.rng, self.serial = session, random.Random(seed), 0
        self.agencies: list[int] = []
        self.programs: list[int | None] = [None]

    async def fill(self, n: int, around: date) -> None:
        self.agencies = list((await self.session.scalars(select(Agency.id))).all())[:12]
        for code in ("P1", "P2"):
            program = Program(code=code, name=code)
            self.session.add(program)
            await self.session.flush()
            self.programs.append(program.id)
        self.session.add_all(self.task(around) for _ in range(n))
        await self.session.flush()

    def deadline(self, around: date) -> date | None:
        if self.rng.random() < 0.1:
            return None
        return around + timedelta(days=self.rng.randint(-60, 60))

    def task(self, around: date) -> Task:
        self.serial += 1
        status = self.rng.choice(list(Status))
        deadline = self.deadline(around)
        completed = None
        if status is Status.DONE and self.rng.random() < 0.9:
            completed = (deadline or around) + timedelta(days=self.rng.randint(-20, 20))
        return Task(
            code=f"R{self.serial}",
            title="t",
            lead_agency_id=self.rng.choice(self.agencies),
            program_id=self.rng.choice(self.programs),
            deadline=deadline,
            status=status.value,
            completed_on=completed,
        )

    async def write(self, around: date, n: int) -> None:
        """`n` random inserts, deletes and updates (Core, as the importer writes)."""
        ids = list((await self.session.scalars(select(Task.id))).all())
        for _ in range(n):
            kind = self.rng.choice(
                ("insert", "delete", "status", "deadline", "completed", "agency", "program", "all")
            )
            if kind == "insert":
                self.session.add(self.task(around))
                await self.session.flush()
                continue
            target = self.rng.choice(ids)
            if kind == "delete":
                await self.session.execute(delete(Task).where(Task.id == target))
                ids.remove(target)
                continue
            await self.session.execute(
                update(Task).where(Task.id == target).values(**self.changes(kind, around))
            )

    def changes(self, kind: str, around: date) -> dict[str, object]:
        values: dict[str, object] = {
            "status": self.rng.choice(list(Status)).value,
            "deadline": self.deadline(around),
            "completed_on": around + timedelta(days=self.rng.randint(-30, 30)),
            "lead_agency_id": self.rng.choice(self.agencies),
            "program_id": self.rng.choice(self.programs),
        }
        return {k: v for k, v in values.items() if kind in ("all", k, k.split("_")[0])}


async def assert_all_scopes(session: AsyncSession, register: Register, today: date) -> None:
    assert await figures(session, today) == await recount(session, today), today
    agency = register.agencies[0]
    assert await figures(session, today, Scope(agency_id=agency)) == await recount(
        session, today, Scope(agency_id=agency)
    )
    program = register.programs[1]
    assert await figures(session, today, Scope(program_id=program)) == await recount(
        session, today, Scope(program_id=program)
    )


DAYS = (-45, -8, -1, 0, 1, 3, 20, 36, 37, 40)  # around AS_OF: 36 days to New Year 2027


@pytest.mark.parametrize("seed", [1, 2])
async def test_figures_equal_a_recount_before_at_and_after_as_of(
    session: AsyncSession, seed: int
) -> None:
    await roll_open_tally(session, today=AS_OF)
    register = Register(session, seed)
    await register.fill(300, AS_OF)
    for days in (*DAYS, *(register.rng.randint(-70, 70) for _ in range(6))):
        await assert_all_scopes(session, register, AS_OF + timedelta(days=days))


async def test_figures_hold_after_rolling_to_any_day(session: AsyncSession) -> None:
    await roll_open_tally(session, today=AS_OF)
    register = Register(session, 3)
    await register.fill(300, AS_OF)
    for as_of in (date(2026, 11, 26), date(2026, 12, 31), date(2027, 1, 1), date(2026, 10, 2)):
        assert await roll_open_tally(session, today=as_of) != as_of
        for days in (-3, 0, 1, 5, 40):
            await assert_all_scopes(session, register, as_of + timedelta(days=days))


async def test_figures_hold_after_writes_of_every_kind(session: AsyncSession) -> None:
    await roll_open_tally(session, today=AS_OF)
    register = Register(session, 4)
    await register.fill(200, AS_OF)
    for as_of in (AS_OF, date(2026, 12, 30), date(2027, 1, 2)):
        await roll_open_tally(session, today=as_of)
        await register.write(as_of, 120)
        for days in (-4, 0, 2, 10):
            await assert_all_scopes(session, register, as_of + timedelta(days=days))


async def test_roll_rebuild_and_roll_forward_store_the_same_counts(session: AsyncSession) -> None:
    await roll_open_tally(session, today=AS_OF)
    register = Register(session, 5)
    await register.fill(300, AS_OF)
    await register.write(AS_OF, 60)
    for day in (date(2026, 12, 3), date(2027, 1, 1), date(2026, 6, 1)):
        await roll_open_tally(session, today=day)
        rolled = await _stored(session)
        await roll_open_tally(session, today=day, rebuild=True)
        assert await _stored(session) == rolled
        state = await session.get(OpenTallyState, 1, populate_existing=True)
        assert state is not None
        assert (state.as_of, state.year_end) == (day, year_end(day))


async def test_a_rebuild_counts_a_deadline_on_31_december_as_due(session: AsyncSession) -> None:
    await roll_open_tally(session, today=AS_OF)
    mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
    assert mof is not None
    session.add(Task(code="Y1", title="t", lead_agency_id=mof, deadline=year_end(AS_OF)))
    await session.flush()
    kept = await _stored(session)  # as the triggers counted it
    await roll_open_tally(session, today=AS_OF, rebuild=True)
    assert await _stored(session) == kept == {(mof, 0): (0, 1)}


async def test_a_read_for_another_day_writes_nothing(session: AsyncSession) -> None:
    await roll_open_tally(session, today=AS_OF)
    register = Register(session, 6)
    await register.fill(100, AS_OF)
    before = await _stored(session)
    await figures(session, AS_OF + timedelta(days=50))
    assert await _stored(session) == before
    assert await session.scalar(select(OpenTallyState.as_of)) == AS_OF


async def _stored(session: AsyncSession) -> dict[tuple[int, int], tuple[int, int]]:
    rows = await session.execute(select(OpenTally))
    return {
        (t.agency_id, t.program_id): (t.overdue, t.due_by_year_end)
        for (t,) in rows
        if (t.overdue, t.due_by_year_end) != (0, 0)
    }


def test_shift_agrees_with_counting_every_deadline() -> None:
    """The arithmetic of services/open_tally.py against a brute-force count of 400 deadlines."""
    rng = random.Random(11)
    start = date(2026, 10, 1)
    deadlines = [start + timedelta(days=rng.randint(0, 200)) for _ in range(400)]

    def count(today: date) -> OpenCounts:
        return OpenCounts(
            sum(d < today for d in deadlines),
            sum(today <= d <= year_end(today) for d in deadlines),
        )

    for _ in range(300):
        as_of, today = (start + timedelta(days=rng.randint(0, 200)) for _ in range(2))
        lo, hi, top = window(as_of, today)
        between = sum(lo <= d < hi for d in deadlines)
        direct = sum(today <= d <= year_end(today) for d in deadlines)
        # The one range a read scans covers both counts it needs.
        assert all(lo <= d <= top for d in deadlines if lo <= d < hi)
        if year_end(as_of) != year_end(today):
            assert all(lo <= d <= top for d in deadlines if today <= d <= year_end(today))
        assert shift(count(as_of), between, direct, as_of=as_of, today=today) == count(today)
