"""Validated rows into the database: new tasks in bulk, changed ones updated, the rest kept."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer.common import (
    OPTIONAL,
    ROW_KEY,
    ImportReport,
    Progress,
    Records,
    RowError,
)
from services.importer.validate import NewUnit, TaskRow, load_lookups, validate
from storage.models import Agency, AgencyKind, Program, Status, Task, task_coordinators, utcnow

T = TypeVar("T")

CHUNK = 5000  # rows per write batch and codes per IN list: far below PostgreSQL's 32767 binds
ANALYZE_AFTER = 1000  # rows written before planner statistics are refreshed

_TASK = cast(Table, Task.__table__)
_COORD = task_coordinators
_FIELDS = (  # compared with the database, in _values() order
    "title",
    "lead_agency_id",
    "deadline",
    "status",
    "completed_on",
    "program_id",
    "source",
    "progress",
    "notes",
)
_COLUMN_OF = {"lead_agency_id": "agency", "program_id": "program"}  # else the same name
_INSERTED = ("code", *_FIELDS, "created_at", "updated_at", "version")
# Core updates skip the mapper's version_id_col, so the bump is explicit; the other SET
# columns come from the executemany parameters named after them.
_UPDATE = update(_TASK).where(_TASK.c.id == bindparam("b_id")).values(version=_TASK.c.version + 1)


@dataclass(frozen=True, slots=True)
class _Stored:
    """A task already in the database, as far as the import compares it."""

    id: int
    fields: tuple[object, ...]
    coordinating: frozenset[int]

    def value(self, column: str) -> object:
        """The stored value of one of the file's columns (TaskRow's name for it)."""
        if column == "coordinating":
            return self.coordinating
        return self.fields[_POSITION[column]]


_POSITION = {_COLUMN_OF.get(f, f): i for i, f in enumerate(_FIELDS)}


async def import_tasks(
    session: AsyncSession,
    rows: Iterable[Mapping[str, object]],
    *,
    dry_run: bool,
    progress: Progress = None,
    today: date | None = None,
    add_agencies: bool = False,
) -> ImportReport:
    """Validate every row, then (unless dry_run) create new tasks and update changed ones."""
    # All or nothing: with any bad row nothing is written, not even new programs; the caller
    # owns the transaction. Columns the file lacks keep their stored values. `today` (the
    # committee's) refuses completion dates in the future; None skips that check.
    # progress(done, total) counts to twice the row count: validated rows first (every
    # TICK), then written rows (every CHUNK); a dry run or a failed check jumps to the end.
    # add_agencies: a lead or coordinating agency that matches none becomes a new unit (kind
    # "other") rather than a row error; the report lists them, so a dry run shows them first.
    records = list(rows)
    labels, ignored = _header_of(rows, records)
    # A status in the file decides the completion date too: none unless the task is done.
    given = set(labels) | ({"completed_on"} if "status" in labels else set())
    given |= {"program"} if "program_code" in labels else set()  # a code names the program
    kept = tuple(c for c in OPTIONAL if c not in given and c != "program_code")
    total = 2 * len(records)

    def report(
        created: int = 0, updated: int = 0, unchanged: int = 0, errors: Sequence[RowError] = ()
    ) -> ImportReport:
        if progress:
            progress(total, total)
        counts = (created, updated, unchanged)
        new_units = (
            tuple(u.label() for u in dict.fromkeys(planned_agencies.values())),
            tuple(u.label() for u in dict.fromkeys(planned_programs.values())),
        )
        if errors:
            new_units = ((), ())
        return ImportReport(
            *counts, tuple(errors), dry_run, len(records), kept, ignored, *new_units
        )

    lookups = await load_lookups(session, add_agencies=add_agencies)
    planned_agencies: dict[str, NewUnit] = {}
    planned_programs: dict[str, NewUnit] = {}
    tasks, errors = await validate(records, lookups, progress, total, labels=labels, today=today)
    if errors:
        return report(errors=errors)
    stored = await _load_stored(session, [t.code for t in tasks])
    tasks, errors = _settle_completion(tasks, stored, labels)
    if errors:
        return report(errors=errors)
    tasks = [_complete(t, stored.get(t.code), kept) for t in tasks]
    planned_agencies, planned_programs = lookups.planned_agencies(), lookups.planned_programs()
    new = [t for t in tasks if t.code not in stored]
    changed = [t for t in tasks if t.code in stored and _differs(t, stored[t.code])]
    if not dry_run and (new or changed):
        fields = [f for f in _FIELDS if _COLUMN_OF.get(f, f) in given]
        created = _Created(
            await _create(session, Agency, planned_agencies, kind=AgencyKind.OTHER.value),
            await _create(session, Program, planned_programs),
        )
        await _write(session, new, changed, stored, created, fields, progress, total)
        if len(new) + len(changed) >= ANALYZE_AFTER:
            # Fresh planner statistics after a bulk load keep report queries on their indexes.
            await session.execute(text("ANALYZE task"))
    return report(len(new), len(changed), len(tasks) - len(new) - len(changed))


def _header_of(
    rows: Iterable[Mapping[str, object]], records: Sequence[Mapping[str, object]]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The file's columns with their header text, and its ignored header cells."""
    if isinstance(rows, Records):
        return rows.labels, rows.ignored
    # Records built in code (the demo, tests): a column is there when some record has it.
    keys = dict.fromkeys(k for record in records for k in record if k != ROW_KEY)
    return {k: k for k in keys}, ()


