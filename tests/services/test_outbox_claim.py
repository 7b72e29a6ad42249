"""services.outbox, the sender's side: leases (one row per chat, the busiest chats first),
outcomes, and two claimers that never get the same row, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from rendering.text import Html
from services import delivery, outbox
from services.outbox import enqueue
from storage.db import IMMEDIATE, make_sessions
from storage.models import Outbox, OutboxStatus
from tests.sessions import twin_engine

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)
LEASE = timedelta(seconds=120)


async def _queue(session: AsyncSession, *chats: int, at: datetime = NOW) -> list[int]:
    """One message per chat id given (repeat an id for several), keys in order."""
    ids = []
    for number, chat in enumerate(chats):
        key = f"test:{chat}:{number}:{at.isoformat()}"
        await enqueue(session, key=key, chat_id=chat, text=Html(f"m{number}"), now=at)
        ids.append(await session.scalar(select(Outbox.id).where(Outbox.key == key)))
    return [i for i in ids if i is not None]


async def _claim(
    session: AsyncSession,
    *,
    now: datetime = NOW,
    limit: int = 50,
    skip_chats: tuple[int, ...] = (),
) -> list[int]:
    rows = await delivery.claim(session, now=now, lease=LEASE, limit=limit, skip_chats=skip_chats)
    return [r.id for r in rows]


async def test_a_claim_takes_each_chats_oldest_row_in_order(session: AsyncSession) -> None:
    a1, b1, a2, c1, b2 = await _queue(session, 1, -5, 1, 7, -5)
    assert await _claim(session) == [a1, b1, c1]
    assert await _claim(session) == []  # leased, and each chat's next waits for its first
    await delivery.mark_sent(session, row_id=a1, now=NOW, message_id=10)
    await delivery.give_up(session, row_id=b1, status=OutboxStatus.BLOCKED, error="403")
    assert await _claim(session) == [a2, b2]


async def test_a_claim_starts_with_the_chats_with_the_most_rows_waiting(
    session: AsyncSession,
) -> None:
    # A drain ends when its busiest chat's last message can go (one every chat_gap).
    a1, b1, b2, b3, c1, c2, d1, d2 = await _queue(session, 1, -2, -2, -2, 3, 3, 4, 4)
    assert await _claim(session, limit=2) == [b1, c1]  # 3 rows, then 2 (the older head)
    assert await _claim(session) == [d1, a1]
    await delivery.mark_sent(session, row_id=b1, now=NOW, message_id=1)
    await delivery.mark_sent(session, row_id=c1, now=NOW, message_id=2)
    assert await _claim(session, limit=1) == [b2]  # -2 and 4 have 2 rows each: the older head
    await delivery.mark_sent(session, row_id=b2, now=NOW, message_id=3)
    await delivery.mark_sent(session, row_id=d1, now=NOW, message_id=4)
    await delivery.mark_sent(session, row_id=a1, now=NOW, message_id=5)
    assert await _claim(session) == [b3, c2, d2]  # one each: the oldest head first


async def test_a_busy_chat_not_due_or_skipped_gives_way_to_the_next(
    session: AsyncSession,
) -> None:
    busy = await _queue(session, 9, 9, 9, 9, at=NOW + timedelta(seconds=30))  # a retry, say
    a1, b1, _b2, c1, _c2, _c3 = await _queue(session, 1, 2, 2, 3, 3, 3)
    # 9 is not due, 3 skipped: the next slice, [2, 1], longer than the 1 row wanted, in order.
    assert await _claim(session, limit=1, skip_chats=(3,)) == [b1]
    assert await _claim(session, limit=1) == [c1]
    assert await _claim(session, limit=1) == [a1]
    assert await _claim(session) == []
    assert await _claim(session, now=NOW + timedelta(seconds=30), limit=1) == busy[:1]


async def test_a_claim_skips_chats_it_is_told_to_and_rows_not_due(session: AsyncSession) -> None:
    a1, b1, c1 = await _queue(session, 1, 2, 3)
    later = await _queue(session, 4, at=NOW + timedelta(seconds=30))
    assert await _claim(session, skip_chats=(2,), limit=1) == [a1]
    assert await _claim(session, skip_chats=(2,)) == [c1]
    assert await _claim(session) == [b1]
    assert await _claim(session, now=NOW + timedelta(seconds=29)) == []
    assert await _claim(session, now=NOW + timedelta(seconds=30)) == later


async def test_a_lease_that_ran_out_is_claimed_again(session: AsyncSession) -> None:
    (row,) = await _queue(session, 1)
    assert await _claim(session) == [row]
    assert await _claim(session, now=NOW + LEASE - timedelta(seconds=1)) == []
    assert await _claim(session, now=NOW + LEASE) == [row]


async def test_a_row_waiting_for_a_retry_holds_back_its_chat(session: AsyncSession) -> None:
    first, _second, other = await _queue(session, 1, 1, 2)
    assert await _claim(session) == [first, other]
    retry_at = NOW + timedelta(seconds=8)
    await delivery.retry_later(
        session, row_id=first, not_before=retry_at, error="NetworkError: 502", counted=True
    )
    await delivery.release(session, row_ids=[other])
    assert await _claim(session) == [other]  # not `second`: its chat's order holds
    waiting = delivery.Waiting(retry_at, NOW + LEASE)  # `other` is leased again
    assert await delivery.next_claimable(session, now=NOW) == waiting
    assert await _claim(session, now=retry_at) == [first]
    row = await session.get(Outbox, first)
    assert row is not None
    await session.refresh(row)
    assert (row.attempts, row.error, row.status) == (1, "NetworkError: 502", "pending")


async def test_outcomes_are_recorded_once(session: AsyncSession) -> None:
    sent, failed, limited = await _queue(session, 1, 2, 3)
    await _claim(session)
    await delivery.mark_sent(session, row_id=sent, now=NOW, message_id=77)
    await delivery.give_up(session, row_id=failed, status=OutboxStatus.FAILED, error="x" * 900)
    await delivery.retry_later(
        session, row_id=limited, not_before=NOW, error="RetryAfter", counted=False
    )
    await delivery.give_up(session, row_id=sent, status=OutboxStatus.FAILED, error="late")  # no-op
    rows = {r.id: r for r in await outbox.list_rows(session)}
    for row in rows.values():
        await session.refresh(row)
    assert (rows[sent].status, rows[sent].message_id, rows[sent].sent_at) == ("sent", 77, NOW)
    assert (rows[sent].attempts, rows[sent].claimed_until) == (1, None)
    assert rows[failed].status == "failed"
    assert len(rows[failed].error or "") == delivery.ERROR_MAX
    assert (rows[limited].status, rows[limited].attempts) == ("pending", 0)
    assert await outbox.count_by_status(session) == {
        "pending": 1,
        "sent": 1,
        "failed": 1,
        "blocked": 0,
    }


async def test_a_migrated_group_takes_its_waiting_rows_along(session: AsyncSession) -> None:
    old, new = -4001, -1004001
    first, second, done = await _queue(session, old, old, old)
    await delivery.mark_sent(session, row_id=done, now=NOW, message_id=1)  # stays where it went
    assert await delivery.move_chat(session, old_id=old, new_id=new) == 2
    chats = dict((await session.execute(select(Outbox.id, Outbox.chat_id))).all())
    assert (chats[first], chats[second], chats[done]) == (new, new, old)


async def test_next_claimable_is_none_when_nothing_waits(session: AsyncSession) -> None:
    assert await delivery.next_claimable(session, now=NOW) is None
    (row,) = await _queue(session, 1)
    assert await delivery.next_claimable(session, now=NOW) == delivery.Waiting(NOW, None)
    await _claim(session)
    assert await delivery.next_claimable(session, now=NOW) == delivery.Waiting(None, NOW + LEASE)
    await delivery.mark_sent(session, row_id=row, now=NOW, message_id=1)
    assert await delivery.next_claimable(session, now=NOW) is None


async def test_concurrent_claimers_never_share_a_row(fresh_engine: AsyncEngine) -> None:
    chats = [chat for chat in range(1, 101) for _ in range(3)]  # 300 rows, 3 per chat
    async with make_sessions(fresh_engine).begin() as session:
        await _queue(session, *chats)
    engines = [fresh_engine] + [await twin_engine(fresh_engine) for _ in range(3)]

    async def claimer(engine: AsyncEngine) -> list[int]:
        got: list[int] = []
        sessions = make_sessions(engine)
        for _ in range(200):
            async with sessions.begin() as session:  # as the sender does it
                await session.connection(execution_options={IMMEDIATE: True})
                rows = await delivery.claim(session, now=NOW, lease=LEASE, limit=7)
            if not rows:
                if await _all_done(engine):
                    return got
                await asyncio.sleep(0.005)
                continue
            got += [r.id for r in rows]
            async with sessions.begin() as session:  # "sent": the chat's next row is free
                for row in rows:
                    await delivery.mark_sent(session, row_id=row.id, now=NOW, message_id=row.id)
        return got

    try:
        claimed = await asyncio.gather(*(claimer(e) for e in engines))
    finally:
        for engine in engines[1:]:
            await engine.dispose()
    every = [row for got in claimed for row in got]
    assert len(every) == len(set(every)) == len(chats)
    assert sum(1 for got in claimed if got) >= 2, "claimers really ran side by side"


async def _all_done(engine: AsyncEngine) -> bool:
    async with make_sessions(engine).begin() as session:
        return (await outbox.count_by_status(session))["pending"] == 0


@pytest.mark.pg
@pytest.mark.parametrize("blank_engine", ["postgresql"], indirect=True)
async def test_a_claim_skips_rows_another_holds_without_waiting(
    fresh_engine: AsyncEngine,
) -> None:
    async with make_sessions(fresh_engine).begin() as session:
        ids = await _queue(session, *range(1, 11))
    other = await twin_engine(fresh_engine)
    try:
        async with make_sessions(fresh_engine)() as first:
            held = await _claim(first, limit=4)  # locked, not committed yet
            async with make_sessions(other).begin() as second:
                await (await second.connection()).exec_driver_sql("SET LOCAL lock_timeout = 300")
                taken = await _claim(second, limit=10)
            await first.commit()
        async with make_sessions(other).begin() as third:
            again = await _claim(third, limit=10)
    finally:
        await other.dispose()
    assert held == ids[:4]
    assert taken == ids[4:]
    assert again == []


async def test_a_takeover_hands_back_only_the_leases_taken_before_it(
    session: AsyncSession,
) -> None:
    old, mine, done = await _queue(session, 1, 2, 3, at=NOW - timedelta(seconds=5))
    assert await _claim(session, now=NOW - timedelta(seconds=5)) == [old, mine, done]
    await delivery.release(session, row_ids=[mine])
    await delivery.mark_sent(session, row_id=done, now=NOW, message_id=1)
    assert await _claim(session, now=NOW) == [mine]  # the new sender's own, from NOW on
    # A lease of the new sender's ends LEASE after NOW at the earliest: kept, to the instant.
    assert await delivery.release_stale(session, ending_before=NOW + LEASE) == 1
    assert await _claim(session, now=NOW) == [old]  # free again, and only that one
    rows = {r.id: r for r in (await session.scalars(select(Outbox))).all()}
    assert rows[done].status == OutboxStatus.SENT.value  # a settled row is left alone
