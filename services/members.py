"""Agency leads: one-time invites, the member list, revoking and promoting (with a Confirm).

An invite is a pending action (services/pending.py) of kind "invite": made in an admin's
chat or by `dondoc invite`, opened from the invitee's private chat, so it is consumed
without the chat check. Revoking and promoting wait for a Confirm the same way, in the
admin's chat, and change the member only if nobody changed them meanwhile.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import pending
from services.access import Caller
from services.pending import Refusal
from storage.models import Member, Role

INVITE = "invite"  # pending_action.kind
INVITE_TTL = timedelta(days=7)
CONFIRM_TTL = timedelta(minutes=30)  # how long a /revoke or /promote waits for its Confirm
FROM_CLI = 0  # the inviter (and chat) of an invite made by `dondoc invite`
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
    """An accepted invite: the agency now led, and the one left (a lead who moved)."""

    agency_id: int
    previous_agency_id: int | None


@dataclass(frozen=True, slots=True)
class MemberInfo:
    """A member as /members lists them."""

    user_id: int
    role: Role
    agency_id: int | None
    name: str
    invited_by: int | None
    since: datetime | None  # when invited, else when the row was made


class Change(enum.StrEnum):
    """What an admin may do to a member after confirming."""

    REVOKE = "revoke"
    PROMOTE = "promote"


async def create_invites(
    session: AsyncSession, *, agency_ids: Sequence[int], by: int, chat_id: int, now: datetime
) -> list[Invite]:
    """One invite per agency, valid INVITE_TTL; `by` the admin (FROM_CLI: the command line)."""
    invites = []
    for agency_id in agency_ids:
        token = await pending.create(
            session,
            kind=INVITE,
            user_id=by,
            chat_id=chat_id,
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
    return Joined(agency_id, previous if previous != agency_id else None)


_MEMBER_COLUMNS = (
    Member.user_id,
    Member.role,
    Member.agency_id,
    Member.name,
    Member.invited_by,
    Member.invited_at,
    Member.created_at,
)


def _info(row: Any) -> MemberInfo:
    user_id, role, agency_id, name, invited_by, invited_at, created_at = row
    return MemberInfo(user_id, Role(role), agency_id, name, invited_by, invited_at or created_at)


async def list_members(session: AsyncSession, *, agency_id: int | None = None) -> list[MemberInfo]:
    """Leads (of one agency, or all) and admins, by agency then name."""
    stmt = select(*_MEMBER_COLUMNS).where(Member.role.in_((Role.LEAD.value, Role.ADMIN.value)))
    if agency_id is not None:
        stmt = stmt.where(Member.agency_id == agency_id, Member.role == Role.LEAD.value)
    # NULLS LAST on both databases (SQLite puts them first by default): admins come last.
    order = (Member.agency_id.asc().nulls_last(), Member.name, Member.user_id)
    rows = await session.execute(stmt.order_by(*order))
    return [_info(row) for row in rows]


async def get_member(session: AsyncSession, *, user_id: int) -> MemberInfo | None:
    """One member, or None for a user dondoc does not know."""
    row = (
        await session.execute(select(*_MEMBER_COLUMNS).where(Member.user_id == user_id))
    ).first()
    return None if row is None else _info(row)


def refuse_change(
    change: Change,
    target: MemberInfo | None,
    *,
    user_id: int,
    caller_id: int,
    admins: frozenset[int],
) -> str | None:
    """Why `change` cannot be asked for user `user_id` (a catalog id), or None."""
    if user_id == caller_id:
        return "member-self"
    if user_id in admins:
        return "member-settings-admin"  # DONDOC_ADMINS: only the setting changes that
    if target is None:
        return "member-unknown"
    if change is Change.PROMOTE and target.role is Role.ADMIN:
        return "member-already-admin"
    return None


async def ask_change(
    session: AsyncSession,
    *,
    change: Change,
    target: MemberInfo,
    by: int,
    chat_id: int,
    now: datetime,
) -> str:
    """Keep the change until the admin confirms it in this chat; return its token."""
    return await pending.create(
        session,
        kind=f"member-{change}",
        user_id=by,
        chat_id=chat_id,
        payload={
            "user_id": target.user_id,
            "role": target.role.value,
            "agency": target.agency_id,
            "name": target.name,
        },
        now=now,
        ttl=CONFIRM_TTL,
    )


async def confirm_change(
    session: AsyncSession,
    *,
    change: Change,
    token: str,
    chat_id: int,
    now: datetime,
    apply: bool,
) -> dict[str, Any] | Refusal | None:
    """Consume the asked change and, if `apply`, make it: only to the member as they were
    when asked. Returns what was asked (its payload), a refusal, or None when the member
    changed meanwhile (nothing done). Run it first in its transaction."""
    taken = await pending.consume(
        session, token=token, kind=f"member-{change}", chat_id=chat_id, now=now
    )
    if isinstance(taken, Refusal):
        return taken
    asked = taken.payload
    if not apply:
        return asked
    unchanged: list[ColumnElement[bool]] = [
        Member.user_id == asked["user_id"],
        Member.role == asked["role"],
        Member.agency_id.is_(None)
        if asked["agency"] is None
        else Member.agency_id == asked["agency"],
    ]
    if change is Change.REVOKE:
        done = await session.execute(delete(Member).where(*unchanged))
    else:
        done = await session.execute(
            update(Member).where(*unchanged).values(role=Role.ADMIN.value, agency_id=None)
        )
    return asked if getattr(done, "rowcount", 0) == 1 else None


def asked_member(asked: dict[str, Any]) -> MemberInfo:
    """The member as they were when the change was asked (a pending change's payload)."""
    role, agency = Role(asked["role"]), asked["agency"]
    return MemberInfo(int(asked["user_id"]), role, agency, str(asked["name"]), None, None)
