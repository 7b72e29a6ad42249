"""Questions of the extension flow answered by a reply (ForceReply): the date, the reason.

Each is a pending action (services/pending.py) keyed by the question's message id, so that a
reply finds the question it answers after a restart or in another process, and is taken once.
It is opened before the question is sent (no network call inside a transaction) and learns
the message id after; a reply quicker than that waits for it (handlers/common.prompt_replied).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import pending
from services.access import Caller
from services.pending import Pending
from storage.models import PendingAction

PROMPT_TTL = timedelta(hours=24)  # how long a question typed as a reply waits for it
PROMPTS_SCANNED = 20  # a user's latest questions in one chat, searched for the one replied to
PROMPT = "prompt"  # payload key: the question's message id (None while it is being sent)


class Step(enum.StrEnum):
    """What a question typed as a reply asks for (a pending action's kind)."""

    DATE = "extension-date"
    REASON = "extension-reason"


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question waiting for its reply: which, for which task and date, and its token."""

    token: str
    step: Step
    task_id: int
    day: date | None


async def open_question(
    session: AsyncSession, *, caller: Caller, step: Step, task_id: int, day: date | None,
    now: datetime,
) -> str:  # fmt: skip
    """Start waiting for the caller's reply to a question about to be sent; the token, for
    `sent_as` once the question's message id is known."""
    return await pending.create(
        session,
        kind=step.value,
        user_id=caller.user_id,
        chat_id=caller.chat_id,
        payload=_payload(task_id, day, None),
        now=now,
        ttl=PROMPT_TTL,
    )


async def sent_as(
    session: AsyncSession, *, token: str, task_id: int, day: date | None, message_id: int
) -> None:
    """The question went out as message `message_id`: only a reply to it answers it."""
    await pending.set_payload(session, token=token, payload=_payload(task_id, day, message_id))


def _payload(task_id: int, day: date | None, message_id: int | None) -> dict[str, object]:
    return {"task": task_id, "day": day.isoformat() if day else None, PROMPT: message_id}


async def being_sent(session: AsyncSession, *, user_id: int, chat_id: int, now: datetime) -> bool:
    """Whether a question to this user in this chat is being sent (see pending.being_sent)."""
    kinds = [step.value for step in Step]
    return await pending.being_sent(
        session, kinds=kinds, user_id=user_id, chat_id=chat_id, key=PROMPT, now=now
    )


async def find_prompt(
    session: AsyncSession, *, user_id: int, chat_id: int, message_id: int
) -> Prompt | None:
    """The question the user's reply to message `message_id` answers (used, expired or not),
    or None: the reply is not for us."""
    rows = await session.execute(
        select(PendingAction.token, PendingAction.kind, PendingAction.payload)
        .where(
            PendingAction.kind.in_([step.value for step in Step]),
            PendingAction.user_id == user_id,
            PendingAction.chat_id == chat_id,
        )
        .order_by(PendingAction.created_at.desc())
        .limit(PROMPTS_SCANNED)
    )
    for token, kind, payload in rows:
        if payload.get(PROMPT) == message_id:
            day = payload.get("day")
            return Prompt(
                token, Step(kind), int(payload["task"]), date.fromisoformat(day) if day else None
            )
    return None


async def take_prompt(
    session: AsyncSession, *, prompt: Prompt, chat_id: int, now: datetime
) -> Pending | pending.Refusal:
    """Consume the question (once: a second reply hears it was answered)."""
    return await pending.consume(
        session, token=prompt.token, kind=prompt.step.value, chat_id=chat_id, now=now
    )
