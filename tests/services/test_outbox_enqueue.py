"""services.outbox.enqueue: one row per key, whoever queues it twice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import Html
from services.outbox import enqueue, enqueue_photo
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


async def test_a_photo_is_queued_once_with_its_caption(session: AsyncSession) -> None:
    png, caption = b"\x89PNG\r\n\x1a\n...", Html("📊 <b>Bản tin tuần 50/2026</b>")
    key = "digest:-100:2026-W50:chart"
    first = await enqueue_photo(
        session, key=key, chat_id=-100, photo=png, caption=caption, now=NOW
    )
    again = await enqueue_photo(
        session, key=key, chat_id=-100, photo=b"other", caption=Html("x"), now=NOW
    )
    assert (first, again) == (True, False)
    row = (await session.scalars(select(Outbox))).one()
    assert (row.photo, row.caption, row.text, row.status) == (png, caption, caption, "pending")
    assert row.keyboard is None
