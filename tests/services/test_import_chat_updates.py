"""Imports meet chat updates: a field changed in chat after the previous import is kept (and
listed) unless the import is told to overwrite it."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import task_writes
from services.access import COMMAND_LINE
from services.importer import ImportReport, import_tasks, read_rows
from services.importer.common import ChatUpdate
from services.task_writes import Editor
from storage.db import make_engine, make_sessions
from storage.models import Agency, ChatUpdateAgreed, Task, TaskEvent
from tests.fresh_db import BACKENDS
from tests.services.test_importer import csv_bytes
from tests.sessions import ACTOR, NOW, engine_args, finish, in_another_thread, savepoints

HEADER = ["code", "title", "agency", "deadline", "status", "completed_on", "progress"]
LEAD = Editor(COMMAND_LINE, "Chị Lan (MOF)")  # an admin's rights; writes as "chat"
LATER = NOW + timedelta(hours=1)


def _row(code: str, **cells: str) -> list[str]:
    base = {
        "code": code,
        "title": f"Nhiệm vụ {code}",
        "agency": "MOF",
        "deadline": "2026-12-31",
        "status": "in_progress",
        "completed_on": "",
        "progress": "10",
    }
    return [(base | cells)[c] for c in HEADER]


async def _import(
    session: AsyncSession, rows: list[list[str]], header: list[str] = HEADER, **options: Any
) -> ImportReport:
    records = read_rows(csv_bytes([header, *rows]), "register.csv")
    options.setdefault("dry_run", False)
    return await import_tasks(savepoints(session), records, actor=ACTOR, now=NOW, **options)


async def _chat(session: AsyncSession, code: str, **values: object) -> None:
    """A change made in chat, as the task's card or /edit makes it."""
    task = await task_writes.load(session, code=code)
    assert task is not None
    await task_writes.update_task(
        session, task=task, seen_version=None, values=values, editor=LEAD, now=LATER
    )


async def _task(session: AsyncSession, code: str) -> Task:
    task = await task_writes.load(session, code=code)
    assert task is not None
    return task


async def _events(session: AsyncSession, code: str, field: str) -> list[tuple[Any, ...]]:
    query = (
        select(TaskEvent.source, TaskEvent.old, TaskEvent.new)
        .join(Task, Task.id == TaskEvent.task_id)
        .where(Task.code == code, TaskEvent.field == field)
        .order_by(TaskEvent.id)
    )
    return [tuple(r) for r in await session.execute(query)]


async def test_a_chat_update_after_the_import_is_kept_and_reported(
    session: AsyncSession,
) -> None:
    await _import(session, [_row("T1")])
    await _chat(session, "T1", progress=50)

    report = await _import(session, [_row("T1", title="Tên mới")])

    assert report.chat_updates == (ChatUpdate("T1", "progress", "50", "10"),)
    assert (report.chat_update_count, report.overwrite_chat_updates) == (1, False)
    assert (report.updated, report.unchanged) == (1, 0)  # the title is written
    task = await _task(session, "T1")
    assert (task.title, task.progress) == ("Tên mới", 50)
    assert await _events(session, "T1", "progress") == [("chat", "10", "50")]
    # Still the lead's at the next import of the same file: kept, never undone silently.
    again = await _import(session, [_row("T1", title="Tên mới")])
    assert (again.chat_update_count, again.updated, again.unchanged) == (1, 0, 1)
    assert (await _task(session, "T1")).progress == 50


async def test_overwriting_undoes_the_chat_update_and_audits_it(session: AsyncSession) -> None:
    await _import(session, [_row("T1")])
    await _chat(session, "T1", progress=50)

    report = await _import(session, [_row("T1")], overwrite_chat_updates=True)

    assert report.chat_updates == (ChatUpdate("T1", "progress", "50", "10"),)
    assert (report.overwrite_chat_updates, report.updated) == (True, 1)
    assert (await _task(session, "T1")).progress == 10
    assert await _events(session, "T1", "progress") == [("chat", "10", "50"), ("cli", "50", "10")]
    # The import has set the field since: a later file's value is an ordinary update.
    later = await _import(session, [_row("T1", progress="20")])
    assert (later.chat_update_count, later.updated) == (0, 1)


async def test_the_same_value_in_the_file_is_no_clash_and_later_changes_are_ordinary(
    session: AsyncSession,
) -> None:
    await _import(session, [_row("T1")])
    await _chat(session, "T1", progress=50)

    caught_up = await _import(session, [_row("T1", progress="50")])

    assert (caught_up.chat_update_count, caught_up.unchanged) == (0, 1)
    assert await session.scalar(select(func.count()).select_from(ChatUpdateAgreed)) == 1
    # The secretariat's file had the lead's value: changing it later undoes nobody's update.
    later = await _import(session, [_row("T1", progress="75")])
    assert (later.chat_update_count, later.updated) == (0, 1)
    assert (await _task(session, "T1")).progress == 75


