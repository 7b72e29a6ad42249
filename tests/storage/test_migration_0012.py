"""Migration 0012 on a filled database: cancelled tasks leave every count, nothing else moves."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from services.open_tally import NOT_DONE, roll_open_tally
from services.reports import register_version
from storage.db import make_sessions
from storage.migrate import upgrade
from storage.models import (
    Agency,
    Program,
    Task,
    TaskEvent,
    TaskNote,
    TaskState,
    task_coordinators,
)
from storage.seed import sync_agencies
from tests.storage.test_migration_0003 import _migrate, _tally_matches_recount
from tests.storage.test_open_tally import recount as open_recount
from tests.storage.test_open_tally import stored as open_stored

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
AS_OF = date(2026, 11, 25)
TASKS = [  # code, agency, program?, deadline, status, completed_on
    ("A-1", "MOF", True, date(2026, 11, 1), "open", None),  # overdue as of any 2026 day after
    ("A-2", "MOF", True, date(2026, 12, 20), "in_progress", None),
    ("A-3", "MOF", False, None, "open", None),
    ("A-4", "HN", False, date(2026, 6, 1), "done", date(2026, 7, 1)),
    # 'cancelled' written before 0012 knew it (a hand fix): counted as open until 0012.
    ("A-5", "HN", True, date(2026, 12, 1), "cancelled", None),
    ("A-6", "HN", False, None, "cancelled", None),
]


async def _fill_0011(engine: AsyncEngine) -> dict[str, int]:
    """Tasks, coordinators, a note and events as revision 0011 kept them; the agency ids."""
    async with make_sessions(engine).begin() as session:
        await roll_open_tally(session, today=AS_OF)
    async with make_sessions(engine).begin() as session:
        await sync_agencies(session)
        await session.flush()
        ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
        program = Program(code="NQ57", name="Nghị quyết 57")
        session.add(program)
        await session.flush()
        for code, agency, in_program, deadline, status, completed in TASKS:
            session.add(
                Task(
                    code=code,
                    title=f"Nhiệm vụ {code}",
                    lead_agency_id=ids[agency],
                    program_id=program.id if in_program else None,
                    deadline=deadline,
                    original_deadline=date(2026, 10, 1) if code == "A-2" else None,
                    status=status,
                    completed_on=completed,
                    created_at=AT,
                    updated_at=AT,
                )
            )
        await session.flush()
        first = await session.scalar(select(Task.id).where(Task.code == "A-1"))
        await session.execute(
            task_coordinators.insert(), [{"task_id": first, "agency_id": ids["HN"]}]
        )
        session.add(TaskNote(task_id=first, at=AT, user_id=5, text="đã họp"))
        session.add(TaskEvent(task_id=first, at=AT, actor="x", source="chat", field="created"))
    return ids


async def _counts_exact(session: AsyncSession) -> None:
    assert await _tally_matches_recount(await session.connection())
    assert await open_stored(session) == await open_recount(session)


async def _partial_predicates(conn: AsyncConnection) -> list[str]:
    """The WHERE of each partial index on task, as the database shows it."""
    if conn.dialect.name == "sqlite":
        rows = await conn.execute(
            text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'task'"
                " AND sql LIKE '%WHERE%'"
            )
        )
    else:
        rows = await conn.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'task'"
                " AND schemaname = current_schema()"
                " AND indexdef LIKE '%WHERE%'"
            )
        )
    return sorted(str(r[0]).split("WHERE", 1)[1] for r in rows)


async def test_upgrade_keeps_every_row_and_takes_cancelled_tasks_out_of_the_counts(
    blank_engine: AsyncEngine,
) -> None:
    await _migrate(blank_engine, "0011")
    ids = await _fill_0011(blank_engine)
    async with make_sessions(blank_engine).begin() as session:
        before = (await session.execute(select(Task.id, Task.code, Task.code_key))).all()
        version = await register_version(session)
        # 0011 counts the cancelled rows as open, dated or routine.
        assert (await open_stored(session))[(ids["HN"], 1)] == (0, 1)

    await upgrade(blank_engine)

    async with make_sessions(blank_engine).begin() as session:
        await _counts_exact(session)
        rows = (await session.execute(select(Task.id, Task.code, Task.code_key))).all()
        assert sorted(rows) == sorted(before)
        states = dict((await session.execute(select(Task.code, Task.state))).all())
        assert states == {"A-1": 3, "A-2": 3, "A-3": 0, "A-4": 2, "A-5": 4, "A-6": 4}
        assert (await open_stored(session)).get((ids["HN"], 1)) is None
        assert await session.scalar(select(Task.original_deadline).where(Task.code == "A-2")) == (
            date(2026, 10, 1)
        )
        for table in (task_coordinators, TaskNote.__table__, TaskEvent.__table__):
            assert await session.scalar(select(func.count()).select_from(table)) == 1
        assert await register_version(session) > version  # cached reports expire
    async with blank_engine.connect() as conn:
        predicates = await _partial_predicates(conn)
    on_status = [p for p in predicates if "status" in p]
    assert len(on_status) == 3
    assert all("cancelled" in p and "done" in p for p in on_status)
    assert "original_deadline IS NOT NULL" in " ".join(predicates)  # 0011's index, kept


async def test_the_triggers_after_upgrading_count_cancelling_and_reopening(
    blank_engine: AsyncEngine,
) -> None:
    await _migrate(blank_engine, "0011")
    ids = await _fill_0011(blank_engine)
    await upgrade(blank_engine)
    sessions = make_sessions(blank_engine)
    async with sessions.begin() as session:
        version = await register_version(session, ids["MOF"])
        await session.execute(update(Task).where(Task.code == "A-1").values(status="cancelled"))
        await _counts_exact(session)
        assert await register_version(session, ids["MOF"]) > version
        assert await open_stored(session) == await open_recount(session)
        await session.execute(
            update(Task).where(Task.code.in_(["A-1", "A-5"])).values(status="in_progress")
        )
        await _counts_exact(session)
        assert (await open_stored(session))[(ids["HN"], 1)] == (0, 1)
        session.add(Task(code="A-7", title="t", lead_agency_id=ids["MOF"], status="cancelled",
                         deadline=date(2026, 11, 2)))  # fmt: skip
        await session.flush()
        state = await session.scalar(select(Task.state).where(Task.code == "A-7"))
        assert state == TaskState.CANCELLED
        await _counts_exact(session)
        await session.execute(delete(Task).where(Task.code.in_(["A-6", "A-7"])))
        await _counts_exact(session)


async def test_downgrade_reopens_cancelled_tasks_and_upgrading_again_works(
    blank_engine: AsyncEngine,
) -> None:
    await _migrate(blank_engine, "0011")
    ids = await _fill_0011(blank_engine)
    await upgrade(blank_engine)

    await _migrate(blank_engine, "0011", down=True)
    sessions = make_sessions(blank_engine)
    async with sessions.begin() as session:
        connection = await session.connection()
        statuses: dict[str, str] = dict(
            (await connection.execute(text("SELECT code, status FROM task"))).all()
        )
        assert statuses["A-5"] == statuses["A-6"] == "open"
        assert await _tally_matches_recount(connection)
        assert await open_stored(session) == await open_recount(session)
        # 0005's triggers are back: a status change moves open_tally.
        await connection.execute(text("UPDATE task SET status = 'done' WHERE code = 'A-5'"))
        assert await open_stored(session) == await open_recount(session)
        assert (await open_stored(session)).get((ids["HN"], 1)) is None
    async with blank_engine.connect() as conn:
        predicates = await _partial_predicates(conn)
    assert len([p for p in predicates if "status" in p]) == 3
    assert not any("cancelled" in p for p in predicates)
    assert "original_deadline IS NOT NULL" in " ".join(predicates)

    await upgrade(blank_engine)
    async with sessions.begin() as session:
        await _counts_exact(session)
        assert await session.scalar(select(func.count()).select_from(Task)) == len(TASKS)


async def test_open_task_queries_read_the_partial_indexes(session: AsyncSession) -> None:
    """NOT_DONE is spelt so that both planners prove the new partial indexes apply."""
    day = date(2026, 11, 25)
    queries = {
        "ix_task_open": select(func.count())
        .select_from(Task)
        .where(NOT_DONE, Task.deadline < day),
        "ix_task_open_agency": select(Task.code)
        .where(Task.lead_agency_id == 3, NOT_DONE, Task.deadline >= day)
        .order_by(Task.deadline, Task.code)
        .limit(10),
    }
    connection = await session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if not sqlite:  # an empty table: make the planner show which index it could use
        await connection.execute(text("SET LOCAL enable_seqscan = off"))
    for index, query in queries.items():
        sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        plan = await connection.execute(
            text(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql)
        )
        assert index in " ".join(str(row[-1]) for row in plan), index
