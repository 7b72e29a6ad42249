"""The outbox: messages a job produced, queued under a dedupe key, sent once.

A job calls `enqueue` in the same transaction as the state the message derives from, so a
message exists exactly when that state does; the key makes a second run a no-op. After its
commit it rings the Doorbell, and the sender (jobs/sender.py, services/delivery.py) wakes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, select
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
    """One message to queue with `enqueue_many`: a text (with its buttons), or a photo.

    The sender sends a row whose `photo` is set with sendPhoto(photo, caption=caption,
    parse_mode=HTML, reply_markup=keyboard); `text` repeats the caption, so listings show
    what the photo says.
    """

    key: str
    chat_id: int
    text: Html
    keyboard: Keyboard | None = None
    photo: bytes | None = None  # PNG; `text` is then its caption (at most 1,024 characters)


async def enqueue_many(session: AsyncSession, messages: list[Message], *, now: datetime) -> int:
    """Queue many messages as `enqueue` does, in batches of one statement, in their order
    (ids ascending); how many were new."""
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
            "photo": m.photo,
            "caption": None if m.photo is None else str(m.text),
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


class Doorbell:
    """Rung after a job committed the messages it queued: the sender wakes up at once
    instead of polling the table (it still looks every minute, in case)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def ring(self) -> None:
        self._event.set()

    @property
    def rung(self) -> bool:
        """Rung and not yet heard by the sender."""
        return self._event.is_set()

    async def wait(self, seconds: float) -> bool:
        """Wait until rung or `seconds` pass; True if rung (and clear it)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        rung = self._event.is_set()
        self._event.clear()
        return rung


# --- What there is: `dondoc outbox` and /outbox.


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    """How many rows per status (every status present, 0 if none)."""
    rows = await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status: int(n) for status, n in rows.all()})
    return counts


async def list_rows(
    session: AsyncSession,
    *,
    statuses: Collection[str] = (),
    offset: int = 0,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Outbox]:
    """Rows with one of `statuses` (all if empty), oldest first unless `newest_first`."""
    query = select(Outbox)
    if statuses:
        query = query.where(Outbox.status.in_(list(statuses)))
    query = query.order_by(Outbox.id.desc() if newest_first else Outbox.id)
    return list((await session.scalars(query.offset(offset).limit(limit))).all())


async def count_rows(session: AsyncSession, *, statuses: Collection[str] = ()) -> int:
    """How many rows `list_rows` would give without a page."""
    query = select(func.count()).select_from(Outbox)
    if statuses:
        query = query.where(Outbox.status.in_(list(statuses)))
    return int(await session.scalar(query) or 0)
