"""An import from validated rows to the database, in short transactions.

1. A read transaction loads agencies and programs; 2. every row is validated with no
transaction open (the rows are read once, as they stream); 3. a read transaction loads the
file's stored tasks and the plan is made; 4. one write transaction, which no other import
overlaps (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL), re-reads the file's
task versions, decides again for the tasks someone changed since step 3, and writes.
A concurrent chat write therefore never fails an import, and two imports run one after the
other, the second on top of the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sized
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit import Actor
from services.importer.apply import Writer
from services.importer.chat import Names, listed, mark_agreed
from services.importer.common import (
    OPTIONAL,
    ROW_KEY,
    ChatUpdate,
    ImportReport,
    Progress,
    RowError,
)
from services.importer.lookups import Lookups, NewUnit, load_lookups
from services.importer.plan import (
    COLUMN_OF,
    FIELDS,
    TASK,
    Change,
    Plan,
    chunks,
    fingerprint,
    load_versions,
    versions_by_id,
)
from services.importer.validate import TaskRow, validate
from storage.db import Lock, Sessions, exclusive
from storage.errors import is_retryable

LISTED = 200  # chat updates a report names; the rest are counted
ANALYZE_AFTER = 1000  # rows written before planner statistics are refreshed
ANALYSIS_LIMIT = 1000  # SQLite: index rows ANALYZE reads per index
ATTEMPTS = 4  # of the write transaction, after a deadlock, a lock wait given up, a race


@dataclass(slots=True)
class _Import:
    """One import's state between its transactions."""

    tasks: list[TaskRow]
    plan: Plan
    lookups: Lookups
    fields: tuple[str, ...]
    agencies: Mapping[str, NewUnit]  # units to create (--add-agencies), by the rows' keys
    programs: Mapping[str, NewUnit]  # programs to create, by the rows' keys


