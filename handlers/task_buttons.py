"""The buttons of a task card, shared by the modules that handle them.

Each carries the task's id and the version the card showed (services/task_writes.py: a
press on a stale card is refused and the current card shown). handlers/tasks.py handles
every verb but MORE_TIME, which handlers/extensions.py handles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from handlers.callbacks import CallbackData


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


def pressed(*verbs: Verb) -> object:
    """A CallbackQueryHandler pattern for card buttons with one of `verbs`."""

    def matches(data: object) -> bool:
        button = CardButton.unpack(data)
        return button is not None and button.verb in verbs

    return matches
