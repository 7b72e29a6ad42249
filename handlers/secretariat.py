"""The secretariat's task commands (admins only): /assign (handlers/assign.py), /edit one
field of a task, /cancel and /reopen a task after a Confirm.

The Confirm carries the task's id and the version the question showed: pressed after the
task changed, it changes nothing and shows the task as it is now, asking again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers import assign
from handlers.assign_prompts import editor_of
from handlers.callbacks import CallbackData, Reply
from handlers.commands import command
from handlers.common import MAX_ARG, Request, Turn, guarded, guarded_flow, task_not_found
from rendering import secretariat as views
from rendering.reports import task_card
from rendering.text import Html
from services import assign_flow as flows
from services import task_admin, task_writes
from services.access import Action
from services.task_admin import NothingToDo, Verb
from services.task_fields import FieldError
from services.task_writes import Stale
from storage.db import writing
from storage.models import Task

EDIT_MAX = 2300  # an /edit: a title of up to 2000 characters, the code and the field


@dataclass(frozen=True, slots=True)
class Decision(CallbackData, prefix="tcr"):
    """Confirm or Keep of a /cancel or /reopen, for the task as the question showed it."""

    verb: Verb
    answer: Reply
    task_id: int
    version: int


def _card(turn: Turn, task: Task) -> Html:
    return task_card(turn.lang, task, turn.today, turn.deps.clock.tz)


# --- /edit ---------------------------------------------------------------------------------


@guarded_flow(Action.MANAGE_TASKS)
async def edit(turn: Turn) -> None:
    """Change one field of a task: /edit <code> <title|deadline|agency|program|source|
    coordinators> <value>."""
    line = task_admin.split_edit(turn.args[:EDIT_MAX])
    if line is None:
        turn.say(turn.t("edit-usage"))
        return
    field = turn.t(f"field-name-{line.field}")
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, code=line.code[:MAX_ARG])
        if task is None:
            turn.say(task_not_found(turn, line.code))
            return
        index = await turn.deps.lookup.get(session)
        try:
            changed = await task_admin.edit_task(
                session, task=task, field=line.field, text=line.value, index=index,
                editor=editor_of(turn), now=turn.deps.clock.now(),
            )  # fmt: skip
        except FieldError as error:
            turn.say(views.field_error(turn.lang, error))
            return
        if not changed:
            turn.say(turn.t("edit-unchanged", field=field, code=task.code))
            return
        task = await task_writes.load(session, task_id=task.id)  # agencies as they are now
        assert task is not None
        head = turn.t("edit-done", field=field, code=task.code)
        turn.say(views.with_card(turn.lang, head, _card(turn, task)))


# --- /cancel and /reopen -------------------------------------------------------------------


@guarded_flow(Action.MANAGE_TASKS)
async def cancel(turn: Turn) -> None:
    """Cancel a task after a Confirm: /cancel <code> (it leaves every report). Without a
    code, stop your /assign in progress."""
    code = turn.args.strip()
    async with writing(turn.deps.sessions) as session:
        if code:
            await _ask(turn, session, Verb.CANCEL, code)
        elif await flows.abandon(session, caller=turn.caller, now=turn.deps.clock.now()):
            turn.say(turn.t("assign-abandoned"))
        else:
            turn.say(turn.t("cancel-usage"))


@guarded(Action.MANAGE_TASKS, read_only=True)
async def reopen(req: Request) -> None:
    """Restore a cancelled task, or reopen a completed one, after a Confirm: /reopen <code>."""
    code = req.args.strip()
    if not code:
        req.say(req.t("reopen-usage"))
        return
    await _ask(req, req.session, Verb.REOPEN, code)


async def _ask(turn: Turn, session: AsyncSession, verb: Verb, code: str) -> None:
    task = await task_writes.load(session, code=code[:MAX_ARG])
    if task is None:
        turn.say(task_not_found(turn, code))
        return
    await _question(turn, session, task, verb)


async def _question(turn: Turn, session: AsyncSession, task: Task, verb: Verb) -> None:
    """The task's card, what `verb` would do, and Confirm/Keep; or that it is so already."""
    try:
        values = await task_admin.outcome(session, task=task, verb=verb)
    except NothingToDo as done:
        turn.say(turn.t(done.msg_id, code=task.code))
        return
    if verb is Verb.CANCEL:
        asked = turn.t("cancel-ask", code=task.code)
        label = turn.t("button-cancel-task")
    else:
        asked = views.reopen_question(turn.lang, task.code, task.status, values)
        label = turn.t("button-reopen-task")
    buttons: list[tuple[str, str]] = [
        (label, Decision(verb, Reply.YES, task.id, task.version).pack()),
        (turn.t("button-keep-task"), Decision(verb, Reply.NO, task.id, task.version).pack()),
    ]
    turn.say(views.with_card(turn.lang, _card(turn, task), asked), [buttons])


@guarded_flow(Action.MANAGE_TASKS)
async def decided(turn: Turn) -> None:
    """Carry out (or not) a confirmed /cancel or /reopen."""
    pressed = Decision.of(turn.update)
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=pressed.task_id)
        if task is None:
            turn.say(turn.t("expired-button"))
            return
        if pressed.answer is Reply.NO:
            turn.say(turn.t("task-kept", code=task.code))
            return
        try:
            await task_admin.decide(
                session, task=task, verb=pressed.verb, seen_version=pressed.version,
                editor=editor_of(turn), now=turn.deps.clock.now(),
            )  # fmt: skip
        except NothingToDo as already:  # a double tap, or another admin was first
            turn.say(turn.t(already.msg_id, code=task.code))
            return
        except Stale as stale:  # changed since the question: show it as it is, ask again
            turn.say(turn.t("task-changed-meanwhile", code=stale.task.code))
            await _question(turn, session, stale.task, pressed.verb)
            return
        done = "cancel-done" if pressed.verb is Verb.CANCEL else "reopen-done"
        turn.say(views.with_card(turn.lang, turn.t(done, code=task.code), _card(turn, task)))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The secretariat's task commands and their buttons."""
    return [
        *assign.handlers(),
        command("edit", edit),
        command("cancel", cancel),
        command("reopen", reopen),
        CallbackQueryHandler(decided, pattern=Decision.matches),
    ]


LATER = 10  # a handler group of the secretariat's alone, after every other


def later() -> list[BaseHandler[Any, Any, Any]]:
    """Handlers for group LATER: they see updates other handlers have answered too, and
    keep none of them from the handlers of other groups."""
    return assign.private_answers()
