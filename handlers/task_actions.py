"""Done and Progress on a task card: the question (which day, which figure), then the change,
made only on the version of the task the card showed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.common import Keyboard, Turn, guarded_flow
from handlers.task_buttons import CardButton, DoneOn, ProgressTo, Verb, pressed
from handlers.task_card import editor, refusal, say_card, tell
from rendering import tasks as views
from rendering.reports import deadline_text
from rendering.text import Html
from services import task_cards, task_updates, task_writes
from services.access import Action, NotAllowed
from services.task_updates import Refused
from services.task_writes import Stale
from storage.db import snapshot, writing
from storage.models import Status, Task


@guarded_flow(Action.VIEW_REPORTS)
async def ask_done(turn: Turn) -> None:
    """Ask to confirm Done with the completion date: today or one of the days before."""
    await _ask(turn, _done_question)


@guarded_flow(Action.VIEW_REPORTS)
async def ask_progress(turn: Turn) -> None:
    """Offer the progress figures."""
    await _ask(turn, _progress_question)


Question = Callable[[Turn, Task], tuple[Html, Keyboard]]


async def _ask(turn: Turn, question: Question) -> None:
    """Ask `question` about the pressed card's task if the caller may change it, the task is
    still open and still what the card showed (else the current card, saying so)."""
    button = CardButton.of(turn.update)
    problem: Html | None = None
    async with snapshot(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=button.task_id)
        if task is None:
            problem = turn.t("task-gone")
        elif not task_cards.rights(turn.caller, task).change:
            problem = refusal(turn, task, Action.CHANGE_TASK)
        elif task.version != button.version:
            await say_card(turn, session, task, turn.t("task-changed", code=task.code))
        elif task.status == Status.CANCELLED.value:
            problem = turn.t("task-cancelled-locked", code=task.code)
        elif task_cards.is_closed(task):
            problem = turn.t("task-already-done", code=task.code)
        else:
            turn.say(*question(turn, task))
    if problem is not None:
        await tell(turn, problem)


def _done_question(turn: Turn, task: Task) -> tuple[Html, Keyboard]:
    days = task_updates.recent_days(turn.today)
    labels = [
        turn.t("button-today", day=views.short_day(turn.lang, days[0])),
        turn.t("button-yesterday", day=views.short_day(turn.lang, days[1])),
        *(views.short_day(turn.lang, day) for day in days[2:]),
    ]
    buttons = [
        (label, DoneOn.on(task.id, task.version, day).pack())
        for label, day in zip(labels, days, strict=True)
    ]
    text = turn.t("done-ask", code=task.code, deadline=deadline_text(turn.lang, task, turn.today))
    return text, [buttons[:2], buttons[2:], [_cancel(turn, task)]]


def _progress_question(turn: Turn, task: Task) -> tuple[Html, Keyboard]:
    buttons = [
        (f"{percent}%", ProgressTo(task.id, task.version, percent).pack())
        for percent in task_updates.PROGRESS_STEPS
    ]
    text = turn.t("progress-ask", code=task.code, progress=task.progress)
    return text, [buttons, [_cancel(turn, task)]]


def _cancel(turn: Turn, task: Task) -> tuple[str, str]:
    return turn.t("button-cancel"), CardButton(task.id, task.version, Verb.OPEN).pack()


@guarded_flow(Action.VIEW_REPORTS)
async def done(turn: Turn) -> None:
    """Mark the task done on the chosen day, if it is still what the card showed."""
    chosen = DoneOn.of(turn.update)
    await _change(turn, chosen.task_id, chosen.version, done_on(turn, chosen.completed_on))


@guarded_flow(Action.VIEW_REPORTS)
async def progress(turn: Turn) -> None:
    """Set the chosen progress figure, if the task is still what the card showed."""
    chosen = ProgressTo.of(turn.update)
    await _change(turn, chosen.task_id, chosen.version, progress_to(turn, chosen.percent))


Values = Callable[[Task], dict[str, object]]  # the columns a change sets on a loaded task
Said = Callable[[Task, list[str]], Html]  # what it says it did, from the fields it changed
Change = tuple[Values, Said]


def done_on(turn: Turn, day: date) -> Change:
    """Done, completed on `day` (services.task_updates refuses a day not allowed)."""

    def values(_task: Task) -> dict[str, object]:
        return task_updates.done_values(day, turn.today)

    def said(task: Task, _changed: list[str]) -> Html:
        return turn.t("done-saved", code=task.code, day=day)

    return values, said


def progress_to(turn: Turn, percent: int) -> Change:
    """A progress figure (and the status it implies)."""

    def values(task: Task) -> dict[str, object]:
        return task_updates.progress_values(percent, task.status)

    def said(task: Task, changed: list[str]) -> Html:
        msg_id = "progress-saved" if changed else "progress-unchanged"
        return turn.t(msg_id, code=task.code, progress=task.progress)

    return values, said


async def _change(turn: Turn, task_id: int, version: int, change: Change) -> None:
    """Make `change` on the task if still at `version`, then show the card saying so; a
    stale card shows the current one, a refusal pops up."""
    problem: Html | None = None
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=task_id)
        if task is None:
            problem = turn.t("task-gone")
        else:
            problem = await apply(turn, session, task, version, change)
    if problem is not None:
        await tell(turn, problem)


async def apply(
    turn: Turn, session: AsyncSession, task: Task, version: int | None, change: Change
) -> Html | None:
    """Make `change` on a loaded task (at `version`; None: as it is now, /update's) and queue
    its card; else what to tell the caller."""
    values, said = change
    if task.status == Status.CANCELLED.value:  # the secretariat's /reopen comes first
        return turn.t("task-cancelled-locked", code=task.code)
    try:
        changed = await task_writes.update_task(
            session,
            task=task,
            seen_version=version,
            values=values(task),
            editor=editor(turn),
            now=turn.deps.clock.now(),
        )
    except NotAllowed:
        return refusal(turn, task, Action.CHANGE_TASK)
    except Refused as refused:
        return turn.t(refused.reason, code=task.code)
    except Stale as stale:
        await say_card(turn, session, stale.task, turn.t("task-changed", code=stale.task.code))
        return None
    await say_card(turn, session, task, said(task, changed))
    return None


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The card's Done and Progress, and their answers."""
    return [
        CallbackQueryHandler(ask_done, pattern=pressed(Verb.DONE)),
        CallbackQueryHandler(ask_progress, pattern=pressed(Verb.PROGRESS)),
        CallbackQueryHandler(done, pattern=DoneOn.matches),
        CallbackQueryHandler(progress, pattern=ProgressTo.matches),
    ]
