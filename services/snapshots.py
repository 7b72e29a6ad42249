"""Daily snapshots: the bucket counts per (agency, programme) as each day ended.

A snapshot of day D is what /status said at the end of D: the tasks as they stood, bucketed
relative to D (overdue = open with a deadline before D). It is taken once D is over (the
daily job just after midnight, the bot's start, or the digest that needs it), from the
tallies (services/figures.py): a few hundred rows, never a scan of the task table. Taking a
day twice keeps the first: past figures never move. A day taken late (the bot was down at
midnight) holds the tasks as they stood when it was taken; `taken_at` says when.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    cast,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services import open_tally
from services.buckets import Summary
from services.figures import Scope
from services.open_tally import OpenCounts
from storage.models import (
    OpenTally,
    OpenTallyState,
    Snapshot,
    SnapshotDay,
    Task,
    TaskState,
    TaskTally,
)

Pair = tuple[int, int]  # (agency id, programme id or 0)
Pairs = dict[Pair, Summary]

_OPEN, _AS_OF = -1, -2  # pseudo states tagging open_tally rows and the as-of row
_BY_PAIR = (Task.lead_agency_id, func.coalesce(Task.program_id, 0))
COUNTS = tuple(f.name for f in fields(Summary))  # the snapshot table's count columns
# The Summary field each task state counts in (open dated ones: on schedule, less overdue).
_FIELD = {
    TaskState.ROUTINE: "routine",
    TaskState.DONE_ON_TIME: "done_on_time",
    TaskState.DONE_LATE: "done_late",
    TaskState.OPEN_DATED: "on_schedule",
    TaskState.CANCELLED: "cancelled",
}


@dataclass(frozen=True, slots=True)
class DaySnapshot:
    """One day's counts per (agency, programme), and when they were taken."""

    day: date
    taken_at: datetime
    pairs: Pairs

    def per_agency(self, scope: Scope) -> dict[int, Summary]:
        """Counts per lead agency of the tasks in `scope`."""
        return per_agency(self.pairs, scope)


def _tallies() -> CompoundSelect[Any]:
    """(agency, program, state, n, due by 31 Dec, as-of day) from both tallies."""
    zero: ColumnElement[int] = literal_column("0")
    no_day = cast(null(), Date)
    return union_all(
        select(
            TaskTally.agency_id, TaskTally.program_id, TaskTally.state, TaskTally.n, zero, no_day
        ),
        select(
            OpenTally.agency_id,
            OpenTally.program_id,
            literal_column(str(_OPEN)),
            OpenTally.overdue,
            OpenTally.due_by_year_end,
            no_day,
        ),
        select(zero, zero, literal_column(str(_AS_OF)), zero, zero, OpenTallyState.as_of).where(
            OpenTallyState.id == 1
        ),
    )


async def pair_counts(session: AsyncSession, *, day: date) -> Pairs:
    """Bucket counts per (agency, programme) as of `day`, from the tallies (as /status)."""
    counts: dict[Pair, dict[str, int]] = {}

    def add(pair: Pair, field: str, value: int) -> None:
        if value:
            found = counts.setdefault(pair, dict.fromkeys(COUNTS, 0))
            found[field] += value

    base: dict[open_tally.Key, OpenCounts] = {}
    as_of = day
    for agency_id, program_id, state, n, due, as_of_day in await session.execute(_tallies()):
        if state == _AS_OF:
            as_of = as_of_day
        elif state == _OPEN:
            base[(agency_id, program_id)] = OpenCounts(int(n or 0), int(due or 0))
        else:
            add((agency_id, program_id), _FIELD[TaskState(state)], int(n or 0))
    opened = await open_tally.counts_on(session, today=day, as_of=as_of, base=base, keys=_BY_PAIR)
    for (agency_id, program_id), found in opened.items():
        pair = (agency_id, program_id)
        add(pair, "on_schedule", -found.overdue)  # open dated minus overdue = on schedule
        add(pair, "overdue", found.overdue)
        add(pair, "due_by_year_end", found.due_by_year_end)
    return {pair: Summary(**values) for pair, values in counts.items() if any(values.values())}


def per_agency(pairs: Mapping[Pair, Summary], scope: Scope) -> dict[int, Summary]:
    """Sum (agency, programme) counts per lead agency, keeping the pairs in `scope`."""
    out: dict[int, Summary] = {}
    for (agency_id, program_id), summary in pairs.items():
        if scope.agency_id is not None and agency_id != scope.agency_id:
            continue
        if scope.program_id is not None and program_id != scope.program_id:
            continue
        out[agency_id] = out.get(agency_id, Summary()) + summary
    return out


def total(per_agency: Iterable[Summary]) -> Summary:
    """The sum of some summaries."""
    return sum(per_agency, Summary())


def _upsert(session: AsyncSession) -> Any:
    return sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert


async def take(session: AsyncSession, *, day: date, now: datetime) -> DaySnapshot:
    """The snapshot of `day`: the one taken before, else taken now from the tallies.

    The snapshot_day row is claimed first (ON CONFLICT DO NOTHING): two processes taking
    the same day write it once, the second waiting for the first on PostgreSQL.
    """
    claim = _upsert(session)(SnapshotDay).values(day=day, taken_at=now).on_conflict_do_nothing()
    claimed = (await session.execute(claim.returning(SnapshotDay.day))).first() is not None
    if not claimed:
        found = await load(session, day=day)
        assert found is not None, "a claimed day has its snapshot_day row"
        return found
    pairs = await pair_counts(session, day=day)
    rows = [
        {"day": day, "agency_id": a, "program_id": p, **_counts(s)}
        for (a, p), s in sorted(pairs.items())
    ]
    if rows:
        await session.execute(insert(Snapshot), rows)
    return DaySnapshot(day, now, pairs)


def _counts(summary: Summary) -> dict[str, int]:
    return {name: int(getattr(summary, name)) for name in COUNTS}


async def load(session: AsyncSession, *, day: date) -> DaySnapshot | None:
    """The snapshot of exactly `day`, or None if none was taken."""
    taken_at = await session.scalar(select(SnapshotDay.taken_at).where(SnapshotDay.day == day))
    if taken_at is None:
        return None
    columns = [getattr(Snapshot, name) for name in COUNTS]
    rows = await session.execute(
        select(Snapshot.agency_id, Snapshot.program_id, *columns).where(Snapshot.day == day)
    )
    pairs = {(a, p): Summary(*counts) for a, p, *counts in rows}  # columns in COUNTS order
    return DaySnapshot(day, taken_at, pairs)


async def nearest(session: AsyncSession, *, day: date) -> DaySnapshot | None:
    """The snapshot of `day`, else of the latest day before it that has one."""
    found = await session.scalar(select(func.max(SnapshotDay.day)).where(SnapshotDay.day <= day))
    return None if found is None else await load(session, day=found)


async def first_day(session: AsyncSession) -> date | None:
    """The earliest day with a snapshot."""
    first: date | None = await session.scalar(select(func.min(SnapshotDay.day)))
    return first
