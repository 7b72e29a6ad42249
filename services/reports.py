"""Reports as handlers and the CLI ask for them: figures, cached or not, task cards, lagging."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from services.buckets import AgencyStanding, Summary, rank_lagging
from services.figures import (
    EVERYONE,
    AgencyFacts,
    CommitteeReport,
    Scope,
    aggregate_by_agency,
    load_agencies,
    split_by_kind,
)
from services.freshness import read_freshness
from services.report_cache import SummaryCache
from services.task_lists import (
    DUE_SOON,
    PREVIEW,
    AgencyReport,
    TaskLine,
    TaskPage,
    agency_report,
    list_due,
    list_overdue,
)
from storage.models import Agency, Program, ReportVersion, Task, code_key

# Where handlers, views and the CLI have always found them.
__all__ = [
    "DUE_SOON",
    "PREVIEW",
    "AgencyReport",
    "CommitteeReport",
    "Scope",
    "SummaryCache",
    "TaskLine",
    "TaskPage",
    "list_due",
    "list_overdue",
]


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


async def figures_and_agencies(
    session: AsyncSession, today: date, scope: Scope, cache: SummaryCache | None
) -> tuple[dict[int, Summary], AgencyFacts]:
    """Per-agency figures and every agency's code and kind, after one freshness check."""
    if cache is None:
        per_agency = await aggregate_by_agency(session, today=today, scope=scope)
        return per_agency, await load_agencies(session)
    fresh = await read_freshness(session)
    per_agency = await cache.figures(session, fresh, today=today, scope=scope)
    return per_agency, await cache.agencies(session, fresh)


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
    return split_by_kind(per_agency, await load_agencies(session))


async def lagging(
    session: AsyncSession,
    *,
    today: date,
    limit: int = 10,
    scope: Scope = EVERYONE,
    cache: SummaryCache | None = None,
) -> list[AgencyStanding]:
    """Agencies with overdue tasks (in `scope`: a programme's), most first; among equals the
    lowest completion share."""
    per_agency, agencies = await figures_and_agencies(session, today, scope, cache)
    standings = [AgencyStanding(agencies[aid][0], summary) for aid, summary in per_agency.items()]
    return rank_lagging(standings, limit)


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
    return await agency_report(session, today, scope, summary)


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