def _settle_completion(
    tasks: Sequence[TaskRow], stored: Mapping[str, _Stored], labels: Mapping[str, str]
) -> tuple[list[TaskRow], list[RowError]]:
    """Where the file has a status or a completion date but not both, the stored task's
    other half completes the row, or the row is refused."""
    if ("status" in labels) == ("completed_on" in labels):
        return list(tasks), []
    settled: list[TaskRow] = []
    errors: list[RowError] = []
    for task in tasks:
        known = stored.get(task.code)
        if "status" in labels:  # statuses without dates: a task done before keeps its date
            completed = cast(date | None, known.value("completed_on")) if known else None
            if task.status == Status.DONE.value and completed is None:
                errors.append(_error(task, labels, "status", "import-err-completed-no-column"))
            elif task.status == Status.DONE.value:
                task = replace(task, completed_on=completed)
        else:  # dates without statuses: checked against the stored status
            done = known is not None and known.value("status") == Status.DONE.value
            if done and task.completed_on is None:
                errors.append(
                    _error(task, labels, "completed_on", "import-err-completed-required")
                )
            elif not done and task.completed_on is not None:
                errors.append(
                    _error(task, labels, "completed_on", "import-err-completed-not-done")
                )
        settled.append(task)
    return settled, errors


def _error(task: TaskRow, labels: Mapping[str, str], column: str, msg_id: str) -> RowError:
    return RowError(task.row, labels[column], msg_id, {}, column)


def _complete(task: TaskRow, stored: _Stored | None, kept: Collection[str]) -> TaskRow:
    """The task as it will be stored: kept columns as they are stored (defaults when new),
    an empty progress as the status implies."""
    changes: dict[str, Any] = {c: stored.value(c) for c in kept} if stored else {}
    status = changes.get("status", task.status)
    if task.progress is None and "progress" not in changes:
        changes["progress"] = 100 if status == Status.DONE.value else 0
    return replace(task, **changes) if changes else task


@dataclass(frozen=True, slots=True)
class _Created:
    """Ids of the agencies and programs this import created, by their key in TaskRow."""

    agencies: Mapping[str, int]
    programs: Mapping[str, int]

    def agency(self, ref: int | str) -> int | str:
        return self.agencies.get(ref, ref) if isinstance(ref, str) else ref


_NONE_CREATED = _Created({}, {})


def _values(task: TaskRow, created: _Created) -> tuple[object, ...]:
    """The task's _FIELDS values; an agency or program still to create maps through created."""
    program = task.program
    if isinstance(program, str):
        program = created.programs.get(program, program)
    return (
        task.title,
        created.agency(task.agency),
        task.deadline,
        task.status,
        task.completed_on,
        program,
        task.source,
        task.progress,
        task.notes,
    )


