"""The buttons of a morning nudge and of /settings, shared by the job that queues the nudge
(jobs/nudges.py) and the handlers that answer them (handlers/nudges.py)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from handlers.callbacks import CallbackData
from handlers.task_buttons import CardButton, Verb
from services.nudges import Span

_CHOICE = re.compile(r"pause|resume|reset|t(?:[01][0-9]|2[0-3])[0-5][0-9]")
MAX_ID = 2**31 - 1  # task.id is an INTEGER: a larger forged id must not reach PostgreSQL


class MuteSpan(enum.StrEnum):
    """A mute's length in days; ASK shows the choices, OFF ends a mute."""

    ASK = "a"
    WEEK = "7"
    TWO_WEEKS = "14"
    MONTH = "30"
    OFF = "0"


@dataclass(frozen=True, slots=True)
class SnoozeAsk(CallbackData, prefix="nzask"):
    """💤 beside a task in a nudge: asks for how long."""

    task_id: int

    def validate(self) -> None:
        if self.task_id > MAX_ID:
            raise ValueError(self.task_id)


@dataclass(frozen=True, slots=True)
class SnoozeFor(CallbackData, prefix="nzfor"):
    task_id: int
    span: Span

    def validate(self) -> None:
        if self.task_id > MAX_ID:
            raise ValueError(self.task_id)


@dataclass(frozen=True, slots=True)
class MuteFor(CallbackData, prefix="nzmute"):
    span: MuteSpan


@dataclass(frozen=True, slots=True)
class SettingsPress(CallbackData, prefix="nzset"):
    """A /settings button: pause, resume, reset, or a send time tHHMM."""

    choice: str

    def validate(self) -> None:
        if not _CHOICE.fullmatch(self.choice):
            raise ValueError(self.choice)


# A morning's nudges carry tens of thousands of buttons: their data is written straight
# from the codec's layout (tests/handlers/test_callbacks.py checks it equals .pack()).
def open_card_data(task_id: int, version: int) -> str:
    """CardButton(task_id, version, Verb.OPEN).pack(), without building the object."""
    return f"{_CARD}:{task_id}:{version}:{_OPEN}"


def snooze_ask_data(task_id: int) -> str:
    """SnoozeAsk(task_id).pack(), without building the object."""
    return f"{_SNOOZE}:{task_id}"


_CARD, _OPEN, _SNOOZE = CardButton.prefix, Verb.OPEN.value, SnoozeAsk.prefix
