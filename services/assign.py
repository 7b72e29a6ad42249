"""New tasks assigned in chat: the draft, the code it gets, the audited insert.

A code is the programme's code and the next free number (NQ57-0042; the width of the
highest code already there), or the committee's prefix without a programme. Two admins
assigning at once: on SQLite the write transactions take turns; on PostgreSQL the second
insert waits for the first, fails on the unique code, and is retried with the next number.
The guided flow that fills a draft is services/assign_flow.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, audit
from services.access import Action
from services.catalog import is_code
from services.task_writes import Editor
from storage.models import Program, Status, Task, TaskTally, code_key

STEPS = ("agency", "title", "deadline", "program")  # what the flow asks, in order
COMMITTEE_PREFIX = "BCD"  # Ban Chỉ đạo: the code of a task in no programme
DIGITS = 4  # NQ57-0001 when a programme has no numbered code yet
ATTEMPTS = 20  # inserts tried when other admins take the next numbers meanwhile


@dataclass(frozen=True, slots=True)
class Draft:
    """A task to create, as the flow or the one-line form filled it."""

    agency_id: int
    title: str
    deadline: date | None
    program_id: int | None
    code: str | None = None  # None: generated

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> Draft:
        deadline = payload["deadline"]
        return cls(
            agency_id=int(payload["agency"]),
            title=str(payload["title"]),
            deadline=date.fromisoformat(deadline) if deadline else None,
            program_id=payload["program"],
            code=payload.get("code"),
        )


def next_step(payload: Mapping[str, Any]) -> str | None:
    """The first thing the flow still has to ask (None: all answered, confirm)."""
    return next((step for step in STEPS if step not in payload), None)


def answer(step: str, value: object) -> dict[str, Any]:
    """A step's answer as the payload keeps it (JSON: dates as ISO text)."""
    return {step: value.isoformat() if isinstance(value, date) else value}


# --- codes ---------------------------------------------------------------------------------


def code_prefix(program: Program | None) -> str:
    """A programme's short code, or the committee's prefix (a programme named by its long
    name only has no code to lend)."""
    if program is not None and is_code(program.code):
        return program.code
    return COMMITTEE_PREFIX


async def next_code(session: AsyncSession, prefix: str) -> str:
    """`prefix`-N with N one more than the highest number after `prefix`- (any letter case)."""
    key = code_key(f"{prefix}-")
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    keys = await session.scalars(select(Task.code_key).where(Task.code_key.like(like, "\\")))
    best, width = 0, DIGITS
    for found in keys:
        tail = found[len(key) :]
        if tail.isascii() and tail.isdigit() and int(tail) > best:
            best, width = int(tail), len(tail)
    return f"{prefix}-{best + 1:0{width}d}"


class CodeTaken(Exception):
    """The code given for a new task is another task's."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def code_is_free(session: AsyncSession, code: str) -> bool:
    """Whether no task has this code (in any letter case)."""
    found = await session.scalar(select(Task.id).where(Task.code_key == code_key(code)))
    return found is None


async def preview_code(session: AsyncSession, draft: Draft) -> str:
    """The code the draft would get now (another admin may take it first)."""
    if draft.code:
        return draft.code
    program = await session.get(Program, draft.program_id) if draft.program_id else None
    return await next_code(session, code_prefix(program))


async def create_task(
    session: AsyncSession, *, draft: Draft, editor: Editor, now: datetime
) -> Task:
    """Insert the task with its "created" event; raises CodeTaken for a given code in use."""
    access.require(editor.caller, Action.MANAGE_TASKS)
    program = await session.get(Program, draft.program_id) if draft.program_id else None
    for _attempt in range(ATTEMPTS):
        code = draft.code or await next_code(session, code_prefix(program))
        task = Task(
            code=code,
            title=draft.title,
            lead_agency_id=draft.agency_id,
            program_id=draft.program_id,
            deadline=draft.deadline,
            status=Status.OPEN.value,
            source="",
            notes="",
            progress=0,
            created_at=now,
            updated_at=now,
        )
        try:
            async with session.begin_nested():  # a conflict undoes this insert only
                session.add(task)
                await session.flush()
        except IntegrityError:
            if draft.code:
                raise CodeTaken(draft.code) from None
            continue  # another admin took this number meanwhile: read the next one
        await audit.record_created(session, [task.id], actor=editor.actor, at=now)
        return task
    raise RuntimeError(f"no free code after {ATTEMPTS} attempts")


# --- the choices the flow offers -----------------------------------------------------------


async def most_used_agencies(session: AsyncSession, *, limit: int) -> list[int]:
    """The agencies leading the most tasks (the tally: a few hundred rows), most first."""
    count = func.sum(TaskTally.n)
    rows = await session.execute(
        select(TaskTally.agency_id)
        .group_by(TaskTally.agency_id)
        .having(count > 0)
        .order_by(count.desc(), TaskTally.agency_id)
        .limit(limit)
    )
    return [agency_id for (agency_id,) in rows]


async def most_used_programs(session: AsyncSession, *, limit: int) -> list[int]:
    """Programmes by the number of their tasks, most first, then the rest by name."""
    count = func.coalesce(
        select(func.sum(TaskTally.n)).where(TaskTally.program_id == Program.id).scalar_subquery(),
        0,
    )
    rows = await session.execute(
        select(Program.id).order_by(count.desc(), Program.name, Program.id).limit(limit)
    )
    return [program_id for (program_id,) in rows]
