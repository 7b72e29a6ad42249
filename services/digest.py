"""The weekly digest's content: where a group's scope stands, what changed in a week, who lags.

The figures are two snapshots (services/snapshots.py): the day before the digest (as that
day ended) and the same day a week earlier, so every change printed is the difference of
two stored snapshots and one week's "now" is the next week's "before". Tasks falling due
this week, the agencies without a lead and those whose leads' nudges are refused are read
live.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import snapshots
from services.buckets import AgencyStanding, Summary, rank_lagging
from services.figures import AgencyFacts, Scope, load_agencies
from services.nudges import last_nudge
from services.snapshots import DaySnapshot
from services.task_lists import TaskPage, list_due
from storage.models import Agency, Member, OutboxStatus, Program, Role

LAGGING = 10  # as /lagging: the chart and the text show the same agencies
BEST = 5
DUE_LINES = 8
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Change:
    """A week's change: completed tasks, overdue tasks, completion rate in points."""

    completed: int
    overdue: int
    completion: float  # percentage points, of the shares as printed (one decimal)

    @classmethod
    def between(cls, before: Summary, after: Summary) -> Change:
        """`after` minus `before`."""
        points = round(after.completion - before.completion, 1)
        return cls(after.completed - before.completed, after.overdue - before.overdue, points)


@dataclass(frozen=True, slots=True)
class Standing:
    """One agency in the digest's lagging or best list, and its change (None: no figures
    a week earlier)."""

    agency_id: int
    code: str
    summary: Summary
    change: Change | None


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything a digest says, for one scope, before rendering."""

    scope: Scope
    day: date  # the digest's day (figures as the day before ended)
    figures_day: date
    summary: Summary
    before_day: date
    before: Summary | None  # None: no snapshot of before_day
    lagging: tuple[Standing, ...]
    lagging_total: int  # agencies with overdue tasks in scope
    best: tuple[Standing, ...]
    best_total: int  # agencies at or above the threshold
    threshold: int
    due: TaskPage  # open tasks due from `day` through Sunday
    due_until: date
    leaderless: tuple[str, ...]  # codes of agencies with open tasks and no lead
    blocked: tuple[str, ...]  # codes of agencies with open tasks whose every lead is blocked

    @property
    def change(self) -> Change | None:
        return None if self.before is None else Change.between(self.before, self.summary)


def figures_day(day: date) -> date:
    """The snapshot a digest of `day` reports: the day before, as it ended."""
    return day - timedelta(days=1)


def week_end(day: date) -> date:
    """Sunday of `day`'s ISO week."""
    return day + timedelta(days=6 - day.weekday())


@dataclass(frozen=True, slots=True)
class Figures:
    """The snapshots and facts every digest of one day shares (read once per plan)."""

    now: DaySnapshot
    before: DaySnapshot | None
    agencies: AgencyFacts
    leads: frozenset[int]  # agencies that have at least one lead
    blocked: frozenset[int]  # agencies none of whose leads a private nudge reaches


async def lead_agencies(session: AsyncSession) -> tuple[frozenset[int], frozenset[int]]:
    """Agencies with at least one lead, and those whose every lead's last private nudge was
    refused (403, as the nudge planner reads it: until one goes through again), in one
    statement over the leads."""
    leads = (
        select(Member.agency_id, last_nudge().label("last"))
        .where(Member.role == Role.LEAD.value, Member.agency_id.is_not(None))
        .subquery()
    )
    refused = func.count(case((leads.c.last == OutboxStatus.BLOCKED.value, 1)))
    rows = await session.execute(
        select(leads.c.agency_id, refused == func.count()).group_by(leads.c.agency_id)
    )
    found = [(agency, bool(all_refused)) for agency, all_refused in rows]
    return (
        frozenset(agency for agency, _ in found),
        frozenset(agency for agency, all_refused in found if all_refused),
    )


def _standings(
    per_agency: Mapping[int, Summary],
    before: Mapping[int, Summary] | None,
    agencies: AgencyFacts,
    ranked: list[AgencyStanding],
) -> tuple[Standing, ...]:
    ids = {agencies[a][0]: a for a in per_agency if a in agencies}
    out = []
    for standing in ranked:
        agency_id = ids[standing.code]
        change = None
        if before is not None:
            change = Change.between(before.get(agency_id, Summary()), standing.summary)
        out.append(Standing(agency_id, standing.code, standing.summary, change))
    return tuple(out)


