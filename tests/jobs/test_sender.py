"""The outbox sender against the in-process fake Bot API on virtual time: every message
once, in order, within Telegram's limits, whatever Telegram answers (both databases)."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Bot

from bot.clock import Clock, VirtualTime, WallTicker
from bot.ratelimit import Budget, Limits
from fakeapi.faults import TIMEOUT, Chaos
from fakeapi.inprocess import FakeBotAPI
from jobs.outcomes import MAX_ATTEMPTS, Outcome
from jobs.sender import LEASE, Sender
from rendering.text import Html
from services import delivery
from services.delivery import Claimed
from services.outbox import Message, enqueue_many
from storage.db import make_sessions
from storage.models import Chat
from tests.jobs.outbox_kit import TOKEN, check_limits, fake_api, rig
from tests.sessions import twin_engine

PRIVATE = list(range(1001, 1031))  # 30 leads
CLOCK = Clock(ZoneInfo("Asia/Ho_Chi_Minh"))
GROUPS = [-100201, -100202, -100203]


async def test_every_row_is_sent_once_in_order_within_the_limits(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        # 3 messages for each of 10 leads, 22 for each of 2 groups (more than a group takes
        # in a minute).
        keys = await r.queue([*PRIVATE[:10] * 3, *GROUPS[:2] * 22])
        tally = await r.sender.drain()
        delivered = r.delivered()
        rows = await r.rows()
    assert sorted(c.text for c in delivered) == sorted(keys)  # each once, none lost
    assert (tally.sent, tally.failed, tally.rate_limited) == (len(keys), 0, 0)
    assert r.api.flood is not None
    assert r.api.flood.refused == 0
    own = Limits()  # the sender's share: 28 a second, 18 a minute into a group
    check_limits(delivered, overall=own.background_rate, group=own.group - own.group_reserve)
    per_chat: defaultdict[int, list[str]] = defaultdict(list)
    for call in delivered:
        assert call.chat_id is not None
        per_chat[call.chat_id].append(call.text)
    for chat, texts in per_chat.items():
        assert texts == [k for k in keys if k.endswith(f":{chat}")], chat  # queued order
    assert {row.status for row in rows.values()} == {"sent"}
    assert all(row.attempts == 1 and row.message_id and row.sent_at for row in rows.values())
    # Nothing but the limits slowed it: each group's 22 at 18 a minute, the last 4 a
    # minute after the first 18, CHAT_GAP apart (and the first after 10 leads' at 28/s).
    gap = Limits().chat_gap
    assert 60 + 3 * gap <= r.time.elapsed <= 60 + 3 * gap + 1.0, r.time.elapsed


async def test_throughput_is_the_senders_share_of_telegrams_limit(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        keys = await r.queue(range(1, 281))  # 280 chats, one message each
        await r.sender.drain()
    assert len(r.delivered()) == len(keys)
    seconds = r.time.elapsed
    assert 280 / 28 * 0.97 <= seconds <= 280 / 28 * 1.03, seconds


async def test_a_429_pauses_every_send_for_retry_after_and_is_no_failure(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        keys = await r.queue(PRIVATE[:10])
        r.api.fail_next("sendMessage", 429, retry_after=7)
        tally = await r.sender.drain()
        rows = await r.rows()
    refused = [c for c in r.api.calls if c.status == 429]
    assert len(refused) == 1
    after = [c for c in r.delivered() if c.at > refused[0].at]
    assert after, "the rest went out after the pause"
    assert min(c.at for c in after) >= refused[0].at + 7
    assert sorted(c.text for c in r.delivered()) == sorted(keys)
    limited = rows[refused[0].text]
    assert (limited.status, limited.attempts, limited.error) == ("sent", 1, None)
    assert (tally.rate_limited, tally.retried, tally.failed) == (1, 0, 0)


async def test_server_errors_and_timeouts_are_retried_with_backoff_then_failed(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        first = await r.queue([2001, 2002], prefix="flaky")
        r.api.fail_next("sendMessage", 500)
        r.api.fail_next("sendMessage", TIMEOUT)
        await r.sender.drain()
        rows = await r.rows()
        assert {c.text for c in r.api.errors()} == set(first)  # one try each failed
        assert {rows[k].status for k in first} == {"sent"}
        assert {rows[k].attempts for k in first} == {2}
        # Then Telegram stays down for one message: every try fails.
        failures_before = len(r.api.errors())
        (down,) = await r.queue([2003], prefix="down")
        for _ in range(MAX_ATTEMPTS):
            r.api.fail_next("sendMessage", 502, description="Bad Gateway")
        tally = await r.sender.drain()
        rows = await r.rows()
    assert (rows[down].status, rows[down].attempts) == ("failed", MAX_ATTEMPTS)
    assert rows[down].error == "NetworkError: Bad Gateway"
    tries = r.api.errors()[failures_before:]
    assert len(tries) == MAX_ATTEMPTS
    gaps = [b.at - a.at for a, b in itertools.pairwise(tries)]
    assert gaps == pytest.approx([2.0, 4.0, 8.0, 16.0], abs=0.01)  # BACKOFF, doubled
    assert (tally.failed, tally.retried) == (1, 2 + MAX_ATTEMPTS - 1)


async def test_forbidden_is_blocked_and_bad_request_failed(fresh_engine: AsyncEngine) -> None:
    async with rig(fresh_engine) as r:
        blocked, missing, fine = await r.queue([3001, 3002, 3003])
        r.api.fail_next("sendMessage", 403)
        r.api.fail_next("sendMessage", 400, description="Bad Request: chat not found")
        tally = await r.sender.drain()
        rows = await r.rows()
    assert (rows[blocked].status, rows[blocked].error) == (
        "blocked",
        "Forbidden: bot was blocked by the user",
    )
    assert (rows[missing].status, rows[missing].error) == (
        "failed",
        "BadRequest: Chat not found",  # PTB capitalises Telegram's description
    )
    assert rows[fine].status == "sent"
    assert [c.text for c in r.delivered()] == [fine]
    assert (tally.blocked, tally.failed, tally.sent) == (1, 1, 1)


async def test_a_migrated_group_is_followed_and_its_registration_updated(
    fresh_engine: AsyncEngine,
) -> None:
    old, new = -4001, -1004001
    async with rig(fresh_engine) as r:
        async with r.sessions.begin() as session:
            session.add(Chat(id=old, title="Nhóm MOF", registered_by=1))
        keys = await r.queue([old, old, 5001])
        r.api.migrate_next("sendMessage", new)
        tally = await r.sender.drain()
        rows = await r.rows()
        async with r.sessions.begin() as session:
            chats = set((await session.scalars(select(Chat.id))).all())
    assert chats == {new}
    assert [c.text for c in r.delivered() if c.chat_id == new] == keys[:2]
    assert {rows[k].chat_id for k in keys[:2]} == {new}
    assert {row.status for row in rows.values()} == {"sent"}
    assert tally.migrated == 1


async def test_random_faults_lose_nothing_and_duplicate_nothing(
    fresh_engine: AsyncEngine,
) -> None:
    time = VirtualTime()
    api = fake_api(time)
    api.chaos = Chaos(rate=0.2, seed=2026)  # 429 (retry_after 1-3 s), 500, no answer
    async with rig(fresh_engine, api, time) as r:
        keys = await r.queue([*PRIVATE * 3, *GROUPS * 8])
        tally = await r.sender.drain()
        rows = await r.rows()
    accepted = Counter(c.text for c in r.delivered())
    assert max(accepted.values()) == 1, "nothing sent twice"
    for key in keys:
        row = rows[key]
        if row.status == "sent":
            assert accepted[key] == 1
        else:  # gave up after MAX_ATTEMPTS 5xx/timeouts, and says why
            assert (row.status, row.attempts, accepted[key]) == ("failed", 5, 0)
            assert row.error
    assert sum(1 for row in rows.values() if row.status == "sent") >= len(keys) - 1
    assert set(api.chaos.injected) == {429, 500, TIMEOUT}
    assert api.flood is not None
    assert api.flood.refused == 0, "the only 429s were the injected ones"
    check_limits(r.delivered())
    for call in api.calls:  # after a 429 nothing is sent until retry_after has passed
        if call.status == 429:
            wait = int((call.error or "").rsplit(" ", 1)[-1])
            assert not [c for c in r.delivered() if call.at < c.at < call.at + wait]
    assert tally.rate_limited == api.chaos.injected[429]


async def test_two_senders_on_one_database_send_each_row_once(
    fresh_engine: AsyncEngine,
) -> None:
    # Real time: on virtual time one sender's sleep would make the other's leases run out
    # while it records what it sent (which takes real time and no virtual time).
    api = FakeBotAPI()
    other = await twin_engine(fresh_engine)
    senders = [
        Sender(Bot(TOKEN, request=api), make_sessions(engine), Budget(WallTicker(CLOCK)))
        for engine in (fresh_engine, other)
    ]
    try:
        async with rig(fresh_engine, api) as r:
            keys = await r.queue([*range(8001, 8101), *GROUPS * 2])  # two batches' worth
            tallies = await asyncio.gather(*(s.drain() for s in senders))
            rows = await r.rows()
    finally:
        await other.dispose()
    assert sorted(c.text for c in r.delivered()) == sorted(keys)
    assert all(t.sent for t in tallies), "both senders took part"
    assert sum(t.sent for t in tallies) == len(keys)
    assert {row.status for row in rows.values()} == {"sent"}


async def test_run_wakes_when_rung_and_stops_cleanly(fresh_engine: AsyncEngine) -> None:
    async with rig(fresh_engine) as r:
        running = asyncio.create_task(r.sender.run())
        await asyncio.sleep(0.05)  # idle: it waits up to SAFETY_POLL (60 s) for the bell
        keys = await r.queue([6001, 6002])
        r.sender.doorbell.ring()
        for _ in range(500):  # a guard, not a timing: without the bell this waits 60 s
            if len(r.delivered()) == len(keys):
                break
            await asyncio.sleep(0.01)
        r.sender.stop()
        await asyncio.wait_for(running, 10)
    assert sorted(c.text for c in r.delivered()) == sorted(keys)


async def test_a_stopped_sender_hands_back_what_it_had_not_sent(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        await r.queue(range(7001, 7101))
        send = r.sender._send

        async def send_then_stop(row: Claimed) -> Outcome:
            outcome = await send(row)
            r.sender.stop()
            return outcome

        r.sender._send = send_then_stop  # type: ignore[method-assign]
        await r.sender.drain()
        rows = await r.rows()
    sent = [row for row in rows.values() if row.status == "sent"]
    assert 1 <= len(sent) < 100
    waiting = [row for row in rows.values() if row.status == "pending"]
    assert len(sent) + len(waiting) == 100
    assert all(row.claimed_until is None for row in waiting), "leases handed back"


async def test_a_new_leader_sends_what_a_killed_sender_had_leased_after_its_handover(
    fresh_engine: AsyncEngine,
) -> None:
    async with rig(fresh_engine) as r:
        keys = await r.queue(range(7201, 7211))
        async with r.sessions.begin() as session:  # a sender that died with these leased
            dead = await delivery.claim(session, now=r.time.now(), lease=LEASE, limit=4)
        for handover, expected in ((None, 6), (0.0, 10)):
            r.sender.handover = handover
            running = asyncio.create_task(r.sender.run())
            for _ in range(500):  # a guard, not a timing
                if len(r.delivered()) >= expected:
                    break
                await asyncio.sleep(0.01)
            r.sender.stop()
            await asyncio.wait_for(running, 10)
            r.sender._stopping = False
            assert len(r.delivered()) == expected  # without a handover the leases hold
    assert len(dead) == 4
    assert sorted(c.text for c in r.delivered()) == sorted(keys)  # each once


async def test_a_database_hiccup_while_recording_sends_nothing_twice(
    fresh_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark_sent = delivery.mark_sent
    hiccups = [DBAPIError("UPDATE outbox", {}, Exception("database is locked"))]

    async def flaky(session: AsyncSession, **kw: Any) -> None:
        if hiccups:
            raise hiccups.pop()
        await mark_sent(session, **kw)

    monkeypatch.setattr(delivery, "mark_sent", flaky)
    async with rig(fresh_engine) as r:
        (key,) = await r.queue([9001])
        await r.sender.drain()
        rows = await r.rows()
    assert [c.text for c in r.delivered()] == [key]
    assert rows[key].status == "sent"
    assert hiccups == []


async def test_a_row_with_a_photo_goes_as_a_photo_with_its_caption_before_the_text(
    fresh_engine: AsyncEngine,
) -> None:
    # The digest's contract (services/outbox.Message): the chart row first, then the text.
    chart = Message(key="d:chart", chat_id=-1001, text=Html("<b>Biểu đồ</b> &amp; chú thích"),
                    photo=b"\x89PNG chart")  # fmt: skip
    text = Message(key="d:text", chat_id=-1001, text=Html("Bản tổng hợp"))
    async with rig(fresh_engine) as r:
        async with r.sessions.begin() as session:
            assert await enqueue_many(session, [chart, text], now=r.time.now()) == 2
        tally = await r.sender.drain()
        rows = await r.rows()
    photos = [c for c in r.api.sent() if c.method == "sendPhoto"]
    assert [c.params["caption"] for c in photos] == ["<b>Biểu đồ</b> &amp; chú thích"]
    assert [c.method for c in r.api.sent()] == ["sendPhoto", "sendMessage"]
    assert (rows["d:chart"].status, rows["d:text"].status, tally.sent) == ("sent", "sent", 2)
