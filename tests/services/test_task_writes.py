"""Task writes from chat (services/task_writes.py) on both databases: the caller's rights, the
version the caller saw, concurrent writers, one audit event per changed field, evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import task_writes
from services.access import Caller, NotAllowed
from services.task_writes import Editor, EvidenceFile, Stale
from storage.db import make_sessions, writing
from storage.migrate import upgrade
from storage.models import (
    Agency,
    EvidenceKind,
    Role,
    Task,
    TaskEvent,
    TaskEvidence,
    TaskNote,
    task_coordinators,
)
from tests.fresh_db import empty_database
from tests.sessions import NOW

ADMIN_ID, LEAD_ID = 1, 7


def caller(role: Role | None, agency_id: int | None = None, user_id: int = LEAD_ID) -> Caller:
    return Caller(
        user_id=user_id,
        chat_id=user_id,
        chat_type="private",
        role=role,
        agency_id=agency_id,
        chat_registered=False,
        language=None,
        telegram_language=None,
    )


async def _agency(session: AsyncSession, code: str) -> int:
    found = await session.scalar(select(Agency.id).where(Agency.code == code))
    assert found is not None
    return found


async def _task(session: AsyncSession, code: str = "T-1", agency: str = "MOF") -> Task:
    session.add(Task(code=code, title="t", lead_agency_id=await _agency(session, agency)))
    await session.flush()
    task = await task_writes.load(session, code=code)
    assert task is not None
    return task


async def _events(session: AsyncSession) -> list[tuple[str, str | None, str | None]]:
    rows = await session.execute(
        select(TaskEvent.field, TaskEvent.old, TaskEvent.new).order_by(TaskEvent.id)
    )
    return [(f, o, n) for f, o, n in rows]


async def test_one_event_per_changed_field_and_one_version_step(session: AsyncSession) -> None:
    task = await _task(session)
    lead = Editor(caller(Role.LEAD, task.lead_agency_id), "Chị Lan")
    changed = await task_writes.update_task(
        session,
        task=task,
        seen_version=1,
        values={"status": "done", "completed_on": date(2026, 11, 20), "progress": 100},
        editor=lead,
        now=NOW,
    )
    assert changed == ["status", "completed_on", "progress"]
    assert task.version == 2
    assert await _events(session) == [
        ("status", "open", "done"),
        ("completed_on", None, "2026-11-20"),
        ("progress", "0", "100"),
    ]
    who = (
        await session.execute(select(TaskEvent.actor_id, TaskEvent.actor, TaskEvent.source))
    ).all()
    assert set(who) == {(LEAD_ID, "Chị Lan", "chat")}


async def test_nothing_changed_writes_nothing(session: AsyncSession) -> None:
    task = await _task(session)
    lead = Editor(caller(Role.LEAD, task.lead_agency_id), "Lan")
    assert await task_writes.update_task(
        session, task=task, seen_version=1, values={"progress": 0}, editor=lead, now=NOW
    ) == []  # fmt: skip
    assert task.version == 1
    assert await _events(session) == []


async def test_a_stale_version_is_refused_with_the_current_task(session: AsyncSession) -> None:
    task = await _task(session)
    lead = Editor(caller(Role.LEAD, task.lead_agency_id), "Lan")
    await task_writes.update_task(
        session, task=task, seen_version=1, values={"progress": 25}, editor=lead, now=NOW
    )
    with pytest.raises(Stale) as stale:
        await task_writes.update_task(
            session, task=task, seen_version=1, values={"progress": 50}, editor=lead, now=NOW
        )
    assert (stale.value.task.version, stale.value.task.progress) == (2, 25)
    assert len(await _events(session)) == 1


@pytest.mark.parametrize(
    ("role", "agency", "allowed"),
    [
        (Role.ADMIN, None, True),
        (Role.LEAD, "MOF", True),
        (Role.LEAD, "HN", False),  # another agency's lead
        (Role.LEAD, "MOH", False),  # a coordinating agency's lead: notes only
        (Role.VIEWER, None, False),
        (None, None, False),
    ],
)
async def test_who_may_change_and_who_may_note(
    session: AsyncSession, role: Role | None, agency: str | None, allowed: bool
) -> None:
    plain = await _task(session)
    moh = await _agency(session, "MOH")
    await session.execute(insert(task_coordinators).values(task_id=plain.id, agency_id=moh))
    task = await task_writes.load(session, task_id=plain.id)  # with its coordinator
    assert task is not None
    who = Editor(caller(role, await _agency(session, agency) if agency else None), "x")
    change = task_writes.update_task(
        session, task=task, seen_version=None, values={"progress": 50}, editor=who, now=NOW
    )
    note = task_writes.add_note(session, task=task, text="n", editor=who, now=NOW)
    if allowed:
        await change
    else:
        with pytest.raises(NotAllowed):
            await change
    may_note = allowed or agency == "MOH"
    if may_note:
        await note
    else:
        with pytest.raises(NotAllowed):
            await note
    assert (task.progress == 50) is allowed
    notes = await session.scalar(select(func.count()).select_from(TaskNote))
    assert notes == (1 if may_note else 0)
    assert len(await _events(session)) == (1 if allowed else 0) + (1 if may_note else 0)


async def test_evidence_is_kept_once_per_file(session: AsyncSession) -> None:
    task = await _task(session)
    lead = Editor(caller(Role.LEAD, task.lead_agency_id), "Lan")
    photo = EvidenceFile(EvidenceKind.PHOTO, "id-1", "uniq-1", None, 1000, "<b>ảnh</b>")
    again = EvidenceFile(EvidenceKind.PHOTO, "id-1-other-bot", "uniq-1", None, 1000, None)
    doc = EvidenceFile(EvidenceKind.DOCUMENT, "id-2", "uniq-2", "bb.pdf", 99, None)
    for file, kept in ((photo, True), (again, False), (doc, True)):
        assert await task_writes.add_evidence(
            session, task=task, file=file, editor=lead, now=NOW
        ) is kept  # fmt: skip
    rows = (
        await session.execute(
            select(TaskEvidence.kind, TaskEvidence.file_id, TaskEvidence.caption)
            .order_by(TaskEvidence.id)
        )
    ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("photo", "id-1", "<b>ảnh</b>"),
        ("document", "id-2", None),
    ]
    assert await _events(session) == [("evidence", None, "photo"), ("evidence", None, "bb.pdf")]
    assert task.version == 1  # evidence and notes never make a card stale


async def _committed_task(engine: AsyncEngine) -> tuple[int, int]:
    """A committed task: (its id, its agency's id)."""
    async with make_sessions(engine).begin() as session:
        task = await _task(session)
    return task.id, task.lead_agency_id


@pytest.fixture
async def two(fresh_engine: AsyncEngine) -> tuple[int, int]:
    """A committed task on a database of the test's own: (task id, its agency id)."""
    return await _committed_task(fresh_engine)


async def test_two_writers_of_one_task_the_second_is_stale(
    fresh_engine: AsyncEngine, two: tuple[int, int]
) -> None:
    """Two sessions read version 1; the first commits; the second's write is Stale and its
    transaction stays usable (it reads the current task). SQLite serialises the two
    (BEGIN IMMEDIATE), so the second reads after the first: Stale all the same."""
    task_id, agency = two
    sessions = make_sessions(fresh_engine)
    lead = Editor(caller(Role.LEAD, agency), "Lan")
    other = Editor(caller(Role.LEAD, agency, user_id=8), "Hoa")
    async with writing(sessions) as first:
        mine = await task_writes.load(first, task_id=task_id)
        assert mine is not None
        await task_writes.update_task(
            first, task=mine, seen_version=1, values={"progress": 50}, editor=lead, now=NOW
        )
    async with writing(sessions) as second:
        theirs = await task_writes.load(second, task_id=task_id)
        assert theirs is not None
        with pytest.raises(Stale) as stale:
            await task_writes.update_task(
                second, task=theirs, seen_version=1, values={"progress": 75}, editor=other, now=NOW
            )
        assert stale.value.task.progress == 50
    async with sessions() as check:
        assert await check.scalar(select(Task.progress).where(Task.id == task_id)) == 50
        assert await check.scalar(select(func.count()).select_from(TaskEvent)) == 1


@pytest.mark.pg
async def test_a_race_lost_at_the_write_is_stale_and_leaves_the_session_usable(
    tmp_path: Path,
) -> None:
    """PostgreSQL (SQLite's writers never overlap: BEGIN IMMEDIATE): both read version 1
    before either writes; the second's UPDATE … WHERE version = 1 matches no row.
    update_task turns that into Stale, in a savepoint, so the caller's transaction can
    still read and commit."""
    async with empty_database("postgresql", tmp_path) as engine:
        await upgrade(engine)
        await _race(engine, await _committed_task(engine))


async def _race(engine: AsyncEngine, two: tuple[int, int]) -> None:
    task_id, agency = two
    sessions = make_sessions(engine)
    lead = Editor(caller(Role.LEAD, agency), "Lan")
    async with sessions() as one, sessions() as other:
        await one.begin()
        await other.begin()
        mine = await task_writes.load(one, task_id=task_id)
        theirs = await task_writes.load(other, task_id=task_id)
        assert mine is not None
        assert theirs is not None
        await task_writes.update_task(
            one, task=mine, seen_version=1, values={"progress": 50}, editor=lead, now=NOW
        )
        await one.commit()
        with pytest.raises(Stale) as stale:
            await task_writes.update_task(
                other, task=theirs, seen_version=1, values={"progress": 75}, editor=lead, now=NOW
            )
        assert (stale.value.task.version, stale.value.task.progress) == (2, 50)
        await task_writes.add_note(other, task=stale.value.task, text="n", editor=lead, now=NOW)
        await other.commit()
    async with sessions() as check:
        fields = (await check.scalars(select(TaskEvent.field).order_by(TaskEvent.id))).all()
        assert fields == ["progress", "note"]
