"""Report queries: bucket counts aggregated in SQL, task lists, task cards, lagging ranking."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.buckets import AgencyStanding, Summary, rank_lagging, year_end
from services.lookup import Target
from storage.models import (
    CENTRAL_KINDS,
    Agency,
    Program,
    ReportVersion,
    Task,
    TaskState,
    TaskTally,
    code_key,
)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which tasks a report covers: everyone, one lead agency or one program."""

    agency_id: int | None = None
    program_id: int | None = None

    @classmethod
    def of(cls, *targets: Target | None) -> Scope:
        """The scope of an agency, a program, both, or (none given) everyone."""
        ids = {t.kind: t.id for t in targets if t is not None}
        return cls(agency_id=ids.get("agency"), program_id=ids.get("program"))

    def where(self) -> list[ColumnElement[bool]]:
        """The scope as conditions on task rows."""
        clauses: list[ColumnElement[bool]] = []
        if self.agency_id is not None:
            clauses.append(Task.lead_agency_id == self.agency_id)
        if self.program_id is not None:
            clauses.append(Task.program_id == self.program_id)
        return clauses

    def tally_where(self) -> list[ColumnElement[bool]]:
        """The scope as conditions on task_tally rows."""
        clauses: list[ColumnElement[bool]] = []
        if self.agency_id is not None:
            clauses.append(TaskTally.agency_id == self.agency_id)
        if self.program_id is not None:
            clauses.append(TaskTally.program_id == self.program_id)
        return clauses


# Spelled with a literal, not a bound parameter, so that the planners of both databases can
# prove the partial indexes on open tasks (storage/models.py) apply.
NOT_DONE = Task.status != literal_column("'done'")


def _add(counts: dict[int, list[int]], agency_id: int, index: int, value: int) -> None:
    counts.setdefault(agency_id, [0] * 6)[index] += value


async def _aggregate_by_agency(
    session: AsyncSession, *, today: date, scope: Scope
) -> dict[int, Summary]:
    """Counts by state from task_tally, then where today falls among open deadlines."""
    counts: dict[int, list[int]] = {}
    by_state = (
        select(TaskTally.agency_id, TaskTally.state, func.sum(TaskTally.n))
        .where(*scope.tally_where())
        .group_by(TaskTally.agency_id, TaskTally.state)
    )
    for agency_id, state, n in await session.execute(by_state):
        if not n:
            continue
        # Summary field order: on time, late, on schedule, overdue, routine, due by 31 Dec.
        slot = {TaskState.DONE_ON_TIME: 0, TaskState.DONE_LATE: 1, TaskState.OPEN_DATED: 2}
        _add(counts, agency_id, slot.get(TaskState(state), 4), int(n))
    # Open tasks due by 31 December (overdue ones included) come from the partial index.
    soon = (
        select(
            Task.lead_agency_id,
            func.count().filter(Task.deadline < today),
            func.count().filter(Task.deadline >= today),
        )
        .where(*scope.where(), NOT_DONE, Task.deadline <= year_end(today))
        .group_by(Task.lead_agency_id)
    )
    for agency_id, overdue, due_this_year in await session.execute(soon):
        _add(counts, agency_id, 2, -overdue)  # open-dated minus overdue = on schedule
        _add(counts, agency_id, 3, overdue)
        _add(counts, agency_id, 5, due_this_year)
    return {agency_id: Summary(*values) for agency_id, values in counts.items()}


async def register_version(session: AsyncSession, agency_id: int | None = None) -> int:
    """The report change counter: of the whole register, or of one lead agency's figures.

    Database triggers bump an agency's counter when one of its tasks is added, removed, or
    changes a column that reports read; the register-wide row 0 (expire_reports) counts in
    every agency's figure. Counters only grow, so any change makes the number grow.
    """
    query = select(func.coalesce(func.sum(ReportVersion.version), 0))
    if agency_id is not None:
        query = query.where(ReportVersion.agency_id.in_((0, agency_id)))
    return int(await session.scalar(query) or 0)


