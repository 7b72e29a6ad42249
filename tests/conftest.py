"""Shared fixtures: databases (SQLite and PostgreSQL), sessions rolled back per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import Sessions, make_engine
from storage.migrate import upgrade
from tests.sessions import savepoints

os.environ.setdefault("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta, no warning

PG_URL = os.environ.get("TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("DONDOC_REQUIRE_PG") == "1"


async def _reset_pg(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


async def _pg_engine() -> AsyncEngine:
    """The PostgreSQL test database, emptied; a loud skip (or failure in CI) if unreachable."""
    if not PG_URL:
        _no_pg("TEST_PG_URL is not set")
    eng = make_engine(PG_URL)
    try:
        await _reset_pg(eng)
    except (OSError, SQLAlchemyError) as exc:
        await eng.dispose()
        _no_pg(f"cannot reach {PG_URL}: {exc}")
    return eng


def _no_pg(reason: str) -> NoReturn:
    if REQUIRE_PG:
        pytest.fail(f"DONDOC_REQUIRE_PG=1 but {reason}")
    pytest.skip(f"PostgreSQL leg SKIPPED: {reason}")


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]
)
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


@pytest.fixture(params=["sqlite", "postgresql"])
async def blank_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An empty database of the test's own (a SQLite file, a PostgreSQL schema): for tests
    that commit, run concurrent transactions or migrate step by step."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'blank.db'}")
        yield eng
        await eng.dispose()
        return
    admin = await _pg_engine_as_is()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    eng = make_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield eng
    finally:
        await eng.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()


@pytest.fixture
async def fresh_engine(blank_engine: AsyncEngine) -> AsyncEngine:
    """A migrated database of the test's own (see blank_engine)."""
    await upgrade(blank_engine)
    return blank_engine


async def _pg_engine_as_is() -> AsyncEngine:
    """An engine on the PostgreSQL test database, left as it is; skips as _pg_engine does."""
    if not PG_URL:
        _no_pg("TEST_PG_URL is not set")
    eng = make_engine(PG_URL)
    try:
        async with eng.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError) as exc:
        await eng.dispose()
        _no_pg(f"cannot reach {PG_URL}: {exc}")
    return eng
