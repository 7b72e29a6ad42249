"""Callers resolved from ids alone, their language, and the permission matrix."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services import access
from services.access import PERMISSIONS, Action, Caller, Reach
from services.figures import EVERYONE, Scope
from storage.db import recorded
from storage.models import Agency, Chat, Member, Role

GROUP, USER, ADMIN = -100777, 4242, 9999
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


async def _agency(session: AsyncSession, code: str) -> int:
    return int(await session.scalar(select(Agency.id).where(Agency.code == code)) or 0)


async def _resolve(
    session: AsyncSession, *, chat_id: int = GROUP, user_id: int = USER, code: str | None = None
) -> Caller:
    return await access.resolve_caller(
        session,
        user_id=user_id,
        chat_id=chat_id,
        chat_type="private" if chat_id > 0 else "supergroup",
        admins=frozenset({ADMIN}),
        language_code=code,
    )


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """Statements the session's connection runs during the test."""
    with recorded(engine) as seen:
        yield seen


async def test_a_caller_is_one_statement(session: AsyncSession, statements: list[str]) -> None:
    mof = await _agency(session, "MOF")
    session.add(Chat(id=GROUP, title="g", language="en", registered_by=ADMIN))
    session.add(Member(user_id=USER, role="lead", agency_id=mof, telegram_language="vi"))
    await session.flush()
    statements.clear()
    caller = await _resolve(session, code="vi")
    assert len(statements) == 1
    assert caller == Caller(USER, GROUP, "supergroup", Role.LEAD, mof, True, "en", "vi", False)


async def test_an_unknown_user_in_an_unknown_chat(session: AsyncSession) -> None:
    caller = await _resolve(session, code="fr")
    assert (caller.role, caller.agency_id, caller.chat_registered) == (None, None, False)
    assert caller.telegram_language == "fr"
    assert caller.language_code_changed is False  # no member row to store it in


async def test_settings_admins_are_admins_whatever_the_table_says(session: AsyncSession) -> None:
    session.add(Member(user_id=ADMIN, role="viewer"))
    await session.flush()
    assert (await _resolve(session, user_id=ADMIN, chat_id=ADMIN)).role is Role.ADMIN


async def test_a_changed_language_code_is_stored_and_then_unchanged(
    session: AsyncSession, statements: list[str]
) -> None:
    session.add(Member(user_id=USER, role="viewer"))
    await session.flush()
    caller = await _resolve(session, chat_id=USER, code="en-US")
    assert caller.language_code_changed
    await access.remember_language_code(session, caller=caller)
    statements.clear()
    again = await _resolve(session, chat_id=USER, code="en-US")
    assert not again.language_code_changed
    assert len(statements) == 1  # a read, no write
    # Jobs have no update: the stored code answers.
    job = await _resolve(session, chat_id=USER)
    assert (job.telegram_language, job.language_code_changed) == ("en-US", False)
    assert access.language_for(job, "vi") == "en"


async def test_a_long_language_tag_is_cut_to_the_column(session: AsyncSession) -> None:
    session.add(Member(user_id=USER, role="viewer"))
    await session.flush()
    caller = await _resolve(session, chat_id=USER, code="zh-hans-cn-x")
    await access.remember_language_code(session, caller=caller)
    assert (await session.get(Member, USER)) is not None
    assert caller.telegram_language == "zh-hans-"


def _caller(
    *,
    role: Role | None = None,
    group: bool = True,
    registered: bool = True,
    language: str | None = None,
    telegram: str | None = None,
    agency_id: int | None = None,
) -> Caller:
    chat_id, chat_type = (GROUP, "supergroup") if group else (USER, "private")
    return Caller(USER, chat_id, chat_type, role, agency_id, registered, language, telegram)


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (_caller(language="en", telegram="vi"), "en"),  # the chat's (or member's) setting
        (_caller(telegram="en-GB"), "en"),  # then Telegram's
        (_caller(telegram="fr"), "vi"),  # a language dondoc does not speak: the default
        (_caller(), "vi"),
        (_caller(group=False, language="vi", telegram="en"), "vi"),
    ],
)
def test_language_order(caller: Caller, expected: str) -> None:
    assert access.language_for(caller, "vi") == expected


