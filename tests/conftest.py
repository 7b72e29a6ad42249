"""Shared fixtures: databases (SQLite and PostgreSQL), sessions rolled back per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import Sessions, make_engine
from storage.migrate import upgrade
from tests.fresh_db import BACKENDS, empty_database, pg_engine_as_is
from tests.sessions import savepoints

os.environ.setdefault("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta, no warning


async def _reset_pg(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


async def _pg_engine() -> AsyncEngine:
    """The PostgreSQL test database, emptied; a loud skip (or failure in CI) if unreachable."""
    eng = await pg_engine_as_is()
    await _reset_pg(eng)
    return eng


@pytest.fixture(scope="session", params=BACKENDS)
async def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A migrated database per backend; PostgreSQL only where TEST_PG_URL points to one."""
    if request.param == "postgresql":
        eng = await _pg_engine()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "test.db"
        eng = make_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test."""
    async with engine.connect() as conn:
        outer = await conn.begin()
        sessions = async_sessionmaker(
            bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        async with sessions() as sess:
            yield sess
        await outer.rollback()


@pytest.fixture
def sessions(session: AsyncSession) -> Sessions:
    """Sessions inside the test's rolled-back transaction: each begin() is a savepoint."""
    return savepoints(session)


@pytest.fixture(params=BACKENDS)
async def blank_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An empty database of the test's own (a SQLite file, a PostgreSQL schema): for tests
    that commit, run concurrent transactions or migrate step by step."""
    async with empty_database(request.param, tmp_path) as eng:
        yield eng


@pytest.fixture
async def fresh_engine(blank_engine: AsyncEngine) -> AsyncEngine:
    """A migrated database of the test's own (see blank_engine)."""
    await upgrade(blank_engine)
    return blank_engine
