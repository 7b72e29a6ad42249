"""Processes starting together migrate once; an up-to-date database takes no write lock."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import make_engine
from storage.migrate import alembic_config, heads, migration_connection, upgrade
from storage.models import Agency
from storage.seed import sync_agencies
from tests.sessions import twin_engine

PROCESSES = 4
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _heads(connection: Connection) -> tuple[str, ...]:
    return tuple(MigrationContext.configure(connection).get_current_heads())


async def test_concurrent_upgrades_of_an_empty_database_migrate_once(
    blank_engine: AsyncEngine,
) -> None:
    # One engine (one pool) per "process", as separate `dondoc run` processes would have.
    engines = [await twin_engine(blank_engine) for _ in range(PROCESSES)]
    try:
        # Without the lock they interleave and fail, or hang in Alembic: a bounded wait.
        await asyncio.wait_for(asyncio.gather(*(upgrade(e) for e in engines)), timeout=120)
    finally:
        for engine in engines:
            await engine.dispose()

    async with blank_engine.connect() as conn:
        assert await conn.run_sync(_heads) == (HEAD,)
        assert await conn.scalar(select(func.count()).select_from(Agency)) == 56


async def test_an_up_to_date_database_is_not_locked_to_start(fresh_engine: AsyncEngine) -> None:
    # `dondoc status` must not queue behind an import's write transaction.
    async with fresh_engine.connect() as writer:
        await writer.begin()
        await writer.execute(text("UPDATE agency SET name_en = name_en WHERE id = 1"))
        await asyncio.wait_for(upgrade(fresh_engine), timeout=10)
        await writer.rollback()


def test_heads_read_from_the_scripts_are_alembics() -> None:
    # storage.migrate reads the scripts' text so that a database at head needs no Alembic.
    assert heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def test_a_database_behind_head_is_upgraded(tmp_path: Path) -> None:
    # heads() says "behind" for a database one revision short, and Alembic then runs.
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'behind.db'}")
    script = ScriptDirectory.from_config(alembic_config()).get_revision(str(HEAD))
    assert script is not None
    assert isinstance(script.down_revision, str)
    before = script.down_revision
    try:
        async with migration_connection(engine) as conn:
            await conn.run_sync(_migrate_to, before)
            async with AsyncSession(bind=conn) as session:  # only the revision is behind
                await sync_agencies(session)
                await session.flush()
        assert await upgrade(engine) is True
        async with engine.connect() as conn:
            assert await conn.run_sync(_heads) == (HEAD,)
    finally:
        await engine.dispose()


def _migrate_to(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)
