"""Shared fixtures: databases (SQLite and PostgreSQL), sessions rolled back per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import make_engine
from storage.migrate import upgrade

os.environ.setdefault("PTB_TIMEDELTA", "true")  # RetryAfter.retry_after as timedelta, no warning

PG_URL = os.environ.get("TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("DONDOC_REQUIRE_PG") == "1"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


async def _reset_pg(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session", params=_backends())
async def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A migrated database per backend; PostgreSQL only where TEST_PG_URL points to one."""
    if request.param == "postgresql":
        if not PG_URL:
            if REQUIRE_PG:
                pytest.fail("DONDOC_REQUIRE_PG=1 but TEST_PG_URL is not set")
            pytest.skip("PostgreSQL leg skipped: set TEST_PG_URL=postgresql+asyncpg://...")
        eng = make_engine(PG_URL)
        await _reset_pg(eng)
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
