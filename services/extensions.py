"""Deadline extensions: a lead asks for a later deadline with a reason, every admin is asked,
the first decision wins, and an approval moves the task's deadline (the first one keeps the
deadline it replaced in `task.original_deadline`; reports always use `task.deadline`).

Each step is one transaction with its audit events: REQUEST_FIELD for a request,
REJECTED_FIELD for a refusal; an approval is the deadline's own change, by the admin. The
handler sends the admins' copies after the request commits, then records where they went
(`record_notices`), so that the decision can show the other admins who decided.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import normalize_lang
from services import access, audit, task_writes
from services.access import Action, Caller
from services.extension_rules import Refusal, refuse_date, refuse_reason, refuse_task
from services.figures import Scope
from services.task_writes import Editor
from storage.models import (
    ExtensionRequest,
    ExtensionStatus,
    Member,
    Role,
    Status,
    Task,
)

REQUEST_FIELD = "extension-request"  # the audit trail's field for a request
REJECTED_FIELD = "extension-rejected"  # … and for a refusal (an approval moves `deadline`)
REASON_SEP = " — "  # between the date and the reason in a request's event
NAME_LEN = 255


@dataclass(frozen=True, slots=True)
class Asked:
    """A request as the messages show it."""

    id: int
    task_id: int
    code: str
    title: str
    agency_id: int
    old_deadline: date | None
    new_deadline: date
    reason: str
    user_id: int | None
    name: str
    at: datetime
    status: ExtensionStatus
    decided_by: str
    decided_by_id: int | None
    decided_at: datetime | None
    notices: tuple[tuple[int, int], ...]  # (chat id, message id) of each admin's copy


@dataclass(frozen=True, slots=True)
class Refused:
    """A request not made: why, the task (if found) and the request already waiting."""

    why: Refusal
    task: Task | None = None
    pending: Asked | None = None


_ASKED = (
    ExtensionRequest.id,
    ExtensionRequest.task_id,
    Task.code,
    Task.title,
    Task.lead_agency_id,
    ExtensionRequest.old_deadline,
    ExtensionRequest.new_deadline,
    ExtensionRequest.reason,
    ExtensionRequest.user_id,
    ExtensionRequest.name,
    ExtensionRequest.at,
    ExtensionRequest.status,
    ExtensionRequest.decided_by_name,
    ExtensionRequest.decided_by_user_id,
    ExtensionRequest.decided_at,
    ExtensionRequest.notices,
)


def _asked(row: Any) -> Asked:
    (request_id, task_id, code, title, agency_id, old, new, reason, user_id, name, at,
     status, decided_by, decided_by_id, decided_at, notices) = row  # fmt: skip
    return Asked(
        id=request_id,
        task_id=task_id,
        code=code,
        title=title,
        agency_id=agency_id,
        old_deadline=old,
        new_deadline=new,
        reason=reason,
        user_id=user_id,
        name=name,
        at=at,
        status=ExtensionStatus(status),
        decided_by=decided_by,
        decided_by_id=decided_by_id,
        decided_at=decided_at,
        notices=tuple((int(chat), int(message)) for chat, message in notices or ()),
    )


async def _read(session: AsyncSession, *where: Any) -> Asked | None:
    stmt = select(*_ASKED).join(Task, Task.id == ExtensionRequest.task_id).where(*where)
    row = (await session.execute(stmt.order_by(ExtensionRequest.id.desc()).limit(1))).first()
    return None if row is None else _asked(row)


async def get_request(session: AsyncSession, *, request_id: int) -> Asked | None:
    """One request, whatever its status."""
    return await _read(session, ExtensionRequest.id == request_id)


async def pending_request(session: AsyncSession, *, task_id: int) -> Asked | None:
    """The task's request waiting for a decision, if any."""
    waiting = ExtensionRequest.status == ExtensionStatus.PENDING.value
    return await _read(session, ExtensionRequest.task_id == task_id, waiting)


# --- asking ------------------------------------------------------------------------------


async def check(
    session: AsyncSession,
    *,
    caller: Caller,
    task_id: int | None = None,
    code: str | None = None,
) -> Task | Refused:
    """The task the caller may ask more time for, or why not (a request already waiting
    included)."""
    task = await task_writes.load(session, task_id=task_id, code=code)
    if task is None:
        return Refused(Refusal.NOT_FOUND)
    why = refuse_task(caller, task)
    if why is not None:
        return Refused(why, task)
    waiting = await pending_request(session, task_id=task.id)
    return task if waiting is None else Refused(Refusal.PENDING, task, waiting)


