"""/assign: a new task, asked step by step (agency, title, deadline, programme) or in one
line, then confirmed (admins only).

Each answer (a button, or a reply to the flow's question) moves the flow's pending action in
the database (services/assign.py), so a bot restarted meanwhile carries on. A reply is the
flow's when it answers one of its questions (they all start with the flow's mark); in a
private chat any text does while a flow waits for one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.assign_prompts import (
    Choice,
    Pick,
    Prompt,
    choose,
    editor_of,
    prompt_for,
    send,
    settle,
)
from handlers.commands import COMMAND_FILTER, command
from handlers.common import Turn, guarded_flow
from rendering import secretariat as views
from rendering.figures import program_label
from rendering.reports import task_card
from rendering.text import LANGUAGES, plain, render
from services import access, assign, assign_flow, task_writes
from services.access import Action
from services.assign import Draft, next_step
from services.lookup import Target, TargetIndex
from services.pending import Pending, Refusal
from services.task_admin import resolve
from services.task_fields import FieldError, means_none, parse_deadline, parse_text
from storage.db import writing

MAX_LINE = 2300  # a one-line /assign: a title of up to 2000 characters and the rest
# --- /assign -------------------------------------------------------------------------------


def _begin(text: str, index: TargetIndex) -> tuple[dict[str, Any], tuple[Target, ...], str]:
    """What the command's text says: the flow's first answers, agencies to choose from,
    and what was typed for the agency. Raises FieldError."""
    if not text:
        return {}, (), ""
    line = assign_flow.split_line(text, index)
    payload: dict[str, Any] = {}
    query = text if line is None else line.agency_text
    if line is not None:
        payload = assign.answer("title", line.title) | assign.answer("deadline", line.deadline)
        payload["program"] = line.program.id if line.program else None
        if line.code:
            payload["code"] = line.code
    found = index.resolve(query) if line is None else line.agency
    if found.found is not None:
        payload["agency"] = resolve(index, query, "agency").id  # FieldError for a programme
        return payload, (), query
    candidates = tuple(t for t in found.candidates if t.kind == "agency")
    if not candidates:
        raise FieldError("field-unknown-agency", query=query[:60])
    return payload, candidates, query


@guarded_flow(Action.MANAGE_TASKS)
async def assign_(turn: Turn) -> None:
    """Assign a new task: /assign (step by step), or /assign <agency> <dd/mm/yyyy|-> [programme]
    [#code] <title>."""
    text = turn.args.strip()
    if len(text) > MAX_LINE:
        turn.say(turn.t("assign-too-long", limit=MAX_LINE))
        return
    prompt: Prompt | None = None
    async with writing(turn.deps.sessions) as session:
        index = await turn.deps.lookup.get(session)
        try:
            payload, candidates, query = _begin(text, index)
        except FieldError as error:
            turn.say(views.field_error(turn.lang, error))
            turn.say(turn.t("assign-usage"))
            return
        code = payload.get("code")
        if code and not await assign.code_is_free(session, code):
            turn.say(turn.t("assign-code-taken", code=code))
            return
        flow = await assign_flow.start(
            session, caller=turn.caller, payload=payload, now=turn.deps.clock.now()
        )
        if candidates:
            prompt = choose(turn, flow, "agency", query, candidates)
        else:
            flow = await settle(session, turn, flow, index)
            prompt = await prompt_for(session, turn, flow, index)
    await send(turn, prompt)


# --- typed answers ---------------------------------------------------------------------------


def _interpret(step: str, text: str, index: TargetIndex) -> tuple[object, tuple[Target, ...]]:
    """A typed answer to `step`: its value, or the names it could mean. Raises FieldError."""
    if step == "title":
        return parse_text(text, field="title"), ()
    if step == "deadline":
        return parse_deadline(text), ()
    if step == "program" and means_none(text):
        return None, ()
    kind = "agency" if step == "agency" else "program"
    found = index.resolve(text.strip())
    if found.found is None:
        candidates = tuple(t for t in found.candidates if t.kind == kind)
        if candidates:
            return None, candidates
    return resolve(index, text, kind).id, ()


async def _typed(turn: Turn, *, quiet: bool) -> None:
    """Answer the caller's waiting flow with the text sent; `quiet`: say nothing if none."""
    message = turn.update.effective_message
    text = (message.text or "") if message is not None else ""
    now = turn.deps.clock.now()
    prompt: Prompt | None = None
    async with writing(turn.deps.sessions) as session:
        flow = await assign_flow.waiting(session, caller=turn.caller, now=now)
        if flow is None:
            if not quiet:
                turn.say(turn.t("assign-none-waiting"))
            return
        step = next_step(flow.payload)
        if step is None:
            turn.say(turn.t("assign-press-confirm"))
            return
        index = await turn.deps.lookup.get(session)
        try:
            value, candidates = _interpret(step, text[:MAX_LINE], index)
        except FieldError as error:
            mark = turn.t("assign-mark")
            turn.say(turn.t("assign-retry", mark=mark, error=views.field_error(turn.lang, error)))
            return
        if candidates:
            prompt = choose(turn, flow, step, text, candidates)
        else:
            moved = await assign_flow.advance(
                session, caller=turn.caller, token=flow.token, step=step, value=value, now=now
            )
            if isinstance(moved, Refusal):
                turn.say(turn.t("assign-used"))
                return
            moved = await settle(session, turn, moved, index)
            prompt = await prompt_for(session, turn, moved, index)
    await send(turn, prompt)


@guarded_flow(Action.MANAGE_TASKS)
async def replied(turn: Turn) -> None:
    """Answer the /assign question this message replies to."""
    await _typed(turn, quiet=False)


@guarded_flow(None)
async def typed(turn: Turn) -> None:
    """In a private chat, a text answers the admin's waiting /assign (nothing otherwise)."""
    if access.may(turn.caller, Action.MANAGE_TASKS):
        await _typed(turn, quiet=True)


class RepliesToAssign(filters.MessageFilter):
    """A message replying to one of this bot's /assign questions."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None:
            return False
        if replied.from_user.id != message.get_bot().id:
            return False
        text = replied.text or ""
        return any(text.startswith(plain(render(lang, "assign-mark"))) for lang in LANGUAGES)


# --- buttons -------------------------------------------------------------------------------


def _picked_value(turn: Turn, pick: Pick, index: TargetIndex) -> tuple[str, object, str] | None:
    """The step a button answers, its value, and the line saying so (None: unknown id)."""
    if pick.choice is Choice.NO_DEADLINE:
        return "deadline", None, turn.t("assign-no-deadline")
    if pick.choice is Choice.NO_PROGRAM:
        return "program", None, turn.t("assign-no-program")
    kind = "agency" if pick.choice is Choice.AGENCY else "program"
    target = index.by_id(kind, pick.ident)
    if target is None:
        return None
    label = views.agency_label(turn.lang, target) if kind == "agency" else program_label(target)
    return kind, target.id, label


@guarded_flow(Action.MANAGE_TASKS)
async def picked(turn: Turn) -> None:
    """Answer a button of the /assign flow."""
    pick = Pick.of(turn.update)
    now = turn.deps.clock.now()
    prompt: Prompt | None = None
    refusal: Refusal | None = None
    async with writing(turn.deps.sessions) as session:
        index = await turn.deps.lookup.get(session)
        if pick.choice in (Choice.CONFIRM, Choice.CANCEL):
            step = None if pick.choice is Choice.CONFIRM else assign_flow.ANY_STEP
            taken = await assign_flow.take(
                session, caller=turn.caller, token=pick.token, now=now, step=step
            )
            if isinstance(taken, Refusal):
                refusal = taken
            elif pick.choice is Choice.CANCEL:
                turn.say(turn.t("assign-cancelled"))
            else:
                await _create(session, turn, taken)
        else:
            answered = _picked_value(turn, pick, index)
            if answered is None:
                refusal = Refusal.UNKNOWN
            else:
                step, value, label = answered
                moved = await assign_flow.advance(
                    session, caller=turn.caller, token=pick.token, step=step, value=value,
                    now=now,
                )  # fmt: skip
                if isinstance(moved, Refusal):
                    refusal = moved
                else:
                    line = turn.t(f"assign-so-far-{step}", **{step: label})
                    turn.say(turn.t("assign-chosen", choice=line))
                    moved = await settle(session, turn, moved, index)
                    prompt = await prompt_for(session, turn, moved, index)
    if refusal is Refusal.USED:
        await turn.alert(turn.t("assign-used"))
        return
    if refusal is not None:
        turn.say(turn.t("assign-expired"))
        return
    await send(turn, prompt)


async def _create(session: AsyncSession, turn: Turn, flow: Pending) -> None:
    """Create the confirmed task and say so with its card."""
    now = turn.deps.clock.now()
    try:
        task = await assign.create_task(
            session, draft=Draft.of(flow.payload), editor=editor_of(turn), now=now
        )
    except assign.CodeTaken as taken:
        turn.say(turn.t("assign-code-taken", code=taken.code))
        return
    loaded = await task_writes.load(session, task_id=task.id)
    assert loaded is not None
    agency = views.agency_label(turn.lang, loaded.lead_agency)
    head = turn.t("assign-done", code=loaded.code, agency=agency)
    card = task_card(turn.lang, loaded, turn.today, turn.deps.clock.tz)
    turn.say(views.with_card(turn.lang, head, card))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/assign, its buttons, and replies to its questions."""
    answers = filters.TEXT & ~filters.COMMAND & COMMAND_FILTER
    return [
        command("assign", assign_),
        CallbackQueryHandler(picked, pattern=Pick.matches),
        MessageHandler(answers & RepliesToAssign(), replied),
    ]


def private_answers() -> list[BaseHandler[Any, Any, Any]]:
    """Texts in a private chat that reply to nothing, for a waiting /assign (in a handler
    group of their own: they must keep no other handler from seeing them). A reply is
    another's (a note's) or, to one of the flow's questions, `replied`'s."""
    text = filters.TEXT & ~filters.COMMAND & COMMAND_FILTER & filters.ChatType.PRIVATE
    return [MessageHandler(text & ~filters.REPLY, typed)]
