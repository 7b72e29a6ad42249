"""Invites, the member list, revoking and promoting, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import members, pending
from services.access import Caller
from services.members import Change, InviteCheck, Joined, Step
from services.pending import Refusal
from storage.models import Agency, Member, Role

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
ADMIN, LEAD, NEWCOMER = 9001, 9002, 9003


def _caller(user_id: int, role: Role | None = None, agency_id: int | None = None) -> Caller:
    return Caller(
        user_id=user_id,
        chat_id=user_id,
        chat_type="private",
        role=role,
        agency_id=agency_id,
        chat_registered=False,
        language=None,
        telegram_language="vi",
    )


async def _agency(session: AsyncSession, code: str) -> int:
    return int(await session.scalar(select(Agency.id).where(Agency.code == code)) or 0)


async def _invite(session: AsyncSession, code: str, *, now: datetime = NOW) -> str:
    [made] = await members.create_invites(
        session, agency_ids=[await _agency(session, code)], by=ADMIN, chat_id=ADMIN, now=now
    )
    assert made.expires_at == now + timedelta(days=7)
    return made.token


@pytest.mark.parametrize(
    ("role", "own", "refusal", "step"),
    [
        (None, None, None, Step.JOIN),
        (Role.VIEWER, None, None, Step.JOIN),
        (Role.LEAD, 2, None, Step.ASK_MOVE),
        (Role.LEAD, 1, None, Step.ALREADY),
        (Role.LEAD, 1, Refusal.USED, Step.ALREADY),  # their own second tap
        (Role.LEAD, 2, Refusal.USED, Step.USED),
        (Role.ADMIN, None, None, Step.ADMIN),
        (Role.ADMIN, None, Refusal.EXPIRED, Step.EXPIRED),
        (None, None, Refusal.USED, Step.USED),
        (None, None, Refusal.EXPIRED, Step.EXPIRED),
    ],
)
def test_what_opening_an_invite_does(
    role: Role | None, own: int | None, refusal: Refusal | None, step: Step
) -> None:
    assert members.plan(role, own, 1, refusal) is step


async def test_an_invite_makes_a_newcomer_a_lead_once(session: AsyncSession) -> None:
    mof = await _agency(session, "MOF")
    token = await _invite(session, "MOF")
    newcomer = _caller(NEWCOMER)
    check = await members.check_invite(session, token=token, caller=newcomer, now=NOW)
    assert check == InviteCheck(Step.JOIN, mof, NOW + members.INVITE_TTL)
    later = NOW + timedelta(hours=1)
    done = await members.accept_invite(
        session, token=token, caller=newcomer, name="Nguyễn Văn A", now=later
    )
    assert done == Joined(mof, None)
    member = await session.get(Member, NEWCOMER)
    assert member is not None
    assert (member.role, member.agency_id, member.name) == ("lead", mof, "Nguyễn Văn A")
    assert (member.invited_by, member.invited_at, member.telegram_language) == (ADMIN, later, "vi")
    again = await members.accept_invite(
        session, token=token, caller=_caller(LEAD), name="B", now=later
    )
    assert again is Refusal.USED
    assert await session.get(Member, LEAD) is None
    seen = await members.check_invite(session, token=token, caller=_caller(LEAD), now=later)
    assert seen.step is Step.USED


async def test_expired_and_forged_invites_change_nothing(session: AsyncSession) -> None:
    token = await _invite(session, "MOF")
    late = NOW + members.INVITE_TTL
    newcomer = _caller(NEWCOMER)
    assert (await members.check_invite(session, token=token, caller=newcomer, now=late)).step is (
        Step.EXPIRED
    )
    done = await members.accept_invite(session, token=token, caller=newcomer, name="A", now=late)
    assert done is Refusal.EXPIRED
    forged = await members.check_invite(session, token="A" * 16, caller=newcomer, now=NOW)
    assert forged == InviteCheck(Step.INVALID)
    other_kind = await pending.create(
        session,
        kind="import",
        user_id=ADMIN,
        chat_id=ADMIN,
        payload={},
        now=NOW,
        ttl=members.INVITE_TTL,
    )
    assert (
        await members.check_invite(session, token=other_kind, caller=newcomer, now=NOW)
    ).step is (Step.INVALID)
    assert await session.get(Member, NEWCOMER) is None


async def test_an_admin_is_never_demoted_and_the_invite_stays_valid(
    session: AsyncSession,
) -> None:
    token = await _invite(session, "MOF")
    # An admin from DONDOC_ADMINS (no row), and one promoted in the table.
    session.add(Member(user_id=LEAD, role=Role.ADMIN.value))
    await session.flush()
    for caller in (_caller(ADMIN, Role.ADMIN), _caller(LEAD, None)):
        done = await members.accept_invite(session, token=token, caller=caller, name="X", now=NOW)
        assert done is Step.ADMIN
    assert await session.get(Member, ADMIN) is None
    row = await session.get(Member, LEAD)
    assert row is not None
    assert (row.role, row.agency_id) == ("admin", None)
    joined = await members.accept_invite(
        session, token=token, caller=_caller(NEWCOMER), name="", now=NOW
    )
    assert isinstance(joined, Joined)


async def test_a_lead_who_accepts_moves_and_keeps_one_agency(session: AsyncSession) -> None:
    mof, hn = await _agency(session, "MOF"), await _agency(session, "HN")
    session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof, name="Old"))
    await session.flush()
    token = await _invite(session, "HN")
    lead = _caller(LEAD, Role.LEAD, mof)
    assert (await members.check_invite(session, token=token, caller=lead, now=NOW)).step is (
        Step.ASK_MOVE
    )
    done = await members.accept_invite(session, token=token, caller=lead, name="New", now=NOW)
    assert done == Joined(hn, mof)
    assert [m.agency_id for m in await members.list_members(session)] == [hn]


async def test_members_are_listed_by_agency_and_one_agency_alone(session: AsyncSession) -> None:
    mof, hn = await _agency(session, "MOF"), await _agency(session, "HN")
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


async def _ask(session: AsyncSession, change: Change, user_id: int) -> str:
    target = await members.get_member(session, user_id=user_id)
    assert target is not None
    return await members.ask_change(
        session, change=change, target=target, by=ADMIN, chat_id=ADMIN, now=NOW
    )


async def test_a_confirmed_revoke_or_promote_applies_once(session: AsyncSession) -> None:
    mof = await _agency(session, "MOF")
    session.add_all([
        Member(user_id=LEAD, role="lead", agency_id=mof, name="An"),
        Member(user_id=NEWCOMER, role="lead", agency_id=mof, name="Bình"),
    ])  # fmt: skip
    await session.flush()
    revoke = await _ask(session, Change.REVOKE, LEAD)
    promote = await _ask(session, Change.PROMOTE, NEWCOMER)
    wrong_chat = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, chat_id=ADMIN + 1, now=NOW, apply=True
    )
    assert wrong_chat is Refusal.UNKNOWN
    asked = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, chat_id=ADMIN, now=NOW, apply=True
    )
    assert asked == {"user_id": LEAD, "role": "lead", "agency": mof, "name": "An"}
    assert await session.get(Member, LEAD) is None
    twice = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, chat_id=ADMIN, now=NOW, apply=True
    )
    assert twice is Refusal.USED
    await members.confirm_change(
        session, change=Change.PROMOTE, token=promote, chat_id=ADMIN, now=NOW, apply=True
    )
    promoted = await session.get(Member, NEWCOMER)
    assert promoted is not None
    assert (promoted.role, promoted.agency_id) == ("admin", None)


async def test_a_change_to_a_member_who_changed_meanwhile_does_nothing(
    session: AsyncSession,
) -> None:
    mof, hn = await _agency(session, "MOF"), await _agency(session, "HN")
    session.add(Member(user_id=LEAD, role="lead", agency_id=mof, name="An"))
    await session.flush()
    revoke = await _ask(session, Change.REVOKE, LEAD)
    cancel = await _ask(session, Change.REVOKE, LEAD)
    invite = await _invite(session, "HN")
    await members.accept_invite(
        session, token=invite, caller=_caller(LEAD, Role.LEAD, mof), name="An", now=NOW
    )
    stale = await members.confirm_change(
        session, change=Change.REVOKE, token=revoke, chat_id=ADMIN, now=NOW, apply=True
    )
    assert stale is None
    kept = await session.get(Member, LEAD)
    assert kept is not None
    assert (kept.role, kept.agency_id) == ("lead", hn)
    cancelled = await members.confirm_change(
        session, change=Change.REVOKE, token=cancel, chat_id=ADMIN, now=NOW, apply=False
    )
    assert isinstance(cancelled, dict)
    assert await session.get(Member, LEAD) is not None
