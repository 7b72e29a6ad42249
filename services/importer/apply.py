"""The write phase of an import: programs, changed tasks, new tasks, coordinators, events."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Column, Integer, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit import Actor, Event, as_text, record_created, record_events
from services.importer.plan import COORD, FIELDS, TASK, Stored, chunks, values
from services.importer.validate import TaskRow
from services.lookup import fold
from storage.bulk import bulk_insert, drop_temporary, temporary_table
from storage.models import Program

Tick = Callable[[int], None]  # rows written since the last call

_INSERTED = ("code", "code_key", *FIELDS, "created_at", "updated_at", "version")
_EVENT_NAME = {"lead_agency_id": "agency", "program_id": "program"}  # else the column


@dataclass(slots=True)
class Writer:
    """One import's write transaction: who writes, when, and the names events show."""

    session: AsyncSession
    actor: Actor
    now: datetime
    fields: tuple[str, ...]  # the FIELDS the file has: an update sets only these
    agency_codes: Mapping[int, str]
    tick: Tick
    program_ids: dict[str, int] | None = None  # programs to create, by name, once created
    program_codes: dict[int, str] | None = None

    async def create_programs(self, names: Mapping[str, str]) -> None:
        """Insert the programs the file names for the first time (folded -> name), unless
        another writer has created them since the check; then learn every program's code."""
        program = cast(Table, Program.__table__)
        existing: dict[str, int] = {}
        codes: dict[int, str] = {}
        for pid, code, name in await self.session.execute(
            select(program.c.id, program.c.code, program.c.name)
        ):
            existing.setdefault(fold(code) or code, pid)
            existing.setdefault(fold(name) or name, pid)
            codes[pid] = code
        ids = {name: existing[key] for key, name in names.items() if key in existing}
        missing = [{"code": n, "name": n} for key, n in names.items() if key not in existing]
        if missing:
            query = insert(program).returning(program.c.code, program.c.id)
            for code, pid in await self.session.execute(query, missing):
                ids[code], codes[pid] = pid, code
        self.program_ids, self.program_codes = ids, codes

    def _values(self, task: TaskRow) -> tuple[object, ...]:
        assert self.program_ids is not None, "create_programs first"
        return values(task, self.program_ids)

    async def update(self, tasks: Mapping[str, TaskRow], stored: Mapping[str, Stored]) -> set[str]:
        """Rewrite the file's columns of changed tasks (version + 1) in one statement, where
        the stored version is still the one planned on; the code keys written."""
        # One UPDATE ... FROM a temporary table: triggers run once for all rows, and every
        # task row is locked before any tally row (a chat writer locks in the same order).
        if not tasks:
            return set()
        chosen = [i for i, f in enumerate(FIELDS) if f in self.fields]
        kinds = [Column(FIELDS[i], TASK.c[FIELDS[i]].type) for i in chosen]
        rows = await temporary_table(
            self.session, "import_rows", Column("id", Integer, primary_key=True),
            Column("version", Integer), *kinds,
        )  # fmt: skip
        key_of: dict[int, str] = {}
        for chunk in chunks(list(tasks.items())):
            records = []
            for key, task in chunk:
                known = stored[key]
                key_of[known.id] = key
                new = self._values(task)
                records.append((known.id, known.version, *(new[i] for i in chosen)))
            await bulk_insert(self.session, rows, [c.name for c in rows.columns], records)
            self.tick(len(chunk))
        statement = (
            update(TASK)
            .where(TASK.c.id == rows.c.id, TASK.c.version == rows.c.version)
            .values({FIELDS[i]: rows.c[FIELDS[i]] for i in chosen})
            .values(version=TASK.c.version + 1, updated_at=self.now)
            .returning(TASK.c.id)
        )
        written = {key_of[i] for i in (await self.session.execute(statement)).scalars()}
        await drop_temporary(self.session, rows)
        await self._after_update(written, tasks, stored)
        return written

    async def _after_update(
        self, written: Collection[str], tasks: Mapping[str, TaskRow], stored: Mapping[str, Stored]
    ) -> None:
        """The updated tasks' coordinators and events."""
        keys = list(written)
        moved = [k for k in keys if tasks[k].coordinating != stored[k].coordinating]
        for chunk in chunks(moved):
            ids = [stored[k].id for k in chunk]
            await self.session.execute(delete(COORD).where(COORD.c.task_id.in_(ids)))
            pairs = [(stored[k].id, a) for k in chunk for a in tasks[k].coordinating]
            await bulk_insert(self.session, COORD, ("task_id", "agency_id"), pairs)
        for chunk in chunks(keys):
            events = (e for k in chunk for e in self._changes(stored[k], tasks[k]))
            await record_events(self.session, events, actor=self.actor, at=self.now)

    def _changes(self, old: Stored, task: TaskRow) -> Iterator[Event]:
        """One event per field the task changes, values as the register writes them."""
        for name, before, after in zip(FIELDS, old.fields, self._values(task), strict=True):
            if before != after:
                field = _EVENT_NAME.get(name, name)
                yield old.id, field, self._text(name, before), self._text(name, after)
        if task.coordinating != old.coordinating:
            yield (
                old.id,
                "coordinating",
                self._agencies(old.coordinating),
                self._agencies(task.coordinating),
            )

    def _text(self, name: str, value: object) -> str | None:
        if name == "lead_agency_id" and isinstance(value, int):
            return self.agency_codes.get(value, str(value))
        if name == "program_id" and isinstance(value, int) and self.program_codes:
            return self.program_codes.get(value, str(value))
        return as_text(value)

    def _agencies(self, ids: frozenset[int]) -> str:
        return ";".join(sorted(self.agency_codes.get(i, str(i)) for i in ids))

    async def insert(self, tasks: Collection[TaskRow]) -> None:
        """Insert new tasks in chunks, then their coordinators and "created" events."""
        for chunk in chunks(list(tasks)):
            rows = [(t.code, t.key, *self._values(t), self.now, self.now, 1) for t in chunk]
            await bulk_insert(self.session, TASK, _INSERTED, rows)
            ids = await self._ids_of([t.key for t in chunk])
            pairs = [(ids[t.key], a) for t in chunk for a in t.coordinating]
            await bulk_insert(self.session, COORD, ("task_id", "agency_id"), pairs)
            await record_created(self.session, ids.values(), actor=self.actor, at=self.now)
            self.tick(len(chunk))

    async def _ids_of(self, keys: list[str]) -> dict[str, int]:
        query = select(TASK.c.code_key, TASK.c.id).where(TASK.c.code_key.in_(keys))
        ids: dict[str, int] = dict((await self.session.execute(query)).all())
        return ids
