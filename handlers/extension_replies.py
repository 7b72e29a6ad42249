"""Questions of the More time flow answered by a reply, and what the flow ends with.

A question answered by a reply (ForceReply, selective, so that it works in groups with
privacy mode on) is a pending action keyed by the question's message id
(services/extension_prompts.py): `replied` runs before every other handler (group -1),
answers replies to those questions, and lets any other reply through to the handlers that
want it. `make` records the request and hands it to the admins
(handlers/extension_decisions.py).
"""

from __future__ import annotations

import functools
from datetime import date

from telegram import ForceReply, Update
from telegram.ext import ApplicationHandlerStop

from bot.context import Context
from handlers import extension_decisions as decisions
from handlers.common import Turn, guarded_flow, prompt_replied, send_question, send_replies
from rendering import extensions as views
from rendering.text import Html, cut, plain
from services import extension_prompts as prompts
from services import extension_rules as rules
from services import extensions, pending
from services.access import Action
from services.extension_prompts import Step
from services.extension_rules import MENDABLE, Refusal
from services.extensions import Refused
from services.lookup import TargetIndex
from services.task_writes import Editor
from storage.db import snapshot, writing
from storage.models import Task

# The question a refusal of a typed answer asks again: another date, or the reason again.
_ASK_AGAIN = {
    Refusal.NOT_LATER: Step.DATE,
    Refusal.PAST: Step.DATE,
    Refusal.TOO_FAR: Step.DATE,
    Refusal.NO_REASON: Step.REASON,
    Refusal.LONG_REASON: Step.REASON,
}
assert set(_ASK_AGAIN) == MENDABLE


async def refuse(
    turn: Turn,
    refused: Refused,
    index: TargetIndex,
    *,
    code: str = "",
    new: date | None = None,
    reason: str = "",
) -> None:
    """Say why: a pop-up for a pressed button (the message stays for the others)."""
    by_button = turn.update.callback_query is not None
    if by_button and refused.why is Refusal.NOT_FOUND:  # the task was deleted since
        await turn.alert(turn.t("expired-button"))
        return
    task = refused.task
    agency = index.by_id("agency", task.lead_agency_id) if task is not None else None
    text = views.refusal(
        turn.lang,
        refused,
        code=code,
        today=turn.today,
        tz=turn.deps.clock.tz,
        new=new,
        reason=reason,
        agency=agency,
    )
    if by_button:
        await turn.alert(text)
    else:
        turn.say(text)


async def ask_reply(turn: Turn, step: Step, task: Task, day: date | None = None) -> None:
    """Ask for a date or a reason as a reply, and remember what the reply will answer."""
    user, message = turn.update.effective_user, turn.update.effective_message
    by_button = turn.update.callback_query is not None
    who = Html("")
    if by_button and turn.caller.in_group and user is not None:
        who = views.mention(turn.lang, user.id, user.full_name)  # selective needs a mention
    if step is Step.DATE:
        text, hint = views.ask_date(turn.lang, task, who), "extension-placeholder-date"
    else:
        assert day is not None
        text, hint = views.ask_reason(turn.lang, task, day, who), "extension-placeholder-reason"
    force = ForceReply(selective=True, input_field_placeholder=plain(turn.t(hint)))
    async with writing(turn.deps.sessions) as session:  # before the send: a reply finds it
        token = await prompts.open_question(
            session,
            caller=turn.caller,
            step=step,
            task_id=task.id,
            day=day,
            now=turn.deps.clock.now(),
        )
    if message is not None:
        # Typed: answer the user's own message, which makes the selective ForceReply theirs.
        send = functools.partial(
            message.reply_html, text, reply_markup=force, do_quote=not by_button
        )
    else:  # a button under a message too old for Telegram to hand back
        send = functools.partial(
            turn.context.bot.send_message, turn.caller.chat_id, text, reply_markup=force
        )
    sent = await send_question(turn.deps, token, send)
    async with writing(turn.deps.sessions) as session:
        await prompts.sent_as(
            session, token=token, task_id=task.id, day=day, message_id=sent.message_id
        )


