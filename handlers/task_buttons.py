"""The buttons of a task card, shared by the modules that handle them.

Each carries the task's id and the version the card showed (services/task_writes.py: a
press on a stale card is refused and the current card shown). handlers/tasks.py handles
every verb but MORE_TIME, which handlers/extensions.py handles.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from handlers.callbacks import CallbackData
from services.task_updates import PROGRESS_STEPS


class Verb(enum.StrEnum):
    OPEN = "o"  # show the card (from a list, a nudge, or after Back)
    DONE = "d"
    PROGRESS = "p"
    NOTE = "n"
    EVIDENCE = "e"
    MORE_TIME = "m"
    BACK = "b"  # back to the list the card was opened from


@dataclass(frozen=True, slots=True)
class CardButton(CallbackData, prefix="tk"):
    task_id: int
    version: int
    verb: Verb


def pressed(*verbs: Verb) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern for card buttons with one of `verbs`."""

    def matches(data: object) -> bool:
        button = CardButton.unpack(data)
        return button is not None and button.verb in verbs

    return matches


# --- the buttons a card's buttons lead to (handlers/tasks.py, task_actions.py, task_files.py)


@dataclass(frozen=True, slots=True)
class MyTasksPage(CallbackData, prefix="myt"):
    """A page of /mytasks: one agency's open tasks."""

    agency: int
    page: int


@dataclass(frozen=True, slots=True)
class DoneOn(CallbackData, prefix="tkd"):
    """Done, confirmed with the completion date (yyyymmdd) on the card at `version`."""

    task_id: int
    version: int
    day: int

    def validate(self) -> None:
        self.completed_on  # noqa: B018 (raises ValueError for a forged day)

    @property
    def completed_on(self) -> date:
        return date(self.day // 10_000, self.day // 100 % 100, self.day % 100)

    @classmethod
    def on(cls, task_id: int, version: int, day: date) -> DoneOn:
        return cls(task_id, version, day.year * 10_000 + day.month * 100 + day.day)


@dataclass(frozen=True, slots=True)
class ProgressTo(CallbackData, prefix="tkp"):
    """A progress figure for the task on the card at `version`."""

    task_id: int
    version: int
    percent: int

    def validate(self) -> None:
        if self.percent not in PROGRESS_STEPS:  # a forged tkp:1:1:1000 sets nothing
            raise ValueError(self.percent)


@dataclass(frozen=True, slots=True)
class EvidenceSend(CallbackData, prefix="tkf"):
    """Have the bot send a task's evidence files back, from the `offset`-th on."""

    task_id: int
    offset: int
