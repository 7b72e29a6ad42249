"""Database failures are told apart from real driver errors: locked, deadlock, constraint,
unreachable, or a bug; and the CLI says which in one line."""

from __future__ import annotations

import asyncio
import csv
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine

from bot.__main__ import main
from services import importer
from storage.db import make_engine
from storage.errors import db_error_reason, describe_db_error, is_retryable


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
    assert is_retryable(exc)


async def test_a_unique_violation_is_db_constraint(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        await session.execute(
            text("INSERT INTO program (code, name) VALUES ('D-DUP', 'a'), ('D-DUP', 'b')")
        )
    assert describe_db_error(caught.value) == "db-constraint"
    assert not is_retryable(caught.value)
    assert "program" in db_error_reason(caught.value)  # the constraint or the column it names


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
    assert is_retryable(failures[0])


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


def test_the_cli_import_says_the_database_was_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = asyncio.run(_locked_error(tmp_path))

    async def refuse(*_args: object, **_kwargs: object) -> importer.ImportReport:
        raise locked

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    monkeypatch.setattr(importer, "import_tasks", refuse)
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["code", "title", "agency"], ["T1", "a", "MOF"]])

    assert main(["import", str(path)]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == (
        "dondoc: t.csv: the database is locked by another process (database is locked); "
        "please run the command again when that process has finished"
    )


async def _locked_error(tmp_path: Path) -> BaseException:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}")
    try:
        async with engine.connect() as holder, engine.connect() as waiter:
            await holder.execute(text("CREATE TABLE t (x INTEGER)"))
            await holder.commit()
            await holder.execute(text("INSERT INTO t VALUES (1)"))
            await waiter.execute(text("PRAGMA busy_timeout = 20"))
            try:
                await waiter.execute(text("INSERT INTO t VALUES (2)"))
            except DBAPIError as exc:
                return exc
            finally:
                await holder.rollback()
    finally:
        await engine.dispose()
    raise AssertionError("no lock error")
