"""Databases for tests: the PostgreSQL leg's settings, and empty databases of a test's own
(for tests that commit, run concurrent transactions or migrate step by step)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NoReturn
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_engine

PG_URL = os.environ.get("TEST_PG_URL", "")
REQUIRE_PG = os.environ.get("DONDOC_REQUIRE_PG") == "1"
# Every storage test runs on both; `-m "not pg"` leaves PostgreSQL out.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


def no_pg(reason: str) -> NoReturn:
    """Skip the PostgreSQL leg loudly (fail instead under DONDOC_REQUIRE_PG=1, as in CI)."""
    if REQUIRE_PG:
        pytest.fail(f"DONDOC_REQUIRE_PG=1 but {reason}")
    pytest.skip(f"PostgreSQL leg SKIPPED: {reason}")


async def pg_engine_as_is() -> AsyncEngine:
    """An engine on the PostgreSQL test database, left as it is; skips if unreachable."""
    if not PG_URL:
        no_pg("TEST_PG_URL is not set")
    eng = make_engine(PG_URL)
    try:
        async with eng.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError) as exc:
        await eng.dispose()
        no_pg(f"cannot reach {PG_URL}: {exc}")
    return eng


@contextlib.asynccontextmanager
async def empty_database(kind: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database (PostgreSQL: a schema of TEST_PG_URL's database), not migrated."""
    if kind == "sqlite":
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        await engine.dispose()
        return
    admin = await pg_engine_as_is()
    schema = f"fresh_{uuid4().hex[:10]}"
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()
