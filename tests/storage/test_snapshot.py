"""A report's queries read one snapshot, even while writers commit between them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import reports
from services.buckets import Summary
from services.reports import Scope
from storage.db import Sessions, make_sessions, snapshot
from storage.models import Agency, Task

TODAY = date(2026, 11, 25)
PREFIX = "SNAP-"


async def _add(sessions: Sessions, codes: list[str], deadline: date) -> None:
    async with sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        assert mof is not None
        session.add_all(
            Task(code=c, title=c, lead_agency_id=mof, deadline=deadline, status="open")
            for c in codes
        )


@pytest.fixture
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    """Sessions that commit for real; the tasks made here are deleted afterwards."""
    made = make_sessions(engine)
    yield made
    async with made.begin() as session:
        await session.execute(delete(Task).where(Task.code.startswith(PREFIX)))


def _writer_between_queries(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch, write: Callable[[], Any]
) -> None:
    """Run `write` (committing elsewhere) right after the session's first query."""
    execute = session.execute
    calls = [0]

    async def hooked(*args: Any, **kwargs: Any) -> Any:
        result = await execute(*args, **kwargs)
        calls[0] += 1
        if calls[0] == 1:
            await write()
        return result

    monkeypatch.setattr(session, "execute", hooked)


async def _summary_with_writer(
    sessions: Sessions,
    opened: Callable[[], contextlib.AbstractAsyncContextManager[AsyncSession]],
    monkeypatch: pytest.MonkeyPatch,
) -> Summary:
    await _add(sessions, [f"{PREFIX}ON-{i}" for i in range(2)], TODAY + timedelta(days=10))
    overdue = [f"{PREFIX}LATE-{i}" for i in range(5)]
    async with opened() as session:
        # The tally is read first; then 5 overdue tasks commit; then the open tasks are
        # split by today. Seen from two moments, overdue (5) exceeds open-dated (2).
        _writer_between_queries(
            session, monkeypatch, lambda: _add(sessions, overdue, TODAY - timedelta(days=3))
        )
        return await reports.summarize(session, today=TODAY, scope=Scope())


async def test_a_report_reads_one_snapshot_while_a_writer_commits(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await _summary_now(sessions)
    seen = await _summary_with_writer(sessions, lambda: snapshot(sessions), monkeypatch)
    assert all(value >= 0 for value in seen.as_dict().values()), seen
    assert seen.on_schedule + seen.overdue == before.on_schedule + before.overdue + 2
    assert seen.overdue == before.overdue  # the writer's tasks are not half-counted
    after = await _summary_now(sessions)
    assert after.overdue == before.overdue + 5
    assert after.total == seen.total + 5


async def _summary_now(sessions: Sessions) -> Summary:
    async with snapshot(sessions) as session:
        return await reports.summarize(session, today=TODAY, scope=Scope())


async def test_snapshots_are_repeatable_read_and_read_only_on_postgresql(
    sessions: Sessions,
) -> None:
    async with snapshot(sessions) as session:
        if session.get_bind().dialect.name == "sqlite":
            # A deferred transaction in WAL mode reads one snapshot by itself.
            assert session.in_transaction()
            return
        assert await session.scalar(text("SHOW transaction_isolation")) == "repeatable read"
        assert await session.scalar(text("SHOW transaction_read_only")) == "on"
    async with sessions.begin() as session:  # the pooled connection is back to the default
        assert await session.scalar(text("SHOW transaction_isolation")) == "read committed"