async def test_a_chat_change_before_the_previous_import_is_no_clash(
    session: AsyncSession,
) -> None:
    await _import(session, [_row("T1"), _row("T2")])
    await _chat(session, "T1", progress=50)
    await _chat(session, "T2", progress=60)
    # The previous import: it set T1's progress (overwriting) and had T2's value already.
    await _import(session, [_row("T1"), _row("T2", progress="60")], overwrite_chat_updates=True)

    report = await _import(session, [_row("T1", progress="30"), _row("T2", progress="40")])

    assert (report.chat_update_count, report.updated) == (0, 2)
    assert [(await _task(session, c)).progress for c in ("T1", "T2")] == [30, 40]


async def test_a_dry_run_lists_exactly_the_clashing_fields_and_writes_nothing(
    session: AsyncSession,
) -> None:
    rows = [_row(f"T{i}") for i in range(1, 7)]
    await _import(session, rows)
    moh = await session.scalar(select(Agency.id).where(Agency.code == "MOH"))
    await _chat(session, "T5", progress=70)
    await _import(session, rows, overwrite_chat_updates=True)  # T5 undone since: none
    await _chat(session, "T1", progress=50)  # clash
    await _chat(session, "T2", status="done", completed_on=NOW.date())  # two clashes
    await _chat(session, "T3", progress=40)  # the file agrees: none
    await _chat(session, "T4", lead_agency_id=moh)  # clash, named by codes
    await _chat(session, "T6", title="Tên sửa trong chat")  # the file changes only progress
    before = await session.scalar(select(func.count()).select_from(TaskEvent))

    rows[2] = _row("T3", progress="40")
    rows[5] = _row("T6", title="Tên sửa trong chat", progress="15")
    report = await _import(session, rows, dry_run=True)

    assert report.chat_updates == (
        ChatUpdate("T1", "progress", "50", "10"),
        ChatUpdate("T2", "status", "done", "in_progress"),
        ChatUpdate("T2", "completed_on", NOW.date().isoformat(), None),
        ChatUpdate("T4", "agency", "MOH", "MOF"),
    )
    assert report.chat_update_count == 4
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)  # T6's progress
    assert await session.scalar(select(func.count()).select_from(TaskEvent)) == before
    assert await session.scalar(select(func.count()).select_from(ChatUpdateAgreed)) == 0


async def test_a_file_without_the_column_neither_clashes_nor_agrees(
    session: AsyncSession,
) -> None:
    await _import(session, [_row("T1")])
    await _chat(session, "T1", progress=50)
    narrow = ["code", "title", "agency"]

    report = await _import(session, [["T1", "Nhiệm vụ T1", "MOF"]], narrow)

    assert (report.chat_update_count, report.unchanged) == (0, 1)
    assert await session.scalar(select(func.count()).select_from(ChatUpdateAgreed)) == 0
    assert (await _import(session, [_row("T1")])).chat_update_count == 1


async def test_a_kept_status_keeps_its_completion_date(session: AsyncSession) -> None:
    await _import(session, [_row("T1", status="done", completed_on="2026-11-01", progress="")])
    await _chat(session, "T1", status="in_progress")  # reopened in chat; the date stays

    report = await _import(
        session, [_row("T1", status="done", completed_on="2026-11-20", progress="")]
    )

    assert [u.field for u in report.chat_updates] == ["status"]
    task = await _task(session, "T1")
    assert (task.status, task.completed_on.isoformat() if task.completed_on else None) == (
        "in_progress",
        "2026-11-01",
    )


@pytest.mark.parametrize("blank_engine", [BACKENDS[1]], indirect=True)  # SQLite: no race
async def test_a_chat_update_racing_the_write_is_kept(fresh_engine: AsyncEngine) -> None:
    # The lead's change lands after the import read T1 and before its UPDATE reaches the
    # row: the UPDATE skips T1 (version moved), and deciding again finds the chat update.
    sessions = make_sessions(fresh_engine)
    rows = [_row("T1"), _row("T2")]
    records = read_rows(csv_bytes([HEADER, *rows]), "register.csv")
    await import_tasks(sessions, records, dry_run=False, actor=ACTOR, now=NOW)
    url, extra = await engine_args(fresh_engine)

    async def lead_writes() -> None:
        other = make_engine(url, **extra)
        try:
            async with make_sessions(other).begin() as session:
                await _chat(session, "T1", progress=50)
        finally:
            await other.dispose()

    writers: list[threading.Thread] = []

    def during_write(done: int, total: int) -> None:
        if done > total // 2 and not writers:  # the rows staged, before the UPDATE
            writers.append(in_another_thread(lead_writes))
            finish(writers[0])

    rows = [_row("T1", title="mới", progress="20"), _row("T2", progress="20")]
    records = read_rows(csv_bytes([HEADER, *rows]), "register.csv")
    report = await import_tasks(
        sessions, records, dry_run=False, actor=ACTOR, now=NOW, progress=during_write
    )

    assert report.chat_updates == (ChatUpdate("T1", "progress", "50", "20"),)
    async with sessions.begin() as session:
        assert [((await _task(session, c)).title, (await _task(session, c)).progress)
                for c in ("T1", "T2")] == [("mới", 50), ("Nhiệm vụ T2", 20)]  # fmt: skip
