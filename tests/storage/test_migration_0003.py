"""Migration 0003 on a database that already has tasks: keys, kept rows, working triggers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from services.reports import get_task, register_version
from storage.db import make_sessions
from storage.migrate import alembic_config, migration_connection, upgrade
from storage.models import Base, Task, TaskState, code_key
from storage.seed import sync_agencies

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
OLD_TASKS = [  # code, agency id, program id, deadline, status, completed_on
    ("T1", 1, 1, date(2026, 3, 1), "open", None),
    ("CASE-1", 1, None, date(2026, 1, 1), "done", date(2026, 2, 1)),
    ("case-1", 2, None, None, "open", None),  # a twin the old schema allowed
    ("Straße", 3, 1, date(2026, 5, 1), "in_progress", None),
]


async def _migrate(engine: AsyncEngine, revision: str, *, down: bool = False) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    async with migration_connection(engine) as conn:
        await conn.run_sync(run)


async def _fill_0002(engine: AsyncEngine) -> None:
    """Tasks, a program and coordinators as revision 0002 stored them (plain SQL)."""
    async with engine.begin() as conn:
        async with AsyncSession(bind=conn) as session:
            await sync_agencies(session)
            await session.flush()
        await conn.execute(text("INSERT INTO program (code, name) VALUES ('P', 'P')"))
        stamp: Any = CREATED if conn.dialect.name == "postgresql" else "2026-01-01 00:00:00"
        for code, agency, program, deadline, status, completed in OLD_TASKS:
            await conn.execute(
                text(
                    "INSERT INTO task (code, title, lead_agency_id, program_id, source, deadline,"
                    " status, completed_on, progress, notes, created_at, updated_at, version)"
                    " VALUES (:code, :title, :agency, :program, '', :deadline, :status,"
                    " :completed, 0, '', :at, :at, 1)"
                ),
                {"code": code, "title": code, "agency": agency, "program": program, "at": stamp,
                 "deadline": deadline, "status": status, "completed": completed},
            )  # fmt: skip
        await conn.execute(text("INSERT INTO task_coordinator VALUES (1, 5), (1, 6), (4, 2)"))


async def _tally_matches_recount(conn: AsyncConnection) -> bool:
    tally = await conn.execute(text("SELECT agency_id, program_id, state, n FROM task_tally"))
    recount = await conn.execute(
        text(
            "SELECT lead_agency_id, COALESCE(program_id, 0), state, COUNT(*) FROM task"
            " GROUP BY lead_agency_id, COALESCE(program_id, 0), state"
        )
    )
    return {tuple(r[:3]): r[3] for r in tally if r[3]} == {tuple(r[:3]): r[3] for r in recount}


async def test_upgrade_keeps_every_task_and_coordinator_and_keys_codes(
    blank_engine: AsyncEngine,
) -> None:
    await _migrate(blank_engine, "0002")
    await _fill_0002(blank_engine)

    await upgrade(blank_engine)

    async with blank_engine.connect() as conn:
        tasks = (await conn.execute(text("SELECT id, code, code_key FROM task ORDER BY id"))).all()
        pairs = (await conn.execute(text("SELECT * FROM task_coordinator ORDER BY 1, 2"))).all()
        assert await _tally_matches_recount(conn)
    assert [(i, c) for i, c, _k in tasks] == [(1, "T1"), (2, "CASE-1"), (3, "case-1"),
                                              (4, "Straße")]  # fmt: skip
    assert [k for _i, _c, k in tasks] == ["t1", "case-1", "case-1\x1f3", "strasse"]
    assert [tuple(p) for p in pairs] == [(1, 5), (1, 6), (4, 2)]
    async with make_sessions(blank_engine).begin() as session:
        found = await get_task(session, code="Case-1")
        assert found is not None
        assert found.id == 2  # the older twin keeps the code; the other is in the log


async def test_triggers_work_after_upgrading_a_filled_database(blank_engine: AsyncEngine) -> None:
    await _migrate(blank_engine, "0002")
    await _fill_0002(blank_engine)
    await upgrade(blank_engine)
    sessions = make_sessions(blank_engine)

    async with sessions.begin() as session:
        version = await register_version(session)
        assert version == len(OLD_TASKS) + 1  # the old counter, carried on
        session.add(Task(code="NEW-1", title="n", lead_agency_id=4, deadline=None,
                         status="open"))  # fmt: skip
    async with sessions.begin() as session:
        t1 = await get_task(session, code="t1")
        assert t1 is not None
        t1.status, t1.completed_on = "done", date(2026, 2, 1)
    async with sessions.begin() as session:
        await session.execute(text("DELETE FROM task WHERE code = 'Straße'"))

    async with sessions.begin() as session:
        assert await register_version(session) == version + 3
        assert await _tally_matches_recount(await session.connection())
        state = await session.scalar(select(Task.state).where(Task.code == "T1"))
        assert state == TaskState.DONE_ON_TIME
    async with sessions.begin() as session:
        session.add(Task(code="new-1", title="twin", lead_agency_id=4, status="open"))
        try:
            await session.flush()
            raise AssertionError("a code differing only in case must be refused")
        except IntegrityError:
            await session.rollback()


async def test_downgrade_restores_0002_and_upgrading_again_works(
    blank_engine: AsyncEngine,
) -> None:
    await _migrate(blank_engine, "0002")
    await _fill_0002(blank_engine)
    await upgrade(blank_engine)

    await _migrate(blank_engine, "0002", down=True)
    async with blank_engine.begin() as conn:
        pairs = (await conn.execute(text("SELECT COUNT(*) FROM task_coordinator"))).scalar()
        assert (pairs, await _tally_matches_recount(conn)) == (3, True)
        await conn.execute(text("UPDATE task SET status = 'done' WHERE code = 'T1'"))
        await conn.execute(text("UPDATE task SET completed_on = deadline WHERE code = 'T1'"))
        assert await _tally_matches_recount(conn)  # 0002's triggers are back
        version = (await conn.execute(text("SELECT version FROM register_state"))).scalar()
        assert version == len(OLD_TASKS) + 2 + 2

    await upgrade(blank_engine)
    async with blank_engine.connect() as conn:
        assert await _tally_matches_recount(conn)
        count = await conn.scalar(select(func.count()).select_from(Task))
        assert count == len(OLD_TASKS)


async def test_the_migrated_schema_is_the_models(fresh_engine: AsyncEngine) -> None:
    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with fresh_engine.connect() as conn:
        assert await conn.run_sync(differences) == []
        if conn.dialect.name == "sqlite":  # partial indexes stay partial after the rebuild
            partial = await conn.execute(text("SELECT name FROM pragma_index_list('task')"
                                              " WHERE partial = 1 ORDER BY name"))  # fmt: skip
            assert [r[0] for r in partial] == [
                "ix_task_extended",  # 0011
                "ix_task_open", "ix_task_open_agency", "ix_task_open_program"
            ]  # fmt: skip


def test_code_key_folds_case_and_composition() -> None:
    assert code_key("CASE-1") == code_key("case-1") == "case-1"
    assert code_key("Nhiệm-Vụ") == code_key("nhie\u0323\u0302m-vu\u0323")  # NFD, any case
    assert code_key("STRASSE") == code_key("Straße") == "strasse"
