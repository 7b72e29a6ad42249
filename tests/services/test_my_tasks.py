"""A lead's list (services/my_tasks.py) on both databases: order, counts, pages, Back's page,
and that it reads the partial index of open tasks per agency."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import my_tasks, task_cards
from storage.db import make_sessions
from storage.migrate import upgrade
from storage.models import Agency, Task, TaskEvidence, TaskNote
from tests.fresh_db import empty_database
from tests.sessions import NOW

TODAY = date(2026, 11, 25)
D = timedelta(days=1)


async def _agency(session: AsyncSession, code: str) -> int:
    found = await session.scalar(select(Agency.id).where(Agency.code == code))
    assert found is not None
    return found


async def _add(session: AsyncSession, rows: list[tuple[str, str, date | None, str]]) -> None:
    for code, agency, deadline, status in rows:
        session.add(
            Task(
                code=code,
                title=f"Việc {code}",
                lead_agency_id=await _agency(session, agency),
                deadline=deadline,
                status=status,
                completed_on=TODAY if status == "done" else None,
            )
        )
    await session.flush()


@pytest.fixture
async def register(session: AsyncSession) -> AsyncSession:
    await _add(
        session,
        [
            ("B-ROUTINE", "MOF", None, "open"),
            ("A-ROUTINE", "MOF", None, "in_progress"),
            ("LATE-2", "MOF", TODAY - 2 * D, "open"),
            ("LATE-9", "MOF", TODAY - 9 * D, "in_progress"),
            ("SOON-B", "MOF", TODAY + D, "open"),
            ("SOON-A", "MOF", TODAY + D, "open"),  # same deadline: by code
            ("TODAY", "MOF", TODAY, "open"),  # due today: on schedule
            ("DONE", "MOF", TODAY - 5 * D, "done"),
            ("HN-1", "HN", TODAY - D, "open"),
        ],
    )
    return session


ORDER = ["LATE-9", "LATE-2", "TODAY", "SOON-A", "SOON-B", "A-ROUTINE", "B-ROUTINE"]


async def test_open_tasks_overdue_first_by_deadline_then_routine(register: AsyncSession) -> None:
    mof = await _agency(register, "MOF")
    listed = await my_tasks.list_open(register, agency_id=mof, today=TODAY, size=50)
    assert [t.code for t in listed.tasks] == ORDER
    counts = listed.counts
    assert (counts.total, counts.overdue, counts.on_schedule, counts.routine) == (7, 2, 3, 2)
    assert (listed.page, listed.pages) == (0, 1)


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6, 7])
async def test_pages_cover_the_list_once_in_order(register: AsyncSession, size: int) -> None:
    mof = await _agency(register, "MOF")
    first = await my_tasks.list_open(register, agency_id=mof, today=TODAY, size=size)
    codes: list[str] = []
    for page in range(first.pages):
        listed = await my_tasks.list_open(
            register, agency_id=mof, today=TODAY, page=page, size=size
        )
        assert len(listed.tasks) <= size
        codes += [t.code for t in listed.tasks]
    assert codes == ORDER
    past = await my_tasks.list_open(register, agency_id=mof, today=TODAY, page=99, size=size)
    assert past.page == first.pages - 1  # a page past the end shows the last


async def test_back_finds_the_page_a_task_is_on(register: AsyncSession) -> None:
    for size in (1, 2, 3):
        for position, code in enumerate(ORDER):
            task = await register.scalar(select(Task).where(Task.code == code))
            assert task is not None
            assert await my_tasks.page_of(register, task=task, size=size) == position // size
    done = await register.scalar(select(Task).where(Task.code == "DONE"))
    assert done is not None
    assert await my_tasks.page_of(register, task=done) == 0


async def test_an_agency_without_open_tasks(register: AsyncSession) -> None:
    moh = await _agency(register, "MOH")
    listed = await my_tasks.list_open(register, agency_id=moh, today=TODAY)
    assert (listed.counts.total, listed.tasks, listed.pages) == (0, (), 1)


async def test_the_list_reads_the_open_tasks_index(tmp_path: Path) -> None:
    """On SQLite, whose plans do not depend on statistics, every statement of a page
    searches ix_task_open_agency (PostgreSQL chooses by table size)."""
    async with empty_database("sqlite", tmp_path) as engine:
        await upgrade(engine)
        async with make_sessions(engine)() as session:
            await _plans_use_the_index(session)


async def _plans_use_the_index(session: AsyncSession) -> None:
    await _add(session, [(f"T-{n}", "MOF", TODAY + (n - 3) * D, "open") for n in range(6)])
    await _add(session, [("R-1", "MOF", None, "open")])
    seen: list[tuple[str, object]] = []
    engine = session.get_bind()

    def record(_c: object, _cur: object, stmt: str, params: object, *_rest: object) -> None:
        if stmt.startswith("SELECT"):
            seen.append((stmt, params))

    mof = await _agency(session, "MOF")
    event.listen(engine, "before_cursor_execute", record)
    try:
        await my_tasks.list_open(session, agency_id=mof, today=TODAY, size=4, page=1)
        await my_tasks.list_open(session, agency_id=mof, today=TODAY, size=4, page=0)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    connection = await session.connection()
    for stmt, params in seen:
        plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {stmt}", params)  # type: ignore[arg-type]
        details = " ".join(str(row[-1]) for row in plan)
        assert "ix_task_open_agency" in details, (stmt, details)
    assert len(seen) == 5  # two counts; the dated tail and the routine rows; a dated page


async def test_a_cards_notes_newest_first_and_its_evidence_count(register: AsyncSession) -> None:
    task = await register.scalar(select(Task).where(Task.code == "LATE-2"))
    assert task is not None
    for n in range(5):
        register.add(TaskNote(task_id=task.id, at=NOW + n * D, text=f"n{n}", name="Lan"))
    register.add(
        TaskEvidence(
            task_id=task.id, at=NOW, kind="photo", file_id="f", file_unique_id="u", name="Lan"
        )
    )
    await register.flush()
    facts = await task_cards.card_facts(register, task_id=task.id)
    assert [n.text for n in facts.notes] == ["n4", "n3", "n2"]
    assert (facts.note_count, facts.evidence_count) == (5, 1)
