"""Pending actions: created, read, consumed exactly once, expired, purged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import pending
from services.pending import Pending, Refusal
from storage.db import make_sessions
from storage.models import PendingAction

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TTL = timedelta(minutes=30)
CHAT = -100555


async def _create(
    session: AsyncSession, *, blob: bytes | None = None, now: datetime = NOW, kind: str = "import"
) -> str:
    return await pending.create(
        session,
        kind=kind,
        user_id=7,
        chat_id=CHAT,
        payload={"file_name": "đăng ký.xlsx", "register": 3},
        now=now,
        ttl=TTL,
        blob=blob,
    )


async def _consume(
    session: AsyncSession, token: str, *, at: datetime = NOW, chat_id: int = CHAT
) -> Pending | Refusal:
    return await pending.consume(session, token=token, kind="import", chat_id=chat_id, now=at)


async def test_a_token_fits_callback_data_and_reads_back(session: AsyncSession) -> None:
    blob = bytes(range(256)) * 1000
    token = await _create(session, blob=blob)
    assert len(token) == 16
    assert token.replace("-", "").replace("_", "").isalnum()
    found = await pending.read(session, token=token)
    assert found is not None
    assert found.payload == {"file_name": "đăng ký.xlsx", "register": 3}
    assert (found.blob, found.created_at, found.expires_at) == (blob, NOW, NOW + TTL)
    assert await pending.read(session, token="nope") is None


async def test_consumed_exactly_once(session: AsyncSession) -> None:
    token = await _create(session, blob=b"rows")
    taken = await _consume(session, token)
    assert isinstance(taken, Pending)
    assert taken.blob == b"rows"
    assert await _consume(session, token) is Refusal.USED
    assert await _consume(session, token, at=NOW + TTL * 2) is Refusal.USED


async def test_a_pending_action_expires(session: AsyncSession) -> None:
    token = await _create(session)
    assert await _consume(session, token, at=NOW + TTL) is Refusal.EXPIRED
    assert await _consume(session, token, at=NOW + TTL + timedelta(days=30)) is Refusal.EXPIRED
    assert isinstance(await _consume(session, token, at=NOW + TTL - timedelta(seconds=1)), Pending)


async def test_unknown_tokens_kinds_and_chats(session: AsyncSession) -> None:
    token = await _create(session)
    assert await _consume(session, "A" * 16) is Refusal.UNKNOWN
    assert await _consume(session, token, chat_id=CHAT - 1) is Refusal.UNKNOWN
    other = await pending.consume(session, token=token, kind="invite", chat_id=CHAT, now=NOW)
    assert other is Refusal.UNKNOWN
    assert isinstance(await _consume(session, token), Pending)  # still there for its own


async def test_without_a_chat_any_chat_consumes_but_kind_still_counts(
    session: AsyncSession,
) -> None:
    token = await _create(session, kind="invite")
    other = await pending.consume(session, token=token, kind="import", chat_id=None, now=NOW)
    assert other is Refusal.UNKNOWN
    assert await _consume(session, token, chat_id=CHAT - 1) is Refusal.UNKNOWN  # a chat: checked
    anywhere = await pending.consume(session, token=token, kind="invite", chat_id=None, now=NOW)
    assert isinstance(anywhere, Pending)
    assert anywhere.chat_id == CHAT
    again = await pending.consume(session, token=token, kind="invite", chat_id=None, now=NOW)
    assert again is Refusal.USED


async def test_a_read_action_says_whether_it_is_still_valid(session: AsyncSession) -> None:
    token = await _create(session)
    found = await pending.read(session, token=token)
    assert found is not None
    assert found.refusal(NOW) is None
    assert found.refusal(NOW + TTL) is Refusal.EXPIRED
    await _consume(session, token)
    used = await pending.read(session, token=token)
    assert used is not None
    assert used.consumed_at == NOW
    assert used.refusal(NOW) is Refusal.USED


async def test_invites_are_kept_longer_than_other_actions(session: AsyncSession) -> None:
    await session.execute(delete(PendingAction))
    invite = await _create(session, kind="invite")
    await _create(session)  # an import: purged a day after its expiry
    month_later = NOW + TTL + timedelta(days=30)
    await pending.purge(session, now=month_later)
    left = set((await session.scalars(select(PendingAction.token))).all())
    assert left == {invite}  # opened a month late, an invite still hears "expired"
    gone = month_later + pending.KEEP_LONGER["invite"]
    await pending.purge(session, now=gone)
    assert (await session.scalars(select(PendingAction.token))).all() == []


async def test_purge_drops_old_rows_and_files_nobody_can_use(session: AsyncSession) -> None:
    await session.execute(delete(PendingAction))
    long_gone = await _create(session, blob=b"a", now=NOW - pending.KEEP_AFTER_EXPIRY - TTL * 2)
    expired = await _create(session, blob=b"b", now=NOW - TTL * 2)
    used = await _create(session, blob=b"c")
    assert isinstance(await _consume(session, used), Pending)
    working = await _create(session, blob=b"w")
    assert isinstance(await _consume(session, working), Pending)
    await pending.finish(session, token=used)
    waiting = await _create(session, blob=b"d")  # creating purges
    blobs = dict((await session.execute(select(PendingAction.token, PendingAction.blob))).all())
    # A consumed action still at work keeps its file: if the work fails it is released.
    assert blobs == {expired: None, used: None, working: b"w", waiting: b"d"}
    assert long_gone not in blobs
    assert await _consume(session, expired) is Refusal.EXPIRED  # still told apart


async def test_a_released_action_can_be_consumed_again_and_only_by_its_claim(
    session: AsyncSession,
) -> None:
    token = await _create(session, blob=b"rows")
    assert isinstance(await _consume(session, token), Pending)
    later = NOW + timedelta(minutes=1)
    assert not await pending.release(session, token=token, consumed_at=later)  # not its claim
    assert await _consume(session, token, at=later) is Refusal.USED
    assert await pending.release(session, token=token, consumed_at=NOW)
    again = await _consume(session, token, at=later)
    assert isinstance(again, Pending)
    assert again.blob == b"rows"
    await pending.finish(session, token=token)
    found = await pending.read(session, token=token)
    assert found is not None
    assert found.blob is None
    assert not await pending.release(session, token=token, consumed_at=NOW)


@pytest.fixture
async def committed(engine: AsyncEngine) -> AsyncIterator[str]:
    """A pending action committed for real (other connections see it), removed afterwards."""
    sessions = make_sessions(engine)
    async with sessions.begin() as session:
        token = await _create(session, blob=b"x" * 1000)
    yield token
    async with sessions.begin() as session:
        await session.execute(delete(PendingAction).where(PendingAction.token == token))


async def test_concurrent_consumers_one_wins(engine: AsyncEngine, committed: str) -> None:
    sessions = make_sessions(engine)

    async def claim() -> Pending | Refusal:
        async with sessions.begin() as session:
            taken = await _consume(session, committed)
            await asyncio.sleep(0.05)  # hold the transaction while the others try
            return taken

    results = await asyncio.gather(*(claim() for _ in range(4)))
    assert sum(isinstance(r, Pending) for r in results) == 1
    assert sorted(r for r in results if isinstance(r, Refusal)) == [Refusal.USED] * 3
