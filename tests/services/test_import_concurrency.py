"""Imports next to other writers: a chat write never fails an import, imports never overlap."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.importer import ImportReport, Records, import_tasks, plan, read_rows
from services.importer.plan import load_stored
from storage.db import make_engine, make_sessions
from storage.models import Task, TaskEvent
from tests.fresh_db import BACKENDS
from tests.services.test_importer import HEADER, Cells, csv_bytes, row
from tests.sessions import ACTOR, NOW, engine_args, finish, in_another_thread

SHORT = HEADER[:5]  # code, title, agency, deadline, status: no progress, no notes


class Hooked(list[Mapping[str, object]]):
    """A file's records that call `hook` once, when validation reaches record `at`."""

    def __init__(self, records: Records, at: int, hook: Callable[[], None]) -> None:
        super().__init__(records)
        self.labels, self.ignored = records.labels, records.ignored
        self.at, self.hook = at, hook

    def __iter__(self) -> Iterator[Mapping[str, object]]:
        for index, record in enumerate(super().__iter__()):
            if index == self.at:
                self.hook()
            yield record


async def _import(
    engine: AsyncEngine, rows: Sequence[Sequence[object]], **options: Any
) -> ImportReport:
    records = options.pop("records", None) or read_rows(csv_bytes(rows), "t.csv")
    report = await import_tasks(
        make_sessions(engine), records, dry_run=False, actor=ACTOR, now=NOW, **options
    )
    assert report.ok, report
    return report


async def _seed(engine: AsyncEngine, count: int) -> None:
    await _import(engine, [HEADER, *(row(code=f"T{i}", title="orig") for i in range(count))])


async def _chat_write(
    engine: AsyncEngine, code: str, **values: object
) -> Callable[[], threading.Thread]:
    """A function that starts a chat write (another engine, another thread): as a phone
    update would, it bumps the task's version."""
    url, extra = await engine_args(engine)

    async def write_once() -> None:
        other = make_engine(url, **extra)
        try:
            async with make_sessions(other).begin() as session:
                changed = values | {"version": Task.version + 1}
                await session.execute(update(Task).where(Task.code == code).values(**changed))
        finally:
            await other.dispose()

    return lambda: in_another_thread(write_once)


async def _task(engine: AsyncEngine, code: str) -> Task:
    async with make_sessions(engine).begin() as session:
        task = await session.scalar(select(Task).where(Task.code == code))
        assert task is not None
        return task


async def _title_events(engine: AsyncEngine, code: str) -> list[tuple[str | None, str | None]]:
    async with make_sessions(engine).begin() as session:
        query = (
            select(TaskEvent.old, TaskEvent.new)
            .join(Task, Task.id == TaskEvent.task_id)
            .where(Task.code == code, TaskEvent.field == "title")
            .order_by(TaskEvent.id)
        )
        return [tuple(r) for r in await session.execute(query)]  # type: ignore[misc]


async def test_a_chat_write_during_validation_never_fails_the_import(
    fresh_engine: AsyncEngine,
) -> None:
    await _seed(fresh_engine, 3)
    start = await _chat_write(fresh_engine, "T1", notes="từ điện thoại", progress=55)
    short: list[Cells] = [SHORT, *(row(code=f"T{i}", title="mới")[:5] for i in range(3))]
    records = Hooked(
        read_rows(csv_bytes(short), "t.csv"),
        at=2, hook=lambda: finish(start()),
    )  # fmt: skip

    report = await _import(fresh_engine, [], records=records)

    assert (report.updated, report.unchanged) == (3, 0)
    task = await _task(fresh_engine, "T1")
    assert (task.title, task.notes, task.progress, task.version) == ("mới", "từ điện thoại", 55, 3)


