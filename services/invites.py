"""One-time invites that make their opener a lead of an agency.

An invite is a pending action (services/pending.py) of kind "invite": made in an admin's
chat or by `dondoc invite`, opened from the invitee's private chat, so it is consumed
without the chat check. What opening one does is a pure rule (`plan`); nothing is written
until the invite is accepted.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services import pending
from services.access import COMMAND_LINE, Action, Caller, require
from services.pending import Refusal
from storage.models import Member, Role

INVITE = "invite"  # pending_action.kind
INVITE_TTL = timedelta(days=7)
FROM_CLI = COMMAND_LINE.chat_id  # the chat of an invite made by `dondoc invite`
NAME_MAX = 255  # member.name


@dataclass(frozen=True, slots=True)
class Invite:
    """A one-time invite to become a lead of an agency."""

    token: str
    agency_id: int
    expires_at: datetime


class Step(enum.Enum):
    """What opening an invite does, given who opens it."""

    INVALID = "invalid"  # never issued (forged, mistyped), or purged long ago
    USED = "used"
    EXPIRED = "expired"
    ADMIN = "admin"  # an admin stays an admin: nothing changes, the link stays valid
    ALREADY = "already"  # already a lead of that agency
    ASK_MOVE = "ask-move"  # a lead of another agency: moves only once they confirm
    JOIN = "join"


@dataclass(frozen=True, slots=True)
class InviteCheck:
    """An opened invite, before anything is written."""

    step: Step
    agency_id: int = 0
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Joined:
    """An accepted invite: the agency now led, the one left (a lead who moved), and the
    inviter's chat and language, to tell them (None: made by `dondoc invite`)."""

    agency_id: int
    previous_agency_id: int | None
    inviter_chat: int | None = None
    inviter_language: str | None = None


async def create_invites(
    session: AsyncSession, *, caller: Caller, agency_ids: Sequence[int], now: datetime
) -> list[Invite]:
    """One invite per agency, valid INVITE_TTL, made by an admin (or COMMAND_LINE)."""
    require(caller, Action.MANAGE_MEMBERS)
    invites = []
    for agency_id in agency_ids:
        token = await pending.create(
            session,
            kind=INVITE,
            user_id=caller.user_id,
            chat_id=caller.chat_id,
            payload={"agency_id": agency_id},
            now=now,
            ttl=INVITE_TTL,
        )
        invites.append(Invite(token, agency_id, now + INVITE_TTL))
    return invites


def plan(
    role: Role | None, agency_id: int | None, invited_to: int, refusal: Refusal | None
) -> Step:
    """What opening an invite to `invited_to` does for a caller of `role` and `agency_id`."""
    if role is Role.LEAD and agency_id == invited_to:
        return Step.ALREADY  # even when used: most likely by this very lead, a second tap
    if refusal is Refusal.USED:
        return Step.USED
    if refusal is not None:
        return Step.EXPIRED
    if role is Role.ADMIN:
        return Step.ADMIN
    if role is Role.LEAD and agency_id is not None:
        return Step.ASK_MOVE
    return Step.JOIN


async def check_invite(
    session: AsyncSession, *, token: str, caller: Caller, now: datetime
) -> InviteCheck:
    """What opening the invite `token` would do for `caller`; writes nothing."""
    found = await pending.read(session, token=token)
    if found is None or found.kind != INVITE:
        return InviteCheck(Step.INVALID)
    agency_id = int(found.payload["agency_id"])
    step = plan(caller.role, caller.agency_id, agency_id, found.refusal(now))
    return InviteCheck(step, agency_id, found.expires_at)


async def accept_invite(
    session: AsyncSession, *, token: str, caller: Caller, name: str, now: datetime
) -> Joined | Refusal | Step:
    """Consume the invite and make the caller a lead of its agency (moving a lead of
    another); Step.ADMIN, with the invite left valid, for an admin. Run it first in its
    transaction (pending.consume)."""
    taken = await pending.consume(session, token=token, kind=INVITE, chat_id=None, now=now)
    if isinstance(taken, Refusal):
        return taken
    member = await session.get(Member, caller.user_id)
    if caller.is_admin or (member is not None and member.role == Role.ADMIN):
        # Promoted since the link was checked: never demote; the link goes to someone else.
        await pending.release(session, token=token, consumed_at=now)
        return Step.ADMIN
    if member is None:
        member = Member(user_id=caller.user_id, telegram_language=caller.telegram_language)
        session.add(member)
    agency_id = int(taken.payload["agency_id"])
    previous = member.agency_id if member.role == Role.LEAD else None
    member.role = Role.LEAD.value
    member.agency_id = agency_id
    member.name = name[:NAME_MAX]
    member.invited_by = taken.user_id
    member.invited_at = now
    await session.flush()
    previous = previous if previous != agency_id else None
    if taken.chat_id == FROM_CLI:
        return Joined(agency_id, previous)
    inviter = await session.get(Member, taken.user_id)
    language = (inviter.language or inviter.telegram_language) if inviter else None
    return Joined(agency_id, previous, taken.chat_id, language)
