"""Chat updates an import meets: task fields changed in chat that no import has set since.

A field of a task holds a chat update while its latest event in the audit trail is a chat
one (a lead's Done or progress, an approved extension, an admin's /edit or /cancel) and no
import's file has had that same value since (chat_update_agreed). So "after the previous
import" is read per field: the previous import that wrote the field, or whose file agreed
with it. An import that would change such a field keeps the chat value unless told to
overwrite it, and says which ones it kept; either way the list shows what the file has.
Only the trail is read (an index of chat events): nothing is written when a lead updates.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, exists, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit import as_text
from services.importer.common import ChatUpdate
from storage.bulk import among
from storage.models import ChatUpdateAgreed, EventSource, TaskEvent

# The import's columns as the trail names them (FIELDS' names, then the coordinators).
FIELDS = (
    "title",
    "agency",
    "deadline",
    "status",
    "completed_on",
    "program",
    "source",
    "progress",
    "notes",
    "coordinating",
)
PAIRED = ("status", "completed_on")  # kept together: a chat "done" keeps its date
AGREE_CHUNK = 5000  # event ids per INSERT (two parameters each)

_EVENTS = cast(Table, TaskEvent.__table__)
_AGREED = cast(Table, ChatUpdateAgreed.__table__)
# A literal, not a parameter: SQLite uses a partial index only for a WHERE it can see.
_FROM_CHAT: ColumnElement[str] = literal_column(f"'{EventSource.CHAT.value}'")


@dataclass(frozen=True, slots=True)
class ChatValue:
    """A field's latest chat event: its id and the value it set, as the trail writes it."""

    event_id: int
    text: str | None


ChatValues = Mapping[str, ChatValue]  # by the trail's field name


@dataclass(frozen=True, slots=True)
class Clash:
    """A chat update the file would change: the field, the value set in chat (as the trail
    writes it), and the file's value as the importer holds it (ids, or keys of new units)."""

    field: str
    chat: str | None
    file: object


async def load_chat_updates(
    session: AsyncSession, task_ids: Collection[int]
) -> dict[int, dict[str, ChatValue]]:
    """The fields of these tasks that hold a chat update, by task id (few ids have any)."""
    if not task_ids:
        return {}
    dialect = session.get_bind().dialect.name
    event = _EVENTS.alias("chat_event")
    later = _EVENTS.alias("later_event")
    newer = select(later.c.id).where(
        later.c.task_id == event.c.task_id,
        later.c.field == event.c.field,
        later.c.id > event.c.id,
    )
    agreed = select(_AGREED.c.event_id).where(_AGREED.c.event_id == event.c.id)
    query = select(event.c.task_id, event.c.field, event.c.id, event.c.new).where(
        event.c.source == _FROM_CHAT,
        among(event.c.task_id, list(task_ids), dialect),
        event.c.field.in_(FIELDS),
        ~exists(newer),
        ~exists(agreed),
    )
    found: dict[int, dict[str, ChatValue]] = {}
    for task_id, field, event_id, new in await session.execute(query):
        found.setdefault(task_id, {})[field] = ChatValue(event_id, new)
    return found


async def mark_agreed(session: AsyncSession, event_ids: Iterable[int], *, at: datetime) -> None:
    """Remember that an import's file had the values these chat events set."""
    ids = sorted(set(event_ids))
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(ids), AGREE_CHUNK):
        rows = [{"event_id": i, "at": at} for i in ids[start : start + AGREE_CHUNK]]
        # Another import may have agreed since this one's plan was made: once is enough.
        await session.execute(insert(_AGREED).values(rows).on_conflict_do_nothing())


@dataclass(frozen=True, slots=True)
class Names:
    """Codes of the agencies and programs a report names, by id or by a new unit's key."""

    agencies: Mapping[int | str, str]
    programs: Mapping[int | str, str]

    def text(self, name: str, value: object) -> str | None:
        """A file's value as the trail would write it (agencies and programs by code)."""
        if value is None:
            return None
        if name == "agency":
            return self.agencies.get(cast(int | str, value), str(value))
        if name == "program":
            return self.programs.get(cast(int | str, value), str(value))
        if name == "coordinating":
            agencies = cast(Iterable[int | str], value)
            return ";".join(sorted(self.agencies.get(a, str(a)) for a in agencies))
        return as_text(value)


def listed(
    clashes: Mapping[str, tuple[str, list[Clash]]], names: Names, limit: int
) -> tuple[tuple[ChatUpdate, ...], int]:
    """The first `limit` clashes by task code and field, as reports show them, and how many."""
    order = {name: i for i, name in enumerate(FIELDS)}
    pairs = [(code, clash) for code, found in clashes.values() for clash in found]
    first = heapq.nsmallest(limit, pairs, key=lambda p: (p[0], order[p[1].field]))
    shown = tuple(
        ChatUpdate(code, c.field, c.chat, names.text(c.field, c.file)) for code, c in first
    )
    return shown, len(pairs)
