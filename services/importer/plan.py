"""What an import would write: each validated row against its task as stored.

Stored tasks are read a chunk at a time and decided at once, so only each task's id and
version stay in memory (the update's events compare old and new values in the database).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer.chat import PAIRED, ChatValue, ChatValues, Clash, load_chat_updates
from services.importer.common import RowError
from services.importer.validate import TaskRow
from storage.bulk import among
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
    chat: ChatValues = field(default_factory=dict)  # fields holding a chat update

    def value(self, column: str) -> object:
        """The stored value of one of the file's columns (TaskRow's name for it)."""
        if column == "coordinating":
            return self.coordinating
        return self.fields[_POSITION[column]]


async def load_stored(
    session: AsyncSession, keys: Collection[str], sets: dict[frozenset[int], frozenset[int]]
) -> dict[str, Stored]:
    """The tasks with these code keys (at most CHUNK), with their coordinating agencies
    (one object per distinct set, through `sets`: a register repeats a few hundred)."""
    dialect = session.get_bind().dialect.name
    columns = (TASK.c.code_key, TASK.c.id, TASK.c.version, *(TASK.c[f] for f in FIELDS))
    wanted = among(TASK.c.code_key, list(keys), dialect)
    found = {
        key: (ident, version, tuple(v))
        for key, ident, version, *v in await session.execute(select(*columns).where(wanted))
    }
    coordinating: dict[int, set[int]] = {}
    ids = [ident for ident, _v, _f in found.values()]
    linked = among(COORD.c.task_id, ids, dialect)
    pairs = select(COORD.c.task_id, COORD.c.agency_id).where(linked)
    for task_id, agency_id in await session.execute(pairs):
        coordinating.setdefault(task_id, set()).add(agency_id)
    chat = await load_chat_updates(session, ids)
    return {
        key: Stored(
            ident,
            version,
            values,
            _shared(sets, coordinating.get(ident, ())),
            chat.get(ident, _NO_CHAT),
        )
        for key, (ident, version, values) in found.items()
    }


_NO_CHAT: dict[str, ChatValue] = {}  # shared by the tasks without chat updates: never mutated


def _shared(sets: dict[frozenset[int], frozenset[int]], agencies: Iterable[int]) -> frozenset[int]:
    agencies = frozenset(agencies)
    return sets.setdefault(agencies, agencies)


async def load_versions(session: AsyncSession, keys: Collection[str]) -> dict[str, int]:
    """The versions of the tasks with these code keys (absent ones are missing)."""
    dialect = session.get_bind().dialect.name
    versions: dict[str, int] = {}
    for chunk in chunks(list(keys)):
        query = select(TASK.c.code_key, TASK.c.version).where(
            among(TASK.c.code_key, chunk, dialect)
        )
        versions.update((key, version) for key, version in await session.execute(query))
    return versions


async def versions_by_id(session: AsyncSession, ids: Collection[int]) -> dict[int, int]:
    """The versions of the tasks with these ids (primary-key reads; deleted ones missing)."""
    dialect = session.get_bind().dialect.name
    versions: dict[int, int] = {}
    for chunk in chunks(list(ids)):
        query = select(TASK.c.id, TASK.c.version).where(among(TASK.c.id, chunk, dialect))
        versions.update((ident, version) for ident, version in await session.execute(query))
    return versions


def fingerprint(keys: Iterable[str], versions: Mapping[str, int]) -> str:
    """A short hash of the file's code keys and their task versions (0: not stored)."""
    digest = hashlib.blake2b(digest_size=8)
    for key in sorted(keys):
        digest.update(f"{key}\x1f{versions.get(key, 0)}\x1e".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Created:
    """Ids of the agencies and programs an import creates, by their key in TaskRow."""

    agencies: Mapping[str, int] = field(default_factory=dict)
    programs: Mapping[str, int] = field(default_factory=dict)

    def agency(self, ref: int | str) -> int | str:
        """An agency's id; a unit still to create stays its key (never equal to an id)."""
        return self.agencies.get(ref, ref) if isinstance(ref, str) else ref


NOTHING = Created()


def values(task: TaskRow, created: Created) -> tuple[object, ...]:
    """The task's FIELDS values; an agency or program still to create maps through created."""
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


@dataclass(frozen=True, slots=True)
class Change:
    """A stored task the file changes: as it will be stored, and what it replaces."""

    task: TaskRow
    id: int
    version: int
    coordinating: frozenset[int]  # the stored coordinators, for their events


@dataclass(slots=True)
class Plan:
    """The file's tasks to insert and to update, by code key, and the ids and versions of
    all its stored tasks (what the plan was built on)."""

    labels: Mapping[str, str]  # the file's columns and their header text
    kept: Collection[str]  # optional columns the file lacks: stored values stay
    overwrite: bool = False  # write the file's values over chat updates (else keep them)
    known: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> id, version
    new: dict[str, TaskRow] = field(default_factory=dict)
    changed: dict[str, Change] = field(default_factory=dict)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    sets: dict[frozenset[int], frozenset[int]] = field(default_factory=dict)
    # By code key: chat updates the file would change (kept unless overwrite), and the
    # events of those it has the same value for (services/importer/chat.py).
    clashes: dict[str, tuple[str, list[Clash]]] = field(default_factory=dict)  # code, ...
    agreed: dict[str, list[int]] = field(default_factory=dict)

    def decide(self, task: TaskRow, stored: Stored | None) -> None:
        """Classify one validated row against its stored task (None: not stored)."""
        if stored is not None:
            self.known[task.key] = (stored.id, stored.version)
        settled, error = _settle(task, stored, self.labels)
        if error is not None:
            self.errors.append(error)
            return
        complete = _complete(settled, stored, self.kept)
        if stored is not None and stored.chat:
            complete = self._meet_chat(complete, stored)
        if stored is None:
            self.new[task.key] = complete
        elif (
            values(complete, NOTHING) != stored.fields
            or complete.coordinating != stored.coordinating
        ):
            # An agency or program still to create is a key, never equal to a stored id.
            change = Change(complete, stored.id, stored.version, stored.coordinating)
            self.changed[task.key] = change
        else:
            self.unchanged += 1

    def _meet_chat(self, task: TaskRow, stored: Stored) -> TaskRow:
        """The row with the chat updates it would change kept as stored (unless overwrite);
        those clashes and the chat events the file agrees with noted."""
        clashes: list[Clash] = []
        agreed: list[int] = []
        keep: dict[str, Any] = {}
        for name, chat in stored.chat.items():
            if name in self.kept:  # not in the file: nothing to agree or clash with
                continue
            value, held = getattr(task, name), stored.value(name)
            if value == held:
                agreed.append(chat.event_id)
                continue
            clashes.append(Clash(name, chat.text, value))
            keep[name] = held
        if agreed:
            self.agreed[task.key] = agreed
        if clashes:
            self.clashes[task.key] = (task.code, clashes)
        if self.overwrite or not keep:
            return task
        if keep.keys() & set(PAIRED):  # a status with the other's date would contradict it
            keep |= {name: stored.value(name) for name in PAIRED if name not in self.kept}
        return replace(task, **keep)

    def forget(self, key: str) -> None:
        """Undo the decision for one code key (before deciding it again)."""
        self.known.pop(key, None)
        self.clashes.pop(key, None)
        self.agreed.pop(key, None)
        if self.new.pop(key, None) is None and self.changed.pop(key, None) is None:
            self.unchanged -= 1

    async def decide_all(self, session: AsyncSession, tasks: Sequence[TaskRow]) -> None:
        """Decide every row, reading its stored task a chunk of rows at a time."""
        for chunk in chunks(tasks):
            stored = await load_stored(session, [t.key for t in chunk], self.sets)
            for task in chunk:
                self.decide(task, stored.get(task.key))

    async def redo(
        self, session: AsyncSession, tasks: Iterable[TaskRow], keys: Collection[str]
    ) -> None:
        """Decide again for the rows whose stored task changed (or appeared, or vanished)."""
        assert not self.errors, "a plan with errors is never written"
        again = [task for task in tasks if task.key in keys]
        for task in again:
            self.forget(task.key)
        await self.decide_all(session, again)


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
