"""Changes to one task from chat: checked against the caller's rights and against the
version of the task the caller saw, written with their audit events in the caller's
transaction.

A button carries the task's id and the version its card showed. If the task changed since
(another lead pressed first, an import ran), `Stale` carries the current task so that the
handler can show it instead. Two writers of one task cannot both win either way: the ORM
updates `WHERE version = <seen>` (Task's version_id_col), so the second one's update
matches no row, which is `Stale` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from services import access, audit
from services.access import Action, Caller
from services.audit import Actor
from storage.models import (
    Agency,
    EventSource,
    EvidenceKind,
    Program,
    Task,
    TaskEvidence,
    TaskNote,
    code_key,
)

NOTE = "note"  # the audit trail's field for a note typed in chat
EVIDENCE = "evidence"  # … and for a file sent as evidence
NAME_LEN = 255


@dataclass(frozen=True, slots=True)
class Editor:
    """Who writes: the caller (for its rights), the name shown in the history, the source."""

    caller: Caller
    name: str
    source: str = EventSource.CHAT.value

    @property
    def actor(self) -> Actor:
        return Actor(self.caller.user_id or None, self.name[:NAME_LEN], self.source)


class Stale(Exception):
    """The task changed since the caller saw it; `task` is the current one."""

    def __init__(self, task: Task) -> None:
        super().__init__(f"task {task.id} is at version {task.version}")
        self.task = task


async def load(
    session: AsyncSession, *, task_id: int | None = None, code: str | None = None
) -> Task | None:
    """One task with its agencies and programme, by id or by code (any letter case)."""
    if (task_id is None) == (code is None):
        raise ValueError("give task_id or code")
    where = Task.id == task_id if code is None else Task.code_key == code_key(code.strip())
    stmt = (
        select(Task)
        .where(where)
        .options(
            selectinload(Task.lead_agency),
            selectinload(Task.program),
            selectinload(Task.coordinators),
        )
        .execution_options(populate_existing=True)  # a re-read after Stale sees the new row
    )
    return (await session.scalars(stmt)).first()


def coordinating(task: Task) -> frozenset[int]:
    """The ids of the agencies that coordinate a loaded task."""
    return frozenset(agency.id for agency in task.coordinators)


def require(caller: Caller, action: Action, task: Task) -> None:
    """Refuse (access.NotAllowed) unless the caller may do `action` on this loaded task."""
    access.require_on_task(caller, action, task.lead_agency_id, coordinating(task))


async def update_task(
    session: AsyncSession,
    *,
    task: Task,
    seen_version: int | None,
    values: Mapping[str, object],
    editor: Editor,
    now: datetime,
) -> list[str]:
    """Set task columns (`values`) if the caller may and the task is still at
    `seen_version` (None: whatever it is now); the names of the fields that changed.

    Raises access.NotAllowed or Stale. Nothing changed: no write, no event, same version.
    """
    require(editor.caller, Action.CHANGE_TASK, task)
    if seen_version is not None and task.version != seen_version:
        raise Stale(task)
    changes = [(name, getattr(task, name), new) for name, new in values.items()]
    changes = [(name, old, new) for name, old, new in changes if old != new]
    if not changes:
        return []
    task_id = task.id
    try:
        # In a savepoint (begun before the changes: beginning one flushes what is pending):
        # a flush that fails then leaves the caller's transaction usable, so that the current
        # task can be read back; a failed plain flush would deactivate the whole session.
        async with session.begin_nested():
            for name, _old, new in changes:
                setattr(task, name, new)
            task.updated_at = now
            flag_modified(
                task, "updated_at"
            )  # written even when equal: else onupdate's clock wins
            await session.flush()
    except StaleDataError:
        # Another transaction wrote this task between our read and our write.
        current = await load(session, task_id=task_id)
        if current is None:
            raise
        raise Stale(current) from None
    shown: list[tuple[str, object, object]] = []
    for name, old, new in changes:
        field = audit.FIELD_NAMES.get(name, name)
        shown.append((field, await _shown(session, name, old), await _shown(session, name, new)))
    await audit.record_changes(session, task_id=task_id, changes=shown, actor=editor.actor, at=now)
    return [name for name, _old, _new in changes]


async def _shown(session: AsyncSession, name: str, value: object) -> object:
    """A value as the trail shows it: agencies and programmes by code."""
    if value is None or name not in ("lead_agency_id", "program_id"):
        return value
    model: type[Agency] | type[Program] = Agency if name == "lead_agency_id" else Program
    return await session.scalar(select(model.code).where(model.id == value))


async def add_note(
    session: AsyncSession, *, task: Task, text: str, editor: Editor, now: datetime
) -> TaskNote:
    """Keep a note typed in chat, with its event in the history."""
    require(editor.caller, Action.ADD_NOTE, task)
    note = TaskNote(task_id=task.id, at=now, user_id=editor.caller.user_id, text=text)
    note.name = editor.name[:NAME_LEN]
    session.add(note)
    await session.flush()
    changes = [(NOTE, None, text)]
    await audit.record_changes(
        session, task_id=task.id, changes=changes, actor=editor.actor, at=now
    )
    return note


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """What Telegram tells about a photo or document (no bytes: they stay on its servers)."""

    kind: EvidenceKind
    file_id: str
    file_unique_id: str
    file_name: str | None
    file_size: int | None
    caption: str | None


async def add_evidence(
    session: AsyncSession, *, task: Task, file: EvidenceFile, editor: Editor, now: datetime
) -> bool:
    """Keep a file's ids as evidence for the task; False if the task already has this file."""
    require(editor.caller, Action.ADD_NOTE, task)
    known = select(TaskEvidence.id).where(
        TaskEvidence.task_id == task.id, TaskEvidence.file_unique_id == file.file_unique_id
    )
    if await session.scalar(known) is not None:
        return False
    row = TaskEvidence(
        task_id=task.id,
        at=now,
        user_id=editor.caller.user_id,
        kind=file.kind.value,
        file_id=file.file_id,
        file_unique_id=file.file_unique_id,
        file_name=file.file_name,
        file_size=file.file_size,
        caption=file.caption,
    )
    row.name = editor.name[:NAME_LEN]
    session.add(row)
    await session.flush()
    label = file.file_name or file.kind.value
    changes = [(EVIDENCE, None, label)]
    await audit.record_changes(
        session, task_id=task.id, changes=changes, actor=editor.actor, at=now
    )
    return True
