"""Notes and evidence on a task: the card's Note and Evidence prompt (ForceReply), the reply
that answers it, and a file captioned with a task's code (task_evidence.py sends files back).

A prompt is a ForceReply(selective=True) naming who pressed: in a group with privacy mode on
the bot still sees the reply (a reply to its own message), and only that person's phone
opens the reply box. What the prompt waits for is a pending action in the database
(services/task_prompts.py), so the reply finds it in any process, after any restart.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ForceReply, Message
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.common import Turn, guarded_flow, prompt_replied, send_question
from handlers.task_buttons import CardButton, Verb, pressed
from handlers.task_card import editor, refusal, say_card, tell
from rendering import tasks as views
from rendering.text import Html, cut
from services import access, task_cards, task_prompts, task_writes
from services.access import Action, NotAllowed
from services.pending import Refusal
from services.task_prompts import Prompt, Waiting
from services.task_writes import EvidenceFile
from storage.db import snapshot, writing
from storage.models import EvidenceKind, Task

log = logging.getLogger(__name__)

PLACEHOLDER_MAX = 64  # ForceReply.input_field_placeholder: 1-64 characters
ASKS = {Verb.NOTE: Prompt.NOTE, Verb.EVIDENCE: Prompt.EVIDENCE}


@guarded_flow(Action.VIEW_REPORTS)
async def ask(turn: Turn) -> None:
    """Note or Evidence pressed: ask for a reply, for the one who pressed."""
    button = CardButton.of(turn.update)
    prompt = ASKS[button.verb]
    problem: Html | None = None
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=button.task_id)
        if task is None:
            problem = turn.t("task-gone")
        else:
            try:
                token = await task_prompts.open_prompt(
                    session,
                    prompt=prompt,
                    task=task,
                    caller=turn.caller,
                    now=turn.deps.clock.now(),
                )
            except NotAllowed:
                problem = refusal(turn, task, Action.ADD_NOTE)
    if problem is not None or task is None:
        await tell(turn, problem or Html(""))
        return
    await turn.acknowledge()
    sent = await send_question(turn.deps, token, lambda: _send_prompt(turn, prompt, task.code))
    async with writing(turn.deps.sessions) as session:
        await task_prompts.sent_as(
            session, token=token, task_id=task.id, message_id=sent.message_id
        )


async def _send_prompt(turn: Turn, prompt: Prompt, code: str) -> Message:
    user = turn.update.effective_user
    who = views.mention(turn.caller.user_id, user.full_name if user else "")
    kind = "note" if prompt is Prompt.NOTE else "evidence"
    placeholder = cut(str(turn.t(f"{kind}-placeholder", code=code)), PLACEHOLDER_MAX)
    return await turn.context.bot.send_message(
        turn.caller.chat_id,
        turn.t(f"{kind}-ask", who=who, code=code),
        reply_markup=ForceReply(selective=True, input_field_placeholder=placeholder),
    )


@guarded_flow(None)  # anyone's reply reaches here; only a prompt's own person gets further
async def on_message(turn: Turn) -> None:
    """A reply to the bot (a prompt's answer), or a file captioned with a task's code."""
    message = turn.update.effective_message
    assert message is not None
    replied = message.reply_to_message
    if replied is not None and replied.from_user and replied.from_user.id == turn.context.bot.id:
        now, caller, replied_id = turn.deps.clock.now(), turn.caller, replied.message_id
        waiting = await prompt_replied(
            turn.deps,
            lambda session: task_prompts.answered(
                session, caller=caller, message_id=replied_id, now=now
            ),
            lambda session: task_prompts.being_sent(session, caller=caller, now=now),
        )
        if waiting is not None:
            await _answer(turn, message, waiting)
            return
    if _file_of(message) is not None:
        await _captioned(turn, message)


async def _answer(turn: Turn, message: Message, waiting: Waiting) -> None:
    file = _file_of(message)
    if waiting.refusal is not None:
        async with snapshot(turn.deps.sessions) as session:
            task = await task_writes.load(session, task_id=waiting.task_id)
        code = task.code if task else ""
        used = waiting.refusal is Refusal.USED
        turn.say(turn.t("note-used" if used else "prompt-expired", code=code))
    elif waiting.prompt is Prompt.NOTE and file is None and message.text:
        await _note(turn, waiting, message.text)
    elif waiting.prompt is Prompt.NOTE:
        turn.say(turn.t("note-needs-text"))
    elif file is not None:
        await _evidence(turn, waiting.task_id, file)
    else:
        turn.say(turn.t("evidence-needs-file"))


async def _note(turn: Turn, waiting: Waiting, text: str) -> None:
    """Keep the reply as the task's note (the prompt is used once)."""
    problem: Html | None = None
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=waiting.task_id)
        now = turn.deps.clock.now()
        if task is None:
            problem = turn.t("task-gone")
        elif not task_cards.rights(turn.caller, task).note:  # revoked since: keep the prompt
            problem = refusal(turn, task, Action.ADD_NOTE)
        elif not await task_prompts.take(session, waiting=waiting, caller=turn.caller, now=now):
            problem = turn.t("note-used", code=task.code)  # a second process was first
        else:
            problem = await add_note(turn, session, task, text)
    if problem is not None:
        turn.say(problem)