# What DESIGN.md's roles say, spelled out pair by pair.
EXPECTED: dict[tuple[Role | None, Action], Reach] = {
    (Role.ADMIN, Action.VIEW_REPORTS): Reach.ALL,
    (Role.ADMIN, Action.IMPORT): Reach.ALL,
    (Role.ADMIN, Action.REGISTER_CHAT): Reach.ALL,
    (Role.ADMIN, Action.SET_CHAT_LANGUAGE): Reach.ALL,
    (Role.ADMIN, Action.CHANGE_TASK): Reach.ALL,
    (Role.ADMIN, Action.ADD_NOTE): Reach.ALL,
    (Role.ADMIN, Action.MANAGE_MEMBERS): Reach.ALL,
    (Role.ADMIN, Action.MANAGE_TASKS): Reach.ALL,
    (Role.ADMIN, Action.MANAGE_SCHEDULE): Reach.ALL,
    (Role.ADMIN, Action.VIEW_OUTBOX): Reach.ALL,
    (Role.ADMIN, Action.MANAGE_CATALOG): Reach.ALL,
    (Role.LEAD, Action.VIEW_REPORTS): Reach.ALL,
    (Role.LEAD, Action.IMPORT): Reach.NONE,
    (Role.LEAD, Action.REGISTER_CHAT): Reach.NONE,
    (Role.LEAD, Action.SET_CHAT_LANGUAGE): Reach.NONE,
    (Role.LEAD, Action.CHANGE_TASK): Reach.OWN_AGENCY,
    (Role.LEAD, Action.MANAGE_MEMBERS): Reach.NONE,
    (Role.LEAD, Action.MANAGE_TASKS): Reach.NONE,
    (Role.LEAD, Action.MANAGE_SCHEDULE): Reach.NONE,
    (Role.LEAD, Action.VIEW_OUTBOX): Reach.NONE,
    (Role.LEAD, Action.MANAGE_CATALOG): Reach.NONE,
    (Role.LEAD, Action.ADD_NOTE): Reach.OWN_OR_COORDINATING,
    (Role.VIEWER, Action.VIEW_REPORTS): Reach.ALL,
    (Role.VIEWER, Action.IMPORT): Reach.NONE,
    (Role.VIEWER, Action.REGISTER_CHAT): Reach.NONE,
    (Role.VIEWER, Action.SET_CHAT_LANGUAGE): Reach.NONE,
    (Role.VIEWER, Action.CHANGE_TASK): Reach.NONE,
    (Role.VIEWER, Action.MANAGE_MEMBERS): Reach.NONE,
    (Role.VIEWER, Action.MANAGE_TASKS): Reach.NONE,
    (Role.VIEWER, Action.MANAGE_SCHEDULE): Reach.NONE,
    (Role.VIEWER, Action.VIEW_OUTBOX): Reach.NONE,
    (Role.VIEWER, Action.MANAGE_CATALOG): Reach.NONE,
    (Role.VIEWER, Action.ADD_NOTE): Reach.NONE,
    (None, Action.VIEW_REPORTS): Reach.REGISTERED_GROUP,
    (None, Action.IMPORT): Reach.NONE,
    (None, Action.REGISTER_CHAT): Reach.NONE,
    (None, Action.SET_CHAT_LANGUAGE): Reach.NONE,
    (None, Action.CHANGE_TASK): Reach.NONE,
    (None, Action.MANAGE_MEMBERS): Reach.NONE,
    (None, Action.MANAGE_TASKS): Reach.NONE,
    (None, Action.MANAGE_SCHEDULE): Reach.NONE,
    (None, Action.VIEW_OUTBOX): Reach.NONE,
    (None, Action.MANAGE_CATALOG): Reach.NONE,
    (None, Action.ADD_NOTE): Reach.NONE,
    # Deadline extensions: a lead asks (CHANGE_TASK on its own agency's task), admins decide.
    (Role.ADMIN, Action.DECIDE_EXTENSION): Reach.ALL,
    (Role.LEAD, Action.DECIDE_EXTENSION): Reach.NONE,
    (Role.VIEWER, Action.DECIDE_EXTENSION): Reach.NONE,
    (None, Action.DECIDE_EXTENSION): Reach.NONE,
    (Role.ADMIN, Action.EXPORT): Reach.ALL,
    (Role.LEAD, Action.EXPORT): Reach.OWN_AGENCY,
    (Role.VIEWER, Action.EXPORT): Reach.NONE,
    (None, Action.EXPORT): Reach.NONE,
    # The weekly digest's preview and schedule (issue 11): the secretariat's.
    (Role.ADMIN, Action.MANAGE_DIGEST): Reach.ALL,
    (Role.LEAD, Action.MANAGE_DIGEST): Reach.NONE,
    (Role.VIEWER, Action.MANAGE_DIGEST): Reach.NONE,
    (None, Action.MANAGE_DIGEST): Reach.NONE,
}
ROLES: list[Role | None] = [*Role, None]


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(PERMISSIONS) == set(ROLES)
    for role in ROLES:
        assert set(PERMISSIONS[role]) == set(Action)
    assert len(EXPECTED) == len(ROLES) * len(Action)