async def import_tasks(
    sessions: Sessions,
    rows: Iterable[Mapping[str, object]],
    *,
    dry_run: bool,
    actor: Actor,
    now: datetime,
    progress: Progress = None,
    today: date | None = None,
    expect_fingerprint: str | None = None,
    add_agencies: bool = False,
    overwrite_chat_updates: bool = False,
) -> ImportReport:
    """Validate every row, then (unless dry_run) create new tasks and update changed ones.

    All or nothing: with any bad row nothing is written, not even new programs. Columns the
    file lacks keep their stored values. `today` (the committee's) refuses completion dates
    in the future; None skips that check. `now` stamps the writes and their audit events,
    made by `actor`. With `expect_fingerprint` (a dry run's report.fingerprint) nothing is
    written if one of the file's tasks changed since, and the report says stale.
    progress(done, total) counts to twice the row count: validated rows, then written ones.
    add_agencies: a lead or coordinating agency that matches none (and is close to none)
    becomes a new unit of kind "other" rather than a row error; the report lists the units
    and programs the import creates, so a dry run shows them first.
    A field changed in chat since the previous import (services/importer/chat.py) keeps its
    chat value unless overwrite_chat_updates; the report lists them either way.
    """
    records, labels, ignored, estimate = _source(rows)
    # A status in the file decides the completion date too: none unless the task is done.
    given = set(labels) | ({"completed_on"} if "status" in labels else set())
    given |= {"program"} if "program_code" in labels else set()  # a code names the program
    kept = tuple(c for c in OPTIONAL if c not in given and c != "program_code")
    bar = _Bar(progress, estimate)

    units: tuple[Mapping[str, NewUnit], Mapping[str, NewUnit]] = ({}, {})
    plan = Plan(labels, kept, overwrite=overwrite_chat_updates)

    def report(
        counts: tuple[int, int, int] = (0, 0, 0),
        errors: Iterable[RowError] = (),
        fingerprint: str = "",
        stale: bool = False,
    ) -> ImportReport:
        bar.end()
        errors = tuple(errors)
        agencies, programs = ((), ()) if errors else (_labels(units[0]), _labels(units[1]))
        clashes, count = ((), 0) if errors or stale else _chat_updates(plan, lookups, units)
        return ImportReport(
            *counts,
            errors,
            dry_run,
            bar.rows,
            kept,
            ignored,
            new_agencies=agencies,
            new_programs=programs,
            fingerprint=fingerprint,
            stale=stale,
            chat_updates=clashes,
            chat_update_count=count,
            overwrite_chat_updates=overwrite_chat_updates,
        )

    async with sessions.begin() as session:
        lookups = await load_lookups(session, add_agencies=add_agencies)
    tasks, errors, bar.rows = await validate(
        records, lookups, bar.validated, labels=labels, today=today
    )
    if errors:
        return report(errors=errors)
    async with sessions.begin() as session:
        await plan.decide_all(session, tasks)
    if plan.errors:
        return report(errors=plan.errors)
    units = (lookups.planned_agencies(), lookups.planned_programs())
    seen = ""  # only a check (or a write that must match one) needs it: sorting costs
    if dry_run or expect_fingerprint is not None:
        seen = fingerprint((t.key for t in tasks), {k: v for k, (_i, v) in plan.known.items()})
    if expect_fingerprint is not None and seen != expect_fingerprint:
        return report(fingerprint=seen, stale=True)
    if dry_run:
        return report((len(plan.new), len(plan.changed), plan.unchanged), fingerprint=seen)
    fields = tuple(f for f in FIELDS if COLUMN_OF.get(f, f) in given)
    state = _Import(tasks, plan, lookups, fields, *units)
    thorough = expect_fingerprint is not None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with exclusive(sessions, Lock.IMPORT) as session:
                done = await _write(session, state, actor, now, bar, expect_fingerprint, thorough)
                if done.ok and done.created + done.updated >= ANALYZE_AFTER:
                    await _analyze(session)
                if not done.ok:
                    await session.rollback()
            counts = (done.created, done.updated, done.unchanged)
            return report(counts, done.errors, fingerprint=seen, stale=done.stale)
        except DBAPIError as exc:
            # A race lost to another writer: it created one of the file's tasks (unique key;
            # the next attempt looks for them all), or PostgreSQL broke a deadlock.
            race = isinstance(exc, IntegrityError) and not thorough
            if attempt == ATTEMPTS or not (race or is_retryable(exc)):
                raise
            thorough = thorough or race
            bar.restart_writing()
    raise AssertionError("unreachable")


def _chat_updates(
    plan: Plan, lookups: Lookups, units: tuple[Mapping[str, NewUnit], Mapping[str, NewUnit]]
) -> tuple[tuple[ChatUpdate, ...], int]:
    """The plan's clashes with chat updates as a report lists them, and how many."""
    if not plan.clashes:
        return (), 0
    agencies: dict[int | str, str] = {i: code for code, i in lookups.agency_ids.items()}
    programs: dict[int | str, str] = dict(lookups.program_codes.items())
    agencies.update((key, unit.code) for key, unit in units[0].items())
    programs.update((key, unit.code) for key, unit in units[1].items())
    return listed(plan.clashes, Names(agencies, programs), LISTED)


def _labels(planned: Mapping[str, NewUnit]) -> tuple[str, ...]:
    """The units an import creates as "Tên (MÃ)", each once."""
    return tuple(unit.label() for unit in dict.fromkeys(planned.values()))