async def replied(update: Update, context: Context) -> None:
    """A reply to one of our questions: answer it and stop; any other reply goes on."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or message.reply_to_message is None:
        return
    to = message.reply_to_message
    if to.from_user is None or to.from_user.id != context.bot.id:
        return
    deps = context.deps
    prompt = await prompt_replied(
        deps,
        lambda session: prompts.find_prompt(
            session, user_id=user.id, chat_id=chat.id, message_id=to.message_id
        ),
        lambda session: prompts.being_sent(
            session, user_id=user.id, chat_id=chat.id, now=deps.clock.now()
        ),
    )
    if prompt is None:
        return
    await _answer(update, context)
    raise ApplicationHandlerStop


@guarded_flow(Action.VIEW_REPORTS)
async def _answer(turn: Turn) -> None:
    """Take the question (once), then go on with the date or the reason typed."""
    message = turn.update.effective_message
    assert message is not None
    assert message.reply_to_message is not None
    async with writing(turn.deps.sessions) as session:
        prompt = await prompts.find_prompt(
            session,
            user_id=turn.caller.user_id,
            chat_id=turn.caller.chat_id,
            message_id=message.reply_to_message.message_id,
        )
        taken = None
        if prompt is not None:
            taken = await prompts.take_prompt(
                session, prompt=prompt, chat_id=turn.caller.chat_id, now=turn.deps.clock.now()
            )
    if prompt is None or isinstance(taken, pending.Refusal):
        used = taken is pending.Refusal.USED
        turn.say(turn.t("extension-prompt-used" if used else "extension-prompt-expired"))
        return
    text = message.text or ""
    if prompt.step is Step.DATE:
        await _typed_date(turn, prompt.task_id, text)
    else:
        assert prompt.day is not None
        await make(turn, prompt.day, text, task_id=prompt.task_id, again=True)


async def _typed_date(turn: Turn, task_id: int, text: str) -> None:
    """A date typed in reply: on to the reason, or ask again."""
    day = rules.parse_day(text)
    async with snapshot(turn.deps.sessions) as session:
        found = await extensions.check(session, caller=turn.caller, task_id=task_id)
        index = await turn.deps.lookup.get(session)
    if isinstance(found, Refused):
        await refuse(turn, found, index)
        return
    if day is None:
        turn.say(turn.t("extension-bad-date", text=cut(text, 40), example=views.EXAMPLE))
    elif (why := rules.refuse_date(found.deadline, day, turn.today)) is not None:
        await refuse(turn, Refused(why, found), index, new=day)
    else:
        await ask_reply(turn, Step.REASON, found, day)
        return
    await send_replies(turn)
    await ask_reply(turn, Step.DATE, found)


async def make(
    turn: Turn,
    day: date,
    reason: str,
    *,
    task_id: int | None = None,
    code: str | None = None,
    again: bool = False,
) -> None:
    """Record the request, send it to the admins, tell the lead; `again`: a refusal that
    another answer can mend asks the question again."""
    if code is not None:
        async with snapshot(turn.deps.sessions) as session:
            found = await extensions.check(session, caller=turn.caller, code=code)
            index = await turn.deps.lookup.get(session)
        if isinstance(found, Refused):
            await refuse(turn, found, index, code=code)
            return
        task_id = found.id
    assert task_id is not None
    user = turn.update.effective_user
    editor = Editor(turn.caller, user.full_name if user else "")
    async with writing(turn.deps.sessions) as session:
        made = await extensions.request_extension(
            session,
            editor=editor,
            task_id=task_id,
            new_deadline=day,
            reason=reason,
            now=turn.deps.clock.now(),
            today=turn.today,
        )
        index = await turn.deps.lookup.get(session)
    if isinstance(made, Refused):
        await refuse(turn, made, index, code=code or "", new=day, reason=reason)
        step = _ASK_AGAIN.get(made.why)
        if again and step is not None and made.task is not None:
            await send_replies(turn)
            await ask_reply(turn, step, made.task, day if step is Step.REASON else None)
        return
    count = await decisions.notify_admins(turn.context, made)
    turn.say(views.sent(turn.lang, made, count))
