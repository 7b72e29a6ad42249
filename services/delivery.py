"""The outbox sender's side of the table: leases, outcomes, when to look again.

jobs/sender.py drains the outbox with these; every statement is Core on the table (the
ORM's bulk-update layer would cost more than the statement at 28 messages a second).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.outbox import Keyboard
from storage.models import Outbox, OutboxStatus

_TABLE = cast(Table, Outbox.__table__)
_C = _TABLE.c

ERROR_MAX = 500  # characters of an error kept on a row
PENDING = OutboxStatus.PENDING.value


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row a sender holds until `lease` ends: what to send, and where."""

    id: int
    key: str
    chat_id: int
    text: str
    keyboard: Keyboard | None
    attempts: int
    lease: datetime
    photo: bytes | None = None  # a PNG sent with sendPhoto, `caption` under it (a digest's chart)
    caption: str | None = None


async def _heads(session: AsyncSession, skip_chats: Collection[int] = ()) -> list[int]:
    """Each chat's oldest pending row, the chats with the most rows waiting first, then the
    oldest head: a chat's messages go out one after another, in order (a row waiting for a
    retry holds back the ones queued after it), so a drain ends when the busiest chat's last
    message can go (one each chat_gap, 18 a minute into a group: bot/ratelimit.py); starting
    with the busiest shortens that tail, and keeps as many chats as possible to write into.

    Read first, on their own: folded into the claim as a subquery, PostgreSQL may plan it
    as a loop over a table it has no statistics for yet (just after a job queued thousands
    of rows), running it once per row: seconds instead of milliseconds.
    """
    query = select(func.min(_C.id), func.count()).where(_C.status == PENDING).group_by(_C.chat_id)
    if skip_chats:
        query = query.where(_C.chat_id.not_in(list(skip_chats)))
    heads = (await session.execute(query)).all()
    return [head for head, _ in sorted(heads, key=lambda h: (-h[1], h[0]))]


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


CHUNK = 1000  # ids bound in one statement


def _claimable(now: datetime) -> ColumnElement[bool]:
    return and_(
        _C.status == PENDING,
        _C.not_before <= now,
        or_(_C.claimed_until.is_(None), _C.claimed_until <= now),
    )


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    lease: timedelta,
    limit: int,
    skip_chats: Collection[int] = (),
) -> list[Claimed]:
    """Lease up to `limit` rows due at `now`, at most one per chat and none for
    `skip_chats`: each chat's oldest, the busiest chats first (see `_heads`); in that order.
    Commit before sending anything.

    The heads are tried in slices, in that order: the first as long as `limit`, each next
    one twice as long (up to CHUNK), so that a few heads not due (a retry) or leased cost
    one more statement, and thousands of them a few.

    PostgreSQL locks the chosen rows FOR UPDATE SKIP LOCKED, and the conditions are checked
    again on the row as locked, so two senders never lease the same row; SQLite has one
    writer at a time (begin the transaction IMMEDIATE: it reads, then writes).
    """
    claimed: list[Claimed] = []
    heads = await _heads(session, skip_chats)
    start, size = 0, min(max(limit, 1), CHUNK)
    while start < len(heads) and len(claimed) < limit:
        chosen = heads[start : start + size]
        claimed += await _claim_among(session, chosen, now, now + lease, limit - len(claimed))
        start, size = start + size, min(size * 2, CHUNK)
    return claimed


