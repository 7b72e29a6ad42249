"""Apply Alembic migrations from inside the running event loop, then seed agencies.

Several processes may start together on one database: the first migrates while the
others wait (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), then find the
schema at head and do nothing.
"""

from __future__ import annotations

import ast
import asyncio
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage.db import IMMEDIATE, Lock, take_lock
from storage.errors import is_retryable
from storage.seed import sync_agencies

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
ATTEMPTS = 4  # SQLite: each waits up to busy_timeout (15 s) for another process's migration
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
# `revision = "0002"`, `down_revision: str | None = "0001"`: as Alembic's templates write them
_REVISION = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.M)


def alembic_config(url: str = "") -> Config:
    """Alembic config without an ini file: dondoc carries its own script location."""
    from alembic.config import Config  # Alembic loads only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@cache
def heads() -> frozenset[str]:
    """The revisions no other one follows, read from the scripts' text."""
    # Not Alembic's ScriptDirectory: it imports every script, and a process that finds its
    # database at head (every start but the first) would load Alembic for nothing. A test
    # checks this against Alembic's own answer.
    revisions: set[str] = set()
    followed: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION.findall(script.read_text(encoding="utf-8")))
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found["down_revision"])
        followed.update(down if isinstance(down, tuple | list) else [down] if down else [])
    return frozenset(revisions - followed)


def _at_head(connection: Connection) -> bool:
    if not inspect(connection).has_table(VERSION_TABLE):
        return False
    current = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
    return set(current) == heads()


async def _settle_failed_connections() -> None:
    """Let aiosqlite's worker threads finish before the caller's event loop may close."""
    # aiosqlite 0.22 stops a connection that failed to open without waiting for its thread;
    # if the loop closes first (a CLI exiting on "cannot open the database"), the thread
    # prints a traceback under the one-line message. Only this failure path waits, 1 s at most.
    for _ in range(20):
        if not any(t.name.endswith(_AIOSQLITE_THREAD) for t in threading.enumerate()):
            return
        await asyncio.sleep(0.05)


_AIOSQLITE_THREAD = "(_connection_worker_thread)"


def _foreign_keys(connection: Connection, on: bool) -> None:
    # A PRAGMA, not a statement: SQLAlchemy would BEGIN first, and SQLite ignores
    # foreign_keys inside a transaction.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


@asynccontextmanager
async def migration_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in a transaction no other migration overlaps, committed at the end.

    On SQLite foreign keys are off meanwhile (a migration that rebuilds a table would
    otherwise cascade its DROP), and checked before the commit.
    """
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.run_sync(_foreign_keys, False)
        try:
            await conn.execution_options(**{IMMEDIATE: True})
            async with conn.begin():
                await take_lock(conn, Lock.MIGRATE)
                yield conn
                if sqlite:
                    broken = (await conn.execute(text("PRAGMA foreign_key_check"))).all()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                await conn.run_sync(_foreign_keys, True)


async def _up_to_date(engine: AsyncEngine) -> bool:
    """At head with the agencies as shipped: then no lock needs taking (a read only)."""
    async with engine.connect() as conn:
        if not await conn.run_sync(_at_head):
            return False
        async with AsyncSession(bind=conn) as session:
            return await sync_agencies(session) == 0  # unflushed changes roll back


async def upgrade(engine: AsyncEngine) -> bool:
    """Bring the schema to head and make sure the 56 agencies are present; False if it
    found nothing to do."""
    try:
        if await _up_to_date(engine):
            return False
    except (OSError, DBAPIError):
        await _settle_failed_connections()
        raise
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with migration_connection(engine) as conn:
                await conn.run_sync(_upgrade)
                async with AsyncSession(bind=conn) as session:
                    await sync_agencies(session)
                    await session.flush()
            return True
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not is_retryable(exc):
                raise
    raise AssertionError("unreachable: the last attempt re-raises")
