"""A lead's list (/mytasks): its agency's open tasks, overdue first, then by deadline, the
routine ones (no deadline) last.

Every query reads the partial index on open tasks per agency (ix_task_open_agency: lead
agency, deadline, code, on tasks not done): the counts from the index alone, a page in the
index's own order. Routine tasks are paged apart from the dated ones because the two
databases sort NULL deadlines at opposite ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.open_tally import NOT_DONE
from storage.models import Status, Task

PAGE_SIZE = 8  # tasks (each a button) per page: a phone's screen


@dataclass(frozen=True, slots=True)
class OpenTask:
    """One line of the list, and what its button needs (id and version)."""

    id: int
    version: int
    code: str
    title: str
    deadline: date | None
    status: str
    progress: int


@dataclass(frozen=True, slots=True)
class OpenCounts:
    """An agency's open tasks: all, overdue (deadline before today), with a deadline."""

    total: int
    overdue: int
    dated: int

    @property
    def on_schedule(self) -> int:
        return self.dated - self.overdue

    @property
    def routine(self) -> int:
        return self.total - self.dated


@dataclass(frozen=True, slots=True)
class MyTasks:
    """A page of an agency's open tasks."""

    agency_id: int
    counts: OpenCounts
    tasks: tuple[OpenTask, ...]
    page: int
    pages: int


_LINE = (
    Task.id,
    Task.version,
    Task.code,
    Task.title,
    Task.deadline,
    Task.status,
    Task.progress,
)


def _open_of(agency_id: int) -> list[ColumnElement[bool]]:
    return [Task.lead_agency_id == agency_id, NOT_DONE]


async def count_open(session: AsyncSession, *, agency_id: int, today: date) -> OpenCounts:
    """The agency's open tasks counted (one statement, from the index alone)."""
    query = select(
        func.count(),
        func.count().filter(Task.deadline < today),
        func.count(Task.deadline),
    ).where(*_open_of(agency_id))
    total, overdue, dated = (await session.execute(query)).one()
    return OpenCounts(int(total), int(overdue), int(dated))


async def list_open(
    session: AsyncSession, *, agency_id: int, today: date, page: int = 0, size: int = PAGE_SIZE
) -> MyTasks:
    """One page of the agency's open tasks (a page past the end shows the last one)."""
    counts = await count_open(session, agency_id=agency_id, today=today)
    pages = max(1, -(-counts.total // size))
    page = min(max(page, 0), pages - 1)
    start = page * size
    tasks: list[OpenTask] = []
    if start < counts.dated:
        dated = Task.deadline.is_not(None)
        tasks += await _rows(session, agency_id, dated, (Task.deadline, Task.code), start, size)
    if len(tasks) < size and counts.routine:
        routine = Task.deadline.is_(None)
        skip = max(0, start - counts.dated)
        tasks += await _rows(session, agency_id, routine, (Task.code,), skip, size - len(tasks))
    return MyTasks(agency_id, counts, tuple(tasks), page, pages)


async def _rows(
    session: AsyncSession,
    agency_id: int,
    where: ColumnElement[bool],
    order: tuple[ColumnElement[object], ...] | tuple[object, ...],
    offset: int,
    limit: int,
) -> list[OpenTask]:
    query = (
        select(*_LINE)
        .where(*_open_of(agency_id), where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return [OpenTask(*row) for row in await session.execute(query)]


async def page_of(session: AsyncSession, *, task: Task, size: int = PAGE_SIZE) -> int:
    """The page of its agency's list a task is on (0 if it is done or cancelled): where
    Back from its card returns to."""
    if task.status in (Status.DONE.value, Status.CANCELLED.value):
        return 0
    if task.deadline is not None:
        before: ColumnElement[bool] = and_(
            Task.deadline.is_not(None),
            or_(
                Task.deadline < task.deadline,
                and_(Task.deadline == task.deadline, Task.code < task.code),
            ),
        )
    else:
        before = or_(Task.deadline.is_not(None), Task.code < task.code)
    query = select(func.count()).where(*_open_of(task.lead_agency_id), before)
    return int(await session.scalar(query) or 0) // size
