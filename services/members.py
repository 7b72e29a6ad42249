"""Members as the secretariat manages them: the list, revoking and promoting.

Revoking and promoting wait for a Confirm in the admin's chat (a pending action), and change
the member only if nobody changed them meanwhile (moved by an invite, say).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import pending
from services.access import Action, Caller, require
from services.pending import Refusal
from storage.models import Member, Role

CONFIRM_TTL = timedelta(minutes=30)  # how long a /revoke or /promote waits for its Confirm


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
    session: AsyncSession, *, caller: Caller, change: Change, target: MemberInfo, now: datetime
) -> str:
    """Keep the change until the admin confirms it in this chat; return its token."""
    require(caller, Action.MANAGE_MEMBERS)
    return await pending.create(
        session,
        kind=f"member-{change}",
        user_id=caller.user_id,
        chat_id=caller.chat_id,
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
    caller: Caller,
    change: Change,
    token: str,
    now: datetime,
    apply: bool,
) -> dict[str, Any] | Refusal | None:
    """Consume the asked change and, if `apply`, make it: only to the member as they were
    when asked. Returns what was asked (its payload), a refusal, or None when the member
    changed meanwhile (nothing done). Run it first in its transaction."""
    require(caller, Action.MANAGE_MEMBERS)
    taken = await pending.consume(
        session, token=token, kind=f"member-{change}", chat_id=caller.chat_id, now=now
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
