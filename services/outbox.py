"""The outbox: messages a job produced, queued under a dedupe key, sent once.

A job calls `enqueue` in the same transaction as the state the message derives from, so a
message exists exactly when that state does; the key makes a second run a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import Html
from storage.models import Outbox, OutboxStatus

Keyboard = list[list[tuple[str, str]]]  # as handlers.common.Keyboard: rows of (label, data)
_TABLE = cast(Table, Outbox.__table__)


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    chat_id: int,
    text: Html,
    now: datetime,
    keyboard: Keyboard | None = None,
) -> bool:
    """Queue one message under `key`; False if a message with that key exists already."""
    rows = [[list(button) for button in row] for row in keyboard] if keyboard else None
    values = {
        "key": key,
        "chat_id": chat_id,
        "text": str(text),
        "keyboard": rows,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "created_at": now,
        "not_before": now,
    }
    # ON CONFLICT DO NOTHING: two processes queueing the same key both succeed, one row.
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    statement = insert(_TABLE).values(values).on_conflict_do_nothing(index_elements=["key"])
    result = await session.execute(statement.returning(_TABLE.c.id))
    return result.first() is not None


@dataclass(frozen=True, slots=True)
class Message:
    """One message to queue with `enqueue_many`."""

    key: str
    chat_id: int
    text: Html
    keyboard: Keyboard | None = None


async def enqueue_many(session: AsyncSession, messages: list[Message], *, now: datetime) -> int:
    """Queue many messages as `enqueue` does, in batches of one statement; how many were new."""
    if not messages:
        return 0
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["key"])
    rows = [
        {
            "key": m.key,
            "chat_id": m.chat_id,
            "text": str(m.text),
            "keyboard": m.keyboard or None,  # JSON writes the (label, data) pairs as lists
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "created_at": now,
            "not_before": now,
        }
        for m in messages
    ]
    # One compiled statement, sent in batches by SQLAlchemy ("insertmanyvalues"); RETURNING
    # yields the rows inserted, not those the keys already had.
    result = await session.execute(statement.returning(_TABLE.c.id), rows)
    return len(result.all())
