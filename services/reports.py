"""Report queries: cached figures and reports, task lists, task cards, lagging ranking."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, literal_column, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services import open_tally
from services.buckets import AgencyStanding, Summary, rank_lagging
from services.figures import EVERYONE, AgencyFacts, Scope, aggregate_by_agency, load_agencies
from services.freshness import Freshness, read_freshness
from storage.models import CENTRAL_KINDS, Agency, Program, RegisterState, Task

__all__ = ["Scope"]  # re-exported: handlers and the CLI build scopes from here


# Spelled with a literal, not a bound parameter, so that the planners of both databases can
# prove the partial indexes on open tasks (storage/models.py) apply.
NOT_DONE = open_tally.NOT_DONE


async def register_version(session: AsyncSession) -> int:
    """The register's change counter: database triggers bump it on every task write."""
    return int(
        await session.scalar(select(RegisterState.version).where(RegisterState.id == 1)) or 0
    )


async def expire_reports(session: AsyncSession) -> None:
    """Expire cached report figures by hand (task writes do it through triggers)."""
    await session.execute(
        update(RegisterState)
        .where(RegisterState.id == 1)
        .values(version=RegisterState.version + 1)
    )


VERSION_KEY = "dondoc.register_version"


V = TypeVar("V")


@dataclass(slots=True)
class _Entries(Generic[V]):
    """Values per (scope, today), each valid while its stamp holds; least recent dropped."""

    size: int
    _data: OrderedDict[tuple[Scope, date], tuple[Hashable, V]] = field(default_factory=OrderedDict)

    def get(self, key: tuple[Scope, date], stamp: Hashable) -> V | None:
        hit = self._data.get(key)
        if hit is None or hit[0] != stamp:
            return None
        self._data.move_to_end(key)
        return hit[1]

    def put(self, key: tuple[Scope, date], stamp: Hashable, value: V) -> V:
        self._data[key] = (stamp, value)
        self._data.move_to_end(key)
        if len(self._data) > self.size:
            self._data.popitem(last=False)
        return value


@dataclass(slots=True)
class SummaryCache:
    """Report figures and agency reports per (scope, today), and the agencies' codes and kinds.

    Every request pays one freshness check (services/freshness.py), shared with the lookup
    cache. Figures hold while the register version does. An agency's report also lists tasks
    by title, so it holds only while no task has been edited at all. Agency codes and kinds
    hold until an agency is added (they change only with the seed data, at start-up); the
    committee's split by kind holds while both hold.
    """

    size: int = 256
    _figures: _Entries[dict[int, Summary]] = field(init=False)
    _reports: _Entries[AgencyReport] = field(init=False)
    _committees: _Entries[CommitteeReport] = field(init=False)
    _agencies: tuple[Hashable, AgencyFacts] | None = None

    def __post_init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget everything (benchmarks measure cold answers this way)."""
        self._figures, self._reports = _Entries(self.size), _Entries(self.size)
        self._committees, self._agencies = _Entries(self.size), None

    async def figures(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> dict[int, Summary]:
        hit = self._figures.get((scope, today), fresh.version)
        if hit is not None:
            return hit
        found = await aggregate_by_agency(session, today=today, scope=scope)
        return self._figures.put((scope, today), fresh.version, found)

    async def agency_report(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> AgencyReport:
        stamp = (fresh.version, fresh.last_change)
        hit = self._reports.get((scope, today), stamp)
        if hit is not None:
            return hit
        per_agency = await self.figures(session, fresh, today=today, scope=scope)
        report = await _agency_report(session, today, scope, sum(per_agency.values(), Summary()))
        return self._reports.put((scope, today), stamp, report)

    async def committee(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> CommitteeReport:
        stamp = (fresh.version, fresh.catalog)
        hit = self._committees.get((scope, today), stamp)
        if hit is not None:
            return hit
        per_agency = await self.figures(session, fresh, today=today, scope=scope)
        report = _split(per_agency, await self.agencies(session, fresh))
        return self._committees.put((scope, today), stamp, report)

    async def agencies(self, session: AsyncSession, fresh: Freshness) -> AgencyFacts:
        # Tasks do not change agencies: only an agency added (its id) reloads them.
        if self._agencies is None or self._agencies[0] != fresh.catalog:
            self._agencies = (fresh.catalog, await load_agencies(session))
        return self._agencies[1]


async def summarize_by_agency(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = EVERYONE,
    cache: SummaryCache | None = None,
) -> dict[int, Summary]:
    """Bucket counts per lead agency id (agencies without tasks are absent)."""
    if cache is None:
        return await aggregate_by_agency(session, today=today, scope=scope)
    fresh = await read_freshness(session)
    return await cache.figures(session, fresh, today=today, scope=scope)


async def summarize(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = EVERYONE,
    cache: SummaryCache | None = None,
) -> Summary:
    """Bucket counts for the tasks in `scope`."""
    per_agency = await summarize_by_agency(session, today=today, scope=scope, cache=cache)
    return sum(per_agency.values(), Summary())


async def _figures_and_agencies(
    session: AsyncSession, today: date, scope: Scope, cache: SummaryCache | None
) -> tuple[dict[int, Summary], AgencyFacts]:
    """Per-agency figures and every agency's code and kind, after one freshness check."""
    if cache is None:
        per_agency = await aggregate_by_agency(session, today=today, scope=scope)
        return per_agency, await load_agencies(session)
    fresh = await read_freshness(session)
    per_agency = await cache.figures(session, fresh, today=today, scope=scope)
    return per_agency, await cache.agencies(session, fresh)


