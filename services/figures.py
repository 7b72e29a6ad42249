"""Bucket counts per agency from the tallies the database keeps, never from the task table.

task_tally gives tasks per state; open_tally (services/open_tally.py) splits the open dated
ones into overdue and on schedule, and counts those due by 31 December. Both, with the day
open_tally is counted as of, come in one statement, so they always belong together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services import open_tally
from services.buckets import Summary
from services.lookup import Target
from services.open_tally import OpenCounts
from storage.models import (
    CENTRAL_KINDS,
    Agency,
    OpenTally,
    OpenTallyState,
    Task,
    TaskState,
    TaskTally,
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

    def on(self, agency: Any, program: Any) -> list[ColumnElement[bool]]:
        """The scope as conditions on a table's agency and program columns."""
        clauses: list[ColumnElement[bool]] = []
        if self.agency_id is not None:
            clauses.append(agency == self.agency_id)
        if self.program_id is not None:
            clauses.append(program == self.program_id)
        return clauses

    def where(self) -> list[ColumnElement[bool]]:
        """The scope as conditions on task rows."""
        return self.on(Task.lead_agency_id, Task.program_id)

    def tally_where(self) -> list[ColumnElement[bool]]:
        """The scope as conditions on task_tally rows."""
        return self.on(TaskTally.agency_id, TaskTally.program_id)


EVERYONE = Scope()


_OPEN, _AS_OF = -1, -2  # pseudo states tagging open_tally rows and the as-of row
# Summary field order: on time, late, on schedule, overdue, routine, due by 31 December,
# cancelled.
_SLOT = {
    TaskState.ROUTINE: 4,
    TaskState.DONE_ON_TIME: 0,
    TaskState.DONE_LATE: 1,
    TaskState.OPEN_DATED: 2,
    TaskState.CANCELLED: 6,
}


def _tallies(scope: Scope) -> CompoundSelect[Any]:
    """(agency, state, n, due by 31 Dec, as-of day) rows of both tallies and the state row."""
    zero: ColumnElement[int] = literal_column("0")
    no_day = cast(null(), Date)
    return union_all(
        select(TaskTally.agency_id, TaskTally.state, func.sum(TaskTally.n), zero, no_day)
        .where(*scope.tally_where())
        .group_by(TaskTally.agency_id, TaskTally.state),
        select(
            OpenTally.agency_id,
            literal_column(str(_OPEN)),
            func.sum(OpenTally.overdue),
            func.sum(OpenTally.due_by_year_end),
            no_day,
        )
        .where(*scope.on(OpenTally.agency_id, OpenTally.program_id))
        .group_by(OpenTally.agency_id),
        select(zero, literal_column(str(_AS_OF)), zero, zero, OpenTallyState.as_of).where(
            OpenTallyState.id == 1
        ),
    )


async def aggregate_by_agency(
    session: AsyncSession, *, today: date, scope: Scope
) -> dict[int, Summary]:
    """Bucket counts per lead agency id (agencies without tasks are absent)."""
    counts: dict[int, list[int]] = {}

    def add(agency_id: int, slot: int, value: int) -> None:
        if value:
            counts.setdefault(agency_id, [0] * 7)[slot] += value

    base: dict[open_tally.Key, OpenCounts] = {}
    as_of = today
    for agency_id, state, n, due, day in await session.execute(_tallies(scope)):
        if state == _AS_OF:
            as_of = day
        elif state == _OPEN:
            base[(agency_id,)] = OpenCounts(int(n or 0), int(due or 0))
        else:
            add(agency_id, _SLOT[TaskState(state)], int(n or 0))
    opened = await open_tally.counts_on(
        session, today=today, as_of=as_of, base=base, keys=(Task.lead_agency_id,),
        where=scope.where(),
    )  # fmt: skip
    for (agency_id,), found in opened.items():
        add(agency_id, 2, -found.overdue)  # open dated minus overdue = on schedule
        add(agency_id, 3, found.overdue)
        add(agency_id, 5, found.due_by_year_end)
    return {agency_id: Summary(*values) for agency_id, values in counts.items()}


AgencyFacts = dict[int, tuple[str, str]]  # agency id: (code, kind)


async def load_agencies(session: AsyncSession) -> AgencyFacts:
    """Every agency's code and kind, by id."""
    rows = await session.execute(select(Agency.id, Agency.code, Agency.kind))
    return {agency_id: (code, kind) for agency_id, code, kind in rows}


@dataclass(frozen=True, slots=True)
class CommitteeReport:
    """The whole committee, and the split between central agencies and localities."""

    total: Summary
    central: Summary
    local: Summary


def split_by_kind(per_agency: dict[int, Summary], agencies: AgencyFacts) -> CommitteeReport:
    """The committee's figures: central agencies, localities, and both."""
    central = local = Summary()
    for agency_id, summary in per_agency.items():
        if agencies.get(agency_id, ("", ""))[1] in CENTRAL_KINDS:
            central += summary
        else:
            local += summary
    return CommitteeReport(total=central + local, central=central, local=local)
