"""services.outbox.enqueue: one row per key, whoever queues it twice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import Html
from services.outbox import Message, enqueue, enqueue_many
from storage.models import Outbox

NOW = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)


async def test_a_key_is_queued_once(session: AsyncSession) -> None:
    first = await enqueue(session, key="nudge:1:2026-12-02", chat_id=1, text=Html("a"), now=NOW)
    again = await enqueue(session, key="nudge:1:2026-12-02", chat_id=1, text=Html("b"), now=NOW)
    other = await enqueue(
        session, key="nudge:2:2026-12-02", chat_id=2, text=Html("c"), now=NOW,
        keyboard=[[("Open", "tk:1:1:o")]],
    )  # fmt: skip
    assert (first, again, other) == (True, False, True)
    rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    assert [(r.key, r.text, r.status, r.attempts) for r in rows] == [
        ("nudge:1:2026-12-02", "a", "pending", 0),
        ("nudge:2:2026-12-02", "c", "pending", 0),
    ]
    assert rows[1].keyboard == [[["Open", "tk:1:1:o"]]]
    assert await session.scalar(select(func.count()).select_from(Outbox)) == 2


async def test_many_are_queued_in_order_and_taken_keys_skipped(session: AsyncSession) -> None:
    png, caption = b"\x89PNG\r\n\x1a\n...", Html("📊 <b>Bản tin tuần 50/2026</b>")
    await enqueue(session, key="digest:-2:2026-W50", chat_id=-2, text=Html("old"), now=NOW)
    messages = [
        Message("digest:-1:2026-W50:chart", -1, caption, photo=png),
        Message("digest:-1:2026-W50", -1, Html("text 1")),
        Message("digest:-2:2026-W50", -2, Html("new")),  # taken: skipped
        *(Message(f"digest:{-10 - n}:2026-W50", -10 - n, Html("t")) for n in range(450)),
    ]
    assert await enqueue_many(session, messages, now=NOW) == len(messages) - 1
    assert await enqueue_many(session, messages, now=NOW) == 0
    rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    assert [r.key for r in rows[:3]] == [
        "digest:-2:2026-W50", "digest:-1:2026-W50:chart", "digest:-1:2026-W50",
    ]  # fmt: skip
    assert [r.chat_id for r in rows[3:]] == [-10 - n for n in range(450)]
    photo, text, old = rows[1], rows[2], rows[0]
    assert (photo.photo, photo.caption, photo.text, photo.status) == (
        png,
        caption,
        caption,
        "pending",
    )
    assert (text.photo, text.caption, text.text) == (None, None, "text 1")
    assert old.text == "old"
