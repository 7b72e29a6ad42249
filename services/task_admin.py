"""The secretariat's changes to a task in chat: /edit one field, /cancel, /reopen.

Each goes through services/task_writes.py (checked, versioned, one audit event per changed
field), after the caller's right to manage tasks is checked here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from services import access, audit, task_writes
from services.access import Action
from services.lookup import Target, TargetIndex, fold
from services.task_fields import FieldError, means_none, parse_deadline, parse_text
from services.task_writes import Editor
from storage.models import Agency, Status, Task, TaskEvent


class Field(enum.StrEnum):
    """What /edit changes."""

    TITLE = "title"
    DEADLINE = "deadline"
    AGENCY = "agency"
    PROGRAM = "program"
    SOURCE = "source"
    COORDINATORS = "coordinators"


# The words /edit understands for each field (folded: with or without diacritics).
_ALIASES = {
    Field.TITLE: ("title", "ten", "ten nhiem vu", "noi dung"),
    Field.DEADLINE: ("deadline", "due", "han", "thoi han", "han chot"),
    Field.AGENCY: ("agency", "lead", "co quan", "chu tri", "co quan chu tri"),
    Field.PROGRAM: ("program", "programme", "chuong trinh", "ct"),
    Field.SOURCE: ("source", "van ban", "nguon", "van ban giao"),
    Field.COORDINATORS: (
        "coordinators", "coordinating", "phoi hop", "co quan phoi hop", "don vi phoi hop",
    ),
}  # fmt: skip
ALIASES = {alias: field for field, words in _ALIASES.items() for alias in words}
_LONGEST = max(len(alias.split()) for alias in ALIASES)


@dataclass(frozen=True, slots=True)
class EditLine:
    """`/edit CODE <field> <value>`, read."""

    code: str
    field: Field
    value: str


def split_edit(text: str) -> EditLine | None:
    """The code, the field (its longest alias first) and the value; None if no field."""
    words = text.split()
    if len(words) < 2:
        return None
    for size in range(min(_LONGEST, len(words) - 1), 0, -1):
        field = ALIASES.get(fold(" ".join(words[1 : 1 + size])))
        if field is not None:
            return EditLine(words[0], field, " ".join(words[1 + size :]))
    return None


def resolve(index: TargetIndex, text: str, kind: str) -> Target:
    """The agency or programme a typed name means, only when it is clear (FieldError if
    unknown, of the other kind, or one of several: their codes are named)."""
    query = text.strip()
    found = index.resolve(query)
    if found.found is not None and found.found.kind == kind:
        return found.found
    if found.found is not None:
        raise FieldError(f"field-not-{kind}", query=query[:60])
    candidates = [t.code for t in found.candidates if t.kind == kind]
    if candidates:
        raise FieldError("field-which", query=query[:60], codes=", ".join(candidates))
    raise FieldError(f"field-unknown-{kind}", query=query[:60])


def _values(field: Field, text: str, index: TargetIndex) -> dict[str, object]:
    """The task columns an edit sets (FieldError for a value that cannot be stored)."""
    if field is Field.TITLE:
        return {"title": parse_text(text, field="title")}
    if field is Field.DEADLINE:
        return {"deadline": parse_deadline(text)}
    if field is Field.AGENCY:
        return {"lead_agency_id": resolve(index, text, "agency").id}
    if field is Field.PROGRAM:
        program = None if means_none(text) else resolve(index, text, "program").id
        return {"program_id": program}
    assert field is Field.SOURCE
    return {"source": "" if means_none(text) else parse_text(text, field="source")}


async def edit_task(
    session: AsyncSession,
    *,
    task: Task,
    field: Field,
    text: str,
    index: TargetIndex,
    editor: Editor,
    now: datetime,
) -> bool:
    """Set one field of a loaded task from what was typed; False if it already was so."""
    access.require(editor.caller, Action.MANAGE_TASKS)
    if not text.strip():
        raise FieldError("field-no-value")
    if field is Field.COORDINATORS:
        return await _coordinate(
            session, task=task, text=text, index=index, editor=editor, now=now
        )
    values = _values(field, text, index)
    changed = await task_writes.update_task(
        session, task=task, seen_version=None, values=values, editor=editor, now=now
    )
    return bool(changed)


async def _coordinate(
    session: AsyncSession,
    *,
    task: Task,
    text: str,
    index: TargetIndex,
    editor: Editor,
    now: datetime,
) -> bool:
    """Set the coordinating agencies ("-": none), with their event ("coordinating")."""
    task_writes.require(editor.caller, Action.CHANGE_TASK, task)
    names = [] if means_none(text) else [n for n in text.replace(",", ";").split(";") if n.strip()]
    ids = sorted({resolve(index, name, "agency").id for name in names})
    if task.lead_agency_id in ids:
        raise FieldError("field-lead-coordinates")
    old = {agency.code for agency in task.coordinators}
    if set(ids) == {agency.id for agency in task.coordinators}:
        return False
    agencies = list((await session.scalars(select(Agency).where(Agency.id.in_(ids)))).all())
    task.coordinators = agencies
    task.updated_at = now  # the row's UPDATE moves its version too
    flag_modified(task, "updated_at")
    await session.flush()
    new = {agency.code for agency in agencies}
    await audit.record_changes(
        session, task_id=task.id, changes=[("coordinating", old, new)], actor=editor.actor, at=now
    )
    return True


# --- cancel and reopen ---------------------------------------------------------------------


class Verb(enum.StrEnum):
    """What /cancel and /reopen ask to confirm."""

    CANCEL = "c"
    REOPEN = "r"


class NothingToDo(Exception):
    """The task is already as asked (cancelled; open); msg_id for the catalog."""

    def __init__(self, msg_id: str) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id


_RESTORABLE = (Status.OPEN.value, Status.IN_PROGRESS.value, Status.DONE.value)


async def outcome(session: AsyncSession, *, task: Task, verb: Verb) -> dict[str, object]:
    """The columns `verb` would set on the task (NothingToDo if it is so already).

    Cancelling keeps everything but the status. Reopening a cancelled task gives it back the
    status it had before (its history says which); a done one is in progress again.
    """
    if verb is Verb.CANCEL:
        if task.status == Status.CANCELLED.value:
            raise NothingToDo("cancel-already")
        return {"status": Status.CANCELLED.value}
    if task.status == Status.DONE.value:
        return {"status": Status.IN_PROGRESS.value, "completed_on": None}
    if task.status != Status.CANCELLED.value:
        raise NothingToDo("reopen-already-open")
    before = await session.scalar(
        select(TaskEvent.old)
        .where(
            TaskEvent.task_id == task.id,
            TaskEvent.field == "status",
            TaskEvent.new == Status.CANCELLED.value,
        )
        .order_by(TaskEvent.at.desc(), TaskEvent.id.desc())
        .limit(1)
    )
    if before not in _RESTORABLE:  # cancelled outside dondoc's history (a hand fix)
        before = Status.IN_PROGRESS.value if task.progress else Status.OPEN.value
    return {"status": before}


async def decide(
    session: AsyncSession,
    *,
    task: Task,
    verb: Verb,
    seen_version: int,
    editor: Editor,
    now: datetime,
) -> list[str]:
    """Cancel or reopen the task if it is still as the caller saw it (task_writes.Stale
    otherwise; NothingToDo if it is so already)."""
    access.require(editor.caller, Action.MANAGE_TASKS)
    values = await outcome(session, task=task, verb=verb)
    return await task_writes.update_task(
        session, task=task, seen_version=seen_version, values=values, editor=editor, now=now
    )
