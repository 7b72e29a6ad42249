"""What an import writes: rows read once, codes by key, staleness, versions per statement."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import ImportReport, Records, import_tasks, plan, read_rows
from services.importer.plan import load_stored
from services.reports import register_version
from storage.models import Agency, Task, TaskEvent
from tests.services.test_importer import HEADER, Cells, csv_bytes, row
from tests.sessions import ACTOR, NOW, savepoints
from tests.storage.test_report_versions import recount, tally

THREE: list[Cells] = [HEADER, row(code="A"), row(code="B"), row(code="C")]


async def _run(session: AsyncSession, rows: Any, **options: Any) -> ImportReport:
    records = rows if not isinstance(rows, list) else read_rows(csv_bytes(rows), "t.csv")
    options.setdefault("dry_run", False)
    return await import_tasks(savepoints(session), records, actor=ACTOR, now=NOW, **options)


async def _touch(session: AsyncSession, code: str) -> None:
    """Another writer's change to a task, as the ORM makes it (version + 1)."""
    values = {"notes": "từ điện thoại", "version": Task.version + 1}
    await session.execute(update(Task).where(Task.code == code).values(**values))


async def _state(session: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await session.execute(select(Task.code, Task.title, Task.version).order_by(Task.code))
    events = await session.scalar(select(func.count()).select_from(TaskEvent))
    return [*map(tuple, rows), ("events", events)]


class OnePass:
    """Records as a streaming reader hands them over: iterable once, with an estimate."""

    def __init__(self, records: Records) -> None:
        self._records: Iterator[Mapping[str, object]] | None = iter(records)
        self.labels, self.ignored, self.estimate = records.labels, records.ignored, 10

    def __iter__(self) -> Iterator[Mapping[str, object]]:
        assert self._records is not None, "records read twice"
        records, self._records = self._records, None
        return records


async def test_rows_are_read_once_and_counted(session: AsyncSession) -> None:
    calls: list[tuple[int, int]] = []
    records = OnePass(read_rows(csv_bytes(THREE), "t.csv"))

    report = await _run(session, records, progress=lambda d, t: calls.append((d, t)))

    assert (report.created, report.total_rows) == (3, 3)
    assert calls[-1] == (6, 6)
    assert all(0 <= d <= t for d, t in calls)


async def test_a_code_in_another_case_or_composition_is_the_same_task(
    session: AsyncSession,
) -> None:
    await _run(session, [HEADER, row(code="CASE-Đề-1", title="một")])
    decomposed = unicodedata.normalize("NFD", "case-đề-1")

    report = await _run(session, [HEADER, row(code=decomposed, title="hai")])

    assert (report.created, report.updated) == (0, 1)
    tasks = (await session.execute(select(Task.code, Task.title))).all()
    assert [tuple(t) for t in tasks] == [("CASE-Đề-1", "hai")]  # the stored spelling stays


async def test_the_same_code_twice_in_another_composition_is_a_duplicate(
    session: AsyncSession,
) -> None:
    nfd = unicodedata.normalize("NFD", "Đề-1")
    report = await _run(session, [HEADER, row(code="đề-1"), row(code=nfd)])
    assert [(e.row, e.msg_id) for e in report.errors] == [(3, "import-err-duplicate-code")]


async def test_a_check_goes_stale_only_when_one_of_the_files_tasks_changes(
    session: AsyncSession,
) -> None:
    await _run(session, [HEADER, row(code="A"), row(code="B"), row(code="OTHER")])
    edited: list[Cells] = [
        HEADER,
        row(code="A", title="mới"),
        row(code="B", title="mới"),
        row(code="C"),
    ]
    check = await _run(session, edited, dry_run=True)
    await _touch(session, "OTHER")  # not in the file

    done = await _run(session, edited, expect_fingerprint=check.fingerprint)

    assert (done.ok, done.stale, done.created, done.updated) == (True, False, 1, 2)

    again = await _run(session, [*edited[:2], row(code="B", title="khác")], dry_run=True)
    await _touch(session, "B")  # one of the file's own tasks
    before = await _state(session)

    stale = await _run(session, edited, expect_fingerprint=again.fingerprint)

    assert (stale.ok, stale.stale, stale.updated) == (False, True, 0)
    assert await _state(session) == before  # nothing written, no event


async def test_a_new_code_created_since_the_check_makes_it_stale(session: AsyncSession) -> None:
    check = await _run(session, THREE, dry_run=True)
    await _run(session, [HEADER, row(code="C", title="tạo trong lúc chờ")])

    report = await _run(session, THREE, expect_fingerprint=check.fingerprint)

    assert report.stale
    assert await session.scalar(select(func.count()).select_from(Task)) == 1


async def test_a_change_after_the_read_is_caught_under_the_write_lock(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _run(session, THREE)
    edited: list[Cells] = [HEADER, row(code="A", title="mới"), row(code="B"), row(code="C")]
    check = await _run(session, edited, dry_run=True)
    touched: list[str] = []

    async def read_then_touch(read: AsyncSession, keys: Any, sets: Any) -> Any:
        stored = await load_stored(read, keys, sets)
        if not touched:  # between the read phase and the write transaction
            touched.append("B")
            await _touch(session, "B")
        return stored

    monkeypatch.setattr(plan, "load_stored", read_then_touch)
    before = await _state(session)

    report = await _run(session, edited, expect_fingerprint=check.fingerprint)

    assert report.stale
    after = await _state(session)
    assert after == [before[0], (*before[1][:2], before[1][2] + 1), *before[2:]]  # B touched


async def test_a_reimport_bumps_each_agencys_version_once_per_statement_on_postgresql(
    session: AsyncSession,
) -> None:
    agencies = ("MOF", "MOH")
    rows = [row(code=f"V{i}", agency=agencies[i % 2]) for i in range(10)]
    await _run(session, [HEADER, *rows])
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    before = [await register_version(session, ids[a]) for a in (*agencies, "HN")]
    later = (date(2025, 3, 31) + timedelta(days=30)).strftime("%d/%m/%Y")

    report = await _run(session, [HEADER, *([*r[:3], later, *r[4:]] for r in rows)])

    assert report.updated == 10
    after = [await register_version(session, ids[a]) for a in (*agencies, "HN")]
    per_statement = session.get_bind().dialect.name == "postgresql"
    steps = [1, 1, 0] if per_statement else [5, 5, 0]  # SQLite: one per changed row
    assert [a - b for a, b in zip(after, before, strict=True)] == steps


async def test_imports_keep_the_tally_equal_to_a_recount(session: AsyncSession) -> None:
    first: list[Cells] = [
        HEADER,
        *(
            row(
                code=f"R{i}",
                agency=("MOF", "MOH", "HN")[i % 3],
                program=("", "NQ57", "Đề án 06")[i % 3],
            )
            for i in range(30)
        ),
    ]
    await _run(session, first)
    moved: list[Cells] = [HEADER, *(
        row(code=f"R{i}", agency=("HN", "MOF", "MOH")[i % 3], program=("NQ57", "", "")[i % 3],
            status=("xong", "mới", "đang thực hiện")[i % 2],
            completed_on="01/03/2025" if i % 2 == 0 else "")
        for i in range(0, 30, 2)
    )]  # fmt: skip

    report = await _run(session, moved, today=date(2026, 11, 25))

    assert report.updated == 15
    assert await tally(session) == await recount(session)


async def test_a_code_created_after_the_read_is_updated_not_duplicated(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[str] = []

    async def read_then_create(read: AsyncSession, keys: Any, sets: Any) -> Any:
        stored = await load_stored(read, keys, sets)
        if not created:  # another writer adds one of the file's codes before the write
            created.append("B")
            await _run(session, [HEADER, row(code="b", title="trước")])
        return stored

    monkeypatch.setattr(plan, "load_stored", read_then_create)

    report = await _run(session, THREE)  # the insert of B meets the unique key: redone

    assert (report.ok, report.created, report.updated) == (True, 2, 1)
    titles = dict((await session.execute(select(Task.code, Task.title))).all())
    assert titles == {"A": "Số hóa hồ sơ", "b": "Số hóa hồ sơ", "C": "Số hóa hồ sơ"}


async def test_an_import_keeps_a_cancelled_task_cancelled_unless_its_status_column_says(
    session: AsyncSession,
) -> None:
    # Cancelled in chat (/cancel): a file without a status column leaves it so, one with the
    # column decides (its words for cancelled too: "đã hủy", "dừng thực hiện").
    assert (await _run(session, THREE)).ok
    await session.execute(update(Task).where(Task.code.in_(["A", "B"])).values(status="cancelled"))
    rows: list[Cells] = [HEADER, row(code="A", title="Tên mới"), row(code="B")]
    no_status = [[c for h, c in zip(HEADER, r, strict=True) if h != "Trạng thái"] for r in rows]
    report = await _run(session, no_status)
    assert (report.ok, report.updated) == (True, 1)
    with_status = [HEADER, row(code="B", status="đang thực hiện"), row(code="C", status="Đã hủy")]
    assert (await _run(session, with_status)).ok
    statuses = dict((await session.execute(select(Task.code, Task.status))).all())
    assert statuses == {"A": "cancelled", "B": "in_progress", "C": "cancelled"}
    assert await tally(session) == await recount(session)
