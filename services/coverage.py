"""The figures committees publish beside the buckets: how many agencies are behind, by bloc."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services import reports
from services.buckets import Summary
from services.freshness import read_freshness
from services.reports import Scope, SummaryCache
from storage.models import CENTRAL_KINDS, LOCAL_KINDS

BLOCS = ("central", "local", "other")  # ministries and central agencies, provinces, the rest


@dataclass(frozen=True, slots=True)
class Bloc:
    """The agencies of one bloc that lead tasks in scope, and how they stand."""

    name: str  # one of BLOCS
    agencies: int
    summary: Summary
    with_overdue: int
    at_threshold: int  # agencies whose completion share reaches the threshold


@dataclass(frozen=True, slots=True)
class Coverage:
    """Agencies with overdue tasks, and at the completion threshold, overall and by bloc."""

    threshold: int  # percent
    blocs: tuple[Bloc, ...]  # central and local always, other only when it has agencies

    @property
    def agencies(self) -> int:
        return sum(b.agencies for b in self.blocs)

    @property
    def with_overdue(self) -> int:
        return sum(b.with_overdue for b in self.blocs)

    @property
    def at_threshold(self) -> int:
        return sum(b.at_threshold for b in self.blocs)


def bloc_of(kind: str) -> str:
    """The bloc an agency kind reports in."""
    if kind in CENTRAL_KINDS:
        return "central"
    return "local" if kind in LOCAL_KINDS else "other"


def coverage_of(
    per_agency: Mapping[int, Summary], kinds: Mapping[int, str], threshold: int
) -> Coverage:
    """Count agencies (those leading at least one task) per bloc; pure arithmetic."""
    # The threshold compares the share /status prints (rounded to 0.1), so that an agency
    # shown at 70,0% is counted as reaching 70%.
    members: dict[str, list[Summary]] = {name: [] for name in BLOCS}
    for agency_id, summary in per_agency.items():
        if summary.total:
            members[bloc_of(kinds.get(agency_id, ""))].append(summary)
    blocs = tuple(
        Bloc(
            name,
            len(summaries),
            sum(summaries, Summary()),
            sum(1 for s in summaries if s.overdue),
            sum(1 for s in summaries if s.completion >= threshold),
        )
        for name, summaries in members.items()
        if name != "other" or summaries
    )
    return Coverage(threshold, blocs)


async def coverage(
    session: AsyncSession,
    *,
    today: date,
    threshold: int,
    scope: Scope | None = None,
    cache: SummaryCache | None = None,
) -> Coverage:
    """Coverage of the tasks in `scope` (the per-agency counts come from the report cache)."""
    per_agency, agencies = await reports.figures_and_agencies(
        session, today, scope or Scope(), cache
    )
    kinds = {agency_id: kind for agency_id, (_code, kind) in agencies.items()}
    return coverage_of(per_agency, kinds, threshold)


async def data_updated_at(session: AsyncSession) -> datetime | None:
    """When the register last changed (an import, an edit): max(task.updated_at), which the
    caches' freshness check has already read in a warm request (no statement of its own)."""
    # Read-only on purpose: the write path keeps updated_at on every row it touches.
    return (await read_freshness(session)).last_change
