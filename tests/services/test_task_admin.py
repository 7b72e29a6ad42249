"""/edit, /cancel and /reopen's services on both databases: checked values, one event per
changed field, versions, and tallies that move exactly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, reports, task_admin, task_writes
from services.access import Caller
from services.lookup_cache import load_index
from services.reports import Scope
from services.task_admin import Field, NothingToDo, Verb
from services.task_fields import FieldError, parse_code, parse_deadline, parse_text
from services.task_writes import Editor, Stale
from storage.models import Agency, Program, Role, Task, TaskEvent, TaskTally
from tests.sessions import NOW

ADMIN = Caller(1, 1, "private", Role.ADMIN, None, False, None, None)
EDITOR = Editor(ADMIN, "Văn phòng")
TODAY = date(2026, 11, 25)


async def _task(session: AsyncSession, **values: object) -> Task:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    fields: dict[str, object] = {
        "code": "T-1",
        "title": "Nhiệm vụ",
        "deadline": date(2026, 11, 1),
        "status": "in_progress",
        "progress": 40,
        "lead_agency_id": ids["MOF"],
    }
    session.add(Task(**(fields | values)))
    await session.flush()
    task = await task_writes.load(session, code=str((fields | values)["code"]))
    assert task is not None
    return task


async def _events(session: AsyncSession, task: Task) -> list[tuple[str, str | None, str | None]]:
    rows = await session.execute(
        select(TaskEvent.field, TaskEvent.old, TaskEvent.new)
        .where(TaskEvent.task_id == task.id)
        .order_by(TaskEvent.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def _edit(session: AsyncSession, task: Task, field: Field, text: str) -> bool:
    index = await load_index(session)
    return await task_admin.edit_task(
        session, task=task, field=field, text=text, index=index, editor=EDITOR, now=NOW
    )


def test_an_edit_line_reads_the_field_by_any_of_its_names() -> None:
    line = task_admin.split_edit("NQ57-1 thời hạn 30/06/2027")
    assert line == task_admin.EditLine("NQ57-1", Field.DEADLINE, "30/06/2027")
    assert task_admin.split_edit("X co quan chu tri Bộ Y tế") == task_admin.EditLine(
        "X", Field.AGENCY, "Bộ Y tế"
    )
    assert task_admin.split_edit("X Title  New   name").value == "New name"  # type: ignore[union-attr]
    assert task_admin.split_edit("X PHỐI HỢP -").field is Field.COORDINATORS  # type: ignore[union-attr]
    assert task_admin.split_edit("X status done") is None
    assert task_admin.split_edit("X") is None


def test_typed_values_are_checked_as_an_import_checks_cells() -> None:
    assert parse_text("  Xây\tdựng\n hệ   thống ", field="title") == "Xây dựng hệ thống"
    assert parse_text("Nhie\u0323\u0302m vụ", field="title") == "Nhiệm vụ"  # NFC
    assert parse_deadline("5/4/2027") == date(2027, 4, 5)
    assert parse_deadline("2027-04-05") == date(2027, 4, 5)
    assert parse_deadline("Không") is None
    assert parse_code(" NQ57\u200b-1 ") == "NQ57-1"
    for bad, msg_id in (("\u200b\u200b", "field-empty"), ("x" * 2001, "field-too-long")):
        with pytest.raises(FieldError) as refused:
            parse_text(bad, field="title")
        assert refused.value.msg_id == msg_id
    for bad, msg_id in (("31/02/2027", "field-bad-date"), ("1/1/2300", "field-date-range")):
        with pytest.raises(FieldError) as refused:
            parse_deadline(bad)
        assert refused.value.msg_id == msg_id
    with pytest.raises(FieldError):
        parse_code("A B")


async def test_each_field_is_set_with_one_event_and_a_new_version(session: AsyncSession) -> None:
    task = await _task(session)
    program = Program(code="NQ57", name="Nghị quyết 57")
    session.add(program)
    await session.flush()
    edits = [
        (Field.TITLE, "Tên mới", ("title", "Nhiệm vụ", "Tên mới")),
        (Field.DEADLINE, "30/06/2027", ("deadline", "2026-11-01", "2027-06-30")),
        (Field.DEADLINE, "-", ("deadline", "2027-06-30", None)),
        (Field.AGENCY, "Bộ Y tế", ("agency", "MOF", "MOH")),
        (Field.PROGRAM, "nq57", ("program", None, "NQ57")),
        (Field.PROGRAM, "không", ("program", "NQ57", None)),
        (Field.SOURCE, "Kết luận 45-KL/TW", ("source", "", "Kết luận 45-KL/TW")),
        (Field.COORDINATORS, "Hà Nội; BTC", ("coordinating", "", "HN;MOF")),  # as imports write
        (Field.COORDINATORS, "-", ("coordinating", "HN;MOF", "")),
    ]
    for n, (field, text, event) in enumerate(edits, start=1):
        version = task.version
        assert await _edit(session, task, field, text), field
        task = await task_writes.load(session, task_id=task.id)  # type: ignore[assignment]
        assert task.version == version + 1, field
        assert len(await _events(session, task)) == n
        assert (await _events(session, task))[-1] == event
    assert not await _edit(session, task, Field.TITLE, "Tên mới")  # no change, no event
    assert len(await _events(session, task)) == len(edits)


@pytest.mark.parametrize(
    ("field", "text", "msg_id"),
    [
        (Field.DEADLINE, "mai", "field-bad-date"),
        (Field.AGENCY, "Bộ Không Có", "field-unknown-agency"),
        (Field.AGENCY, "Quảng", "field-which"),
        (Field.AGENCY, "NQ57", "field-not-agency"),
        (Field.PROGRAM, "MOF", "field-not-program"),
        (Field.PROGRAM, "XYZW99", "field-unknown-program"),
        (Field.COORDINATORS, "MOF", "field-lead-coordinates"),
        (Field.TITLE, "   ", "field-no-value"),
    ],
)
async def test_a_bad_value_changes_nothing(
    session: AsyncSession, field: Field, text: str, msg_id: str
) -> None:
    session.add(Program(code="NQ57", name="Nghị quyết 57"))
    task = await _task(session)
    with pytest.raises(FieldError) as refused:
        await _edit(session, task, field, text)
    assert refused.value.msg_id == msg_id
    assert (task.version, await _events(session, task)) == (1, [])


async def test_only_admins_edit(session: AsyncSession) -> None:
    task = await _task(session)
    lead = Caller(2, 2, "private", Role.LEAD, task.lead_agency_id, False, None, None)
    with pytest.raises(access.NotAllowed):
        await task_admin.edit_task(
            session, task=task, field=Field.TITLE, text="x", index=await load_index(session),
            editor=Editor(lead, "lead"), now=NOW,
        )  # fmt: skip


async def _tally(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    rows = await session.execute(select(TaskTally.agency_id, TaskTally.program_id,
                                        TaskTally.state, TaskTally.n))  # fmt: skip
    return {(a, p, s): n for a, p, s, n in rows if n}


async def _recount(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    program = func.coalesce(Task.program_id, 0)
    rows = await session.execute(
        select(Task.lead_agency_id, program, Task.state, func.count()).group_by(
            Task.lead_agency_id, program, Task.state
        )
    )
    return {(a, p, s): n for a, p, s, n in rows}


async def test_cancel_and_reopen_move_the_tallies_exactly_and_restore_the_status(
    session: AsyncSession,
) -> None:
    task = await _task(session)  # overdue, in progress
    scope = Scope(agency_id=task.lead_agency_id)
    before = await reports.summarize(session, today=TODAY, scope=scope)
    assert (before.total, before.overdue, before.cancelled) == (1, 1, 0)

    await task_admin.decide(session, task=task, verb=Verb.CANCEL, seen_version=1,
                            editor=EDITOR, now=NOW)  # fmt: skip
    cancelled = await reports.summarize(session, today=TODAY, scope=scope)
    assert (cancelled.total, cancelled.overdue, cancelled.cancelled) == (0, 0, 1)
    assert await _tally(session) == await _recount(session)
    assert (await reports.list_overdue(session, today=TODAY, scope=scope)).total == 0
    with pytest.raises(NothingToDo):
        await task_admin.decide(session, task=task, verb=Verb.CANCEL, seen_version=2,
                                editor=EDITOR, now=NOW)  # fmt: skip

    values = await task_admin.outcome(session, task=task, verb=Verb.REOPEN)
    assert values == {"status": "in_progress"}  # as it was before
    await task_admin.decide(session, task=task, verb=Verb.REOPEN, seen_version=2,
                            editor=EDITOR, now=NOW)  # fmt: skip
    assert await reports.summarize(session, today=TODAY, scope=scope) == before
    assert await _tally(session) == await _recount(session)
    assert await _events(session, task) == [
        ("status", "in_progress", "cancelled"),
        ("status", "cancelled", "in_progress"),
    ]
    assert task.version == 3
    with pytest.raises(NothingToDo) as open_already:
        await task_admin.outcome(session, task=task, verb=Verb.REOPEN)
    assert open_already.value.msg_id == "reopen-already-open"


async def test_a_done_task_reopens_in_progress_without_its_completion_date(
    session: AsyncSession,
) -> None:
    task = await _task(session, status="done", completed_on=date(2026, 10, 20), progress=100)
    await task_admin.decide(session, task=task, verb=Verb.REOPEN, seen_version=1,
                            editor=EDITOR, now=NOW)  # fmt: skip
    assert (task.status, task.completed_on) == ("in_progress", None)
    # Cancelled when done, restored done (its completion date kept meanwhile).
    done = await _task(session, code="T-2", status="done", completed_on=date(2026, 10, 20))
    await task_admin.decide(session, task=done, verb=Verb.CANCEL, seen_version=1,
                            editor=EDITOR, now=NOW)  # fmt: skip
    assert await task_admin.outcome(session, task=done, verb=Verb.REOPEN) == {"status": "done"}
    # Cancelled outside dondoc (no event): open, or in progress when it has progress.
    hand = await _task(session, code="T-3", status="cancelled", progress=0)
    assert await task_admin.outcome(session, task=hand, verb=Verb.REOPEN) == {"status": "open"}


async def test_a_confirm_for_an_older_version_is_stale(session: AsyncSession) -> None:
    task = await _task(session)
    await _edit(session, task, Field.TITLE, "Đổi tên")  # version 2
    with pytest.raises(Stale) as stale:
        await task_admin.decide(session, task=task, verb=Verb.CANCEL, seen_version=1,
                                editor=EDITOR, now=NOW)  # fmt: skip
    assert stale.value.task.status == "in_progress"
    assert stale.value.task.version == 2
