"""A working morning's nudges, planned set-based: which tasks, for whom, and what escalates.

`plan_morning` reads the open tasks whose deadlines are on today's rungs of the ladder
(services/ladder.py steps_on) with one statement per question, never a loop over tasks:
the agencies' due tasks (a capped list and a count each), the escalations (counted in
nudge_state by the same transaction), and who hears of them. The job renders the result
into outbox rows in that same transaction (jobs/nudges.py).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    ScalarSelect,
    case,
    delete,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from rendering.text import normalize_lang
from services import ladder as rules
from services.access import Caller, require_task_change
from services.calendar import Overrides
from services.ladder import Kind, Ladder, Step
from services.nudge_settings import load_overrides
from services.open_tally import NOT_DONE
from storage.bulk import among
from storage.models import (
    Agency,
    Chat,
    Member,
    NudgeDay,
    NudgeMute,
    NudgeSnooze,
    NudgeState,
    Outbox,
    OutboxStatus,
    Role,
    Task,
)

LIST_CAP = 20  # tasks listed per agency in a message; the rest are counted
ESCALATION_CAP = 20  # escalated tasks listed per agency
NUDGE_KEY = "nudge:"  # the private nudge's key prefix: nudge:<user>:<date>


class DueTask(NamedTuple):
    """A task on today's ladder, as a message line shows it (a tuple: a morning makes tens
    of thousands)."""

    id: int
    code: str
    title: str
    deadline: date
    version: int
    agency_id: int
    step: Step
    escalation: int = 0  # its escalation's number, for an escalated task


@dataclass(slots=True)
class AgencyList:
    """An agency's tasks for one message: the first LIST_CAP (overdue first) and the count."""

    tasks: list[DueTask] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True, slots=True)
class Recipient:
    """A member or chat a message goes to, in its language."""

    chat_id: int
    lang: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class AgencyName:
    code: str
    name_vi: str
    name_en: str


@dataclass(slots=True)
class Morning:
    """Everything today's messages are made of."""

    today: date
    ladder: Ladder
    agencies: dict[int, AgencyName]
    due: dict[int, AgencyList]  # agency -> its due tasks (snoozed ones left out)
    escalated: dict[int, AgencyList]  # agency -> its tasks escalated today
    leads: dict[int, list[Recipient]]  # agency -> its leads who get a private nudge
    blocked: dict[int, list[Recipient]]  # agency -> its leads whose private chat is closed
    newly_blocked: list[tuple[Recipient, int, str]]  # (lead, agency, streak) to tell admins
    groups: dict[int, list[Recipient]]  # agency -> its registered groups
    admins: list[Recipient]
    unreached: list[int] = field(default_factory=list)  # agencies no lead or group hears


async def plan_morning(
    session: AsyncSession,
    *,
    today: date,
    ladder: Ladder,
    overrides: Overrides,
    admins: frozenset[int],
    default_lang: str,
) -> Morning:
    """Read today's nudges and count today's overdue nudges and escalations (idempotent:
    a second plan of the same day counts nothing again)."""
    oldest = await session.scalar(select(func.min(Task.deadline)).where(NOT_DONE))
    steps = rules.steps_on(today, ladder, overrides, oldest)
    overdue = [d for d, s in steps.items() if s.kind is Kind.OVERDUE]
    dialect = session.get_bind().dialect.name
    escalations: dict[int, int] = {}
    if overdue:
        escalations = await _count_overdue(session, today, overdue, ladder.escalate_after, dialect)
    due, escalated = await _lists(session, today, steps, escalations, dialect)
    morning = Morning(
        today=today,
        ladder=ladder,
        agencies={},
        due=due,
        escalated=escalated,
        leads={},
        blocked={},
        newly_blocked=[],
        groups=await _groups(session, default_lang, set(due) | set(escalated)),
        admins=await _admins(session, admins, default_lang),
    )
    await _leads(session, morning, default_lang)
    involved = set(due) | set(escalated)
    morning.agencies = await _agency_names(session, involved)
    return morning


def _upsert(dialect: str) -> Any:
    return sqlite_insert if dialect == "sqlite" else pg_insert


