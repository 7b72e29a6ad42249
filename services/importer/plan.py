"""What an import would write: each validated row against its task as stored."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer.common import RowError
from services.importer.validate import TaskRow
from storage.models import Status, Task, task_coordinators

T = TypeVar("T")

CHUNK = 5000  # rows per write batch and keys per IN list: far below either driver's limit

TASK = cast(Table, Task.__table__)
COORD = task_coordinators
FIELDS = (  # compared with the database, in values() order
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
COLUMN_OF = {"lead_agency_id": "agency", "program_id": "program"}  # else the same name
_POSITION = {COLUMN_OF.get(f, f): i for i, f in enumerate(FIELDS)}


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class Stored:
    """A task already in the database, as far as the import compares it."""

    id: int
    version: int
    fields: tuple[object, ...]
    coordinating: frozenset[int]

    def value(self, column: str) -> object:
        """The stored value of one of the file's columns (TaskRow's name for it)."""
        if column == "coordinating":
            return self.coordinating
        return self.fields[_POSITION[column]]


async def load_stored(session: AsyncSession, keys: Collection[str]) -> dict[str, Stored]:
    """The tasks with these code keys, with their coordinating agencies (index reads)."""
    found: dict[str, tuple[int, int, tuple[object, ...]]] = {}
    columns = (TASK.c.code_key, TASK.c.id, TASK.c.version, *(TASK.c[f] for f in FIELDS))
    for chunk in chunks(list(keys)):
        rows = await session.execute(select(*columns).where(TASK.c.code_key.in_(chunk)))
        found.update((key, (ident, version, tuple(v))) for key, ident, version, *v in rows)
    coordinating: dict[int, set[int]] = {}
    for ids in chunks([ident for ident, _v, _f in found.values()]):
        pairs = select(COORD.c.task_id, COORD.c.agency_id).where(COORD.c.task_id.in_(ids))
        for task_id, agency_id in await session.execute(pairs):
            coordinating.setdefault(task_id, set()).add(agency_id)
    return {
        key: Stored(ident, version, values, frozenset(coordinating.get(ident, ())))
        for key, (ident, version, values) in found.items()
    }


async def load_versions(session: AsyncSession, keys: Collection[str]) -> dict[str, int]:
    """The versions of the tasks with these code keys (absent ones are missing)."""
    versions: dict[str, int] = {}
    for chunk in chunks(list(keys)):
        query = select(TASK.c.code_key, TASK.c.version).where(TASK.c.code_key.in_(chunk))
        versions.update((key, version) for key, version in await session.execute(query))
    return versions


def fingerprint(keys: Iterable[str], versions: Mapping[str, int]) -> str:
    """A short hash of the file's code keys and their task versions (0: not stored)."""
    digest = hashlib.blake2b(digest_size=8)
    for key in sorted(keys):
        digest.update(f"{key}\x1f{versions.get(key, 0)}\x1e".encode())
    return digest.hexdigest()


def values(task: TaskRow, program_ids: Mapping[str, int]) -> tuple[object, ...]:
    """The task's FIELDS values; a program still to create maps through program_ids."""
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


def differs(task: TaskRow, stored: Stored, program_ids: Mapping[str, int]) -> bool:
    """Whether writing the task would change its stored row or its coordinators."""
    # A program still to create is a name, never equal to a stored id.
    return values(task, program_ids) != stored.fields or task.coordinating != stored.coordinating


@dataclass(slots=True)
class Plan:
    """The file's tasks to insert and to update (as they will be stored), by code key."""

    labels: Mapping[str, str]  # the file's columns and their header text
    kept: Collection[str]  # optional columns the file lacks: stored values stay
    new: dict[str, TaskRow] = field(default_factory=dict)
    changed: dict[str, TaskRow] = field(default_factory=dict)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def decide(self, task: TaskRow, stored: Stored | None) -> None:
        """Classify one validated row against its stored task (None: not stored)."""
        settled, error = _settle(task, stored, self.labels)
        if error is not None:
            self.errors.append(error)
            return
        complete = _complete(settled, stored, self.kept)
        if stored is None:
            self.new[task.key] = complete
        elif differs(complete, stored, {}):
            self.changed[task.key] = complete
        else:
            self.unchanged += 1

    def redo(
        self, tasks: Iterable[TaskRow], keys: Collection[str], stored: Mapping[str, Stored]
    ) -> None:
        """Decide again for the rows whose stored task changed (or appeared, or vanished)."""
        assert not self.errors, "a plan with errors is never written"
        for task in tasks:
            if task.key not in keys:
                continue
            if self.new.pop(task.key, None) is None and self.changed.pop(task.key, None) is None:
                self.unchanged -= 1
            self.decide(task, stored.get(task.key))


def make_plan(
    tasks: Iterable[TaskRow],
    stored: Mapping[str, Stored],
    labels: Mapping[str, str],
    kept: Collection[str],
) -> Plan:
    """Every validated row decided against the stored tasks."""
    plan = Plan(labels, kept)
    for task in tasks:
        plan.decide(task, stored.get(task.key))
    return plan


def _settle(
    task: TaskRow, known: Stored | None, labels: Mapping[str, str]
) -> tuple[TaskRow, RowError | None]:
    """Where the file has a status or a completion date but not both, the stored task's
    other half completes the row, or the row is refused."""
    if ("status" in labels) == ("completed_on" in labels):
        return task, None
    if "status" in labels:  # statuses without dates: a task done before keeps its date
        completed = cast(date | None, known.value("completed_on")) if known else None
        if task.status == Status.DONE.value and completed is None:
            return task, _error(task, labels, "status", "import-err-completed-no-column")
        if task.status == Status.DONE.value:
            return replace(task, completed_on=completed), None
        return task, None
    done = known is not None and known.value("status") == Status.DONE.value  # dates only
    if done and task.completed_on is None:
        return task, _error(task, labels, "completed_on", "import-err-completed-required")
    if not done and task.completed_on is not None:
        return task, _error(task, labels, "completed_on", "import-err-completed-not-done")
    return task, None


def _error(task: TaskRow, labels: Mapping[str, str], column: str, msg_id: str) -> RowError:
    return RowError(task.row, labels[column], msg_id, {}, column)


def _complete(task: TaskRow, stored: Stored | None, kept: Collection[str]) -> TaskRow:
    """The task as it will be stored: kept columns as they are stored (defaults when new),
    an empty progress as the status implies."""
    changes: dict[str, Any] = {c: stored.value(c) for c in kept} if stored else {}
    status = changes.get("status", task.status)
    if task.progress is None and "progress" not in changes:
        changes["progress"] = 100 if status == Status.DONE.value else 0
    return replace(task, **changes) if changes else task