@dataclass(frozen=True, slots=True)
class CommitteeReport:
    """The whole committee, and the split between central agencies and localities."""

    total: Summary
    central: Summary
    local: Summary


async def committee_report(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = EVERYONE,
    cache: SummaryCache | None = None,
) -> CommitteeReport:
    """Figures per agency, summed per agency kind."""
    if cache is not None:
        fresh = await read_freshness(session)
        return await cache.committee(session, fresh, today=today, scope=scope)
    per_agency = await aggregate_by_agency(session, today=today, scope=scope)
    return _split(per_agency, await load_agencies(session))


def _split(per_agency: dict[int, Summary], agencies: AgencyFacts) -> CommitteeReport:
    central = local = Summary()
    for agency_id, summary in per_agency.items():
        if agencies.get(agency_id, ("", ""))[1] in CENTRAL_KINDS:
            central += summary
        else:
            local += summary
    return CommitteeReport(total=central + local, central=central, local=local)


async def lagging(
    session: AsyncSession, *, today: date, limit: int = 10, cache: SummaryCache | None = None
) -> list[AgencyStanding]:
    """Agencies ranked by overdue count, overdue share, then completion rate."""
    per_agency, agencies = await _figures_and_agencies(session, today, EVERYONE, cache)
    standings = [AgencyStanding(agencies[aid][0], summary) for aid, summary in per_agency.items()]
    return rank_lagging(standings, limit)


PREVIEW = 5  # overdue and due tasks shown in one agency's /status


@dataclass(frozen=True, slots=True)
class AgencyReport:
    """One agency's figures and the first tasks of its overdue and due lists."""

    summary: Summary
    overdue: TaskPage
    due: TaskPage


async def status_report(
    session: AsyncSession, *, today: date, scope: Scope, cache: SummaryCache | None = None
) -> CommitteeReport | AgencyReport:
    """What /status shows: the committee split, or (an agency in scope) one agency's report."""
    if scope.agency_id is None:
        return await committee_report(session, today=today, scope=scope, cache=cache)
    if cache is not None:
        fresh = await read_freshness(session)
        return await cache.agency_report(session, fresh, today=today, scope=scope)
    summary = await summarize(session, today=today, scope=scope)
    return await _agency_report(session, today, scope, summary)


async def _agency_report(
    session: AsyncSession, today: date, scope: Scope, summary: Summary
) -> AgencyReport:
    """The first overdue and due tasks, in one statement; `summary` already counted both."""
    lists = (
        [*scope.where(), NOT_DONE, Task.deadline < today],
        [*scope.where(), NOT_DONE, Task.deadline >= today],
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
    overdue, due = (
        TaskPage(tuple(found), total, 0, max(1, -(-total // PREVIEW)))
        for found, total in zip(lines, (summary.overdue, summary.on_schedule), strict=True)
    )
    return AgencyReport(summary, overdue, due)


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


async def get_task(session: AsyncSession, *, code: str) -> Task | None:
    """The whole task with its agencies and program, by code (case-insensitive)."""
    code = code.strip()
    # Codes are usually typed as written (an index lookup); only a miss scans with lower().
    for condition in (Task.code.in_({code, code.upper()}), func.lower(Task.code) == code.lower()):
        stmt = select(Task).where(condition).options(
            selectinload(Task.lead_agency),
            selectinload(Task.program),
            selectinload(Task.coordinators),
        )  # fmt: skip
        task = (await session.scalars(stmt)).first()
        if task is not None:
            return task
    return None


async def list_agencies(session: AsyncSession) -> list[Agency]:
    """All agencies in seed order: ministries and central agencies first, then localities."""
    return list((await session.scalars(select(Agency).order_by(Agency.id))).all())


async def list_programs(session: AsyncSession) -> list[Program]:
    """All programs, by name."""
    return list((await session.scalars(select(Program).order_by(Program.name))).all())