def _among(
    column: InstrumentedAttribute[Any], ids: Iterable[int], session: AsyncSession
) -> ColumnElement[bool]:
    """`column IN ids` as one parameter (thousands of agencies)."""
    return among(column.expression, sorted(ids), session.get_bind().dialect.name)


def _on(deadlines: list[date], dialect: str) -> ColumnElement[bool]:
    """Tasks with one of these deadlines, as one parameter (ISO text in SQLite's JSON)."""
    days = [d.isoformat() for d in deadlines] if dialect == "sqlite" else list(deadlines)
    return among(Task.deadline.expression, days, dialect)


async def _count_overdue(
    session: AsyncSession, today: date, overdue: list[date], after: int, dialect: str
) -> dict[int, int]:
    """Count today's overdue nudge of each task on an overdue rung, once per day (a moved
    deadline starts the count again; a count past `after` adds an escalation); the tasks
    escalated today, with their escalation's number."""
    state = NudgeState.__table__
    first = select(
        Task.id,
        Task.deadline,
        literal(1, Integer),
        literal(1 if after < 1 else 0, Integer),
        literal(today, Date),
    ).where(NOT_DONE, _on(overdue, dialect))
    insert = _upsert(dialect)(state).from_select(
        ["task_id", "deadline", "overdue_nudges", "escalations", "last_on"], first
    )
    new = insert.excluded
    counted = NudgeState.last_on == new.last_on  # a second plan of the day changes nothing
    count = case(
        (counted, NudgeState.overdue_nudges),
        (NudgeState.deadline == new.deadline, NudgeState.overdue_nudges + 1),
        else_=1,
    )
    escalations = case(
        (counted, NudgeState.escalations),
        else_=NudgeState.escalations + case((count > after, 1), else_=0),
    )
    upsert = insert.on_conflict_do_update(
        index_elements=["task_id"],
        set_={
            "overdue_nudges": count,
            "escalations": escalations,
            "deadline": new.deadline,
            "last_on": new.last_on,
        },
    ).returning(NudgeState.task_id, NudgeState.overdue_nudges, NudgeState.escalations)
    # Every task on an overdue rung comes back (the statement's rows, not a loop over tasks).
    rows = await session.execute(upsert)
    return {task: number for task, nudged, number in rows if nudged > after}


_TASK = (Task.id, Task.code, Task.title, Task.deadline, Task.version, Task.lead_agency_id)


async def _lists(
    session: AsyncSession,
    today: date,
    steps: dict[date, Step],
    escalations: dict[int, int],
    dialect: str,
) -> tuple[dict[int, AgencyList], dict[int, AgencyList]]:
    """Each agency's tasks due a nudge today (less the snoozed ones), and those escalated
    today (snoozed or not: a snooze quiets the lead only), in one statement."""
    if not steps:
        return {}, {}
    snoozed = exists().where(NudgeSnooze.task_id == Task.id, NudgeSnooze.until >= today)
    stmt = (
        select(*_TASK, snoozed.label("snoozed"))
        .where(NOT_DONE, _on(list(steps), dialect))
        .order_by(Task.lead_agency_id, Task.deadline, Task.code)
    )
    due: dict[int, AgencyList] = defaultdict(AgencyList)
    escalated: dict[int, AgencyList] = defaultdict(AgencyList)
    # The statement's rows grouped by agency for the messages (tens of thousands a morning,
    # hence plain tuples and no helper calls).
    for task_id, code, title, deadline, version, agency, quiet in await session.execute(stmt):
        number = escalations.get(task_id)
        for found, keep, escalation in (
            (due[agency], not quiet, 0),
            (escalated[agency], number is not None, number or 0),
        ):
            if not keep:
                continue
            found.total += 1
            if len(found.tasks) < LIST_CAP:
                assert deadline is not None  # the statement's WHERE; mypy cannot know
                step = steps[deadline]
                found.tasks.append(
                    DueTask(task_id, code, title, deadline, version, agency, step, escalation)
                )
    return _kept(due), _kept(escalated)


def _kept(lists: dict[int, AgencyList]) -> dict[int, AgencyList]:
    return {agency: found for agency, found in lists.items() if found.total}


def _lang(stored: str | None, telegram: str | None, default: str) -> str:
    return stored or normalize_lang(telegram) or default


