"""The rules of a deadline extension: which dates may be asked for, which reasons will do,
who may ask; pure functions of their arguments."""

from __future__ import annotations

import enum
import re
from datetime import date, timedelta

from services import access, task_writes
from services.access import Caller
from storage.models import Status, Task

OFFSETS = (7, 14, 30)  # the days the buttons offer
REASON_MAX = 500  # characters: the admins read it on a phone
LATEST = date(2200, 12, 31)  # as the import: a later year is a typo


class Refusal(enum.StrEnum):
    """Why a request cannot be made (the catalog's `extension-<value>`)."""

    NOT_FOUND = "not-found"
    NOT_YOURS = "not-yours"  # neither an admin nor a lead of the task's agency
    ROUTINE = "routine"  # no deadline to extend
    DONE = "done"
    PENDING = "pending"  # one request per task waits for a decision
    NOT_LATER = "not-later"  # not after the deadline in force
    PAST = "past"
    TOO_FAR = "too-far"
    NO_REASON = "no-reason"
    LONG_REASON = "long-reason"


# Refusals that a new answer can mend (another date, a shorter reason): the question is asked
# again; the others end the request.
MENDABLE = frozenset(
    {Refusal.NOT_LATER, Refusal.PAST, Refusal.TOO_FAR, Refusal.NO_REASON, Refusal.LONG_REASON}
)


def choices(deadline: date, today: date) -> list[date]:
    """The dates the buttons offer: OFFSETS days after the deadline, or after today when the
    deadline has passed (a date still in the past would help nobody)."""
    base = max(deadline, today)
    return [base + timedelta(days=days) for days in OFFSETS]


def refuse_date(deadline: date | None, new: date, today: date) -> Refusal | None:
    """Why `new` cannot replace `deadline`, or None."""
    if deadline is not None and new <= deadline:
        return Refusal.NOT_LATER
    if new < today:
        return Refusal.PAST
    return Refusal.TOO_FAR if new > LATEST else None


def refuse_reason(reason: str) -> Refusal | None:
    """Why `reason` will not do, or None."""
    if not reason.strip():
        return Refusal.NO_REASON
    return Refusal.LONG_REASON if len(reason.strip()) > REASON_MAX else None


def refuse_task(caller: Caller, task: Task) -> Refusal | None:
    """Why the caller cannot ask for more time on this (loaded) task, pending aside."""
    coordinating = task_writes.coordinating(task)
    if not access.can_change_task(
        caller, lead_agency_id=task.lead_agency_id, coordinating=coordinating
    ):
        return Refusal.NOT_YOURS
    if task.deadline is None:
        return Refusal.ROUTINE
    return Refusal.DONE if task.status == Status.DONE.value else None


_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_day(text: str) -> date | None:
    """A date typed as dd/mm/yyyy (or with '-' or '.'), or yyyy-mm-dd; None otherwise."""
    text = text.strip()
    found, iso = _DAY.fullmatch(text), _ISO.fullmatch(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:  # 31/02/2027
        return None
    return None
