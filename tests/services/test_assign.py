"""New tasks from chat on both databases: codes (also with two admins at once), the flow's
steps, the one-line form, and the audited insert."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import access, assign, assign_flow
from services.access import Caller
from services.assign import Draft, next_step
from services.lookup_cache import load_index
from services.pending import Refusal
from services.task_fields import FieldError
from services.task_writes import Editor
from storage.db import IMMEDIATE, make_sessions
from storage.models import Agency, Program, Role, Task, TaskEvent
from tests.sessions import NOW
from tests.storage.test_open_tally import pid_of, wait_until_blocked

ADMIN = Caller(1, 1, "private", Role.ADMIN, None, False, None, None)
OTHER_ADMIN = Caller(2, 1, "private", Role.ADMIN, None, False, None, None)
LEAD = Caller(3, 3, "private", Role.LEAD, 1, False, None, None)
EDITOR = Editor(ADMIN, "Văn phòng BCĐ")


async def _ids(session: AsyncSession) -> dict[str, int]:
    return dict((await session.execute(select(Agency.code, Agency.id))).all())


async def _program(session: AsyncSession, code: str = "NQ57") -> Program:
    program = Program(code=code, name=f"Chương trình {code}")
    session.add(program)
    await session.flush()
    return program


def _task(code: str, agency: int) -> Task:
    return Task(code=code, title=code, lead_agency_id=agency, status="open")


async def test_the_next_code_follows_the_highest_number_of_the_prefix(
    session: AsyncSession,
) -> None:
    mof = (await _ids(session))["MOF"]
    assert await assign.next_code(session, "NQ57") == "NQ57-0001"
    session.add_all(
        _task(code, mof)
        for code in ("NQ57-007", "nq57-012", "NQ57-ABC", "NQ57-3", "NQ570-999", "XNQ57-500")
    )
    await session.flush()
    assert await assign.next_code(session, "NQ57") == "NQ57-013"  # width of the highest
    assert await assign.next_code(session, "nq57") == "nq57-013"
    assert await assign.next_code(session, "BCD") == "BCD-0001"
    session.add(_task("BCD-9999", mof))
    await session.flush()
    assert await assign.next_code(session, "BCD") == "BCD-10000"


async def test_a_prefix_is_matched_literally_not_as_a_pattern(session: AsyncSession) -> None:
    mof = (await _ids(session))["MOF"]
    session.add_all([_task("A_B-0009", mof), _task("AXB-0042", mof), _task("A%B-0050", mof)])
    await session.flush()
    assert await assign.next_code(session, "A_B") == "A_B-0010"


async def test_create_task_generates_the_code_and_records_its_creation(
    session: AsyncSession,
) -> None:
    ids = await _ids(session)
    program = await _program(session)
    draft = Draft(ids["MOF"], "Xây dựng cơ sở dữ liệu", date(2027, 3, 31), program.id)
    first = await assign.create_task(session, draft=draft, editor=EDITOR, now=NOW)
    second = await assign.create_task(
        session, draft=Draft(ids["HN"], "Báo cáo", None, None), editor=EDITOR, now=NOW
    )
    assert (first.code, second.code) == ("NQ57-0001", "BCD-0001")
    assert (first.status, first.version, first.deadline) == ("open", 1, date(2027, 3, 31))
    events = (await session.execute(select(TaskEvent.task_id, TaskEvent.field,
              TaskEvent.source, TaskEvent.actor_id, TaskEvent.actor))).all()  # fmt: skip
    assert sorted(events) == sorted(
        (t.id, "created", "chat", ADMIN.user_id, "Văn phòng BCĐ") for t in (first, second)
    )


async def test_a_given_code_in_use_is_refused_in_any_letter_case(session: AsyncSession) -> None:
    mof = (await _ids(session))["MOF"]
    session.add(_task("KT-1", mof))
    await session.flush()
    draft = Draft(mof, "t", None, None, code="kt-1")
    with pytest.raises(assign.CodeTaken):
        await assign.create_task(session, draft=draft, editor=EDITOR, now=NOW)
    assert not await assign.code_is_free(session, "Kt-1")
    assert await session.scalar(select(func.count()).select_from(Task)) == 1  # still usable


async def test_a_number_taken_meanwhile_is_retried_with_the_next(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    mof = (await _ids(session))["MOF"]
    program = await _program(session)
    session.add(_task("NQ57-0001", mof))
    await session.flush()
    real = assign.next_code
    offered: list[str] = []

    async def stale_first(session: AsyncSession, prefix: str) -> str:
        # The first read is as if another admin's insert had not committed yet.
        code = "NQ57-0001" if not offered else await real(session, prefix)
        offered.append(code)
        return code

    monkeypatch.setattr(assign, "next_code", stale_first)
    task = await assign.create_task(
        session, draft=Draft(mof, "t", None, program.id), editor=EDITOR, now=NOW
    )
    assert (task.code, offered) == ("NQ57-0002", ["NQ57-0001", "NQ57-0002"])
    assert await session.scalar(select(func.count()).select_from(TaskEvent)) == 1


async def test_only_admins_create(session: AsyncSession) -> None:
    with pytest.raises(access.NotAllowed):
        await assign.create_task(
            session, draft=Draft(1, "t", None, None), editor=Editor(LEAD, "x"), now=NOW
        )


async def test_two_admins_assigning_at_once_get_two_codes(fresh_engine: AsyncEngine) -> None:
    sessions = make_sessions(fresh_engine)
    async with sessions.begin() as session:
        mof = (await _ids(session))["MOF"]
        program = (await _program(session)).id
    draft = Draft(mof, "t", None, program)
    first = sessions()
    await first.connection(execution_options={IMMEDIATE: True})
    await assign.create_task(first, draft=draft, editor=EDITOR, now=NOW)  # not committed yet

    async def second() -> str:
        async with sessions() as other:
            await other.connection(execution_options={IMMEDIATE: True})
            if other.get_bind().dialect.name == "postgresql":
                started.set_result(await pid_of(other))
            task = await assign.create_task(other, draft=draft, editor=EDITOR, now=NOW)
            await other.commit()
            return task.code

    started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    pending = asyncio.create_task(second())
    if fresh_engine.dialect.name == "postgresql":
        # Its insert of the same number waits for ours, then fails, and is retried.
        await wait_until_blocked(fresh_engine, await started)
    await first.commit()
    await first.close()
    assert await pending == "NQ57-0002"
    async with sessions.begin() as session:
        codes = (await session.scalars(select(Task.code).order_by(Task.code))).all()
        events = await session.scalar(text("SELECT COUNT(*) FROM task_event"))
    assert (list(codes), events) == (["NQ57-0001", "NQ57-0002"], 2)


# --- the flow ------------------------------------------------------------------------------


async def test_each_answer_consumes_its_step_once_and_the_flow_is_its_admins(
    session: AsyncSession,
) -> None:
    flow = await assign_flow.start(session, caller=ADMIN, payload={}, now=NOW)
    assert next_step(flow.payload) == "agency"
    assert await assign_flow.waiting(session, caller=ADMIN, now=NOW) == flow
    assert await assign_flow.waiting(session, caller=OTHER_ADMIN, now=NOW) is None
    taken = await assign_flow.advance(
        session, caller=OTHER_ADMIN, token=flow.token, step="agency", value=1, now=NOW
    )
    assert taken is Refusal.UNKNOWN  # another admin's flow
    wrong = await assign_flow.advance(
        session, caller=ADMIN, token=flow.token, step="title", value="t", now=NOW
    )
    assert wrong is Refusal.UNKNOWN  # a button of another step: forged
    moved = await assign_flow.advance(
        session, caller=ADMIN, token=flow.token, step="agency", value=1, now=NOW
    )
    assert not isinstance(moved, Refusal)
    assert (next_step(moved.payload), moved.payload) == ("title", {"agency": 1})
    again = await assign_flow.advance(
        session, caller=ADMIN, token=flow.token, step="agency", value=2, now=NOW
    )
    assert again is Refusal.USED  # a double tap
    for step, value in (("title", "t"), ("deadline", date(2027, 1, 2)), ("program", None)):
        moved = await assign_flow.advance(
            session, caller=ADMIN, token=moved.token, step=step, value=value, now=NOW
        )
        assert not isinstance(moved, Refusal)
    assert next_step(moved.payload) is None
    assert Draft.of(moved.payload) == Draft(1, "t", date(2027, 1, 2), None)
    assert await assign_flow.take(
        session, caller=ADMIN, token=moved.token, now=NOW, step="title"
    ) is (Refusal.UNKNOWN)
    assert not isinstance(
        await assign_flow.take(session, caller=ADMIN, token=moved.token, now=NOW, step=None),
        Refusal,
    )
    assert await assign_flow.waiting(session, caller=ADMIN, now=NOW) is None


async def test_a_new_flow_ends_the_older_and_abandon_ends_the_last(session: AsyncSession) -> None:
    old = await assign_flow.start(session, caller=ADMIN, payload={}, now=NOW)
    new = await assign_flow.start(session, caller=ADMIN, payload={"agency": 1}, now=NOW)
    assert await assign_flow.waiting(session, caller=ADMIN, now=NOW) == new
    used = await assign_flow.advance(
        session, caller=ADMIN, token=old.token, step="agency", value=2, now=NOW
    )
    assert used is Refusal.USED
    assert await assign_flow.abandon(session, caller=ADMIN, now=NOW)
    assert not await assign_flow.abandon(session, caller=ADMIN, now=NOW)
    assert await assign_flow.waiting(session, caller=ADMIN, now=NOW) is None


async def test_a_flow_expires(session: AsyncSession) -> None:
    await assign_flow.start(session, caller=ADMIN, payload={}, now=NOW)
    later = NOW + assign_flow.FLOW_TTL
    assert await assign_flow.waiting(session, caller=ADMIN, now=later) is None


# --- the one-line form ---------------------------------------------------------------------


async def test_the_one_line_form_is_read_as_documented(session: AsyncSession) -> None:
    await _program(session)
    index = await load_index(session)
    line = assign_flow.split_line("MOF 31/03/2027 NQ57 #NQ57-100 Xây  dựng   hệ thống", index)
    assert line is not None
    assert line.agency.found is not None
    assert (line.agency.found.code, line.deadline, line.code, line.title) == (
        "MOF", date(2027, 3, 31), "NQ57-100", "Xây dựng hệ thống"
    )  # fmt: skip
    assert line.program is not None
    assert line.program.code == "NQ57"
    routine = assign_flow.split_line("Bộ Tài chính - nq57 Báo cáo 31/12/2026", index)
    assert routine is not None
    assert routine.agency.found is not None
    assert (routine.agency.found.code, routine.deadline, routine.title) == (
        "MOF", None, "Báo cáo 31/12/2026"
    )  # fmt: skip
    former = assign_flow.split_line("Bà Rịa - Vũng Tàu 30/06/2027 Kết nối", index)
    assert former is not None
    assert former.agency.found is not None
    assert (former.agency.found.code, former.deadline) == ("HCM", date(2027, 6, 30))
    plain = assign_flow.split_line("HN không NQ58 Tên", index)  # NQ58: no such programme
    assert plain is not None
    assert (plain.program, plain.title) == (None, "NQ58 Tên")
    assert assign_flow.split_line("Bộ Tài chính", index) is None  # no deadline: the flow asks


@pytest.mark.parametrize(
    ("line", "msg_id"),
    [
        ("MOF 31/03/2027", "field-empty"),
        ("MOF 31/03/1927 T", "field-date-range"),
        ("Bộ Tài chính 31/02/2027 T", "field-bad-date"),
        ("MOF - #\u200b Tên", "field-bad-code"),
        ("MOF - #A\x07B Tên", "field-bad-code"),
        ("MOF - " + "x" * 2001, "field-too-long"),
    ],
)
async def test_a_bad_one_line_form_names_its_fault(
    session: AsyncSession, line: str, msg_id: str
) -> None:
    index = await load_index(session)
    with pytest.raises(FieldError) as refused:
        assign_flow.split_line(line, index)
    assert refused.value.msg_id == msg_id