async def expire_reports(session: AsyncSession) -> None:
    """Expire every cached report figure by hand (task writes do it through triggers)."""
    bump = update(ReportVersion).where(ReportVersion.agency_id == 0)
    result = await session.execute(bump.values(version=ReportVersion.version + 1))
    if not getattr(result, "rowcount", 0):  # migration 0003 creates row 0; be safe anyway
        session.add(ReportVersion(agency_id=0, version=1))
        await session.flush()


VERSION_KEY = "dondoc.register_version"


@dataclass(slots=True)
class SummaryCache:
    """Per-agency bucket counts per (scope, today), valid while the register version holds.

    Aggregating 100,000 tasks costs tens of milliseconds; answering the same /status again
    until the register changes costs one primary-key read.
    """

    size: int = 256
    _entries: OrderedDict[tuple[Scope, date], tuple[int, dict[int, Summary]]] = field(
        default_factory=OrderedDict
    )

    async def by_agency(
        self, session: AsyncSession, *, today: date, scope: Scope
    ) -> dict[int, Summary]:
        version = await register_version(session)
        key = (scope, today)
        hit = self._entries.get(key)
        if hit is not None and hit[0] == version:
            self._entries.move_to_end(key)
            return hit[1]
        fresh = await _aggregate_by_agency(session, today=today, scope=scope)
        self._entries[key] = (version, fresh)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return fresh


async def summarize_by_agency(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = Scope(),
    cache: SummaryCache | None = None,
) -> dict[int, Summary]:
    """Bucket counts per lead agency id (agencies without tasks are absent)."""
    if cache is not None:
        return await cache.by_agency(session, today=today, scope=scope)
    return await _aggregate_by_agency(session, today=today, scope=scope)


async def summarize(
    session: AsyncSession,
    *,
    today: date,
    scope: Scope = Scope(),
    cache: SummaryCache | None = None,
) -> Summary:
    """Bucket counts for the tasks in `scope`."""
    per_agency = await summarize_by_agency(session, today=today, scope=scope, cache=cache)
    return sum(per_agency.values(), Summary())


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
    scope: Scope = Scope(),
    cache: SummaryCache | None = None,
) -> CommitteeReport:
    """One grouped query, then summed per agency kind."""
    per_agency = await summarize_by_agency(session, today=today, scope=scope, cache=cache)
    kinds = dict((await session.execute(select(Agency.id, Agency.kind))).all())
    central = local = Summary()
    for agency_id, summary in per_agency.items():
        if kinds.get(agency_id) in CENTRAL_KINDS:
            central += summary
        else:
            local += summary
    return CommitteeReport(total=central + local, central=central, local=local)


async def lagging(
    session: AsyncSession, *, today: date, limit: int = 10, cache: SummaryCache | None = None
) -> list[AgencyStanding]:
    """Agencies ranked by overdue count, overdue share, then completion rate."""
    per_agency = await summarize_by_agency(session, today=today, cache=cache)
    codes = dict((await session.execute(select(Agency.id, Agency.code))).all())
    standings = [AgencyStanding(codes[aid], summary) for aid, summary in per_agency.items()]
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
    summary = await summarize(session, today=today, scope=scope, cache=cache)
    # The summary already counted both lists: no second count query.
    overdue = await list_overdue(
        session, today=today, scope=scope, size=PREVIEW, total=summary.overdue
    )
    due = await list_due(
        session, today=today, days=None, scope=scope, size=PREVIEW, total=summary.on_schedule
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
        select(Task.code, Task.title, Agency.code, Task.deadline, Task.status, Task.progress)
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
    scope: Scope = Scope(),
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
    scope: Scope = Scope(),
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
    """The whole task with its agencies and program, by code (any letter case: one index read)."""
    stmt = select(Task).where(Task.code_key == code_key(code.strip())).options(
        selectinload(Task.lead_agency),
        selectinload(Task.program),
        selectinload(Task.coordinators),
    )  # fmt: skip
    return (await session.scalars(stmt)).first()


async def list_agencies(session: AsyncSession) -> list[Agency]:
    """All agencies in seed order: ministries and central agencies first, then localities."""
    return list((await session.scalars(select(Agency).order_by(Agency.id))).all())


async def list_programs(session: AsyncSession) -> list[Program]:
    """All programs, by name."""
    return list((await session.scalars(select(Program).order_by(Program.name))).all())
