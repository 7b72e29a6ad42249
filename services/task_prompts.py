"""Prompts that wait for a reply: a note typed, or a file sent, in answer to the bot's
Note or Evidence prompt. The waiting lives in the database (services/pending.py), keyed by
the user, the chat and the prompt message they reply to, so that a reply reaches any process
and survives a restart.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import pending, task_writes
from services.access import Action, Caller
from services.pending import Refusal
from storage.models import Task, code_key

CODE_LEN = 64  # task.code
TTL = timedelta(hours=24)  # a prompt answered the next morning still counts
TASK, MESSAGE = "task", "message"  # payload keys: the task, the prompt's message id


class Prompt(enum.StrEnum):
    """What a prompt waits for (the pending action's kind)."""

    NOTE = "task-note"  # one text reply, then it is used
    EVIDENCE = "task-evidence"  # files, any number (an album arrives as several messages)


@dataclass(frozen=True, slots=True)
class Waiting:
    """A prompt a reply answers, and why it can no longer be answered (None: it can)."""

    token: str
    prompt: Prompt
    task_id: int
    refusal: Refusal | None


async def open_prompt(
    session: AsyncSession, *, prompt: Prompt, task: Task, caller: Caller, now: datetime
) -> str:
    """Start waiting for the caller's reply in this chat (access.NotAllowed unless they may
    add notes and evidence to the task); the token, for `sent_as`."""
    task_writes.require(caller, Action.ADD_NOTE, task)
    return await pending.create(
        session,
        kind=prompt.value,
        user_id=caller.user_id,
        chat_id=caller.chat_id,
        payload={TASK: task.id},
        now=now,
        ttl=TTL,
    )


async def sent_as(session: AsyncSession, *, token: str, task_id: int, message_id: int) -> None:
    """Remember the prompt's message: only a reply to it answers it."""
    await pending.set_payload(session, token=token, payload={TASK: task_id, MESSAGE: message_id})


async def answered(
    session: AsyncSession, *, caller: Caller, message_id: int, now: datetime
) -> Waiting | None:
    """The caller's prompt in this chat whose message is `message_id` (valid, used or
    expired), or None if the reply answers no prompt of theirs."""
    rows = await pending.started_by(
        session, kinds=[p.value for p in Prompt], user_id=caller.user_id, chat_id=caller.chat_id
    )
    for row in rows:
        task_id = row.payload.get(TASK)
        if row.payload.get(MESSAGE) == message_id and isinstance(task_id, int):
            return Waiting(row.token, Prompt(row.kind), task_id, row.refusal(now))
    return None


async def being_sent(session: AsyncSession, *, caller: Caller, now: datetime) -> bool:
    """Whether a prompt to the caller in this chat is being sent (see pending.being_sent)."""
    return await pending.being_sent(
        session,
        kinds=[p.value for p in Prompt],
        user_id=caller.user_id,
        chat_id=caller.chat_id,
        key=MESSAGE,
        now=now,
    )


async def take(session: AsyncSession, *, waiting: Waiting, caller: Caller, now: datetime) -> bool:
    """Use a note prompt (once: a second reply, or a second process, finds it used)."""
    claimed = await pending.consume(
        session, token=waiting.token, kind=waiting.prompt.value, chat_id=caller.chat_id, now=now
    )
    return not isinstance(claimed, Refusal)


_WORD = re.compile(r"[^\s,;:()\[\]{}<>\"'“”«»]+")
MAX_WORDS = 30  # a caption's words looked up as codes (captions run to 1024 characters)


async def tasks_named_in(session: AsyncSession, text: str) -> list[tuple[int, str]]:
    """The tasks whose codes appear as words of `text` (a file's caption): (id, code),
    in the order of their codes. One indexed lookup, whatever the caption."""
    words = [w.rstrip(".!?…") for w in _WORD.findall(text)]
    keys = {code_key(w) for w in words[:MAX_WORDS] if w and len(w) <= CODE_LEN}
    if not keys:
        return []
    query = select(Task.id, Task.code).where(Task.code_key.in_(keys)).order_by(Task.code)
    return [(int(row.id), str(row.code)) for row in await session.execute(query)]