@pytest.mark.parametrize(("role", "action"), list(EXPECTED))
def test_every_role_and_action(role: Role | None, action: Action) -> None:
    granted = EXPECTED[role, action]
    assert PERMISSIONS[role][action] is granted
    in_group = _caller(role=role, agency_id=7)
    in_private = _caller(role=role, group=False, agency_id=7)
    unregistered = _caller(role=role, registered=False, agency_id=7)
    assert access.may(in_group, action) is (granted is not Reach.NONE)
    assert access.may(in_private, action) is (granted not in (Reach.NONE, Reach.REGISTERED_GROUP))
    assert access.may(unregistered, action) is (
        granted not in (Reach.NONE, Reach.REGISTERED_GROUP)
    )
    # A task led by agency 7, coordinated by 8, and one of agency 9 alone.
    own = {"lead_agency_id": 7, "coordinating": (8,)}
    other = {"lead_agency_id": 9, "coordinating": ()}
    coordinating = {"lead_agency_id": 9, "coordinating": (7,)}
    check = {Action.CHANGE_TASK: access.can_change_task, Action.ADD_NOTE: access.can_add_note}
    if action in check:
        allowed = check[action]
        assert allowed(in_group, **own) is (granted is not Reach.NONE)  # type: ignore[arg-type]
        assert allowed(in_group, **other) is (granted is Reach.ALL)  # type: ignore[arg-type]
        expected = granted in (Reach.ALL, Reach.OWN_OR_COORDINATING)
        assert allowed(in_group, **coordinating) is expected  # type: ignore[arg-type]
    if action is Action.EXPORT:  # a lead's own agency (within a programme too), not others'
        assert access.can_export(in_group, Scope(agency_id=7, program_id=3)) is (
            granted is not Reach.NONE
        )
        assert access.can_export(in_group, Scope(agency_id=9)) is (granted is Reach.ALL)
        assert access.can_export(in_group, EVERYONE) is (granted is Reach.ALL)


def test_a_lead_without_an_agency_changes_nothing() -> None:
    lead = _caller(role=Role.LEAD)
    assert not access.can_change_task(lead, lead_agency_id=1)
    assert not access.can_add_note(lead, lead_agency_id=1, coordinating=(1,))
    assert access.can_change_task(_caller(role=Role.ADMIN), lead_agency_id=1)


@pytest.mark.parametrize(
    ("caller", "action", "refusal"),
    [
        (_caller(role=Role.ADMIN, registered=False), Action.VIEW_REPORTS, "unknown-chat"),
        (_caller(role=Role.ADMIN, registered=False), Action.REGISTER_CHAT, None),
        (_caller(role=Role.VIEWER, registered=False), Action.REGISTER_CHAT, "unknown-chat"),
        (_caller(), Action.VIEW_REPORTS, None),
        (_caller(group=False), Action.VIEW_REPORTS, "unknown-user"),
        (_caller(role=Role.LEAD), Action.IMPORT, "admin-only"),
        (_caller(group=False), None, None),  # /start <link>: anyone
        (_caller(registered=False), None, None),
    ],
)
def test_denials(caller: Caller, action: Action | None, refusal: str | None) -> None:
    assert access.denial(caller, action) == refusal


def test_anyone_chooses_their_own_language_only_admins_a_groups() -> None:
    assert access.can_change_language(_caller(role=Role.VIEWER, group=False))
    assert not access.can_change_language(_caller(role=Role.LEAD))
    assert access.can_change_language(_caller(role=Role.ADMIN))