async def add_note(turn: Turn, session: AsyncSession, task: Task, text: str) -> Html | None:
    """Add a note to a loaded task and queue the card; else say why not. (Also /update's.)"""
    try:
        await task_writes.add_note(
            session, task=task, text=text, editor=editor(turn), now=turn.deps.clock.now()
        )
    except NotAllowed:
        return refusal(turn, task, Action.ADD_NOTE)
    await say_card(turn, session, task, turn.t("note-saved", code=task.code))
    return None


def _file_of(message: Message) -> EvidenceFile | None:
    """A photo (its largest size) or a document, as Telegram describes it."""
    caption = message.caption or None
    if message.photo:
        photo = message.photo[-1]
        return EvidenceFile(
            EvidenceKind.PHOTO, photo.file_id, photo.file_unique_id, None, photo.file_size,
            caption,
        )  # fmt: skip
    document = message.document
    if document is not None:
        return EvidenceFile(
            EvidenceKind.DOCUMENT, document.file_id, document.file_unique_id,
            document.file_name, document.file_size, caption,
        )  # fmt: skip
    return None


async def _evidence(turn: Turn, task_id: int, file: EvidenceFile) -> None:
    problem: Html | None = None
    async with writing(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=task_id)
        if task is None:
            problem = turn.t("task-gone")
        else:
            problem = await _keep(turn, session, task, file)
    if problem is not None:
        turn.say(problem)


async def _keep(turn: Turn, session: AsyncSession, task: Task, file: EvidenceFile) -> Html | None:
    try:
        added = await task_writes.add_evidence(
            session, task=task, file=file, editor=editor(turn), now=turn.deps.clock.now()
        )
    except NotAllowed:
        return refusal(turn, task, Action.ADD_NOTE)
    if not added:
        return turn.t("evidence-duplicate", code=task.code)
    facts = await task_cards.card_facts(session, task_id=task.id)
    name = file.file_name or turn.t("evidence-photo")
    turn.say(turn.t("evidence-saved", code=task.code, name=name, count=facts.evidence_count))
    return None


async def _captioned(turn: Turn, message: Message) -> None:
    """A file whose caption names a task: evidence for it. In a group, only those who may
    add evidence somewhere hear back: others' photos are none of the bot's business."""
    file = _file_of(message)
    assert file is not None
    in_group = turn.caller.in_group
    unknown = access.denial(turn.caller, Action.VIEW_REPORTS)
    if unknown is not None or (in_group and not access.may(turn.caller, Action.ADD_NOTE)):
        if not in_group:
            turn.say(turn.t(unknown or "evidence-hint"))
        return
    async with snapshot(turn.deps.sessions) as session:
        named = await task_prompts.tasks_named_in(session, message.caption or "")
    if len(named) > 1:
        turn.say(turn.t("evidence-several", codes=", ".join(code for _id, code in named)))
    elif named:
        await _evidence(turn, named[0][0], file)
    elif not in_group:
        turn.say(turn.t("evidence-hint"))


class ReplyToBot(filters.MessageFilter):
    """A message replying to one of this bot's own messages."""

    __slots__ = ()

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        author = replied.from_user if replied is not None else None
        return author is not None and author.id == message.get_bot().id


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Note and Evidence, the replies and the captioned files."""
    new = filters.UpdateType.MESSAGE & ~filters.FORWARDED
    files = filters.PHOTO | filters.Document.ALL
    replies = new & ReplyToBot() & ((filters.TEXT & ~filters.COMMAND) | files)
    # A caption that is a command is someone's command (/import is the import's, registered
    # before these; /import@otherbot another bot's): never evidence.
    captioned = new & files & ~filters.CaptionRegex(r"^/")
    return [
        CallbackQueryHandler(ask, pattern=pressed(Verb.NOTE, Verb.EVIDENCE)),
        MessageHandler(replies, on_message),
        MessageHandler(captioned, on_message),
    ]
