"""The audit trail: one event per changed field, written with the change, at the time given."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.audit import Actor, as_text, record_changes
from services.importer import import_tasks, read_rows
from storage.models import Agency, EventSource, Task, TaskEvent
from tests.services.test_importer import HEADER, Cells, csv_bytes, row
from tests.sessions import NOW, savepoints

CHAT = Actor(77, "Chị Lan", EventSource.CHAT)
FILE = Actor(1001, "dang-ky.xlsx", EventSource.IMPORT)


async def _events(session: AsyncSession) -> list[tuple[str, str, str | None, str | None]]:
    query = (
        select(Task.code, TaskEvent.field, TaskEvent.old, TaskEvent.new)
        .join(Task, Task.id == TaskEvent.task_id)
        .order_by(TaskEvent.id)
    )
    return [tuple(r) for r in await session.execute(query)]  # type: ignore[misc]


async def test_one_event_per_changed_field_with_actor_and_time(session: AsyncSession) -> None:
    mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
    assert mof is not None
    task = Task(code="A-1", title="a", lead_agency_id=mof, status="open")
    session.add(task)
    await session.flush()

    written = await record_changes(
        session,
        task_id=task.id,
        changes=[
            ("progress", 10, 40),
            ("notes", "", "đã họp"),
            ("deadline", None, date(2026, 12, 31)),
            ("status", "open", "open"),  # unchanged: no event
        ],
        actor=CHAT,
        at=NOW,
    )

    assert written == 3
    events = (await session.scalars(select(TaskEvent).order_by(TaskEvent.id))).all()
    assert [(e.field, e.old, e.new) for e in events] == [
        ("progress", "10", "40"),
        ("notes", "", "đã họp"),
        ("deadline", None, "2026-12-31"),
    ]
    assert {(e.task_id, e.at, e.actor_id, e.actor, e.source) for e in events} == {
        (task.id, NOW, 77, "Chị Lan", "chat")
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, None), (date(2026, 1, 5), "2026-01-05"), (frozenset({"MPS", "MOH"}), "MOH;MPS"),
     ({"B", "A", "C"}, "A;B;C"), (40, "40")],
)  # fmt: skip
def test_values_are_written_as_the_import_writes_them(value: object, text: str | None) -> None:
    assert as_text(value) == text


async def test_a_naive_time_is_refused(session: AsyncSession) -> None:
    naive = NOW.replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        await record_changes(
            session, task_id=1, changes=[("notes", "a", "b")], actor=CHAT, at=naive
        )


async def test_an_import_records_creations_then_each_changed_field(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":  # the trail's dates stay ISO anyway
        await session.execute(text("SET LOCAL DateStyle = 'German'"))
    first: list[Cells] = [
        HEADER, row(code="A", coordinating="BCA"), row(code="B"), row(code="C"), row(code="D")
    ]  # fmt: skip
    await import_tasks(
        savepoints(session), read_rows(csv_bytes(first), "t.csv"),
        dry_run=False, actor=FILE, now=NOW,
    )  # fmt: skip
    assert await _events(session) == [(c, "created", None, None) for c in "ABCD"]
    later = (NOW + timedelta(days=1)).astimezone(timezone(timedelta(hours=7)))  # Hà Nội time
    edited: list[Cells] = [
        HEADER,
        row(code="A", coordinating="BCA; BYT", agency="BYT", program="Đề án 06"),
        row(code="B", deadline="30/06/2026", status="xong", completed_on="01/06/2026"),
        row(code="C"),  # as stored: no event
        row(code="D", coordinating="BYT; BCA"),
    ]

    await import_tasks(
        savepoints(session), read_rows(csv_bytes(edited), "t.csv"),
        dry_run=False, actor=FILE, now=later, today=date(2026, 11, 25),
    )  # fmt: skip

    # One statement writes an import's events: they share a time, in no particular order.
    assert sorted((await _events(session))[4:], key=str) == sorted([
        ("A", "agency", "MOF", "MOH"),
        ("A", "program", None, "DA06"),  # by its code; MOH leads now: no longer coordinates
        ("B", "deadline", "2025-03-31", "2026-06-30"),
        ("B", "status", "open", "done"),
        ("B", "completed_on", None, "2026-06-01"),
        ("B", "progress", "0", "100"),
        ("D", "coordinating", "", "MOH;MPS"),
    ], key=str)  # fmt: skip
    stamps = await session.execute(
        select(TaskEvent.at, TaskEvent.actor_id, TaskEvent.actor, TaskEvent.source)
    )
    assert {tuple(s) for s in stamps} == {(NOW, 1001, "dang-ky.xlsx", "import"),
                                          (later, 1001, "dang-ky.xlsx", "import")}  # fmt: skip
    updated = await session.scalar(select(Task.updated_at).where(Task.code == "B"))
    assert updated == later  # the time passed in, not the clock's