async def test_a_chat_write_during_the_write_phase_never_fails_the_import(
    fresh_engine: AsyncEngine,
) -> None:
    await _seed(fresh_engine, 3)
    start = await _chat_write(fresh_engine, "T1", title="sửa trong nhóm", notes="từ điện thoại")
    writers: list[threading.Thread] = []

    def during_write(done: int, total: int) -> None:
        if done > total // 2 and not writers:  # the first rows written, before the UPDATE
            writers.append(start())
            if fresh_engine.dialect.name == "postgresql":
                finish(writers[0])  # committed before the import's UPDATE reaches T1

    rows: list[Cells] = [SHORT, *(row(code=f"T{i}", title="mới")[:5] for i in range(3))]
    report = await _import(fresh_engine, rows, progress=during_write)
    finish(writers[0])  # SQLite: the chat write waited for the import's commit

    assert (report.created, report.updated) == (0, 3)
    task = await _task(fresh_engine, "T1")
    assert (task.notes, task.version) == ("từ điện thoại", 3)
    if fresh_engine.dialect.name == "postgresql":  # written on top of the chat's title
        assert task.title == "mới"
        assert await _title_events(fresh_engine, "T1") == [("sửa trong nhóm", "mới")]
    else:  # SQLite let the chat write in only after the import
        assert task.title == "sửa trong nhóm"
        assert await _title_events(fresh_engine, "T1") == [("orig", "mới")]


async def _chat_write_held(
    engine: AsyncEngine, code: str, locked: threading.Event, **values: object
) -> Callable[[], threading.Thread]:
    """Like _chat_write, but the chat's transaction sets `locked` once it holds the task's
    row, and commits only when another session waits for that row (or after ~30 s)."""
    url, extra = await engine_args(engine)
    waited_on = text(
        "SELECT EXISTS (SELECT FROM pg_stat_activity"
        " WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid)))"
    )

    async def write_held() -> None:
        other = make_engine(url, **extra)
        try:
            async with make_sessions(other).begin() as session:
                changed = values | {"version": Task.version + 1}
                await session.execute(update(Task).where(Task.code == code).values(**changed))
                locked.set()
                for _ in range(3000):  # at most ~30 s: if nothing waits, the asserts judge
                    if await session.scalar(waited_on):
                        break
                    await asyncio.sleep(0.01)
        finally:
            await other.dispose()

    return lambda: in_another_thread(write_held)


@pytest.mark.parametrize("blank_engine", [BACKENDS[1]], indirect=True)  # SQLite: no race
async def test_a_chat_write_racing_the_update_is_logged_once(fresh_engine: AsyncEngine) -> None:
    # The chat changes T1 after the import read its version and commits while the import's
    # UPDATE waits for the row: that UPDATE skips T1 (version moved), and no event may say
    # it wrote "orig" -> "mới"; the second round writes it over the chat's title.
    await _seed(fresh_engine, 3)
    locked = threading.Event()
    start = await _chat_write_held(fresh_engine, "T1", locked, title="sửa trong nhóm")
    writers: list[threading.Thread] = []

    def during_write(done: int, total: int) -> None:
        if done > total // 2 and not writers:  # the rows staged, before the UPDATE
            writers.append(start())
            assert locked.wait(60), "the chat never locked T1"

    rows: list[Cells] = [SHORT, *(row(code=f"T{i}", title="mới")[:5] for i in range(3))]
    report = await _import(fresh_engine, rows, progress=during_write)
    finish(writers[0])

    assert (report.created, report.updated) == (0, 3)
    task = await _task(fresh_engine, "T1")
    assert (task.title, task.version) == ("mới", 3)
    assert await _title_events(fresh_engine, "T1") == [("sửa trong nhóm", "mới")]


