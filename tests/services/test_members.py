"""The member list, revoking and promoting (confirmed, and only as asked), on both databases."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services import invites, members
from services.access import NotAllowed
from services.members import Change
from services.pending import Refusal
from storage.models import Member, Role
from tests.services.test_invites import (
    ADMIN,
    LEAD,
    NEWCOMER,
    NOW,
    agency_of,
    make_caller,
    new_invite,
)


async def test_members_are_listed_by_agency_and_one_agency_alone(session: AsyncSession) -> None:
    mof, hn = await agency_of(session, "MOF"), await agency_of(session, "HN")
    session.add_all([
        Member(user_id=1, role="lead", agency_id=hn, name="Bình"),
        Member(user_id=2, role="lead", agency_id=mof, name="An"),
        Member(user_id=3, role="admin", name="Chi"),
        Member(user_id=4, role="viewer", name="Dũng"),
        Member(user_id=5, role="lead", agency_id=mof, name="Anh"),
    ])  # fmt: skip
    await session.flush()
    everyone = [m.user_id for m in await members.list_members(session)]
    leads = sorted([(hn, "Bình", 1), (mof, "An", 2), (mof, "Anh", 5)])
    assert everyone == [*(uid for _a, _n, uid in leads), 3]  # admins last; viewers not at all
    assert [m.user_id for m in await members.list_members(session, agency_id=mof)] == [2, 5]
    found = await members.get_member(session, user_id=4)
    assert found is not None
    assert (found.role, found.name) == (Role.VIEWER, "Dũng")
    assert await members.get_member(session, user_id=99) is None


@pytest.mark.parametrize(
    ("change", "user_id", "role", "expected"),
    [
        (Change.REVOKE, ADMIN, Role.LEAD, "member-self"),
        (Change.REVOKE, 7, Role.LEAD, "member-settings-admin"),
        (Change.REVOKE, NEWCOMER, None, "member-unknown"),
        (Change.PROMOTE, NEWCOMER, Role.ADMIN, "member-already-admin"),
        (Change.REVOKE, NEWCOMER, Role.ADMIN, None),  # a promoted admin can be revoked
        (Change.PROMOTE, NEWCOMER, Role.LEAD, None),
        (Change.REVOKE, NEWCOMER, Role.VIEWER, None),
    ],
)
def test_which_changes_may_be_asked(
    change: Change, user_id: int, role: Role | None, expected: str | None
) -> None:
    target = None if role is None else members.MemberInfo(user_id, role, None, "", None, None)
    refused = members.refuse_change(
        change, target, user_id=user_id, caller_id=ADMIN, admins=frozenset({ADMIN, 7})
    )
    assert refused == expected


ADMIN_CALLER = make_caller(ADMIN, Role.ADMIN)


async def _ask(session: AsyncSession, change: Change, user_id: int) -> str:
    target = await members.get_member(session, user_id=user_id)
    assert target is not None
    return await members.ask_change(
        session, caller=ADMIN_CALLER, change=change, target=target, now=NOW
    )


async def test_a_confirmed_revoke_or_promote_applies_once(session: AsyncSession) -> None:
    mof = await agency_of(session, "MOF")
    session.add_all([
        Member(user_id=LEAD, role="lead", agency_id=mof, name="An"),
        Member(user_id=NEWCOMER, role="lead", agency_id=mof, name="Bình"),
    ])  # fmt: skip
    await session.flush()
    revoke = await _ask(session, Change.REVOKE, LEAD)
    promote = await _ask(session, Change.PROMOTE, NEWCOMER)
    wrong_chat = await members.confirm_change(
        session,
        change=Change.REVOKE,
        token=revoke,
        caller=replace(ADMIN_CALLER, chat_id=ADMIN + 1),
        now=NOW,
        apply=True,
    )
    assert wrong_chat is Refusal.UNKNOWN
    asked = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, caller=ADMIN_CALLER, now=NOW, apply=True
    )
    assert asked == {"user_id": LEAD, "role": "lead", "agency": mof, "name": "An"}
    assert await session.get(Member, LEAD) is None
    twice = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, caller=ADMIN_CALLER, now=NOW, apply=True
    )
    assert twice is Refusal.USED
    await members.confirm_change(
        session, change=Change.PROMOTE, token=promote, caller=ADMIN_CALLER, now=NOW, apply=True
    )
    promoted = await session.get(Member, NEWCOMER)
    assert promoted is not None
    assert (promoted.role, promoted.agency_id) == ("admin", None)


async def test_a_change_to_a_member_who_changed_meanwhile_does_nothing(
    session: AsyncSession,
) -> None:
    mof, hn = await agency_of(session, "MOF"), await agency_of(session, "HN")
    session.add(Member(user_id=LEAD, role="lead", agency_id=mof, name="An"))
    await session.flush()
    revoke = await _ask(session, Change.REVOKE, LEAD)
    cancel = await _ask(session, Change.REVOKE, LEAD)
    invite = await new_invite(session, "HN")
    await invites.accept_invite(
        session, token=invite, caller=make_caller(LEAD, Role.LEAD, mof), name="An", now=NOW
    )
    stale = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, caller=ADMIN_CALLER, now=NOW, apply=True
    )
    assert stale is None
    kept = await session.get(Member, LEAD)
    assert kept is not None
    assert (kept.role, kept.agency_id) == ("lead", hn)
    cancelled = await members.confirm_change(
        session, change=Change.REVOKE, token=cancel, caller=ADMIN_CALLER, now=NOW, apply=False
    )
    assert isinstance(cancelled, dict)
    assert await session.get(Member, LEAD) is not None


async def test_only_an_admin_may_ask_or_confirm_a_change(session: AsyncSession) -> None:
    mof = await agency_of(session, "MOF")
    session.add(Member(user_id=NEWCOMER, role="lead", agency_id=mof, name="An"))
    await session.flush()
    target = await members.get_member(session, user_id=NEWCOMER)
    assert target is not None
    token = await _ask(session, Change.REVOKE, NEWCOMER)
    lead = make_caller(LEAD, Role.LEAD, mof)
    with pytest.raises(NotAllowed):
        await members.ask_change(
            session, caller=lead, change=Change.PROMOTE, target=target, now=NOW
        )
    with pytest.raises(NotAllowed):
        await members.confirm_change(
            session, caller=replace(lead, chat_id=ADMIN), change=Change.REVOKE, token=token,
            now=NOW, apply=True,
        )  # fmt: skip
    assert await session.get(Member, NEWCOMER) is not None
