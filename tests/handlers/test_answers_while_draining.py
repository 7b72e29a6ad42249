"""Answers never queue behind the outbox: /status is answered at once while 5,000 queued
messages drain, through the real limiters (the app's and the sender's, one budget).

Evidence by order, not by a stopwatch: the sender sends at most 28 messages a second, so
an answer that arrives with fewer than that many outbox messages between the question and
the answer came within a second; and everything sent meanwhile kept Telegram's limits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert
from telegram import Update

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.ratelimit import Limits
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import ApiCall, FakeBotAPI
from jobs import sender
from services import outbox
from storage.models import Outbox
from tests.handlers.conftest import ADMIN, GROUP, NOW, VIEWER
from tests.jobs.outbox_kit import check_limits

QUEUED = 5000
LEADS = range(10_000, 10_000 + QUEUED)  # one nudge each


async def test_status_is_answered_at_once_while_5000_messages_drain(tmp_path: Path) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'drain.db'}",
        admins=frozenset({ADMIN}),
        telegram_bot_token="123:TEST",
    )
    api = FakeBotAPI()
    api.refuse_when = lambda m: (
        f"{m} in an outbox transaction" if sender.in_transaction() else None
    )
    app = build_application(settings, request=api, clock=FixedClock(settings.tz, NOW))
    async with opened(app):
        deps = app.bot_data.deps
        await app.process_update(
            Update.de_json(updates.command("/register", chat_id=GROUP, user_id=ADMIN), app.bot)
        )
        async with deps.sessions.begin() as session:
            await session.execute(insert(Outbox), [_row(n, chat) for n, chat in enumerate(LEADS)])
        outbox_sender = sender.Sender(
            sender.make_bot(settings, api), deps.sessions, deps.budget, deps.doorbell
        )
        draining = asyncio.create_task(outbox_sender.run())
        try:
            await _until(lambda: len(_nudges(api)) >= 2 * Limits().background_rate)
            asked = len(api.calls)
            await app.process_update(
                Update.de_json(updates.command("/status", chat_id=GROUP, user_id=VIEWER), app.bot)
            )
            calls = api.calls
            answer = next(i for i, c in enumerate(calls) if i >= asked and c.chat_id == GROUP)
            meanwhile = [c for c in calls[asked:answer] if c.chat_id in LEADS]
            async with deps.sessions.begin() as session:
                waiting = (await outbox.count_by_status(session))["pending"]
        finally:
            outbox_sender.stop()
            await asyncio.wait_for(draining, 30)
    assert calls[answer].ok
    assert "Tổng hợp tình hình thực hiện nhiệm vụ" in calls[answer].text
    assert len(meanwhile) < Limits().background_rate, "the answer waited behind the outbox"
    assert waiting > QUEUED // 2, "the outbox was still draining"
    check_limits([c for c in api.sent() if c.method == "sendMessage"])
    assert api.violations == []


def _row(number: int, chat: int) -> dict[str, object]:
    return {
        "key": f"nudge:{chat}:2026-11-25",
        "chat_id": chat,
        "text": f"Nhắc việc số {number}",
        "status": "pending",
        "attempts": 0,
        "created_at": NOW,
        "not_before": NOW,
    }


def _nudges(api: FakeBotAPI) -> list[ApiCall]:
    return [c for c in api.sent() if c.chat_id in LEADS]


async def _until(condition: Callable[[], bool]) -> None:
    """Wait (a guard of 60 s, not a timing) until `condition()` holds."""
    for _ in range(6000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the sender never got going")
