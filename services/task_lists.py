"""Task lists: pages of open tasks by deadline, and the previews in one agency's /status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.buckets import Summary
from services.figures import EVERYONE, Scope
from services.open_tally import NOT_DONE
from storage.models import Agency, Task


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task in a list: enough for a line of text."""

    code: str
    title: str
    agency: str
    deadline: date | None
    status: str
    progress: int


@dataclass(frozen=True, slots=True)
class TaskPage:
    """A page of a task list and the size of the whole list."""

    lines: tuple[TaskLine, ...]
    total: int
    page: int
    pages: int


_LINE = (  # TaskLine's fields
    Task.code,
    Task.title,
    Agency.code.label("agency"),
    Task.deadline,
    Task.status,
    Task.progress,
)


async def _page(
    session: AsyncSession,
    where: list[ColumnElement[bool]],
    page: int,
    size: int,
    total: int | None,
) -> TaskPage:
    """One page of open tasks matching `where`, by deadline then code, and their total."""
    # Two queries on purpose: COUNT(*) OVER () would join every matching row before LIMIT.
    if total is None:
        count = select(func.count()).select_from(Task).where(*where)
        total = int(await session.scalar(count) or 0)
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    stmt = (
        select(*_LINE)
        .join(Agency, Agency.id == Task.lead_agency_id)
        .where(*where)
        .order_by(Task.deadline, Task.code)
        .offset(page * size)
        .limit(size)
    )
    rows = await session.execute(stmt)
    return TaskPage(tuple(TaskLine(*row) for row in rows), total, page, pages)


async def list_overdue(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = EVERYONE,
    page: int = 0,
    size: int = 10,
    total: int | None = None,
) -> TaskPage:
    """Open tasks past their deadline, most overdue first (`total` if the caller knows it)."""
    where = [*scope.where(), NOT_DONE, Task.deadline < today]
    return await _page(session, where, page, size, total)


async def list_due(
    session: AsyncSession,
    *,
    today: date,
    days: int | None,
    scope: Scope = EVERYONE,
    page: int = 0,
    size: int = 10,
    total: int | None = None,
) -> TaskPage:
    """Open tasks falling due from today through today + `days` (None: any day), soonest first."""
    where = [*scope.where(), NOT_DONE, Task.deadline >= today]
    if days is not None:
        where.append(Task.deadline <= today + timedelta(days=days))
    return await _page(session, where, page, size, total)


PREVIEW = 5  # overdue and due tasks shown in one agency's /status
DUE_SOON = 30  # days ahead that count as "coming due" there, as committees use the words


@dataclass(frozen=True, slots=True)
class AgencyReport:
    """One agency's figures and the first tasks of its overdue and due lists."""

    summary: Summary
    overdue: TaskPage
    due: TaskPage


async def agency_report(
    session: AsyncSession, today: date, scope: Scope, summary: Summary
) -> AgencyReport:
    """The first overdue tasks and the first falling due within DUE_SOON days, in one
    statement; `summary` already counted the overdue ones."""
    soon = today + timedelta(days=DUE_SOON)
    lists = (
        [*scope.where(), NOT_DONE, Task.deadline < today],
        [*scope.where(), NOT_DONE, Task.deadline >= today, Task.deadline <= soon],
    )
    parts = [
        select(literal_column(str(part)).label("part"), *_LINE)
        .join(Agency, Agency.id == Task.lead_agency_id)
        .where(*where)
        .order_by(Task.deadline, Task.code)
        .limit(PREVIEW)
        .subquery()
        for part, where in enumerate(lists)
    ]
    both = union_all(*(select(part) for part in parts)).order_by("part", "deadline", "code")
    lines: tuple[list[TaskLine], list[TaskLine]] = ([], [])
    for part, *line in await session.execute(both):
        lines[part].append(TaskLine(*line))
    overdue = TaskPage(tuple(lines[0]), summary.overdue, 0, max(1, -(-summary.overdue // PREVIEW)))
    due = TaskPage(tuple(lines[1]), len(lines[1]), 0, 1)  # a preview: its own count only
    return AgencyReport(summary, overdue, due)
