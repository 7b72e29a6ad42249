"""describe_db_error names real driver errors: locked, deadlock, constraint, unreachable."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from storage.db import make_engine
from storage.errors import describe_db_error


async def _failure(engine: AsyncEngine, sql: str) -> BaseException:
    """The error a one-statement transaction raises, as SQLAlchemy hands it over."""
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql))
    except Exception as exc:
        return exc
    raise AssertionError(f"{sql!r} did not fail")


async def test_a_locked_sqlite_database_is_db_locked(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # another process mid-import holds the write lock
    # No busy timeout, so the driver gives up at once instead of after make_engine's 15 s.
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0})
    try:
        exc = await _failure(engine, "INSERT INTO t VALUES (1)")
    finally:
        await engine.dispose()
        holder.close()
    assert "database is locked" in str(exc)
    assert describe_db_error(exc) == "db-locked"


async def test_a_unique_violation_is_db_constraint(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        await session.execute(
            text("INSERT INTO program (code, name) VALUES ('D-DUP', 'a'), ('D-DUP', 'b')")
        )
    assert describe_db_error(caught.value) == "db-constraint"


# The PostgreSQL leg of the `engine` fixture only: these errors are PostgreSQL's own.
postgresql_only = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


@pytest.fixture
async def two(engine: AsyncEngine) -> AsyncIterator[tuple[AsyncConnection, AsyncConnection]]:
    """Two PostgreSQL connections in transactions, rolled back after the test."""
    async with engine.connect() as first, engine.connect() as second:
        await first.begin()
        await second.begin()
        yield first, second
        await first.rollback()
        await second.rollback()


LOCK = "SELECT id FROM agency WHERE id = {id} FOR UPDATE"


@postgresql_only
async def test_a_postgresql_deadlock_is_db_deadlock(
    two: tuple[AsyncConnection, AsyncConnection],
) -> None:
    first, second = two
    await first.execute(text(LOCK.format(id=1)))
    await second.execute(text(LOCK.format(id=2)))
    # Each now waits for the other's row; PostgreSQL aborts one after deadlock_timeout.
    results = await asyncio.gather(
        first.execute(text(LOCK.format(id=2))),
        second.execute(text(LOCK.format(id=1))),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1, results
    assert "deadlock detected" in str(failures[0])
    assert describe_db_error(failures[0]) == "db-deadlock"


@postgresql_only
async def test_a_postgresql_row_lock_refused_is_db_locked(
    two: tuple[AsyncConnection, AsyncConnection],
) -> None:
    first, second = two
    await first.execute(text(LOCK.format(id=1)))
    with pytest.raises(DBAPIError) as caught:
        await second.execute(text(LOCK.format(id=1) + " NOWAIT"))
    assert describe_db_error(caught.value) == "db-locked"


@postgresql_only
async def test_a_missing_postgresql_database_is_unreachable(engine: AsyncEngine) -> None:
    missing = make_engine(engine.url.set(database="d_no_such_database").render_as_string(False))
    try:
        exc = await _failure(missing, "SELECT 1")
    finally:
        await missing.dispose()
    assert describe_db_error(exc) == "startup-db-unreachable"


async def test_a_refused_connection_is_unreachable() -> None:
    engine = make_engine("postgresql+asyncpg://postgres@127.0.0.1:9/x")  # the discard port
    try:
        exc = await _failure(engine, "SELECT 1")
    finally:
        await engine.dispose()
    assert isinstance(exc, ConnectionRefusedError)
    assert describe_db_error(exc) == "startup-db-unreachable"


@pytest.mark.parametrize(
    "exc",
    [
        # asyncpg's error for a misspelt host (built: a test must not ask a resolver)
        socket.gaierror(-2, "Name or service not known"),
        # SQLite's for a file in a missing directory (built: aiosqlite's worker thread
        # outlives a failed open and complains after the test; tests/bot runs it for real)
        OperationalError("connect", {}, sqlite3.OperationalError("unable to open database file")),
    ],
    ids=["unknown-host", "sqlite-no-such-directory"],
)
def test_unknown_hosts_and_unopenable_files_are_unreachable(exc: BaseException) -> None:
    assert describe_db_error(exc) == "startup-db-unreachable"


async def test_our_own_sql_errors_are_not_named(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        await session.execute(text("SELECT no_such_column FROM agency"))
    assert describe_db_error(caught.value) is None
    assert describe_db_error(ValueError("not a database error")) is None