def best_performers(standings: list[AgencyStanding], threshold: int) -> list[AgencyStanding]:
    """Agencies at or above the completion threshold: highest share first, then the most
    completed, then the code."""
    best = [s for s in standings if s.summary.total and s.completion >= threshold]
    best.sort(key=lambda s: (-s.completion, -s.summary.completed, s.code))
    return best


def leaderless(
    per_agency: Mapping[int, Summary], leads: Collection[int], agencies: AgencyFacts
) -> tuple[str, ...]:
    """Codes of agencies with open tasks (overdue or on schedule) and no lead, by code."""
    return with_open_tasks(per_agency, agencies, lambda a: a not in leads)


def with_open_tasks(
    per_agency: Mapping[int, Summary], agencies: AgencyFacts, keep: Callable[[int], bool]
) -> tuple[str, ...]:
    """Codes of the agencies with open tasks (overdue or on schedule) that `keep` keeps."""
    codes = [
        agencies[a][0]
        for a, s in per_agency.items()
        if (s.overdue or s.on_schedule) and a in agencies and keep(a)
    ]
    return tuple(sorted(codes))


def compose(figures: Figures, *, day: date, scope: Scope, threshold: int, due: TaskPage) -> Digest:
    """The digest of `scope` from the shared figures and its own due list (pure)."""
    now = figures.now.per_agency(scope)
    before = None if figures.before is None else figures.before.per_agency(scope)
    standings = [
        AgencyStanding(figures.agencies[a][0], s) for a, s in now.items() if a in figures.agencies
    ]
    lagging = rank_lagging(standings, limit=len(standings))
    best = best_performers(standings, threshold)
    return Digest(
        scope=scope,
        day=day,
        figures_day=figures.now.day,
        summary=snapshots.total(now.values()),
        before_day=figures.now.day - WEEK,
        before=None if before is None else snapshots.total(before.values()),
        lagging=_standings(now, before, figures.agencies, lagging[:LAGGING]),
        lagging_total=len(lagging),
        best=_standings(now, before, figures.agencies, best[:BEST]),
        best_total=len(best),
        threshold=threshold,
        due=due,
        due_until=week_end(day),
        leaderless=leaderless(now, figures.leads, figures.agencies),
        blocked=with_open_tasks(now, figures.agencies, figures.blocked.__contains__),
    )


async def due_this_week(session: AsyncSession, *, day: date, scope: Scope) -> TaskPage:
    """Open tasks falling due from `day` through Sunday, soonest first (a page of them)."""
    return await list_due(
        session, today=day, days=(week_end(day) - day).days, scope=scope, size=DUE_LINES
    )


async def load_figures(
    session: AsyncSession, *, day: date, now: datetime, record: bool = True
) -> Figures:
    """What every digest of `day` shares. `record`: take the figures day's snapshot if it
    is missing (the job); else read it, or count it without storing it (a preview)."""
    fday = figures_day(day)
    if record:
        current = await snapshots.take(session, day=fday, now=now)
    else:
        found = await snapshots.load(session, day=fday)
        current = found or DaySnapshot(fday, now, await snapshots.pair_counts(session, day=fday))
    leads, blocked = await lead_agencies(session)
    return Figures(
        now=current,
        before=await snapshots.load(session, day=fday - WEEK),
        agencies=await load_agencies(session),
        leads=leads,
        blocked=blocked,
    )


@dataclass(frozen=True, slots=True)
class Labels:
    """Agency and programme names, read once and usable after the session closes."""

    agencies: dict[int, tuple[str, str, str]]  # id: (code, Vietnamese name, English name)
    programs: dict[int, tuple[str, str]]  # id: (code, name)

    def agency_names(self, lang: str) -> dict[int, str]:
        """Agency names in `lang`, by id."""
        return {a: (en if lang == "en" else vi) for a, (_c, vi, en) in self.agencies.items()}


async def load_labels(session: AsyncSession) -> Labels:
    """Every agency's and programme's names."""
    agencies = await session.execute(
        select(Agency.id, Agency.code, Agency.name_vi, Agency.name_en)
    )
    programs = await session.execute(select(Program.id, Program.code, Program.name))
    return Labels(
        {a: (code, vi, en) for a, code, vi, en in agencies},
        {p: (code, name) for p, code, name in programs},
    )
