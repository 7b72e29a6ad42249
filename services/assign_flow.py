"""The /assign flow: a draft filled step by step (or from one line), kept in the database.

The draft lives in a pending action (kind "assign", services/pending.py), one row per step:
each answer consumes the step's row and leaves the next, so a double tap or a reply raced by
another counts once, and a restarted bot (or another process) carries on from the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, pending
from services.access import Action, Caller
from services.assign import answer, next_step
from services.lookup import Lookup, Target, TargetIndex, fold
from services.pending import Pending, Refusal
from services.task_fields import means_none, parse_code, parse_deadline, parse_text
from storage.models import PendingAction

FLOW = "assign"  # the pending action's kind
FLOW_TTL = timedelta(hours=2)  # a half-done /assign waits this long
CODE_MARK = "#"  # "/assign MOF 31/03/2027 NQ57 #NQ57-100 Title": a code given


# --- the flow --------------------------------------------------------------------------------


async def start(
    session: AsyncSession, *, caller: Caller, payload: Mapping[str, Any], now: datetime
) -> Pending:
    """Begin a flow with what is known already; an older one of the caller's in this chat
    ends (its buttons then say "used")."""
    access.require(caller, Action.MANAGE_TASKS)
    await session.execute(
        update(PendingAction)
        .where(*_mine(caller), PendingAction.consumed_at.is_(None))
        .values(consumed_at=now)
    )
    return await _create(session, caller=caller, payload=dict(payload), now=now)


async def waiting(session: AsyncSession, *, caller: Caller, now: datetime) -> Pending | None:
    """The caller's unfinished flow in this chat, if any."""
    token = await session.scalar(
        select(PendingAction.token)
        .where(*_mine(caller), PendingAction.consumed_at.is_(None), PendingAction.expires_at > now)
        .order_by(PendingAction.created_at.desc())
        .limit(1)
    )
    return None if token is None else await pending.read(session, token=token)


async def advance(
    session: AsyncSession,
    *,
    caller: Caller,
    token: str,
    step: str,
    value: object,
    now: datetime,
) -> Pending | Refusal:
    """Answer `step` of the flow behind `token`; the flow's next state, or why not."""
    taken = await take(session, caller=caller, token=token, now=now, step=step)
    if isinstance(taken, Refusal):
        return taken
    payload = taken.payload | answer(step, value)
    return await _create(session, caller=caller, payload=payload, now=now)


ANY_STEP = "*"


async def take(
    session: AsyncSession,
    *,
    caller: Caller,
    token: str,
    now: datetime,
    step: str | None = ANY_STEP,
) -> Pending | Refusal:
    """Consume the flow's row behind `token` if it waits for `step` (None: the Confirm;
    ANY_STEP: anything, to abandon it); only its own admin may, in its own chat. A token
    of someone else's, or of a step the flow is not at (a forged button), is UNKNOWN."""
    access.require(caller, Action.MANAGE_TASKS)
    found = await pending.read(session, token=token)
    if found is None or found.kind != FLOW or found.user_id != caller.user_id:
        return Refusal.UNKNOWN
    if step != ANY_STEP and next_step(found.payload) != step:
        return Refusal.UNKNOWN
    return await pending.consume(session, token=token, kind=FLOW, chat_id=caller.chat_id, now=now)


async def abandon(session: AsyncSession, *, caller: Caller, now: datetime) -> bool:
    """End the caller's waiting flow in this chat (/cancel without a code); False if none."""
    flow = await waiting(session, caller=caller, now=now)
    if flow is None:
        return False
    taken = await take(session, caller=caller, token=flow.token, now=now)
    return not isinstance(taken, Refusal)


async def _create(
    session: AsyncSession, *, caller: Caller, payload: dict[str, Any], now: datetime
) -> Pending:
    token = await pending.create(
        session, kind=FLOW, user_id=caller.user_id, chat_id=caller.chat_id, payload=payload,
        now=now, ttl=FLOW_TTL,
    )  # fmt: skip
    made = await pending.read(session, token=token)
    assert made is not None
    return made


def _mine(caller: Caller) -> tuple[Any, ...]:
    return (
        PendingAction.kind == FLOW,
        PendingAction.user_id == caller.user_id,
        PendingAction.chat_id == caller.chat_id,
    )


# --- the one-line form ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """`/assign <agency> <deadline|-> [<programme>] [#<code>] <title>`, read."""

    agency: Lookup
    agency_text: str
    deadline: date | None
    program: Target | None
    code: str | None
    title: str


_DATE_SHAPED = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def _is_deadline(word: str) -> bool:
    """A deadline's place: a dash, "không", or a word shaped like a date (31/02/2027 too, to
    be refused as a date rather than read as part of the agency's name)."""
    return means_none(word) or _DATE_SHAPED.fullmatch(word) is not None


def _deadline_at(words: list[str], index: TargetIndex) -> int | None:
    """Where the deadline is: the first date, else the first "-" or "không", after words
    naming an agency ("Bà Rịa - Vũng Tàu 31/03/2027 …" is the former province, and a title
    may hold a date); failing that, the first of them."""
    found = [n for n, word in enumerate(words) if n and _is_deadline(word)]
    dates = [n for n in found if not means_none(words[n])]
    for n in (*dates, *(n for n in found if n not in dates)):
        if index.resolve(" ".join(words[:n])).found is not None:
            return n
    return found[0] if found else None


def split_line(text: str, index: TargetIndex) -> Line | None:
    """The parts of a one-line /assign, or None when it names no deadline (then it is at
    most an agency: the guided flow asks the rest). Raises FieldError for a bad part."""
    words = text.split()
    at = _deadline_at(words, index)
    if at is None:
        return None
    agency_text = " ".join(words[:at])
    deadline = parse_deadline(words[at])
    rest = words[at + 1 :]
    program: Target | None = None
    code: str | None = None
    for _ in range(2):  # a programme and a code, in either order
        if rest and program is None and (found := _program_code(rest[0], index)) is not None:
            program, rest = found, rest[1:]
        elif rest and code is None and rest[0].startswith(CODE_MARK) and len(rest[0]) > 1:
            code, rest = parse_code(rest[0][1:]), rest[1:]
    title = parse_text(" ".join(rest), field="title")
    return Line(index.resolve(agency_text), agency_text, deadline, program, code, title)


def _program_code(word: str, index: TargetIndex) -> Target | None:
    """The programme whose code `word` is exactly (any case), as the one-line form reads it."""
    folded = fold(word)
    return next(
        (t for t in index.targets if t.kind == "program" and fold(t.code) == folded and folded),
        None,
    )
