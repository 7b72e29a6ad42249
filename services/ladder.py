"""The nudge ladder: which deadlines are nudged on a working day, and when nudges may go out.

Pure rules over the committee's settings and calendar (services/calendar.py). In working
days, a task is reminded `reminders` days before its due day (0: on the due day), then every
`overdue_every` working days while overdue; its nudges after the `escalate_after`-th overdue
one also go to its agency's group and the admins. A deadline on a day off is due on the
working day before it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from services import calendar
from services.calendar import Overrides

MAX_REMINDERS = 6
MAX_AHEAD = 30  # working days before the due day
MAX_EVERY = 30
MAX_ESCALATE_AFTER = 10


class Kind(enum.IntEnum):
    """A nudge's rung, in the order a message lists them (overdue first)."""

    OVERDUE = 0
    DUE = 1  # due today (or its deadline is a day off after today)
    AHEAD = 2


@dataclass(frozen=True, slots=True)
class Step:
    """Why a deadline is nudged today: its rung and, ahead, the working days left; overdue,
    the working days late."""

    kind: Kind
    working_days: int


@dataclass(frozen=True, slots=True)
class Ladder:
    """The committee's settings (`/settings`)."""

    reminders: tuple[int, ...] = (7, 3, 1, 0)
    overdue_every: int = 3
    escalate_after: int = 2
    send_at: time = time(8, 30)
    quiet_from: time = time(20, 0)
    quiet_until: time = time(7, 0)
    paused: bool = False

    def problem(self) -> str | None:
        """Why these settings cannot be used (a catalog id), or None."""
        if len(self.reminders) > MAX_REMINDERS or len(set(self.reminders)) != len(self.reminders):
            return "settings-bad-remind"
        if any(not 0 <= n <= MAX_AHEAD for n in self.reminders):
            return "settings-bad-remind"
        if not 1 <= self.overdue_every <= MAX_EVERY:
            return "settings-bad-overdue"
        if not 0 <= self.escalate_after <= MAX_ESCALATE_AFTER:
            return "settings-bad-escalate"
        if self.quiet_from == self.quiet_until:
            return "settings-bad-quiet"
        if is_quiet(self, self.send_at):
            return "settings-time-in-quiet"
        return None


DEFAULT = Ladder()


def is_quiet(ladder: Ladder, at: time) -> bool:
    """Whether `at` (local) falls in the quiet hours, which may span midnight."""
    start, end = ladder.quiet_from, ladder.quiet_until
    if start < end:
        return start <= at < end
    return at >= start or at < end


def window_end(ladder: Ladder) -> time:
    """When the day's window for nudges closes: the quiet hours' start (or midnight)."""
    return ladder.quiet_from if ladder.quiet_from > ladder.send_at else time(23, 59, 59)


def window_open(ladder: Ladder, local_now: datetime, overrides: Overrides) -> bool:
    """Whether nudges may go out now: a working day, from the send time until the quiet
    hours start, and not paused."""
    at = local_now.time().replace(tzinfo=None)
    return (
        not ladder.paused
        and calendar.is_working_day(local_now.date(), overrides)
        and ladder.send_at <= at < window_end(ladder)
        and not is_quiet(ladder, at)
    )


def next_send(ladder: Ladder, local_now: datetime, overrides: Overrides) -> datetime:
    """The next send time strictly after `local_now` on a working day (aware, local)."""
    day = local_now.date()
    at = datetime.combine(day, ladder.send_at, tzinfo=local_now.tzinfo)
    if at <= local_now or not calendar.is_working_day(day, overrides):
        day = calendar.next_working_day(day, overrides)
        at = datetime.combine(day, ladder.send_at, tzinfo=local_now.tzinfo)
    return at


def steps_on(
    today: date, ladder: Ladder, overrides: Overrides, oldest: date | None
) -> dict[date, Step]:
    """The deadlines nudged on working day `today`, each with its step.

    `oldest` is the earliest deadline of an open task (None: none is overdue): overdue
    steps are listed back to it and no further. Set-based planning joins open tasks on
    these deadlines.
    """
    hits: dict[date, Step] = {}
    for ahead in sorted(set(ladder.reminders), reverse=True):
        due = calendar.add_working_days(today, ahead, overrides)
        kind = Kind.DUE if ahead == 0 else Kind.AHEAD
        for deadline in calendar.deadlines_due_on(due, overrides):
            hits[deadline] = Step(kind, ahead)
    if oldest is None or oldest >= today:
        return hits
    late, due = 0, today
    while True:
        due = calendar.previous_working_day(due, overrides)
        late += 1
        if calendar.next_working_day(due, overrides) <= oldest:
            return hits  # this due day's deadlines, and all earlier ones, are before oldest
        if late % ladder.overdue_every == 0:
            for deadline in calendar.deadlines_due_on(due, overrides):
                hits[deadline] = Step(Kind.OVERDUE, late)


def step_of(deadline: date, today: date, ladder: Ladder, overrides: Overrides) -> Step | None:
    """One deadline's step on working day `today`, or None (the rule steps_on lists)."""
    due = calendar.due_day(deadline, overrides)
    if deadline >= today:
        ahead = calendar.working_days_between(today, due, overrides)
        if ahead not in ladder.reminders:
            return None
        return Step(Kind.DUE if ahead == 0 else Kind.AHEAD, ahead)
    late = calendar.working_days_between(due, today, overrides)
    if late <= 0 or late % ladder.overdue_every:
        return None
    return Step(Kind.OVERDUE, late)


def snooze_until(today: date, working_days: int, overrides: Overrides) -> date:
    """The last day a task snoozed for `working_days` on `today` is left out."""
    return calendar.add_working_days(today, working_days, overrides)


def snooze_to_deadline(today: date, deadline: date, overrides: Overrides) -> date | None:
    """Snoozed until its due day (nudged again that morning), or None when that would not
    skip a single morning."""
    due = calendar.due_day(deadline, overrides)
    last = due - timedelta(days=1)
    if due <= calendar.next_working_day(today, overrides):
        return None
    return last
