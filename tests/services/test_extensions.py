"""Deadline extensions on both databases: asking, the first decision winning, the deadline
moving (and the buckets with it), the history, the /status count."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import extension_rules as rules
from services import extensions, reports
from services.access import Caller, NotAllowed
from services.extension_rules import Refusal
from services.extensions import Asked, Refused
from services.figures import Scope
from services.task_writes import Editor
from storage.db import Sessions, make_sessions, writing
from storage.models import (
    Agency,
    ExtensionRequest,
    ExtensionStatus,
    Member,
    Program,
    Role,
    Task,
    TaskEvent,
)
from tests.sessions import NOW

TODAY = date(2026, 11, 25)  # NOW in Hanoi
DEADLINE = date(2026, 11, 20)  # five days overdue
LATER = date(2026, 12, 31)


def _caller(role: Role | None, user_id: int, agency_id: int | None = None) -> Caller:
    return Caller(user_id, user_id, "private", role, agency_id, False, None, None)


async def _agency(session: AsyncSession, code: str) -> int:
    found = await session.scalar(select(Agency.id).where(Agency.code == code))
    assert found is not None
    return found


async def _task(
    session: AsyncSession,
    code: str = "EXT-1",
    *,
    agency: str = "MOF",
    deadline: date | None = DEADLINE,
    status: str = "open",
    program_id: int | None = None,
) -> Task:
    task = Task(
        code=code,
        title=f"Nhiệm vụ {code}",
        lead_agency_id=await _agency(session, agency),
        deadline=deadline,
        status=status,
        completed_on=TODAY if status == "done" else None,
        program_id=program_id,
    )
    session.add(task)
    await session.flush()
    return task


async def _lead(session: AsyncSession, agency: str = "MOF", user_id: int = 2001) -> Editor:
    return Editor(_caller(Role.LEAD, user_id, await _agency(session, agency)), "Anh Minh")


ADMIN = Editor(_caller(Role.ADMIN, 1001), "Chị Lan")
OTHER_ADMIN = Editor(_caller(Role.ADMIN, 1005), "Anh Tuấn")


async def _ask(
    session: AsyncSession,
    editor: Editor,
    task: Task,
    new: date = LATER,
    reason: str = "Chờ ý kiến",
) -> Asked | Refused:
    return await extensions.request_extension(
        session,
        editor=editor,
        task_id=task.id,
        new_deadline=new,
        reason=reason,
        now=NOW,
        today=TODAY,
    )


async def _events(
    session: AsyncSession, task: Task
) -> list[tuple[str, str | None, str | None, str]]:
    rows = await session.execute(
        select(TaskEvent.field, TaskEvent.old, TaskEvent.new, TaskEvent.actor)
        .where(TaskEvent.task_id == task.id)
        .order_by(TaskEvent.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def test_approval_keeps_the_original_deadline_and_moves_the_buckets(
    session: AsyncSession,
) -> None:
    task = await _task(session)
    scope = Scope(agency_id=task.lead_agency_id)
    before = await reports.summarize(session, today=TODAY, scope=scope)
    assert (before.overdue, before.on_schedule) == (1, 0)

    asked = await _ask(session, await _lead(session), task)
    assert isinstance(asked, Asked)
    assert (asked.old_deadline, asked.new_deadline, asked.status) == (
        DEADLINE, LATER, ExtensionStatus.PENDING
    )  # fmt: skip
    decided, won = await extensions.decide(
        session, editor=ADMIN, request_id=asked.id, approve=True, now=NOW + timedelta(hours=1)
    )

    assert won
    assert decided is not None
    assert (decided.status, decided.decided_by, decided.decided_by_id) == (
        ExtensionStatus.APPROVED, "Chị Lan", 1001
    )  # fmt: skip
    current = await session.get(Task, task.id, populate_existing=True)
    assert current is not None
    assert (current.original_deadline, current.deadline) == (DEADLINE, LATER)
    after = await reports.summarize(session, today=TODAY, scope=scope)
    assert (after.overdue, after.on_schedule, after.total) == (0, 1, 1)
    assert await _events(session, task) == [
        ("extension-request", "2026-11-20", "2026-12-31 — Chờ ý kiến", "Anh Minh"),
        ("original_deadline", None, "2026-11-20", "Chị Lan"),
        ("deadline", "2026-11-20", "2026-12-31", "Chị Lan"),
    ]


async def test_a_second_approval_keeps_the_first_original_deadline(session: AsyncSession) -> None:
    task = await _task(session)
    lead = await _lead(session)
    for new in (LATER, LATER + timedelta(days=30)):
        asked = await _ask(session, lead, task, new)
        assert isinstance(asked, Asked)
        _decided, won = await extensions.decide(
            session, editor=ADMIN, request_id=asked.id, approve=True, now=NOW
        )
        assert won
    current = await session.get(Task, task.id, populate_existing=True)
    assert current is not None
    assert (current.original_deadline, current.deadline) == (DEADLINE, LATER + timedelta(days=30))


async def test_a_rejection_leaves_the_task_and_is_in_its_history(session: AsyncSession) -> None:
    task = await _task(session)
    version = task.version
    asked = await _ask(session, await _lead(session), task)
    assert isinstance(asked, Asked)
    decided, won = await extensions.decide(
        session, editor=ADMIN, request_id=asked.id, approve=False, now=NOW
    )
    assert won
    assert decided is not None
    assert decided.status is ExtensionStatus.REJECTED
    current = await session.get(Task, task.id, populate_existing=True)
    assert current is not None
    assert (current.deadline, current.original_deadline, current.version) == (
        DEADLINE, None, version
    )  # fmt: skip
    assert (await _events(session, task))[-1] == (
        "extension-rejected", "2026-11-20", "2026-12-31", "Chị Lan"
    )  # fmt: skip
    # Decided: a new request may be made.
    assert isinstance(await _ask(session, await _lead(session), task), Asked)


async def test_a_late_decision_changes_nothing_and_names_the_first(session: AsyncSession) -> None:
    task = await _task(session)
    asked = await _ask(session, await _lead(session), task)
    assert isinstance(asked, Asked)
    await extensions.decide(session, editor=ADMIN, request_id=asked.id, approve=False, now=NOW)
    decided, won = await extensions.decide(
        session, editor=OTHER_ADMIN, request_id=asked.id, approve=True, now=NOW
    )
    assert not won
    assert decided is not None
    assert (decided.status, decided.decided_by) == (ExtensionStatus.REJECTED, "Chị Lan")
    current = await session.get(Task, task.id, populate_existing=True)
    assert current is not None
    assert current.deadline == DEADLINE
    assert await extensions.decide(
        session, editor=ADMIN, request_id=987654, approve=True, now=NOW
    ) == (None, False)


async def test_only_admins_decide(session: AsyncSession) -> None:
    task = await _task(session)
    lead = await _lead(session)
    asked = await _ask(session, lead, task)
    assert isinstance(asked, Asked)
    with pytest.raises(NotAllowed):
        await extensions.decide(session, editor=lead, request_id=asked.id, approve=True, now=NOW)


async def test_one_pending_request_per_task(session: AsyncSession) -> None:
    task = await _task(session)
    first = await _ask(session, await _lead(session), task)
    assert isinstance(first, Asked)
    second = await _ask(session, ADMIN, task, LATER + timedelta(days=9))
    assert isinstance(second, Refused)
    assert second.why is Refusal.PENDING
    assert second.pending == first
    # The database refuses a second pending row too, whoever writes it.
    row = ExtensionRequest(task_id=task.id, at=NOW, new_deadline=LATER, reason="x", notices=[])
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            session.add(row)


@pytest.mark.parametrize(
    ("who", "agency", "deadline", "status", "new", "reason", "why"),
    [
        ("lead-other", "MOF", DEADLINE, "open", LATER, "r", Refusal.NOT_YOURS),
        ("viewer", "MOF", DEADLINE, "open", LATER, "r", Refusal.NOT_YOURS),
        ("stranger", "MOF", DEADLINE, "open", LATER, "r", Refusal.NOT_YOURS),
        ("lead", "MOF", None, "open", LATER, "r", Refusal.ROUTINE),
        ("lead", "MOF", DEADLINE, "done", LATER, "r", Refusal.DONE),
        ("lead", "MOF", DEADLINE, "open", DEADLINE, "r", Refusal.NOT_LATER),
        ("admin", "MOF", DEADLINE, "open", DEADLINE - timedelta(days=1), "r", Refusal.NOT_LATER),
        ("lead", "MOF", DEADLINE, "open", TODAY - timedelta(days=1), "r", Refusal.PAST),
        ("lead", "MOF", DEADLINE, "open", date(2201, 1, 1), "r", Refusal.TOO_FAR),
        ("lead", "MOF", DEADLINE, "open", LATER, "  ", Refusal.NO_REASON),
        ("lead", "MOF", DEADLINE, "open", LATER, "x" * 501, Refusal.LONG_REASON),
    ],
)
async def test_requests_that_are_refused(
    session: AsyncSession,
    who: str,
    agency: str,
    deadline: date | None,
    status: str,
    new: date,
    reason: str,
    why: Refusal,
) -> None:
    task = await _task(session, agency=agency, deadline=deadline, status=status)
    editors = {
        "lead": await _lead(session),
        "lead-other": await _lead(session, "MOH"),
        "viewer": Editor(_caller(Role.VIEWER, 3001), "Viewer"),
        "stranger": Editor(_caller(None, 3002), "Stranger"),
        "admin": ADMIN,
    }
    refused = await _ask(session, editors[who], task, new, reason)
    assert isinstance(refused, Refused)
    assert refused.why is why
    assert await _events(session, task) == []
    assert await extensions.pending_request(session, task_id=task.id) is None


async def test_admins_and_their_languages(session: AsyncSession) -> None:
    session.add_all(
        [
            Member(user_id=1005, role=Role.ADMIN.value, language="en"),
            Member(user_id=1006, role=Role.ADMIN.value, telegram_language="vi-VN"),
            Member(user_id=2001, role=Role.LEAD.value, language="en"),
        ]
    )
    await session.flush()
    found = await extensions.recipients(session, admins=frozenset({1001, 1005}), default="vi")
    assert found == [(1001, "vi"), (1005, "en"), (1006, "vi")]


async def test_count_extended_in_a_scope(session: AsyncSession) -> None:
    program = Program(code="NQ99", name="NQ99")
    session.add(program)
    await session.flush()
    tasks = [
        await _task(session, "A", program_id=program.id),
        await _task(session, "B"),
        await _task(session, "C", agency="MOH", program_id=program.id),
    ]
    for task in tasks[:2] + tasks[2:]:
        asked = await _ask(session, ADMIN, task)
        assert isinstance(asked, Asked)
        await extensions.decide(session, editor=ADMIN, request_id=asked.id, approve=True, now=NOW)
    mof = await _agency(session, "MOF")
    assert await extensions.count_extended(session, scope=Scope()) == 3
    assert await extensions.count_extended(session, scope=Scope(agency_id=mof)) == 2
    assert await extensions.count_extended(session, scope=Scope(program_id=program.id)) == 2
    assert await extensions.count_extended(session, scope=Scope(mof, program.id)) == 1


def test_dates_people_type() -> None:
    assert rules.parse_day("31/03/2027") == date(2027, 3, 31)
    assert rules.parse_day(" 1-4-2027 ") == date(2027, 4, 1)
    assert rules.parse_day("2027-04-01") == date(2027, 4, 1)
    assert rules.parse_day("31/02/2027") is None
    assert rules.parse_day("31/03") is None
    assert rules.parse_day("mai") is None


def test_the_dates_offered_count_from_the_deadline_or_today() -> None:
    assert rules.choices(LATER, TODAY)[0] == LATER + timedelta(days=7)
    assert rules.choices(DEADLINE, TODAY) == [TODAY + timedelta(days=n) for n in (7, 14, 30)]


# --- two admins at once, two leads at once (sessions of their own, committed) -----------


async def _seed(engine: AsyncEngine) -> tuple[Sessions, int, Editor]:
    sessions = make_sessions(engine)
    async with sessions.begin() as session:
        task = await _task(session)
        lead = await _lead(session)
    return sessions, task.id, lead


async def _wait_for_a_waiter(engine: AsyncEngine) -> None:
    """Let the second transaction reach its wait (PostgreSQL: until a lock is waited on)."""
    for _ in range(200):
        await asyncio.sleep(0.01)
        if engine.dialect.name != "postgresql":
            continue
        async with engine.connect() as conn:
            waiting = await conn.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
        if waiting:
            return


async def test_the_first_decision_wins_against_a_concurrent_one(
    fresh_engine: AsyncEngine,
) -> None:
    sessions, task_id, lead = await _seed(fresh_engine)
    async with writing(sessions) as session:
        asked = await extensions.request_extension(
            session, editor=lead, task_id=task_id, new_deadline=LATER, reason="r", now=NOW,
            today=TODAY,
        )  # fmt: skip
    assert isinstance(asked, Asked)

    async def second() -> tuple[Asked | None, bool]:
        async with writing(sessions) as session:
            return await extensions.decide(
                session, editor=OTHER_ADMIN, request_id=asked.id, approve=False, now=NOW
            )

    async with writing(sessions) as session:
        first = await extensions.decide(
            session, editor=ADMIN, request_id=asked.id, approve=True, now=NOW
        )
        late = asyncio.create_task(second())
        await _wait_for_a_waiter(fresh_engine)
    decided, won = await late

    assert first[1] is True
    assert won is False
    assert decided is not None
    assert (decided.status, decided.decided_by) == (ExtensionStatus.APPROVED, "Chị Lan")
    async with sessions.begin() as session:
        task = await session.get(Task, task_id)
        assert task is not None
        assert (task.deadline, task.original_deadline) == (LATER, DEADLINE)
        fields = await session.scalars(
            select(TaskEvent.field).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)
        )
        assert list(fields) == ["extension-request", "original_deadline", "deadline"]


async def test_two_requests_at_once_make_one(fresh_engine: AsyncEngine) -> None:
    sessions, task_id, lead = await _seed(fresh_engine)

    async def ask(editor: Editor, new: date) -> Asked | Refused:
        async with writing(sessions) as session:
            return await extensions.request_extension(
                session, editor=editor, task_id=task_id, new_deadline=new, reason="r", now=NOW,
                today=TODAY,
            )  # fmt: skip

    async with writing(sessions) as session:
        first = await extensions.request_extension(
            session, editor=lead, task_id=task_id, new_deadline=LATER, reason="r", now=NOW,
            today=TODAY,
        )  # fmt: skip
        other = asyncio.create_task(ask(ADMIN, LATER + timedelta(days=1)))
        await _wait_for_a_waiter(fresh_engine)
    second = await other

    assert isinstance(first, Asked)
    assert isinstance(second, Refused)
    assert second.why is Refusal.PENDING
    assert second.pending is not None
    assert second.pending.id == first.id
    async with sessions.begin() as session:
        count = len((await session.scalars(select(ExtensionRequest.id))).all())
    assert count == 1
