"""Pending actions: something started now and confirmed later, consumed exactly once.

Rows live in the database (storage.models.PendingAction), so a Confirm pressed after a
restart or handled by another process finds them; times are passed in, never read here.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PendingAction

TOKEN_BYTES = 12  # 16 URL-safe characters: 96 random bits, small beside callback data's 64 B
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16}")  # what secrets.token_urlsafe(TOKEN_BYTES) gives
KEEP_AFTER_EXPIRY = timedelta(days=1)  # an old button still hears "expired", not "unknown"
# Kinds kept longer: a forwarded invite opened weeks late still hears "expired" or "used".
KEEP_LONGER: dict[str, timedelta] = {"invite": timedelta(days=90)}
# A prompt is opened before its question is sent and learns the question's message id after:
# for this long at most, a reply that found no prompt may find it in a moment (being_sent).
SENDING = timedelta(seconds=30)


class Refusal(enum.StrEnum):
    """Why a token could not be consumed."""

    UNKNOWN = "unknown"  # never issued, for another kind or chat, or long purged
    EXPIRED = "expired"
    USED = "used"  # consumed already: a double tap, or another process was first


@dataclass(frozen=True, slots=True)
class Pending:
    """A pending action as created."""

    token: str
    kind: str
    user_id: int
    chat_id: int
    payload: dict[str, Any]
    blob: bytes | None
    created_at: datetime
    expires_at: datetime
    consumed_at: datetime | None = None

    def refusal(self, now: datetime) -> Refusal | None:
        """Why consuming it now would fail (used, expired), or None while it is valid."""
        if self.consumed_at is not None:
            return Refusal.USED
        return Refusal.EXPIRED if self.expires_at <= now else None


_COLUMNS = (
    PendingAction.token,
    PendingAction.kind,
    PendingAction.user_id,
    PendingAction.chat_id,
    PendingAction.payload,
    PendingAction.blob,
    PendingAction.created_at,
    PendingAction.expires_at,
    PendingAction.consumed_at,
)


def is_token(text: str) -> bool:
    """Whether `text` has the shape of a token `create` makes (button data is checked so)."""
    return _TOKEN.fullmatch(text) is not None


async def create(
    session: AsyncSession,
    *,
    kind: str,
    user_id: int,
    chat_id: int,
    payload: dict[str, Any],
    now: datetime,
    ttl: timedelta,
    blob: bytes | None = None,
) -> str:
    """Store a pending action valid for `ttl`; return its token (URL-safe, 16 characters)."""
    await purge(session, now=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        PendingAction(
            token=token,
            kind=kind,
            user_id=user_id,
            chat_id=chat_id,
            payload=payload,
            blob=blob,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.flush()
    return token


async def read(session: AsyncSession, *, token: str) -> Pending | None:
    """The pending action behind `token`, whether or not it is still valid."""
    row = (await session.execute(select(*_COLUMNS).where(PendingAction.token == token))).first()
    return None if row is None else Pending(*row)


async def consume(
    session: AsyncSession, *, token: str, kind: str, chat_id: int | None, now: datetime
) -> Pending | Refusal:
    """Mark the action used and return it, or say why not; at most one caller ever wins.

    `chat_id` None: from any chat (an invite is made in an admin's chat and opened in the
    invitee's); otherwise only from the chat it was made in.

    One conditional UPDATE … RETURNING: on PostgreSQL a second writer waits for the first
    and then finds consumed_at set; on SQLite the write lock serialises them. Run it first
    in its transaction (on SQLite a read before it could not upgrade to the write lock).
    """
    mine = [PendingAction.token == token, PendingAction.kind == kind]
    if chat_id is not None:
        mine.append(PendingAction.chat_id == chat_id)
    claimed = update(PendingAction).where(
        *mine, PendingAction.consumed_at.is_(None), PendingAction.expires_at > now
    )
    row = (await session.execute(claimed.values(consumed_at=now).returning(*_COLUMNS))).first()
    if row is not None:
        return Pending(*row)
    found = (await session.execute(select(PendingAction.consumed_at).where(*mine))).first()
    if found is None:
        return Refusal.UNKNOWN
    return Refusal.USED if found.consumed_at is not None else Refusal.EXPIRED


async def finish(session: AsyncSession, *, token: str) -> None:
    """The consumed action is done (or cancelled): its file is no longer needed."""
    await session.execute(
        update(PendingAction)
        .where(PendingAction.token == token, PendingAction.consumed_at.is_not(None))
        .values(blob=None)
    )


async def release(session: AsyncSession, *, token: str, consumed_at: datetime) -> bool:
    """Undo a consume whose action then failed (a database error, say), so that the same
    button works again; only the claim made at `consumed_at`, never another's."""
    result = await session.execute(
        update(PendingAction)
        .where(PendingAction.token == token, PendingAction.consumed_at == consumed_at)
        .values(consumed_at=None)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def purge(session: AsyncSession, *, now: datetime) -> None:
    """Drop expired actions' files, and rows a day past their expiry (KEEP_LONGER's later).

    A consumed action keeps its file until `finish` (or its expiry): if its work fails,
    `release` makes it usable again.
    """
    longer = [PendingAction.kind == kind for kind in KEEP_LONGER]
    await session.execute(
        delete(PendingAction).where(
            PendingAction.expires_at < now - KEEP_AFTER_EXPIRY, ~or_(false(), *longer)
        )
    )
    for kind, keep in KEEP_LONGER.items():
        await session.execute(
            delete(PendingAction).where(
                PendingAction.kind == kind, PendingAction.expires_at < now - keep
            )
        )
    await session.execute(
        update(PendingAction)
        .where(PendingAction.blob.is_not(None), PendingAction.expires_at <= now)
        .values(blob=None)
    )


async def started_by(
    session: AsyncSession, *, kinds: Collection[str], user_id: int, chat_id: int
) -> list[Pending]:
    """The actions of these kinds a user started in one chat and still kept (valid, used or
    expired: `Pending.refusal` tells), newest first: what a reply of theirs may answer."""
    query = (
        select(*_COLUMNS)
        .where(
            PendingAction.kind.in_(list(kinds)),
            PendingAction.user_id == user_id,
            PendingAction.chat_id == chat_id,
        )
        .order_by(PendingAction.created_at.desc())
    )
    return [Pending(*row) for row in await session.execute(query)]


async def set_payload(session: AsyncSession, *, token: str, payload: dict[str, Any]) -> None:
    """Replace an action's payload (what became known after it was made: a message's id)."""
    await session.execute(
        update(PendingAction).where(PendingAction.token == token).values(payload=payload)
    )


async def drop(session: AsyncSession, *, token: str) -> None:
    """Forget an action that never reached its user (its question could not be sent)."""
    await session.execute(delete(PendingAction).where(PendingAction.token == token))


async def being_sent(
    session: AsyncSession,
    *,
    kinds: Collection[str],
    user_id: int,
    chat_id: int,
    key: str,
    now: datetime,
) -> bool:
    """Whether one of the user's prompts of these kinds in this chat, opened less than
    SENDING ago and still valid, does not know its question's message id (`payload[key]`)
    yet: the bot is sending it, and a reply faster than that record may be its answer."""
    rows = await started_by(session, kinds=kinds, user_id=user_id, chat_id=chat_id)
    return any(
        row.payload.get(key) is None
        and row.refusal(now) is None
        and now - row.created_at < SENDING
        for row in rows
    )
