"""Open tasks overdue and due by 31 December on any day, without counting the register.

task_tally (migration 0002) counts tasks per (agency, program, state); the split it cannot
keep is that of open dated tasks by "today". open_tally (migration 0005) keeps, per
(agency, program), that split as of one day A (open_tally_state.as_of):

    overdue(A) = open tasks with deadline < A
    due(A)     = open tasks with A <= deadline <= 31 December of A's year

Triggers on `task` keep both exact as tasks are written, reading A from the state row. For
any other day T, a read adds the open deadlines between A and T (a range of the open-task
index, a few days' worth):

    overdue(T) = overdue(A) + #[A, T)      T after A   (minus #[T, A) when T is before A)
    due(T)     = due(A) - #[A, T)          same year   (plus #[T, A) when T is before A)
    due(T)     = #[T, 31 Dec of T's year]  another year: counted directly

so the figures are right whatever A is; A only decides what a read costs. The roll
(`roll_open_tally`: a daily job just after midnight, and the bot's start) moves A to today
with the same arithmetic, so a read normally adds nothing: a cold /status reads a few
hundred tally rows at any register size. From New Year until the roll has run, a read counts
the new year's deadlines directly.

Concurrency: reads never write. The roll's first statement updates the state row. On
PostgreSQL the triggers read that row FOR SHARE, so a roll waits for writers whose counts are
as of the old day, and a writer waits for a running roll and then counts as of the new day;
on SQLite that first statement takes the database's write lock. Readers get the tally and
its as-of day in one statement (one snapshot; services/reports.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, delete, func, insert, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.buckets import year_end
from storage.models import OpenTally, OpenTallyState, Task

# Open: neither done nor cancelled (storage.models.OPEN_SQL). Spelled with literals, not
# bound parameters, so that the planners of both databases can prove the partial indexes on
# open tasks (storage/models.py) apply.
NOT_DONE = Task.status.not_in([literal_column("'done'"), literal_column("'cancelled'")])

Key = tuple[int, ...]  # (agency_id,) or (agency_id, program_id or 0)


@dataclass(frozen=True, slots=True)
class OpenCounts:
    """Open tasks overdue, and on schedule but due by 31 December."""

    overdue: int = 0
    due_by_year_end: int = 0


def window(as_of: date, today: date) -> tuple[date, date, date]:
    """Deadlines a read must count: from `lo`, "between" below `hi`, all up to `top`."""
    lo, hi = min(as_of, today), max(as_of, today)
    top = hi - timedelta(days=1)
    if year_end(today) != year_end(as_of):
        top = max(top, year_end(today))
    return lo, hi, top


def shift(
    counts: OpenCounts, between: int, direct: int, *, as_of: date, today: date
) -> OpenCounts:
    """Counts as of `as_of` moved to `today` (module docstring); `direct` = #[today, 31 Dec]."""
    sign = 1 if today >= as_of else -1
    same_year = year_end(today) == year_end(as_of)
    due = counts.due_by_year_end - sign * between if same_year else direct
    return OpenCounts(counts.overdue + sign * between, due)


async def counts_on(
    session: AsyncSession,
    *,
    today: date,
    as_of: date,
    base: Mapping[Key, OpenCounts],
    keys: Sequence[Any],  # columns of Task
    where: Iterable[ColumnElement[bool]] = (),
) -> dict[Key, OpenCounts]:
    """`base` (counts as of `as_of`, grouped by `keys`) as of `today`."""
    if today == as_of:
        return dict(base)
    lo, hi, top = window(as_of, today)
    query = (
        select(
            *keys,
            func.count().filter(Task.deadline < hi),
            func.count().filter(Task.deadline >= today, Task.deadline <= year_end(today)),
        )
        .where(*where, NOT_DONE, Task.deadline >= lo, Task.deadline <= top)
        .group_by(*keys)
    )
    moved = {tuple(row[:-2]): (int(row[-2]), int(row[-1])) for row in await session.execute(query)}
    return {
        key: shift(base.get(key, OpenCounts()), *moved.get(key, (0, 0)), as_of=as_of, today=today)
        for key in base.keys() | moved.keys()
    }


_BY_PAIR = (Task.lead_agency_id, func.coalesce(Task.program_id, 0))


async def _recount(session: AsyncSession, today: date) -> dict[Key, OpenCounts]:
    """Every (agency, program) counted from the task table (bulk loads, repairs)."""
    query = (
        select(
            *_BY_PAIR,
            func.count().filter(Task.deadline < today),
            func.count().filter(Task.deadline >= today),
        )
        .where(NOT_DONE, Task.deadline <= year_end(today))
        .group_by(*_BY_PAIR)
    )
    return {(a, p): OpenCounts(int(o), int(d)) for a, p, o, d in await session.execute(query)}


async def roll_open_tally(session: AsyncSession, *, today: date, rebuild: bool = False) -> date:
    """Count open_tally as of `today` (the committee's); return the day it was counted as of.

    Run it first in its own transaction: its first statement locks the state row (and on
    SQLite the database), which keeps concurrent writers' counts consistent with the day.
    `rebuild` recounts from the task table, after a bulk load that bypassed the triggers.
    """
    state, tally = cast(Table, OpenTallyState.__table__), cast(Table, OpenTally.__table__)
    locked = update(state).where(state.c.id == 1).values(as_of=state.c.as_of)
    as_of: date = (await session.execute(locked.returning(state.c.as_of))).scalar_one()
    if as_of == today and not rebuild:
        return as_of
    if rebuild:
        counts = await _recount(session, today)
    else:
        stored = await session.execute(select(tally))
        base: dict[Key, OpenCounts] = {(a, p): OpenCounts(o, d) for a, p, o, d in stored}
        counts = await counts_on(session, today=today, as_of=as_of, base=base, keys=_BY_PAIR)
    await session.execute(delete(tally))
    rows = [
        {
            "agency_id": a,
            "program_id": p,
            "overdue": c.overdue,
            "due_by_year_end": c.due_by_year_end,
        }
        for (a, p), c in sorted(counts.items())
        if c != OpenCounts()
    ]
    if rows:
        await session.execute(insert(tally), rows)
    await session.execute(
        update(state).where(state.c.id == 1).values(as_of=today, year_end=year_end(today))
    )
    return as_of
