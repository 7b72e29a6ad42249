"""Migration 0005: open_tally kept by triggers, backfilled, and rolled safely beside writers."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from alembic import command
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.buckets import year_end
from services.open_tally import roll_open_tally
from storage.db import make_sessions
from storage.migrate import alembic_config, migration_connection, upgrade
from storage.models import Agency, OpenTally, OpenTallyState, Program, Status, Task
from storage.seed import sync_agencies
from tests.fresh_db import BACKENDS, empty_database

AS_OF = date(2026, 11, 25)
Counts = dict[tuple[int, int], tuple[int, int]]


@pytest.fixture(params=BACKENDS)
async def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database on each backend."""
    async with empty_database(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture
async def fresh_pg(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty PostgreSQL schema (row locks are what these tests are about)."""
    async with empty_database("postgresql", tmp_path) as engine:
        yield engine


async def migrate_to(engine: AsyncEngine, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with migration_connection(engine) as conn:
        await conn.run_sync(run)
    async with make_sessions(engine).begin() as session:
        await sync_agencies(session)


async def stored(session: AsyncSession) -> Counts:
    rows = await session.execute(select(OpenTally))
    return {
        (t.agency_id, t.program_id): (t.overdue, t.due_by_year_end)
        for (t,) in rows
        if (t.overdue, t.due_by_year_end) != (0, 0)
    }


async def recount(session: AsyncSession) -> Counts:
    """open_tally as it should be, counted task by task as of the stored day."""
    state = (await session.execute(select(OpenTallyState.as_of, OpenTallyState.year_end))).one()
    counts: dict[tuple[int, int], list[int]] = {}
    rows = await session.execute(
        select(Task.lead_agency_id, Task.program_id, Task.deadline, Task.status)
    )
    for agency_id, program_id, deadline, status in rows:
        closed = status in (Status.DONE.value, Status.CANCELLED.value)
        if closed or deadline is None or deadline > state.year_end:
            continue
        pair = counts.setdefault((agency_id, program_id or 0), [0, 0])
        pair[0 if deadline < state.as_of else 1] += 1
    return {key: (o, d) for key, (o, d) in counts.items() if (o, d) != (0, 0)}


def random_task(rng: random.Random, code: str, agencies: list[int], programs: list[int]) -> Task:
    return Task(
        code=code,
        title="t",
        lead_agency_id=rng.choice(agencies),
        program_id=rng.choice([None, *programs]),
        deadline=None if rng.random() < 0.1 else AS_OF + timedelta(days=rng.randint(-50, 60)),
        status=rng.choice(list(Status)).value,
    )


async def ids_of(session: AsyncSession) -> tuple[list[int], list[int]]:
    agencies = list((await session.scalars(select(Agency.id).order_by(Agency.id))).all())[:8]
    programs = list((await session.scalars(select(Program.id))).all())
    if not programs:
        session.add_all([Program(code="P1", name="P1"), Program(code="P2", name="P2")])
        await session.flush()
        programs = list((await session.scalars(select(Program.id))).all())
    return agencies, programs


async def test_upgrade_counts_the_tasks_already_there(fresh: AsyncEngine) -> None:
    await migrate_to(fresh, "0004")  # the revision before open_tally's
    rng = random.Random(1)
    async with make_sessions(fresh).begin() as session:
        agencies = list((await session.scalars(select(Agency.id))).all())
        # Core, naming only the columns: the model has columns that 0004 had not.
        rows = [random_task(rng, f"B{i}", agencies, []) for i in range(200)]
        names = ("code", "title", "lead_agency_id", "program_id", "deadline", "status")
        await session.execute(
            insert(Task), [{name: getattr(row, name) for name in names} for row in rows]
        )
    await upgrade(fresh)
    async with make_sessions(fresh).begin() as session:
        state = await session.get(OpenTallyState, 1)
        assert state is not None
        assert state.year_end == year_end(state.as_of)
        assert await stored(session) == await recount(session) != {}


async def test_triggers_keep_open_tally_equal_to_a_recount(fresh: AsyncEngine) -> None:
    await upgrade(fresh)
    rng = random.Random(2)
    async with make_sessions(fresh).begin() as session:
        await roll_open_tally(session, today=AS_OF)
        agencies, programs = await ids_of(session)
        session.add_all(random_task(rng, f"T{i}", agencies, programs) for i in range(150))
        await session.flush()
        assert await stored(session) == await recount(session)
        # Statements of many rows, through Core as the importer writes.
        many = Task.lead_agency_id.in_(agencies[:3])
        await session.execute(update(Task).where(many).values(deadline=AS_OF - timedelta(1)))
        await session.execute(update(Task).where(Task.code.like("T1%")).values(status="done"))
        await session.execute(
            update(Task).where(Task.code.like("T2%")).values(program_id=programs[0])
        )
        await session.execute(update(Task).where(Task.code.like("T3%")).values(progress=50))
        await session.execute(update(Task).where(Task.code.like("T5%")).values(status="cancelled"))
        await session.execute(delete(Task).where(Task.code.like("T4%")))
        await session.execute(
            insert(Task).from_select(
                ["code", "code_key", "title", "lead_agency_id", "program_id", "deadline",
                 "status", "source", "progress", "notes", "created_at", "updated_at", "version"],
                select(Task.code + "-copy", Task.code_key + "-copy", Task.title,
                       Task.lead_agency_id, Task.program_id, Task.deadline, Task.status,
                       Task.source, Task.progress, Task.notes,
                       Task.created_at, Task.updated_at, Task.version),
            )
        )  # fmt: skip
        assert await stored(session) == await recount(session)
        # Open again (the cancelled ones reopened), and every deadline moved into next year
        # or out of the year.
        await session.execute(update(Task).values(status="open", deadline=Task.deadline))
        await session.execute(
            update(Task).where(Task.code.like("%-copy")).values(deadline=date(2027, 2, 1))
        )
        assert await stored(session) == await recount(session)
        await roll_open_tally(session, today=date(2027, 1, 3))
        assert await stored(session) == await recount(session)


@pytest.mark.pg
async def test_an_update_that_moves_no_count_locks_nothing(fresh_pg: AsyncEngine) -> None:
    await upgrade(fresh_pg)
    sessions = make_sessions(fresh_pg)
    async with sessions.begin() as session:
        await roll_open_tally(session, today=AS_OF)
        agencies, _ = await ids_of(session)
        session.add(Task(code="X", title="t", lead_agency_id=agencies[0], deadline=AS_OF))
    probe = "SELECT 1 FROM open_tally_state, open_tally FOR UPDATE NOWAIT"
    for values, locks in (({"progress": 40, "notes": "n"}, False), ({"deadline": AS_OF}, False),
                          ({"deadline": AS_OF + timedelta(1)}, True)):  # fmt: skip
        async with sessions() as writer, sessions() as other:
            await writer.execute(update(Task).where(Task.code == "X").values(**values))
            if locks:
                with pytest.raises(DBAPIError, match="could not obtain lock"):
                    await other.execute(text(probe))
            else:
                await other.execute(text(probe))
            await writer.commit()


async def wait_until_blocked(engine: AsyncEngine, pid: int) -> None:
    """Poll until backend `pid` waits for a lock (never a fixed sleep)."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    async with engine.connect() as monitor:
        for _ in range(3000):
            if await monitor.scalar(query, {"pid": pid}) == "Lock":
                return
            await asyncio.sleep(0.01)
    raise AssertionError(f"backend {pid} never waited for a lock")


async def pid_of(session: AsyncSession) -> int:
    return int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)


@pytest.mark.pg
async def test_a_roll_waits_for_a_writer_and_a_writer_for_a_roll(fresh_pg: AsyncEngine) -> None:
    await upgrade(fresh_pg)
    sessions = make_sessions(fresh_pg)
    rng = random.Random(3)
    async with sessions.begin() as session:
        await roll_open_tally(session, today=AS_OF)
        agencies, programs = await ids_of(session)
        session.add_all(random_task(rng, f"C{i}", agencies, programs) for i in range(100))

    async def write(session: AsyncSession, prefix: str) -> None:
        session.add_all(random_task(rng, f"{prefix}{i}", agencies, programs) for i in range(30))
        await session.flush()
        await session.execute(
            update(Task).where(Task.code.like("C1%")).values(deadline=AS_OF + timedelta(2))
        )
        await session.execute(delete(Task).where(Task.code.like("C2%")))

    # A writer first: the roll waits for its commit, then counts its tasks as of the new day.
    async with sessions() as writer, sessions() as roller:
        await write(writer, "W")
        pid = await pid_of(roller)
        roll = asyncio.create_task(roll_open_tally(roller, today=AS_OF + timedelta(3)))
        await wait_until_blocked(fresh_pg, pid)
        await writer.commit()
        await roll
        await roller.commit()
    async with sessions() as check:
        assert await stored(check) == await recount(check)
    # A roll first: the writer waits, then counts as of the day the roll stored.
    async with sessions() as roller, sessions() as writer:
        await roll_open_tally(roller, today=AS_OF - timedelta(4))
        pid = await pid_of(writer)
        writing = asyncio.create_task(write(writer, "V"))
        await wait_until_blocked(fresh_pg, pid)
        await roller.commit()
        await writing
        await writer.commit()
    async with sessions() as check:
        assert await check.scalar(select(OpenTallyState.as_of)) == AS_OF - timedelta(4)
        assert await stored(check) == await recount(check)


async def retrying(
    sessions: Callable[[], AsyncSession], work: Callable[[AsyncSession], Awaitable[None]]
) -> None:
    """Run `work` in a transaction, again after a deadlock (0002's version row can cause one)."""
    for _ in range(20):
        async with sessions() as session:
            try:
                await work(session)
                await session.commit()
                return
            except DBAPIError as exc:
                if "deadlock" not in str(exc):
                    raise
    raise AssertionError("still deadlocked after 20 tries")


@pytest.mark.pg
async def test_rolls_among_concurrent_writers_never_leave_wrong_counts(
    fresh_pg: AsyncEngine,
) -> None:
    await upgrade(fresh_pg)
    sessions = make_sessions(fresh_pg)
    async with sessions.begin() as session:
        await roll_open_tally(session, today=AS_OF)
        agencies, programs = await ids_of(session)

    async def some_writes(rng: random.Random, session: AsyncSession) -> None:
        session.add_all(
            random_task(rng, f"S{uuid4().hex[:12]}", agencies, programs) for _ in range(5)
        )
        await session.flush()
        await session.execute(
            update(Task)
            .where(Task.lead_agency_id == rng.choice(agencies))
            .values(deadline=AS_OF + timedelta(rng.randint(-5, 5)), status="open")
        )
        if rng.random() < 0.3:
            await session.execute(delete(Task).where(Task.id % 7 == rng.randint(0, 6)))

    async def roll_to(days: int, session: AsyncSession) -> None:
        await roll_open_tally(session, today=AS_OF + timedelta(days))

    async def writer(n: int) -> None:
        rng = random.Random(n)
        for _ in range(12):
            await retrying(sessions, functools.partial(some_writes, rng))

    async def roller() -> None:
        for days in (1, 2, -3, 40, 0, 5):
            await retrying(sessions, functools.partial(roll_to, days))

    await asyncio.gather(writer(1), writer(2), writer(3), roller())
    async with sessions() as check:
        assert (await check.scalar(select(func.count(Task.id))) or 0) > 0
        assert await stored(check) == await recount(check)