async def request_extension(
    session: AsyncSession,
    *,
    editor: Editor,
    task_id: int,
    new_deadline: date,
    reason: str,
    now: datetime,
    today: date,
) -> Asked | Refused:
    """Record a request for `new_deadline` with its audit event, or say why not."""
    found = await check(session, caller=editor.caller, task_id=task_id)
    if isinstance(found, Refused):
        return found
    reason = reason.strip()
    why = refuse_date(found.deadline, new_deadline, today) or refuse_reason(reason)
    if why is not None:
        return Refused(why, found)
    row = ExtensionRequest(
        task_id=found.id,
        at=now,
        user_id=editor.caller.user_id or None,
        old_deadline=found.deadline,
        new_deadline=new_deadline,
        reason=reason,
        notices=[],
    )
    row.name = editor.name[:NAME_LEN]
    try:
        async with session.begin_nested():  # a second writer loses on the partial unique index
            session.add(row)
    except IntegrityError:
        return Refused(Refusal.PENDING, found, await pending_request(session, task_id=found.id))
    said = f"{new_deadline.isoformat()}{REASON_SEP}{reason}"
    await audit.record_changes(
        session,
        task_id=found.id,
        changes=[(REQUEST_FIELD, found.deadline, said)],
        actor=editor.actor,
        at=now,
    )
    made = await get_request(session, request_id=row.id)
    assert made is not None
    return made


async def recipients(
    session: AsyncSession, *, admins: frozenset[int], default: str
) -> list[tuple[int, str]]:
    """Every admin (the member table's and DONDOC_ADMINS) with their language, by id."""
    rows = await session.execute(
        select(Member.user_id, Member.language, Member.telegram_language).where(
            or_(Member.role == Role.ADMIN.value, Member.user_id.in_(admins))
        )
    )
    found = {user_id: lang or normalize_lang(code) or default for user_id, lang, code in rows}
    return sorted((dict.fromkeys(admins, default) | found).items())


async def languages(
    session: AsyncSession, *, user_ids: Iterable[int], default: str
) -> dict[int, str]:
    """Each user's language (as jobs find it: their setting, then Telegram's), by id."""
    ids = set(user_ids)
    rows = await session.execute(
        select(Member.user_id, Member.language, Member.telegram_language).where(
            Member.user_id.in_(ids)
        )
    )
    found = {user_id: lang or normalize_lang(code) or default for user_id, lang, code in rows}
    return {user_id: found.get(user_id, default) for user_id in ids}


async def record_notices(
    session: AsyncSession, *, request_id: int, notices: Iterable[tuple[int, int]]
) -> Asked | None:
    """Keep where the admins' copies went; the request as it is now (an admin may have
    decided while the copies were going out)."""
    kept = [[chat, message] for chat, message in notices]
    await session.execute(
        update(ExtensionRequest)
        .where(ExtensionRequest.id == request_id)
        .values(notices=kept)
        .execution_options(synchronize_session=False)
    )
    return await get_request(session, request_id=request_id)


# --- deciding ----------------------------------------------------------------------------


async def decide(
    session: AsyncSession, *, editor: Editor, request_id: int, approve: bool, now: datetime
) -> tuple[Asked | None, bool]:
    """Approve or reject a request if nobody decided it yet: (the request as it is now,
    whether this decision is the one). (None, False): no such request.

    The first statement of its transaction: one conditional UPDATE, so of two admins
    pressing at once exactly one matches the pending row (PostgreSQL makes the second wait
    for the first and re-check; SQLite's write lock serialises them).
    """
    access.require(editor.caller, Action.DECIDE_EXTENSION)
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    claim = (
        update(ExtensionRequest)
        .where(
            ExtensionRequest.id == request_id,
            ExtensionRequest.status == ExtensionStatus.PENDING.value,
        )
        .values(
            status=status.value,
            decided_by_user_id=editor.caller.user_id or None,
            decided_by_name=editor.name[:NAME_LEN],
            decided_at=now,
        )
        .returning(
            ExtensionRequest.task_id,
            ExtensionRequest.old_deadline,
            ExtensionRequest.new_deadline,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = (await session.execute(claim)).first()
    if claimed is None:
        return await get_request(session, request_id=request_id), False
    task_id, old, new = claimed
    if approve:
        await _move_deadline(session, task_id=task_id, new=new, editor=editor, now=now)
    else:
        await audit.record_changes(
            session,
            task_id=task_id,
            changes=[(REJECTED_FIELD, old, new)],
            actor=editor.actor,
            at=now,
        )
    return await get_request(session, request_id=request_id), True


async def _move_deadline(
    session: AsyncSession, *, task_id: int, new: date, editor: Editor, now: datetime
) -> None:
    """Set the approved deadline, keeping the first one replaced (audited, versioned)."""
    # Lock the row first (PostgreSQL): no other writer can slip in between our read and our
    # versioned write, which would end this decision as Stale.
    await session.execute(select(Task.id).where(Task.id == task_id).with_for_update())
    task = await task_writes.load(session, task_id=task_id)
    assert task is not None  # the request's row would have gone with it (ON DELETE CASCADE)
    original = task.original_deadline if task.original_deadline is not None else task.deadline
    await task_writes.update_task(
        session,
        task=task,
        seen_version=None,
        values={"original_deadline": original, "deadline": new},
        editor=editor,
        now=now,
    )


# --- reports -----------------------------------------------------------------------------


async def count_extended(session: AsyncSession, *, scope: Scope) -> int:
    """Tasks in `scope` whose deadline was extended (from the partial ix_task_extended); a
    cancelled one is in no report's total, so not here either."""
    stmt = select(func.count()).select_from(Task)
    stmt = stmt.where(
        Task.original_deadline.is_not(None), Task.status != Status.CANCELLED.value, *scope.where()
    )
    return int(await session.scalar(stmt) or 0)