def last_nudge() -> ScalarSelect[str]:
    """The status of the last private nudge to the outer statement's member that went
    through or was refused: `blocked` (403) until a later one is sent (pending and failed
    rows say nothing of the chat), read newest first along ix_outbox_chat_id_id."""
    return (
        select(Outbox.status)
        .where(
            Outbox.chat_id == Member.user_id,
            Outbox.key.startswith(NUDGE_KEY, autoescape=True),
            Outbox.status.in_((OutboxStatus.SENT.value, OutboxStatus.BLOCKED.value)),
        )
        .order_by(Outbox.id.desc())
        .limit(1)
        .correlate(Member)
        .scalar_subquery()
    )


async def _leads(session: AsyncSession, morning: Morning, default_lang: str) -> None:
    """The leads of the agencies with due tasks, less the muted ones, and whether each one's
    last private nudge was refused (403: the sender marked it blocked); then the agencies
    nobody hears for: no lead, or only blocked ones and no group."""
    if not morning.due:
        return
    last = last_nudge()
    muted = exists().where(NudgeMute.user_id == Member.user_id, NudgeMute.until >= morning.today)
    rows = await session.execute(
        select(
            Member.user_id,
            Member.agency_id,
            Member.name,
            Member.language,
            Member.telegram_language,
            last.label("last"),
            muted.label("muted"),
        ).where(Member.role == Role.LEAD.value, _among(Member.agency_id, morning.due, session))
    )
    with_lead: set[int] = set()
    blocked: list[int] = []
    for row in rows:
        with_lead.add(row.agency_id)
        if row.muted:
            continue
        who = Recipient(row.user_id, _lang(row.language, row.telegram_language, default_lang),
                        row.name)  # fmt: skip
        # A blocked lead still gets the private nudge: once one goes through again, the
        # group stops hearing of them.
        morning.leads.setdefault(row.agency_id, []).append(who)
        if row.last == OutboxStatus.BLOCKED.value:
            morning.blocked.setdefault(row.agency_id, []).append(who)
            blocked.append(row.user_id)
    streaks = await _blocked_streaks(session, blocked) if blocked else {}
    for agency, leads in morning.blocked.items():
        morning.newly_blocked.extend((lead, agency, streaks[lead.chat_id]) for lead in leads)
    morning.unreached = sorted(
        agency
        for agency in morning.due
        if agency not in with_lead
        or (
            agency in morning.blocked
            and len(morning.blocked[agency]) == len(morning.leads[agency])
            and not morning.groups.get(agency)
        )
    )


async def _blocked_streaks(session: AsyncSession, users: list[int]) -> dict[int, str]:
    """Per blocked lead, the id of the first refused nudge since the last one delivered:
    the admins are told once per such streak."""
    sent = (
        select(func.max(Outbox.id))
        .where(
            Outbox.chat_id == literal_column("o.chat_id"),
            Outbox.key.startswith(NUDGE_KEY, autoescape=True),
            Outbox.status == OutboxStatus.SENT.value,
        )
        .scalar_subquery()
    )
    blocked = Outbox.__table__.alias("o")
    rows = await session.execute(
        select(blocked.c.chat_id, func.min(blocked.c.id))
        .where(
            blocked.c.chat_id.in_(users),
            blocked.c.key.startswith(NUDGE_KEY, autoescape=True),
            blocked.c.status == OutboxStatus.BLOCKED.value,
            blocked.c.id > func.coalesce(sent, 0),
        )
        .group_by(blocked.c.chat_id)
    )
    return {chat: str(first) for chat, first in rows}


async def _groups(
    session: AsyncSession, default_lang: str, agencies: set[int]
) -> dict[int, list[Recipient]]:
    """The registered groups of these agencies."""
    if not agencies:
        return {}
    rows = await session.execute(
        select(Chat.id, Chat.agency_id, Chat.language).where(
            _among(Chat.agency_id, agencies, session)
        )
    )
    groups: dict[int, list[Recipient]] = {}
    for chat_id, agency, lang in rows:
        if agency is not None:  # the WHERE says so; mypy does not know
            groups.setdefault(agency, []).append(Recipient(chat_id, lang or default_lang))
    return groups


