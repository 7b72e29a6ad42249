"""What a task's card shows beyond the task row: the latest notes, the evidence count, and
which buttons the caller may use; and the evidence files, for those who may have them sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import access
from services.access import Action, Caller
from services.task_writes import coordinating
from storage.models import Status, Task, TaskEvidence, TaskNote

LAST_NOTES = 3  # notes shown on a card, newest first
EVIDENCE_PAGE = 5  # files sent back per press


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A note as a card shows it."""

    at: datetime
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class CardFacts:
    """The latest notes (newest first), how many there are, and the evidence count."""

    notes: tuple[NoteLine, ...]
    note_count: int
    evidence_count: int


@dataclass(frozen=True, slots=True)
class Rights:
    """The card buttons a caller may use on one task."""

    change: bool  # Done, Progress, More time: admins, the lead agency's leads
    note: bool  # Note, Evidence: also the coordinating agencies' leads

    @property
    def any(self) -> bool:
        return self.change or self.note

    @property
    def evidence(self) -> bool:
        """Having the evidence files sent: admins and the lead agency's leads."""
        return self.change


def rights(caller: Caller, task: Task) -> Rights:
    """What `caller` may do on a loaded task (services.access decides)."""
    others = coordinating(task)
    return Rights(
        change=access.can_change_task(
            caller, lead_agency_id=task.lead_agency_id, coordinating=others
        ),
        note=access.can_add_note(caller, lead_agency_id=task.lead_agency_id, coordinating=others),
    )


CLOSED = frozenset({Status.DONE.value, Status.CANCELLED.value})


def is_closed(task: Task) -> bool:
    """Done or cancelled: no Done, Progress or More time (a cancelled one needs /reopen)."""
    return task.status in CLOSED


async def card_facts(session: AsyncSession, *, task_id: int) -> CardFacts:
    """The card's notes and counts (two statements, whatever the task's history)."""
    counts = select(
        select(func.count()).where(TaskNote.task_id == task_id).scalar_subquery(),
        select(func.count()).where(TaskEvidence.task_id == task_id).scalar_subquery(),
    )
    note_count, evidence_count = (await session.execute(counts)).one()
    notes: list[NoteLine] = []
    if note_count:
        latest = (
            select(TaskNote.at, TaskNote.name, TaskNote.text)
            .where(TaskNote.task_id == task_id)
            .order_by(TaskNote.at.desc(), TaskNote.id.desc())
            .limit(LAST_NOTES)
        )
        notes = [NoteLine(*row) for row in await session.execute(latest)]
    return CardFacts(tuple(notes), int(note_count), int(evidence_count))


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One evidence file as sent back: Telegram's file id and what to caption it with."""

    kind: str
    file_id: str
    file_name: str | None
    caption: str | None
    at: datetime
    name: str


@dataclass(frozen=True, slots=True)
class EvidencePage:
    """Some of a task's evidence files, oldest first, and how many there are in all."""

    items: tuple[EvidenceItem, ...]
    offset: int
    total: int

    @property
    def next_offset(self) -> int | None:
        after = self.offset + len(self.items)
        return after if after < self.total else None


async def evidence_page(
    session: AsyncSession, *, caller: Caller, task: Task, offset: int, size: int = EVIDENCE_PAGE
) -> EvidencePage:
    """The files from `offset` on, for admins and the lead agency's leads (access.NotAllowed
    for anyone else)."""
    access.require_on_task(caller, Action.CHANGE_TASK, task.lead_agency_id, coordinating(task))
    total = await session.scalar(
        select(func.count()).where(TaskEvidence.task_id == task.id)
    )  # fmt: skip
    query = (
        select(
            TaskEvidence.kind,
            TaskEvidence.file_id,
            TaskEvidence.file_name,
            TaskEvidence.caption,
            TaskEvidence.at,
            TaskEvidence.name,
        )
        .where(TaskEvidence.task_id == task.id)
        .order_by(TaskEvidence.at, TaskEvidence.id)
        .offset(offset)
        .limit(size)
    )
    items = tuple(EvidenceItem(*row) for row in await session.execute(query))
    return EvidencePage(items, offset, int(total or 0))
