"""Invites: what opening one does, accepting once, expired and forged ones, on both databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import invites, members, pending
from services.access import COMMAND_LINE, Caller, NotAllowed
from services.invites import InviteCheck, Joined, Step
from services.pending import Refusal
from storage.db import make_sessions
from storage.models import Agency, Member, Role

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
ADMIN, LEAD, NEWCOMER = 9001, 9002, 9003


def make_caller(user_id: int, role: Role | None = None, agency_id: int | None = None) -> Caller:
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


async def agency_of(session: AsyncSession, code: str) -> int:
    return int(await session.scalar(select(Agency.id).where(Agency.code == code)) or 0)


async def new_invite(session: AsyncSession, code: str, *, now: datetime = NOW) -> str:
    [made] = await invites.create_invites(
        session,
        caller=make_caller(ADMIN, Role.ADMIN),
        agency_ids=[await agency_of(session, code)],
        now=now,
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
    assert invites.plan(role, own, 1, refusal) is step


async def test_an_invite_makes_a_newcomer_a_lead_once(session: AsyncSession) -> None:
    mof = await agency_of(session, "MOF")
    token = await new_invite(session, "MOF")
    newcomer = make_caller(NEWCOMER)
    check = await invites.check_invite(session, token=token, caller=newcomer, now=NOW)
    assert check == InviteCheck(Step.JOIN, mof, NOW + invites.INVITE_TTL)
    later = NOW + timedelta(hours=1)
    done = await invites.accept_invite(
        session, token=token, caller=newcomer, name="Nguyễn Văn A", now=later
    )
    assert done == Joined(mof, None, ADMIN, None)  # an admin without a row: no language
    member = await session.get(Member, NEWCOMER)
    assert member is not None
    assert (member.role, member.agency_id, member.name) == ("lead", mof, "Nguyễn Văn A")
    assert (member.invited_by, member.invited_at, member.telegram_language) == (ADMIN, later, "vi")
    again = await invites.accept_invite(
        session, token=token, caller=make_caller(LEAD), name="B", now=later
    )
    assert again is Refusal.USED
    assert await session.get(Member, LEAD) is None
    seen = await invites.check_invite(session, token=token, caller=make_caller(LEAD), now=later)
    assert seen.step is Step.USED


async def test_expired_and_forged_invites_change_nothing(session: AsyncSession) -> None:
    token = await new_invite(session, "MOF")
    late = NOW + invites.INVITE_TTL
    newcomer = make_caller(NEWCOMER)
    assert (await invites.check_invite(session, token=token, caller=newcomer, now=late)).step is (
        Step.EXPIRED
    )
    done = await invites.accept_invite(session, token=token, caller=newcomer, name="A", now=late)
    assert done is Refusal.EXPIRED
    forged = await invites.check_invite(session, token="A" * 16, caller=newcomer, now=NOW)
    assert forged == InviteCheck(Step.INVALID)
    other_kind = await pending.create(
        session,
        kind="import",
        user_id=ADMIN,
        chat_id=ADMIN,
        payload={},
        now=NOW,
        ttl=invites.INVITE_TTL,
    )
    assert (
        await invites.check_invite(session, token=other_kind, caller=newcomer, now=NOW)
    ).step is (Step.INVALID)
    assert await session.get(Member, NEWCOMER) is None


async def test_an_admin_is_never_demoted_and_the_invite_stays_valid(
    session: AsyncSession,
) -> None:
    token = await new_invite(session, "MOF")
    # An admin from DONDOC_ADMINS (no row), and one promoted in the table.
    session.add(Member(user_id=LEAD, role=Role.ADMIN.value))
    await session.flush()
    for caller in (make_caller(ADMIN, Role.ADMIN), make_caller(LEAD, None)):
        done = await invites.accept_invite(session, token=token, caller=caller, name="X", now=NOW)
        assert done is Step.ADMIN
    assert await session.get(Member, ADMIN) is None
    row = await session.get(Member, LEAD)
    assert row is not None
    assert (row.role, row.agency_id) == ("admin", None)
    joined = await invites.accept_invite(
        session, token=token, caller=make_caller(NEWCOMER), name="", now=NOW
    )
    assert isinstance(joined, Joined)


async def test_a_lead_who_accepts_moves_and_keeps_one_agency(session: AsyncSession) -> None:
    mof, hn = await agency_of(session, "MOF"), await agency_of(session, "HN")
    session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof, name="Old"))
    await session.flush()
    token = await new_invite(session, "HN")
    lead = make_caller(LEAD, Role.LEAD, mof)
    assert (await invites.check_invite(session, token=token, caller=lead, now=NOW)).step is (
        Step.ASK_MOVE
    )
    done = await invites.accept_invite(session, token=token, caller=lead, name="New", now=NOW)
    assert done == Joined(hn, mof, ADMIN, None)
    assert [m.agency_id for m in await members.list_members(session)] == [hn]


async def test_the_inviter_is_told_in_their_language_unless_it_was_the_command_line(
    session: AsyncSession,
) -> None:
    session.add(Member(user_id=ADMIN, role=Role.ADMIN.value, telegram_language="en-GB"))
    await session.flush()
    token = await new_invite(session, "MOF")
    done = await invites.accept_invite(
        session, token=token, caller=make_caller(NEWCOMER), name="A", now=NOW
    )
    assert isinstance(done, Joined)
    assert (done.inviter_chat, done.inviter_language) == (ADMIN, "en-GB")
    [made] = await invites.create_invites(
        session, caller=COMMAND_LINE, agency_ids=[await agency_of(session, "HN")], now=NOW
    )
    done = await invites.accept_invite(
        session, token=made.token, caller=make_caller(LEAD), name="B", now=NOW
    )
    assert isinstance(done, Joined)
    assert done.inviter_chat is None


async def test_two_people_opening_one_invite_at_once_make_one_lead(
    fresh_engine: AsyncEngine,
) -> None:
    sessions = make_sessions(fresh_engine)
    async with sessions.begin() as session:
        token = await new_invite(session, "MOF")

    async def open_it(user_id: int) -> object:
        async with sessions.begin() as session:
            done = await invites.accept_invite(
                session, token=token, caller=make_caller(user_id), name=str(user_id), now=NOW
            )
            await asyncio.sleep(0.05)  # hold the transaction while the other one tries
            return done

    results = await asyncio.gather(*(open_it(user) for user in (LEAD, NEWCOMER, NEWCOMER + 1)))
    assert sum(isinstance(r, Joined) for r in results) == 1
    assert [r for r in results if not isinstance(r, Joined)] == [Refusal.USED] * 2
    async with sessions.begin() as session:
        leads = (await session.scalars(select(Member.user_id))).all()
    assert len(leads) == 1


async def test_only_an_admin_or_the_command_line_makes_invites(session: AsyncSession) -> None:
    mof = await agency_of(session, "MOF")
    for caller in (make_caller(LEAD, Role.LEAD, mof), make_caller(NEWCOMER)):
        with pytest.raises(NotAllowed):
            await invites.create_invites(session, caller=caller, agency_ids=[mof], now=NOW)
    [made] = await invites.create_invites(session, caller=COMMAND_LINE, agency_ids=[mof], now=NOW)
    found = await pending.read(session, token=made.token)
    assert found is not None
    assert (found.user_id, found.chat_id) == (0, invites.FROM_CLI)