async def _admins(
    session: AsyncSession, settings_admins: frozenset[int], default_lang: str
) -> list[Recipient]:
    """The admins: DONDOC_ADMINS and members made admins, each in their language."""
    rows = await session.execute(
        select(Member.user_id, Member.role, Member.language, Member.telegram_language).where(
            or_(Member.role == Role.ADMIN.value, Member.user_id.in_(settings_admins))
        )
    )
    found = {r.user_id: _lang(r.language, r.telegram_language, default_lang) for r in rows}
    return [Recipient(u, found.get(u, default_lang)) for u in sorted(set(found) | settings_admins)]


async def _agency_names(session: AsyncSession, agencies: set[int]) -> dict[int, AgencyName]:
    if not agencies:
        return {}
    rows = await session.execute(
        select(Agency.id, Agency.code, Agency.name_vi, Agency.name_en).where(
            _among(Agency.id, agencies, session)
        )
    )
    return {r.id: AgencyName(r.code, r.name_vi, r.name_en) for r in rows}


async def was_planned(session: AsyncSession, *, day: date) -> bool:
    """Whether `day`'s nudges were planned already."""
    return await session.get(NudgeDay, day) is not None


async def mark_planned(session: AsyncSession, *, day: date, now: datetime, queued: int) -> None:
    """Record that `day` was planned (a second plan of the day adds what it queued)."""
    row = await session.get(NudgeDay, day)
    if row is None:
        session.add(NudgeDay(day=day, planned_at=now, queued=queued))
    else:
        row.queued += queued
    await session.flush()


# --- a lead's snoozes and mutes (the buttons on a nudge) ---


class Span(enum.StrEnum):
    """How long a task's nudges are snoozed."""

    ONE = "1"  # the next working morning
    THREE = "3"  # the next three working mornings
    DEADLINE = "d"  # until its due day


class SnoozeRefusal(enum.StrEnum):
    GONE = "snooze-gone"  # no such task, or done
    NOT_USEFUL = "snooze-not-useful"  # until the deadline would skip no morning


@dataclass(frozen=True, slots=True)
class Snoozed:
    code: str
    until: date


async def snooze(
    session: AsyncSession,
    *,
    caller: Caller,
    task_id: int,
    span: Span,
    today: date,
    now: datetime,
) -> Snoozed | SnoozeRefusal:
    """Leave a task out of its agency's nudges for a while (whoever may change the task)."""
    task = await session.get(Task, task_id)
    if task is None or task.status == "done" or task.deadline is None:
        return SnoozeRefusal.GONE
    require_task_change(caller, lead_agency_id=task.lead_agency_id)
    overrides = await load_overrides(session)
    until: date | None
    if span is Span.DEADLINE:
        until = rules.snooze_to_deadline(today, task.deadline, overrides)
    else:
        until = rules.snooze_until(today, int(span.value), overrides)
    if until is None:
        return SnoozeRefusal.NOT_USEFUL
    await session.execute(delete(NudgeSnooze).where(NudgeSnooze.task_id == task_id))
    session.add(NudgeSnooze(task_id=task_id, until=until, by_user=caller.user_id, at=now))
    await session.flush()
    return Snoozed(task.code, until)


async def snooze_target(session: AsyncSession, *, task_id: int) -> tuple[str, date] | None:
    """A task's code and deadline, for the snooze question (None: gone or done)."""
    row = (
        await session.execute(
            select(Task.code, Task.deadline).where(
                Task.id == task_id, NOT_DONE, Task.deadline.is_not(None)
            )
        )
    ).first()
    return None if row is None else (row.code, row.deadline)


async def mute(
    session: AsyncSession, *, caller: Caller, days: int, today: date, now: datetime
) -> date | None:
    """Silence every nudge to the caller for `days` days (0: hear them again); the last
    silent day, or None."""
    await session.execute(delete(NudgeMute).where(NudgeMute.user_id == caller.user_id))
    if days <= 0:
        return None
    until = today + timedelta(days=days - 1)
    session.add(NudgeMute(user_id=caller.user_id, until=until, at=now))
    await session.flush()
    return until


async def muted_until(session: AsyncSession, *, user_id: int, today: date) -> date | None:
    """The last silent day of a member's mute still running, or None."""
    until = await session.scalar(select(NudgeMute.until).where(NudgeMute.user_id == user_id))
    return until if until is not None and until >= today else None
