"""Engine, session factory, report snapshots; SQLite gets WAL, foreign keys, real BEGINs."""

from __future__ import annotations

import contextlib
import enum
import re
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

Sessions = async_sessionmaker[AsyncSession]

# An execution option read when SQLite begins a transaction: BEGIN IMMEDIATE takes the
# write lock at once, so a transaction that will write never fails half-way because
# another writer committed after it read (see ../shared/notes/stack.md §3.2).
IMMEDIATE = "dondoc_begin_immediate"

WAL_ATTEMPTS = 25  # about 6.5 s of waiting in all, for a new file's first connections


class Lock(enum.IntEnum):
    """PostgreSQL advisory lock keys (transaction-level), one per kind of exclusive work."""

    MIGRATE = 0x646F6E01  # "don" + 1
    IMPORT = 0x646F6E02


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for SQLite (file, WAL) or PostgreSQL (asyncpg)."""
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 15}, **kwargs)
        _configure_sqlite(engine)
        return engine
    pg_url, connect_args = for_asyncpg(make_url(url))
    if connect_args:
        kwargs["connect_args"] = connect_args | kwargs.get("connect_args", {})
    return create_async_engine(pg_url, pool_pre_ping=True, **kwargs)


def for_asyncpg(url: URL) -> tuple[URL, dict[str, Any]]:
    """Translate libpq's URL options, as hosting providers write them, to asyncpg's.

    `?sslmode=require` becomes `ssl=require` (asyncpg takes the same modes under that name);
    `?connect_timeout=10` becomes asyncpg's `timeout` in seconds. Without this, asyncpg
    refuses both with "unexpected keyword argument".
    """
    query = dict(url.query)
    connect_args: dict[str, Any] = {}
    sslmode = query.pop("sslmode", None)
    if sslmode is not None:
        query.setdefault("ssl", sslmode)  # ssl= given as well: it wins
    if "connect_timeout" in query:
        connect_args["timeout"] = float(str(query.pop("connect_timeout")))
    return url.set(query=query), connect_args


def _configure_sqlite(engine: AsyncEngine) -> None:
    # See ../shared/notes/stack.md §3.2: sqlite3's legacy transaction control skips BEGIN
    # for SELECT and SAVEPOINT, so rollbacks leak; we emit BEGIN ourselves.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        _enter_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_conn.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _enter_wal(cursor: Any) -> None:
    """Put the file in WAL mode (it stays so): once, whoever comes first.

    Switching a new file to WAL needs an exclusive lock and SQLite does not wait for it
    (busy_timeout does not apply), so processes starting together on one new file retry
    briefly; it happens only on a database's first connections.
    """
    for attempt in range(WAL_ATTEMPTS):
        cursor.execute("PRAGMA journal_mode")
        if str(cursor.fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # the driver's OperationalError, wrapped or not
            if "locked" not in str(error) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1))


def make_sessions(engine: AsyncEngine) -> Sessions:
    """Session factory; objects stay readable after commit (no lazy I/O in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False)


@contextlib.asynccontextmanager
async def snapshot(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    """A session whose reads all see one moment: a report's queries must agree.

    PostgreSQL: a REPEATABLE READ READ ONLY transaction (under READ COMMITTED each query
    sees what committed before it, so two queries of one report could disagree). SQLite: a
    deferred transaction in WAL mode already reads one snapshot from its first read.
    """
    options: dict[str, Any] = {}
    if sessions.kw["bind"].dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    async with sessions() as session:
        await session.connection(execution_options=options)  # begins the transaction
        yield session
        await session.commit()  # nothing to write: ends the snapshot, returns the connection


async def take_lock(conn: AsyncConnection, lock: Lock) -> None:
    """Hold `lock` until the transaction ends (PostgreSQL; SQLite has BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(lock)})


@contextlib.asynccontextmanager
async def exclusive(sessions: Sessions, lock: Lock) -> AsyncIterator[AsyncSession]:
    """A write transaction that waits for, and then excludes, any other holder of `lock`.

    SQLite: BEGIN IMMEDIATE (one writer at a time anyway). PostgreSQL: an advisory lock
    taken first; other writers are not excluded, so the body still checks what it read.
    Committed when the body ends, rolled back if it raises.
    """
    async with sessions() as session:
        conn = await session.connection(execution_options={IMMEDIATE: True})
        await take_lock(conn, lock)
        yield session
        await session.commit()


_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@contextlib.contextmanager
def recorded(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` meanwhile, transaction control left out.

    How benchmarks and tests count what one update costs.
    """
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not _CONTROL.match(statement):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


@contextlib.asynccontextmanager
async def writing(sessions: Sessions) -> AsyncIterator[AsyncSession]:
    """A write transaction that may read before it writes, committed when the body ends.

    SQLite: BEGIN IMMEDIATE, so its write never fails because another writer committed after
    its reads (a deferred transaction could not upgrade its read snapshot then). PostgreSQL:
    an ordinary transaction; the body's conditional writes decide races there.
    """
    async with sessions() as session:
        await session.connection(execution_options={IMMEDIATE: True})
        yield session
        await session.commit()
