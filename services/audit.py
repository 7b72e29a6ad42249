"""The audit trail: who changed which field of a task, from where, when (task_event rows).

Written by the same transaction as the change it records. A task's creation is one event
(field "created", no values): its first values are its current ones with every later
event undone, newest first, since each event keeps the old value next to the new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    CompoundSelect,
    FromClause,
    Select,
    String,
    Table,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy import (
    cast as sql_cast,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bulk import bulk_insert
from storage.models import Agency, Program, TaskEvent, UTCDateTime
from storage.models import EventSource as EventSource  # callers name a source through here

CREATED = "created"
ACTOR_LEN = 255  # task_event.actor

_TABLE = cast(Table, TaskEvent.__table__)
COLUMNS = ("task_id", "at", "actor_id", "actor", "source", "field", "old", "new")
# A column's name in the trail, where it is not the column's own: the register's words.
FIELD_NAMES = {"lead_agency_id": "agency", "program_id": "program"}

Event = tuple[int, str, str | None, str | None]  # task id, field, old text, new text


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: a Telegram user (or none), a label, and the channel it came by."""

    user_id: int | None
    label: str  # a display name, or an import's file name
    source: str  # storage.models.EventSource: chat, import, cli, job


def as_text(value: object) -> str | None:
    """A field value as the trail stores it: ISO dates, sorted ';'-joined sets, None kept."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return ";".join(sorted(str(v) for v in value))
    return str(value)


async def record_changes(
    session: AsyncSession,
    *,
    task_id: int,
    changes: Iterable[tuple[str, object, object]],
    actor: Actor,
    at: datetime,
) -> int:
    """One event per changed field of one task (field, old, new); equal pairs are skipped."""
    events: list[Event] = []
    for field, old, new in changes:
        old_text, new_text = as_text(old), as_text(new)
        if old_text != new_text:
            events.append((task_id, field, old_text, new_text))
    return await record_events(session, events, actor=actor, at=at)


async def record_created(
    session: AsyncSession, task_ids: Iterable[int], *, actor: Actor, at: datetime
) -> int:
    """One "created" event per new task."""
    if session.get_bind().dialect.name != "sqlite":
        events = ((task_id, CREATED, None, None) for task_id in task_ids)
        return await record_events(session, events, actor=actor, at=at)
    # SQLite: one INSERT … SELECT over the ids as a JSON array; an import's 100,000 rows
    # through the driver's executemany cost twice as much.
    ids = list(task_ids)
    if ids:
        each = func.json_each(json.dumps(ids))
        columns: list[ColumnElement[Any]] = [literal_column("value"), *_stamp(actor, at)]
        columns += [literal(CREATED), null(), null()]
        rows: Select[Any] = select(*columns).select_from(each)
        await session.execute(insert(_TABLE).from_select(COLUMNS, rows))
    return len(ids)


async def record_events(
    session: AsyncSession, events: Iterable[Event], *, actor: Actor, at: datetime
) -> int:
    """Many events by one actor at one time, in bulk (COPY on PostgreSQL); how many."""
    if at.tzinfo is None:  # COPY bypasses UTCDateTime's own check
        raise ValueError("naive datetime; pass a UTC-aware `at`")
    label = actor.label[:ACTOR_LEN]
    rows = (
        (task_id, at, actor.user_id, label, actor.source, field, old, new)
        for task_id, field, old, new in events
    )
    return await bulk_insert(session, _TABLE, COLUMNS, rows)


def staged_changes(
    pairs: FromClause,
    columns: Sequence[str],
    *,
    actor: Actor,
    at: datetime,
    dialect: str,
) -> CompoundSelect[tuple[object, ...]]:
    """Events, in COLUMNS order, for every column whose `old_<column>` and `new_<column>`
    differ in `pairs` (one row per task `id`), values written as as_text() writes them."""
    # The database compares and renders: an import that rewrites 100,000 tasks need not hold
    # their old values in memory to record them.
    stamp = _stamp(actor, at)
    parts = [
        select(
            pairs.c.id,
            *stamp,
            literal(FIELD_NAMES.get(name, name)),
            _text(pairs.c[f"old_{name}"], name, dialect),
            _text(pairs.c[f"new_{name}"], name, dialect),
        ).where(pairs.c[f"old_{name}"].is_distinct_from(pairs.c[f"new_{name}"]))
        for name in columns
    ]
    return union_all(*parts)


def _stamp(actor: Actor, at: datetime) -> tuple[ColumnElement[object], ...]:
    """The `at`, `actor_id`, `actor` and `source` of events written by a statement."""
    return (
        literal(at, UTCDateTime()),
        literal(actor.user_id, BigInteger()),
        literal(actor.label[:ACTOR_LEN]),
        literal(actor.source),
    )


def _text(column: ColumnElement[object], name: str, dialect: str) -> ColumnElement[object]:
    """A column's value as text, as as_text() writes it (agencies and programs by code)."""
    if name == "lead_agency_id":
        return select(Agency.code).where(Agency.id == column).scalar_subquery()
    if name == "program_id":
        return select(Program.code).where(Program.id == column).scalar_subquery()
    if name in ("deadline", "completed_on") and dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")  # whatever the server's DateStyle
    return sql_cast(column, String())  # SQLite keeps dates as ISO text already
