"""The audit trail: who changed which field of a task, from where, when (task_event rows).

Written by the same transaction as the change it records. A task's creation is one event
(field "created", no values): its first values are its current ones with every later
event undone, newest first, since each event keeps the old value next to the new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from storage.bulk import bulk_insert
from storage.models import TaskEvent

CREATED = "created"
ACTOR_LEN = 255  # task_event.actor

_TABLE = cast(Table, TaskEvent.__table__)
_COLUMNS = ("task_id", "at", "actor_id", "actor", "source", "field", "old", "new")

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
    events = ((task_id, CREATED, None, None) for task_id in task_ids)
    return await record_events(session, events, actor=actor, at=at)


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
    return await bulk_insert(session, _TABLE, _COLUMNS, rows)