def _both_read_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two imports run together read their stored tasks before either writes."""
    both_read = asyncio.Barrier(2)
    calls: list[int] = []

    async def read_then_wait(session: AsyncSession, keys: Any, sets: Any) -> Any:
        stored = await load_stored(session, keys, sets)
        if len(calls) < 2:  # the read phases, not the re-reads under the lock
            calls.append(1)
            await both_read.wait()
        return stored

    monkeypatch.setattr(plan, "load_stored", read_then_wait)


async def test_two_concurrent_imports_apply_one_after_the_other(
    fresh_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(fresh_engine, 40)
    # Each file changes half the tasks and leaves the other half as first stored: run one
    # after the other, the second undoes the first's half. Interleaved, both halves change.
    file_a: list[Cells] = [
        HEADER,
        *(row(code=f"T{i}", title="A" if i < 20 else "orig") for i in range(40)),
    ]
    file_b: list[Cells] = [
        HEADER,
        *(row(code=f"T{i}", title="orig" if i < 20 else "B") for i in range(40)),
    ]
    _both_read_first(monkeypatch)

    reports = await asyncio.gather(_import(fresh_engine, file_a), _import(fresh_engine, file_b))

    async with make_sessions(fresh_engine).begin() as session:
        titles = dict((await session.execute(select(Task.code, Task.title))).all())
    first_half = {titles[f"T{i}"] for i in range(20)}
    second_half = {titles[f"T{i}"] for i in range(20, 40)}
    a_then_b, b_then_a = ({"orig"}, {"B"}), ({"A"}, {"orig"})
    assert (first_half, second_half) in (a_then_b, b_then_a)
    # The second read again the half the first had changed: every row of it is an update.
    assert sorted((r.updated, r.unchanged) for r in reports) == [(20, 20), (40, 0)]
    assert sorted(r.updated for r in reports) == [20, 40]  # the second undoes and does


async def test_the_same_file_imported_twice_at_once_changes_the_register_once(
    fresh_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _seed(fresh_engine, 10)
    same: list[Cells] = [HEADER, *(row(code=f"T{i}", title="A") for i in range(10)), row(code="N")]
    _both_read_first(monkeypatch)

    reports = await asyncio.gather(_import(fresh_engine, same), _import(fresh_engine, same))

    # The second read again what the first wrote: the new task and the titles are there.
    counts = sorted((r.created, r.updated, r.unchanged) for r in reports)
    assert counts == [(0, 0, 11), (1, 10, 0)]
    assert await _title_events(fresh_engine, "T1") == [("orig", "A")]


async def test_a_chat_write_that_makes_a_row_contradict_it_is_reported(
    fresh_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = row(code="T1", status="xong", completed_on="01/03/2025")
    await _import(fresh_engine, [HEADER, done])
    # The file says "done" and leaves the date to the stored task; a phone reopens the task
    # after the import read it, so under the lock there is no date left to keep.
    start = await _chat_write(fresh_engine, "T1", status="open", completed_on=None)
    calls: list[int] = []

    async def read_then_chat(session: AsyncSession, keys: Any, sets: Any) -> Any:
        stored = await load_stored(session, keys, sets)
        if not calls:  # the read phase, not the re-read under the lock
            calls.append(1)
            finish(start())
        return stored

    monkeypatch.setattr(plan, "load_stored", read_then_chat)
    no_date: list[Cells] = [SHORT, row(code="T1", status="xong")[:5]]
    report = await import_tasks(
        make_sessions(fresh_engine), read_rows(csv_bytes(no_date), "t.csv"),
        dry_run=False, actor=ACTOR, now=NOW,
    )  # fmt: skip

    assert [e.msg_id for e in report.errors] == ["import-err-completed-no-column"]
    assert (await _task(fresh_engine, "T1")).status == "open"  # nothing written


async def test_a_date_a_chat_writes_during_the_write_phase_is_not_overwritten(
    fresh_engine: AsyncEngine,
) -> None:
    await _import(fresh_engine, [HEADER, row(code="T1", status="xong", completed_on="01/03/2025")])
    start = await _chat_write(fresh_engine, "T1", completed_on=date(2025, 3, 5))
    writers: list[threading.Thread] = []

    def during_write(done: int, total: int) -> None:
        if done > total // 2 and not writers:
            writers.append(start())
            if fresh_engine.dialect.name == "postgresql":
                finish(writers[0])  # committed before the import's UPDATE reaches T1

    # "Done" without a date column: the stored date is kept, the one stored when it writes.
    rows: list[Cells] = [SHORT, row(code="T1", title="mới", status="xong")[:5]]
    await _import(fresh_engine, rows, progress=during_write)
    finish(writers[0])

    task = await _task(fresh_engine, "T1")
    assert (task.title, task.completed_on) == ("mới", date(2025, 3, 5))