def _differs(task: TaskRow, stored: _Stored) -> bool:
    # A program still to create is a name, never equal to a stored id.
    return (
        _values(task, _NONE_CREATED) != stored.fields or task.coordinating != stored.coordinating
    )


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _load_stored(session: AsyncSession, codes: Sequence[str]) -> dict[str, _Stored]:
    """The file's tasks already stored, with their coordinating agencies."""
    wanted = set(codes)
    # A big file is most of the table: one scan beats tens of thousands of IN parameters.
    where = [] if len(codes) > CHUNK else [_TASK.c.code.in_(codes)]
    query = select(_TASK.c.code, _TASK.c.id, *(_TASK.c[f] for f in _FIELDS)).where(*where)
    fields = {c: (i, tuple(v)) for c, i, *v in await session.execute(query) if c in wanted}
    pairs = (
        select(_TASK.c.code, _COORD.c.agency_id)
        .join(_COORD, _COORD.c.task_id == _TASK.c.id)
        .where(*where)
    )
    coordinating: dict[str, set[int]] = {}
    for code, agency_id in await session.execute(pairs):
        coordinating.setdefault(code, set()).add(int(agency_id))
    return {
        code: _Stored(ident, values, frozenset(coordinating.get(code, ())))
        for code, (ident, values) in fields.items()
    }


async def _write(
    session: AsyncSession,
    new: list[TaskRow],
    changed: list[TaskRow],
    stored: Mapping[str, _Stored],
    created: _Created,
    fields: Collection[str],
    progress: Progress,
    total: int,
) -> None:
    now = utcnow()
    done = total // 2
    for chunk in _chunks(new):
        await _insert(session, chunk, created, now)
        done += len(chunk)
        if progress:
            progress(done, total)
    for chunk in _chunks(changed):
        await _update(session, chunk, stored, created, fields, now)
        done += len(chunk)
        if progress:
            progress(done, total)


async def _create(
    session: AsyncSession,
    model: type[Agency | Program],
    planned: Mapping[str, NewUnit],
    **extra: str,
) -> dict[str, int]:
    """Insert the agencies or programs the file names for the first time; ids by key."""
    units = list(dict.fromkeys(planned.values()))
    if not units:
        return {}
    table = cast(Table, model.__table__)
    rows = [{"code": u.code, **_names(model, u.name), **extra} for u in units]
    result = await session.execute(insert(table).returning(table.c.code, table.c.id), rows)
    by_code: dict[str, int] = dict(result.all())
    return {key: by_code[unit.code] for key, unit in planned.items()}


def _names(model: type[Agency | Program], name: str) -> dict[str, str]:
    return {"name_vi": name, "name_en": name} if model is Agency else {"name": name}


async def _insert(
    session: AsyncSession, tasks: Sequence[TaskRow], created: _Created, now: datetime
) -> None:
    """Insert new tasks, then their coordinating agencies."""
    rows = [(t.code, *_values(t, created), now, now, 1) for t in tasks]
    await _bulk_insert(session, _TASK, _INSERTED, rows)
    linked = [t for t in tasks if t.coordinating]
    ids = await _ids_of(session, [t.code for t in linked])
    pairs = [(ids[t.code], created.agency(a)) for t in linked for a in t.coordinating]
    await _bulk_insert(session, _COORD, ("task_id", "agency_id"), pairs)


async def _update(
    session: AsyncSession,
    tasks: Sequence[TaskRow],
    stored: Mapping[str, _Stored],
    created: _Created,
    fields: Collection[str],
    now: datetime,
) -> None:
    """Rewrite the file's columns of changed tasks (version + 1) and changed coordinators."""
    # Only the file's columns are set: a column it lacks is left as stored, even if another
    # transaction changed it meanwhile.
    rows = [
        {"b_id": stored[t.code].id}
        | {f: v for f, v in zip(_FIELDS, _values(t, created), strict=True) if f in fields}
        | {"updated_at": now}
        for t in tasks
    ]
    await session.execute(_UPDATE, rows)
    moved = [t for t in tasks if t.coordinating != stored[t.code].coordinating]
    if moved:
        ids = [stored[t.code].id for t in moved]
        await session.execute(delete(_COORD).where(_COORD.c.task_id.in_(ids)))
        pairs = [(stored[t.code].id, created.agency(a)) for t in moved for a in t.coordinating]
        await _bulk_insert(session, _COORD, ("task_id", "agency_id"), pairs)


async def _ids_of(session: AsyncSession, codes: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        query = select(_TASK.c.code, _TASK.c.id).where(_TASK.c.code.in_(chunk))
        ids.update((await session.execute(query)).all())
    return ids


async def _bulk_insert(
    session: AsyncSession, table: Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster), executemany elsewhere."""
    if not rows:
        return
    conn = await session.connection()
    if conn.dialect.driver == "asyncpg":
        raw = await conn.get_raw_connection()
        copy = raw.driver_connection.copy_records_to_table  # type: ignore[union-attr]
        await copy(table.name, records=rows, columns=columns)
        return
    await conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
