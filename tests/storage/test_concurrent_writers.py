"""PostgreSQL: writers of different agencies, or of figures reports do not read, never wait;
a TRUNCATE (which fires no row trigger) still keeps the tally and the versions right."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.reports import register_version
from storage.db import make_sessions
from storage.errors import describe_db_error
from storage.models import Agency, Task, TaskTally

DAY = date(2026, 11, 25)
WAIT = "SET LOCAL lock_timeout = '300ms'"  # "did not wait": a wait fails within 0.3 s

pytestmark = [
    pytest.mark.pg,
    pytest.mark.parametrize("blank_engine", ["postgresql"], indirect=True),
]


async def _seed(engine: AsyncEngine) -> None:
    async with make_sessions(engine).begin() as session:
        ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
        session.add_all(
            Task(code=code, title=code, lead_agency_id=ids[agency], deadline=DAY, status="open")
            for code, agency in (("A1", "MOF"), ("A2", "MOF"), ("B1", "MOH"), ("B2", "MOH"))
        )


async def _set(conn: AsyncConnection, code: str, **values: object) -> None:
    await conn.execute(update(Task).where(Task.code == code).values(**values))


async def _hold_mof(conn: AsyncConnection) -> None:
    """Change a MOF task's bucket and leave the transaction open (its locks held)."""
    await conn.begin()
    await _set(conn, "A1", status="done", completed_on=DAY, deadline=DAY - timedelta(days=1))


async def test_writers_of_different_agencies_both_commit_without_waiting(
    fresh_engine: AsyncEngine,
) -> None:
    await _seed(fresh_engine)
    async with fresh_engine.connect() as first, fresh_engine.connect() as second:
        await _hold_mof(first)
        await second.begin()
        await second.execute(text(WAIT))
        await _set(second, "B1", status="done", completed_on=DAY)
        await _set(second, "B2", deadline=DAY + timedelta(days=9), status="in_progress")
        await _set(second, "A2", progress=50, notes="đã họp")  # MOF, but no report figure
        await second.commit()
        await first.commit()
    async with fresh_engine.connect() as conn:
        rows = await conn.execute(select(Task.code, Task.status).order_by(Task.code))
        assert dict(rows.all()) == {"A1": "done", "A2": "open", "B1": "done", "B2": "in_progress"}


async def test_writers_of_one_agencys_figures_do_wait(fresh_engine: AsyncEngine) -> None:
    # The control that shows the test above can fail: the same method sees this wait.
    await _seed(fresh_engine)
    async with fresh_engine.connect() as first, fresh_engine.connect() as second:
        await _hold_mof(first)
        await second.begin()
        await second.execute(text(WAIT))
        with pytest.raises(DBAPIError) as waited:
            await _set(second, "A2", deadline=DAY + timedelta(days=3))
        await second.rollback()
        await first.commit()
    assert describe_db_error(waited.value) == "db-locked"


async def test_a_truncate_empties_the_tally_and_expires_every_report(
    fresh_engine: AsyncEngine,
) -> None:
    await _seed(fresh_engine)
    async with make_sessions(fresh_engine).begin() as session:
        hn = await session.scalar(select(Agency.id).where(Agency.code == "HN"))
        before = await register_version(session, hn)
        await session.execute(text("TRUNCATE task CASCADE"))
        assert await session.scalar(select(func.count()).select_from(TaskTally)) == 0
        assert await register_version(session, hn) > before
