"""A task's history on both databases: newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit, history
from services.audit import Actor
from storage.models import Agency, EventSource, Task
from tests.sessions import NOW

LAN = Actor(77, "Chị Lan", EventSource.CHAT)
FILE = Actor(None, "dang-ky.xlsx", EventSource.IMPORT)


async def _task(session: AsyncSession, code: str = "H-1") -> Task:
    mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
    assert mof is not None
    task = Task(code=code, title="Lịch sử", lead_agency_id=mof, status="open")
    session.add(task)
    await session.flush()
    return task


async def test_events_come_newest_first_a_page_at_a_time(session: AsyncSession) -> None:
    task = await _task(session)
    other = await _task(session, "H-2")
    await audit.record_created(session, [task.id, other.id], actor=FILE, at=NOW)
    for n in range(1, 11):  # one a minute: progress 1 … 10
        await audit.record_changes(
            session,
            task_id=task.id,
            changes=[("progress", n - 1, n)],
            actor=LAN,
            at=NOW + timedelta(minutes=n),
        )
    # Two fields written by one edit share their time: the later written comes first.
    later = NOW + timedelta(hours=1)
    changes = [("status", "open", "in_progress"), ("notes", "", "x")]
    await audit.record_changes(session, task_id=task.id, changes=changes, actor=LAN, at=later)

    first = await history.task_history(session, code="h-1")
    assert first is not None
    assert (first.total, first.page, first.pages) == (13, 0, 2)
    assert len(first.events) == history.PAGE
    assert [e.field for e in first.events[:3]] == ["notes", "status", "progress"]
    assert first.events[2].new == "10"
    assert (first.events[0].actor, first.events[0].actor_id, first.events[0].source) == (
        "Chị Lan", 77, "chat"
    )  # fmt: skip
    last = await history.task_history(session, task_id=task.id, page=1)
    assert last is not None
    assert [e.new for e in last.events] == ["4", "3", "2", "1", None]
    assert (last.events[-1].field, last.events[-1].source) == ("created", "import")
    beyond = await history.task_history(session, task_id=task.id, page=99)
    assert beyond is not None
    assert beyond.page == 1
    assert beyond.events == last.events


async def test_a_task_without_events_and_no_task(session: AsyncSession) -> None:
    task = await _task(session)
    found = await history.task_history(session, task_id=task.id)
    assert found is not None
    assert (found.total, found.pages, found.events) == (0, 1, ())
    assert await history.task_history(session, code="NOPE") is None
