"""The write phase of an import: programs, changed tasks, new tasks, coordinators, events."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import (
    Column,
    CompoundSelect,
    FromClause,
    Integer,
    Table,
    and_,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services import audit
from services.audit import Actor, Event, record_created, record_events, staged_changes
from services.importer.lookups import NewUnit
from services.importer.plan import COORD, FIELDS, NOTHING, TASK, Change, Created, chunks, values
from services.importer.validate import TaskRow
from storage.bulk import bulk_insert, drop_temporary, temporary_table
from storage.models import Agency, AgencyKind, Program, TaskEvent

Tick = Callable[[int], None]  # rows written since the last call
INSERT_CHUNK = 20_000  # new tasks per COPY (each fires the statement triggers once)

_INSERTED = ("id", "code", "code_key", *FIELDS, "created_at", "updated_at", "version")
_EVENTS = cast(Table, TaskEvent.__table__)


@dataclass(slots=True)
class Writer:
    """One import's write transaction: who writes, when, and which columns."""

    session: AsyncSession
    actor: Actor
    now: datetime
    fields: tuple[str, ...]  # the FIELDS the file has: an update sets only these
    agency_codes: dict[int, str]  # for the coordinators' events
    tick: Tick
    created: Created = NOTHING  # the agencies and programs this import created

    async def create_units(
        self, agencies: Mapping[str, NewUnit], programs: Mapping[str, NewUnit]
    ) -> None:
        """Insert the units (kind "other") and programs the file names for the first time,
        unless another writer has created them since the check; ids by the rows' keys."""
        kind = {"kind": AgencyKind.OTHER.value}
        self.created = Created(
            await self._create(Agency, agencies, kind), await self._create(Program, programs, {})
        )
        for key, unit in agencies.items():
            self.agency_codes[self.created.agencies[key]] = unit.code

    async def _create(
        self, model: type[Agency | Program], planned: Mapping[str, NewUnit], extra: dict[str, str]
    ) -> dict[str, int]:
        units = list(dict.fromkeys(planned.values()))
        if not units:
            return {}
        table = cast(Table, model.__table__)
        codes = [unit.code for unit in units]
        found = await self.session.execute(
            select(table.c.code, table.c.id).where(table.c.code.in_(codes))
        )
        ids: dict[str, int] = dict(found.all())
        names = ("name_vi", "name_en") if model is Agency else ("name",)
        rows = [
            {"code": u.code, **dict.fromkeys(names, u.name), **extra}
            for u in units
            if u.code not in ids
        ]
        if rows:
            query = insert(table).returning(table.c.code, table.c.id)
            ids.update((code, ident) for code, ident in await self.session.execute(query, rows))
        return {key: ids[unit.code] for key, unit in planned.items()}

    async def update(self, changes: Mapping[str, Change]) -> set[str]:
        """Rewrite the file's columns of changed tasks (version + 1) where the stored version
        is still the planned one, with an event per changed value; the code keys whose
        version had moved on (PostgreSQL: another writer got there first), not written."""
        if not changes:
            return set()
        chosen = [i for i, f in enumerate(FIELDS) if f in self.fields]
        staged = await temporary_table(
            self.session, "import_rows", Column("id", Integer, primary_key=True),
            Column("version", Integer),
            *(Column(FIELDS[i], TASK.c[FIELDS[i]].type) for i in chosen),
        )  # fmt: skip
        for chunk in chunks(list(changes.values())):
            records = []
            for change in chunk:
                new = values(change.task, self.created)
                records.append((change.id, change.version, *(new[i] for i in chosen)))
            await bulk_insert(self.session, staged, [c.name for c in staged.columns], records)
            self.tick(len(chunk))
        ids = set(await self._rewrite(staged, [FIELDS[i] for i in chosen]))
        await drop_temporary(self.session, staged)
        await self._coordinators([c for c in changes.values() if c.id in ids])
        return {key for key, change in changes.items() if change.id not in ids}

    async def _rewrite(self, staged: Table, columns: Sequence[str]) -> list[int]:
        """One UPDATE from the staged rows and the events of what it changes; the ids written."""
        # One statement: triggers run once for all rows, and every task row is locked before
        # any tally row, the order a chat writer locks in, so the two do not deadlock (the
        # rare second round, after rows were lost, may: the import is then tried again).
        dialect = self.session.get_bind().dialect.name
        current = and_(TASK.c.id == staged.c.id, TASK.c.version == staged.c.version)
        rewrite = (
            update(TASK)
            .where(current)
            .values(
                {c: staged.c[c] for c in columns}
                | {"version": TASK.c.version + 1, "updated_at": self.now}
            )
            .returning(TASK.c.id)
        )
        pairs = select(
            TASK.c.id,
            *(TASK.c[c].label(f"old_{c}") for c in columns),
            *(staged.c[c].label(f"new_{c}") for c in columns),
        ).join(staged, current)
        if dialect == "postgresql":
            # Old values, the update and its events from one snapshot: a row a chat writer
            # changed meanwhile is neither written nor logged. `pairs` is read once.
            written = rewrite.cte("written")
            seen = pairs.cte("pairs")
            done = select(*seen.c).join(written, written.c.id == seen.c.id).cte("done")
            events = self._events(done, columns, dialect)
            logged = insert(_EVENTS).from_select(audit.COLUMNS, events).cte("logged")
            ids = await self.session.execute(select(written.c.id).add_cte(logged))
            return list(ids.scalars())
        # SQLite: BEGIN IMMEDIATE let no other writer in, so the rows read are the rows written.
        events = self._events(pairs.subquery("pairs"), columns, dialect)
        await self.session.execute(insert(_EVENTS).from_select(audit.COLUMNS, events))
        return list((await self.session.execute(rewrite)).scalars())

    def _events(
        self, pairs: FromClause, columns: Sequence[str], dialect: str
    ) -> CompoundSelect[tuple[object, ...]]:
        return staged_changes(pairs, columns, actor=self.actor, at=self.now, dialect=dialect)

    async def _coordinators(self, changes: Sequence[Change]) -> None:
        """New coordinating agencies of updated tasks, and their events."""
        moved = [c for c in changes if c.task.coordinating != c.coordinating]
        for chunk in chunks(moved):
            await self.session.execute(
                delete(COORD).where(COORD.c.task_id.in_([c.id for c in chunk]))
            )
            pairs = [(c.id, self.created.agency(a)) for c in chunk for a in c.task.coordinating]
            await bulk_insert(self.session, COORD, ("task_id", "agency_id"), pairs)
            events: list[Event] = [
                (
                    c.id,
                    "coordinating",
                    self._codes(c.coordinating),
                    self._codes(self.created.agency(a) for a in c.task.coordinating),
                )
                for c in chunk
            ]
            await record_events(self.session, events, actor=self.actor, at=self.now)

    def _codes(self, agencies: Iterable[int | str]) -> str:
        names = (self.agency_codes.get(a, str(a)) if isinstance(a, int) else a for a in agencies)
        return ";".join(sorted(names))

    async def insert(self, tasks: Collection[TaskRow]) -> None:
        """Insert new tasks in chunks, their coordinators and their "created" events."""
        ids = await self._new_ids(len(tasks))
        listed = tasks if isinstance(tasks, Sequence) else list(tasks)
        for start in range(0, len(listed), INSERT_CHUNK):
            end = start + INSERT_CHUNK
            chunk = list(zip(ids[start:end], listed[start:end], strict=True))
            rows = [
                (i, t.code, t.key, *values(t, self.created), self.now, self.now, 1)
                for i, t in chunk
            ]
            await bulk_insert(self.session, TASK, _INSERTED, rows)
            del rows  # before the next statements' own rows
            pairs = [(i, self.created.agency(a)) for i, t in chunk for a in t.coordinating]
            await bulk_insert(self.session, COORD, ("task_id", "agency_id"), pairs)
            created = [i for i, _t in chunk]
            await record_created(self.session, created, actor=self.actor, at=self.now)
            self.tick(len(chunk))

    async def _new_ids(self, count: int) -> list[int]:
        """Ids for `count` new tasks, known before they are inserted (no read-back)."""
        if not count:
            return []
        if self.session.get_bind().dialect.name == "postgresql":
            sequence = text(  # one array, not `count` rows to read back
                "SELECT array_agg(nextval(pg_get_serial_sequence('task', 'id')))"
                " FROM generate_series(1, :count)"
            )
            ids = await self.session.scalar(sequence, {"count": count})
            return list(ids or ())
        # SQLite would give the same ones: BEGIN IMMEDIATE let no other writer in.
        last = await self.session.scalar(select(TASK.c.id).order_by(TASK.c.id.desc()).limit(1))
        return list(range((last or 0) + 1, (last or 0) + 1 + count))
