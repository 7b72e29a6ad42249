"""A task's history: its audit events (services/audit.py), newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Task, TaskEvent, code_key

PAGE = 8  # events per message: eight of the longest still fit Telegram's 4096 characters


@dataclass(frozen=True, slots=True)
class Event:
    """One changed field of the task: who, when, from where, old and new (as stored)."""

    at: datetime
    actor: str
    actor_id: int | None
    source: str
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class History:
    """One page of a task's events."""

    task_id: int
    code: str
    title: str
    events: tuple[Event, ...]
    total: int
    page: int  # 0-based, within 0 … pages - 1
    pages: int


async def task_history(
    session: AsyncSession, *, task_id: int | None = None, code: str | None = None, page: int = 0
) -> History | None:
    """A page of the task's events, newest first (a page past the end: the last one); None
    for no such task."""
    where = Task.id == task_id if code is None else Task.code_key == code_key(code.strip())
    found = (await session.execute(select(Task.id, Task.code, Task.title).where(where))).first()
    if found is None:
        return None
    mine = TaskEvent.task_id == found.id
    total = int(await session.scalar(select(func.count()).where(mine)) or 0)
    pages = max(1, -(-total // PAGE))
    page = min(max(page, 0), pages - 1)
    rows = await session.execute(
        select(
            TaskEvent.at,
            TaskEvent.actor,
            TaskEvent.actor_id,
            TaskEvent.source,
            TaskEvent.field,
            TaskEvent.old,
            TaskEvent.new,
        )
        .where(mine)
        # ix_task_event_task_id_at; events written together (one import, one edit) by id
        .order_by(TaskEvent.at.desc(), TaskEvent.id.desc())
        .offset(page * PAGE)
        .limit(PAGE)
    )
    events = tuple(Event(*row) for row in rows)
    return History(found.id, found.code, found.title, events, total, page, pages)
