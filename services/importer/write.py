"""Validated rows into the database: new tasks in bulk, changed ones updated, the rest kept."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer.common import ImportReport, Progress
from services.importer.validate import Lookups, TaskRow, load_lookups, validate
from storage.models import Program, Task, task_coordinators, utcnow

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


async def import_tasks(
    session: AsyncSession,
    rows: Iterable[Mapping[str, object]],
    *,
    dry_run: bool,
    progress: Progress = None,
) -> ImportReport:
    """Validate every row, then (unless dry_run) create new tasks and update changed ones."""
    # All or nothing: with any bad row nothing is written, not even new programs; the caller
    # owns the transaction. progress(done, total) counts to twice the row count: validated
    # rows first (every TICK), then written rows (every CHUNK); a dry run or a failed check
    # jumps to (total, total).
    records = list(rows)
    total = 2 * len(records)
    lookups = await load_lookups(session)
    tasks, errors = await validate(records, lookups, progress, total)
    if errors:
        if progress:
            progress(total, total)
        return ImportReport(0, 0, 0, tuple(errors), dry_run, len(records))
    stored = await _load_stored(session, [t.code for t in tasks])
    new = [t for t in tasks if t.code not in stored]
    changed = [t for t in tasks if t.code in stored and _differs(t, stored[t.code])]
    if not dry_run and (new or changed):
        await _write(session, new, changed, stored, lookups, progress, total)
        if len(new) + len(changed) >= ANALYZE_AFTER:
            # Fresh planner statistics after a bulk load keep report queries on their indexes.
            await session.execute(text("ANALYZE task"))
    if progress:
        progress(total, total)
    unchanged = len(tasks) - len(new) - len(changed)
    return ImportReport(len(new), len(changed), unchanged, (), dry_run, len(records))


def _values(task: TaskRow, program_ids: Mapping[str, int]) -> tuple[object, ...]:
    """The task's _FIELDS values; a program still to create maps through program_ids."""
    program = task.program
    if isinstance(program, str):
        program = program_ids.get(program, program)
    return (
        task.title,
        task.agency,
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
    return _values(task, {}) != stored.fields or task.coordinating != stored.coordinating


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
    lookups: Lookups,
    progress: Progress,
    total: int,
) -> None:
    now = utcnow()
    program_ids = await _create_programs(session, lookups.new_programs.values())
    done = total // 2
    for chunk in _chunks(new):
        await _insert(session, chunk, program_ids, now)
        done += len(chunk)
        if progress:
            progress(done, total)
    for chunk in _chunks(changed):
        await _update(session, chunk, stored, program_ids, now)
        done += len(chunk)
        if progress:
            progress(done, total)


async def _create_programs(session: AsyncSession, names: Iterable[str]) -> dict[str, int]:
    """Insert the programs the file names for the first time; their ids by name."""
    rows = [{"code": name, "name": name} for name in names]
    if not rows:
        return {}
    program = cast(Table, Program.__table__)
    result = await session.execute(insert(program).returning(program.c.code, program.c.id), rows)
    ids: dict[str, int] = dict(result.all())
    return ids


async def _insert(
    session: AsyncSession, tasks: Sequence[TaskRow], program_ids: Mapping[str, int], now: datetime
) -> None:
    """Insert new tasks, then their coordinating agencies."""
    rows = [(t.code, *_values(t, program_ids), now, now, 1) for t in tasks]
    await _bulk_insert(session, _TASK, _INSERTED, rows)
    linked = [t for t in tasks if t.coordinating]
    ids = await _ids_of(session, [t.code for t in linked])
    pairs = [(ids[t.code], a) for t in linked for a in t.coordinating]
    await _bulk_insert(session, _COORD, ("task_id", "agency_id"), pairs)


async def _update(
    session: AsyncSession,
    tasks: Sequence[TaskRow],
    stored: Mapping[str, _Stored],
    program_ids: Mapping[str, int],
    now: datetime,
) -> None:
    """Rewrite changed tasks (version + 1) and replace changed coordinator sets."""
    rows = [
        {"b_id": stored[t.code].id, **dict(zip(_FIELDS, _values(t, program_ids), strict=True))}
        | {"updated_at": now}
        for t in tasks
    ]
    await session.execute(_UPDATE, rows)
    moved = [t for t in tasks if t.coordinating != stored[t.code].coordinating]
    if moved:
        ids = [stored[t.code].id for t in moved]
        await session.execute(delete(_COORD).where(_COORD.c.task_id.in_(ids)))
        pairs = [(stored[t.code].id, a) for t in moved for a in t.coordinating]
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