async def test_an_admin_without_a_row_gets_one_with_the_language(session: AsyncSession) -> None:
    caller = await _resolve(session, user_id=ADMIN, chat_id=ADMIN, code="en")
    await access.set_language(session, caller=caller, language="vi")
    member = await session.get(Member, ADMIN)
    assert member is not None
    assert (member.role, member.language, member.telegram_language) == ("admin", "vi", "en")


async def test_service_writes_check_the_caller_themselves(session: AsyncSession) -> None:
    # A handler or job that forgot to ask still cannot write.
    lead = _caller(role=Role.LEAD, registered=False)
    with pytest.raises(access.NotAllowed):
        await access.register_chat(session, caller=lead, title="g", now=NOW)
    assert await session.get(Chat, GROUP) is None
    with pytest.raises(access.NotAllowed):
        await access.set_language(session, caller=_caller(role=Role.LEAD), language="en")
    admin = _caller(role=Role.ADMIN, registered=False)
    assert await access.register_chat(session, caller=admin, title="g", now=NOW)
    chat = await session.get(Chat, GROUP)
    assert chat is not None
    assert chat.registered_by == USER
    assert not await access.register_chat(session, caller=admin, title="g", now=NOW)


def test_a_task_change_is_refused_outside_the_callers_agency() -> None:
    lead = _caller(role=Role.LEAD, agency_id=3)
    access.require_task_change(lead, lead_agency_id=3)
    with pytest.raises(access.NotAllowed):
        access.require_task_change(lead, lead_agency_id=4)
    with pytest.raises(access.NotAllowed):
        access.require_task_change(_caller(role=Role.VIEWER, agency_id=3), lead_agency_id=3)
    access.require_task_change(_caller(role=Role.ADMIN), lead_agency_id=4)


async def test_a_groups_scope_is_kept_changed_or_cleared_and_read_with_the_caller(
    session: AsyncSession,
) -> None:
    mof, moh = await _agency(session, "MOF"), await _agency(session, "MOH")
    admin = _caller(role=Role.ADMIN, registered=False)
    assert await access.register_chat(session, caller=admin, title="g", now=NOW, scope=Scope(mof))
    assert not await access.register_chat(session, caller=admin, title="g", now=NOW)
    caller = await _resolve(session, user_id=ADMIN, chat_id=GROUP)
    assert caller.chat_scope == Scope(agency_id=mof)  # None left it as it was
    await access.register_chat(session, caller=admin, title="g", now=NOW, scope=Scope(moh))
    assert (await _resolve(session, user_id=ADMIN, chat_id=GROUP)).chat_scope == Scope(moh)
    await access.register_chat(session, caller=admin, title="g", now=NOW, scope=Scope())
    assert (await _resolve(session, user_id=ADMIN, chat_id=GROUP)).chat_scope == Scope()


async def test_a_group_is_registered_once_with_who_and_when(session: AsyncSession) -> None:
    first = dataclasses.replace(_caller(role=Role.ADMIN, registered=False), user_id=ADMIN)
    assert await access.register_chat(session, caller=first, title="Tổ 1", now=NOW)
    later = datetime(2026, 11, 26, tzinfo=UTC)
    again = _caller(role=Role.ADMIN)
    assert not await access.register_chat(session, caller=again, title="x", now=later)
    chat = await session.get(Chat, GROUP)
    assert chat is not None
    assert (chat.title, chat.registered_by, chat.registered_at) == ("Tổ 1", ADMIN, NOW)


async def test_a_member_choosing_a_language_in_private_keeps_their_role(
    session: AsyncSession,
) -> None:
    mof = await _agency(session, "MOF")
    session.add(Member(user_id=USER, role="lead", agency_id=mof, telegram_language="vi"))
    await session.flush()
    caller = await _resolve(session, user_id=USER, chat_id=USER)
    await access.set_language(session, caller=caller, language="en")
    await session.flush()
    rows = (await session.scalars(select(Member).where(Member.user_id == USER))).all()
    assert [(m.role, m.agency_id, m.language) for m in rows] == [("lead", mof, "en")]


def test_a_lead_without_an_agency_exports_nothing() -> None:
    lead = _caller(role=Role.LEAD)
    assert not access.can_export(lead, Scope())
    assert not access.can_export(lead, Scope(agency_id=None, program_id=1))
    with pytest.raises(access.NotAllowed):
        access.require_export(lead, Scope(agency_id=1))
