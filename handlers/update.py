"""/update CODE done [dd/mm], /update CODE 60%, /update CODE note <text>: a lead's change in
one line, for people who type rather than tap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram.ext import BaseHandler

from handlers import task_actions, task_files
from handlers.commands import command
from handlers.common import MAX_ARG, Turn, guarded_flow, task_not_found
from handlers.task_card import tell
from rendering.text import Html, cut, join
from services import task_updates, task_writes
from services.access import Action
from services.lookup import fold
from storage.db import writing

DONE_WORDS = frozenset({"done", "xong", "hoan thanh", "ht", "completed", "complete", "finished"})
NOTE_WORDS = frozenset({"note", "ghi chu", "ghichu", "gc"})
PROGRESS_WORDS = frozenset({"tien do", "progress"})


@dataclass(frozen=True, slots=True)
class Done:
    day: date


@dataclass(frozen=True, slots=True)
class Progress:
    percent: int


@dataclass(frozen=True, slots=True)
class Note:
    text: str


Form = Done | Progress | Note


def _after(text: str, words: frozenset[str]) -> str | None:
    """The rest of `text` after one of `words` (one or two words long) at its start, as
    typed (line breaks kept); None if it does not start with one."""
    for count in (2, 1):
        parts = text.split(maxsplit=count)
        if len(parts) >= count and fold(" ".join(parts[:count])) in words:
            return parts[count] if len(parts) > count else ""
    return None


def parse(rest: str, today: date) -> Form | tuple[str, str]:
    """What follows the code: a form, or (catalog id of the error, the text it is about)."""
    note = _after(rest, NOTE_WORDS)
    if note is not None:
        return Note(note.strip()) if note.strip() else ("update-note-empty", "")
    when = _after(rest, DONE_WORDS)
    if when is not None:
        if not when.strip():
            return Done(today)
        day = task_updates.parse_day(when, today)
        return Done(day) if day is not None else ("update-bad-date", when.strip())
    figure = _after(rest, PROGRESS_WORDS)
    percent = task_updates.parse_percent(rest if figure is None else figure)
    if percent is not None:
        return Progress(percent) if percent <= 100 else ("update-bad-progress", rest)
    return ("update-unknown-form", rest.strip())


@guarded_flow(Action.VIEW_REPORTS)
async def update(turn: Turn) -> None:
    """Update a task in one line: /update CODE done [dd/mm] | CODE 60% | CODE note <text>."""
    message = turn.update.effective_message
    parts = (message.text or "").split(maxsplit=2) if message else []
    if len(parts) < 3:
        turn.say(turn.t("update-usage"))
        return
    code, form = parts[1][:MAX_ARG], parse(parts[2], turn.today)
    if isinstance(form, tuple):
        msg_id, value = form
        said = turn.t(msg_id, code=code, value=cut(value, 60))
        turn.say(join([said, turn.t("update-usage")]) if msg_id.endswith("form") else said)
        return
    problem: Html | None = None
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, code=code)
        if task is None:
            problem = task_not_found(turn, code)
        elif isinstance(form, Note):
            problem = await task_files.add_note(turn, session, task, form.text)
        else:
            change = (
                task_actions.done_on(turn, form.day)
                if isinstance(form, Done)
                else task_actions.progress_to(turn, form.percent)
            )
            problem = await task_actions.apply(turn, session, task, None, change)
    if problem is not None:
        await tell(turn, problem)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/update."""
    return [command("update", update)]
