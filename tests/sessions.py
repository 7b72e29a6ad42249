"""Session factories and import arguments shared by the storage and service tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.audit import Actor
from storage.db import Sessions, make_engine
from storage.models import EventSource

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
ACTOR = Actor(None, "tasks.csv", EventSource.CLI)


def savepoints(session: AsyncSession) -> Sessions:
    """Sessions inside `session`'s (rolled-back) transaction: each begin() is a savepoint."""
    return async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


async def twin_engine(engine: AsyncEngine) -> AsyncEngine:
    """Another engine (another pool: another "process") on the database `engine` uses."""
    url, extra = await engine_args(engine)
    return make_engine(url, **extra)


async def engine_args(engine: AsyncEngine) -> tuple[str, dict[str, Any]]:
    """make_engine's arguments for a twin of `engine`, to create on another event loop."""
    extra: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":  # the test's own schema (tests/conftest.py)
        async with engine.connect() as conn:
            path = await conn.scalar(text("SHOW search_path"))
        extra["connect_args"] = {"server_settings": {"search_path": path}}
    return engine.url.render_as_string(hide_password=False), extra


def in_another_thread(work: Callable[[], Coroutine[Any, Any, None]]) -> threading.Thread:
    """Start `work` on an event loop of its own: a writer the test's loop cannot hold back."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work())
        except BaseException as exc:  # re-raised by finish()
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.failures = failures  # type: ignore[attr-defined]
    thread.start()
    return thread


def finish(thread: threading.Thread) -> None:
    """Wait for a writer thread; raise what it raised."""
    thread.join(timeout=60)
    assert not thread.is_alive(), "the writer never finished"
    for failure in thread.failures:  # type: ignore[attr-defined]
        raise failure