async def _claim_among(
    session: AsyncSession, heads: list[int], now: datetime, until: datetime, limit: int
) -> list[Claimed]:
    """Lease up to `limit` of these heads, the first ones in `heads`' order that can go."""
    order = {head: rank for rank, head in enumerate(heads)}
    # More heads than rows wanted (a slice after the first): the LIMIT keeps their order.
    ranked = case(order, value=_C.id) if len(heads) > limit else _C.id
    chosen = (
        select(_C.id)
        .where(_C.id.in_(heads), _claimable(now))
        .order_by(ranked)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # Chosen once (MATERIALIZED): as a subquery PostgreSQL may rescan it for every outer
    # row, and a rescan skips the rows this statement just updated and LIMITs afresh.
    picked = chosen.cte("picked").prefix_with("MATERIALIZED")
    statement = (
        update(_TABLE)
        .where(_C.id == picked.c.id, _claimable(now))
        .values(claimed_until=until)
        .returning(
            _C.id, _C.key, _C.chat_id, _C.text, _C.keyboard, _C.attempts, _C.photo, _C.caption
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    claimed = [
        Claimed(row_id, key, chat_id, text, _keyboard(keyboard), attempts, until, photo, caption)
        for row_id, key, chat_id, text, keyboard, attempts, photo, caption in rows
    ]
    return sorted(claimed, key=lambda c: order[c.id])


def _keyboard(rows: list[list[list[str]]] | None) -> Keyboard | None:
    if not rows:
        return None
    return [[(label, data) for label, data in row] for row in rows]


async def mark_sent(session: AsyncSession, *, row_id: int, now: datetime, message_id: int) -> None:
    """Telegram accepted the message."""
    await _settle(
        session,
        row_id,
        status=OutboxStatus.SENT.value,
        sent_at=now,
        message_id=message_id,
        attempts=_C.attempts + 1,
        error=None,
    )


async def retry_later(
    session: AsyncSession, *, row_id: int, not_before: datetime, error: str, counted: bool
) -> None:
    """Send again from `not_before`; `counted`: the try counts towards giving up."""
    values: dict[str, Any] = {"not_before": not_before, "error": _cut(error)}
    if counted:
        values["attempts"] = _C.attempts + 1
    await _settle(session, row_id, **values)


async def give_up(session: AsyncSession, *, row_id: int, status: OutboxStatus, error: str) -> None:
    """Never send it: `failed` (kept failing, or Telegram refused it) or `blocked` (403)."""
    await _settle(
        session, row_id, status=status.value, error=_cut(error), attempts=_C.attempts + 1
    )


async def release(session: AsyncSession, *, row_ids: Collection[int]) -> None:
    """Hand back leased rows that were not sent (a pause, a stop): claimable again now."""
    if row_ids:
        await session.execute(
            update(_TABLE)
            .where(_C.id.in_(list(row_ids)), _C.status == PENDING)
            .values(claimed_until=None)
            .execution_options(synchronize_session=False)
        )


async def release_stale(session: AsyncSession, *, ending_before: datetime) -> int:
    """Hand back the leases that end before `ending_before`: those a sender took before
    this one started (see jobs/sender.py, the takeover); how many."""
    result = await session.execute(
        update(_TABLE)
        .where(_C.status == PENDING, _C.claimed_until < ending_before)
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def move_chat(session: AsyncSession, *, old_id: int, new_id: int) -> int:
    """A group became a supergroup: its waiting messages follow it; how many moved."""
    result = await session.execute(
        update(_TABLE)
        .where(_C.chat_id == old_id, _C.status == PENDING)
        .values(chat_id=new_id, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def _settle(session: AsyncSession, row_id: int, **values: Any) -> None:
    # Only a pending row: a row another sender settled meanwhile keeps what it says.
    await session.execute(
        update(_TABLE)
        .where(_C.id == row_id, _C.status == PENDING)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def _cut(error: str) -> str:
    return error if len(error) <= ERROR_MAX else error[: ERROR_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class Waiting:
    """When waiting rows can next be leased: the earliest due one not leased (maybe now or
    before: its chat then waits for the budget), and the earliest lease to run out."""

    due: datetime | None
    leased_until: datetime | None


async def next_claimable(session: AsyncSession, *, now: datetime) -> Waiting | None:
    """When a waiting row can next be leased; None when no row waits."""
    heads = await _heads(session)
    if not heads:
        return None
    free = or_(_C.claimed_until.is_(None), _C.claimed_until <= now)
    dues, leases = [], []
    for chunk in _chunks(heads):
        due, leased = (
            await session.execute(
                select(
                    func.min(_C.not_before).filter(free),
                    func.min(_C.claimed_until).filter(_C.claimed_until > now),
                ).where(_C.id.in_(chunk))
            )
        ).one()
        dues += [due] if due is not None else []
        leases += [leased] if leased is not None else []
    return Waiting(_aware(min(dues, default=None)), _aware(min(leases, default=None)))


def _aware(value: Any) -> datetime | None:
    """An aggregate's datetime as UTC-aware (SQLite may hand it back naive, or as text)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