async def _analyze(session: AsyncSession) -> None:
    """Fresh planner statistics after a bulk load keep reports on their indexes."""
    if session.get_bind().dialect.name == "sqlite":
        # A sample, as PostgreSQL takes one: reading every index of the table costs seconds.
        await session.execute(text(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}"))
    await session.execute(text("ANALYZE task"))


def _source(
    rows: Iterable[Mapping[str, object]],
) -> tuple[Iterable[Mapping[str, object]], dict[str, str], tuple[str, ...], int]:
    """The records, the file's columns with their header text, its ignored header cells and
    about how many records there are (0: unknown)."""
    labels = getattr(rows, "labels", None)
    if isinstance(labels, Mapping):  # services.importer.Records, from read_rows
        estimate = getattr(rows, "estimate", None)
        if not isinstance(estimate, int):
            estimate = len(rows) if isinstance(rows, Sized) else 0
        return rows, dict(labels), tuple(getattr(rows, "ignored", ())), estimate
    # Records built in code (the demo, tests): a column is there when some record has it.
    records = list(rows)
    keys = dict.fromkeys(k for record in records for k in record if k != ROW_KEY)
    return records, {k: k for k in keys}, (), len(records)


@dataclass(slots=True)
class _Done:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[RowError, ...] = ()
    stale: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stale


async def _write(
    session: AsyncSession,
    state: _Import,
    actor: Actor,
    now: datetime,
    bar: _Bar,
    expect: str | None,
    thorough: bool,
) -> _Done:
    """The locked part: check what the plan was built on, decide again where needed, write."""
    plan = state.plan
    if thorough:  # every code of the file, stored or not
        keys = [t.key for t in state.tasks]
        versions = await load_versions(session, keys)
        if expect is not None and fingerprint(keys, versions) != expect:
            return _Done(stale=True)
        moved = {k for k in keys if versions.get(k) != plan.known.get(k, (0, None))[1]}
    else:  # the stored ones, by id; a code created since fails the insert (then thorough)
        by_id = await versions_by_id(session, [ident for ident, _v in plan.known.values()])
        moved = {k for k, (ident, version) in plan.known.items() if by_id.get(ident) != version}
        del by_id
    if moved:
        await plan.redo(session, state.tasks, moved)
    if plan.errors:  # a concurrent write made a row contradict its stored task
        return _Done(errors=tuple(plan.errors))
    codes = {ident: code for code, ident in state.lookups.agency_ids.items()}
    writer = Writer(session, actor, now, state.fields, codes, bar.written_rows)
    await writer.create_units(state.agencies, state.programs)
    # Updates before inserts: see Writer._rewrite. Rows another writer changed after the
    # check above (PostgreSQL only: SQLite let no writer in) are locked, re-read, redone.
    pending: Mapping[str, Change] = plan.changed
    for _round in range(3):  # the second round writes locked rows: it cannot lose
        if not pending:
            break
        lost = await writer.update(pending)
        if lost:
            await _lock(session, lost)
            await plan.redo(session, state.tasks, lost)
            if plan.errors:
                return _Done(errors=tuple(plan.errors))
        pending = {k: plan.changed[k] for k in lost if k in plan.changed}
    if pending:
        raise RuntimeError(f"import: {len(pending)} tasks kept changing under a row lock")
    await writer.insert(plan.new.values())
    await mark_agreed(session, (i for ids in plan.agreed.values() for i in ids), at=now)
    return _Done(len(plan.new), len(plan.changed), plan.unchanged)


async def _lock(session: AsyncSession, keys: set[str]) -> None:
    """Lock these tasks' rows until the transaction ends (they are few)."""
    for chunk in chunks(sorted(keys)):
        query = select(TASK.c.id).where(TASK.c.code_key.in_(chunk)).order_by(TASK.c.id)
        await session.execute(query.with_for_update())


@dataclass(slots=True)
class _Bar:
    """progress(done, total): validated rows against the estimate, then rows written."""

    progress: Progress
    estimate: int
    rows: int = 0  # records seen, once validation has finished
    written: int = 0

    def validated(self, done: int) -> None:
        if self.progress:
            self.progress(done, 2 * max(self.estimate, done))

    def written_rows(self, count: int) -> None:
        self.written += count
        if self.progress:
            self.progress(self.rows + min(self.written, self.rows), 2 * self.rows)

    def restart_writing(self) -> None:
        self.written = 0

    def end(self) -> None:
        if self.progress:
            total = 2 * self.rows
            self.progress(total, total)
