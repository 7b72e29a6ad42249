"""Every role by every action through the real handlers: allowed or refused as the matrix says.

services/access.py PERMISSIONS is the one table; this walks each pair with a command that
needs that action, in the chat where it is used, so a handler guarded with the wrong action
(or none) shows up here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rendering.text import render
from services.access import PERMISSIONS, Action, Reach
from storage.models import Agency, Member, Role
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, VIEWER, Bot

LEAD = 1004
USERS: dict[Role | None, int] = {
    Role.ADMIN: ADMIN,
    Role.LEAD: LEAD,
    Role.VIEWER: VIEWER,
    None: STRANGER,
}
# One command per action, and whether it is asked in the registered group or in private.
COMMANDS: dict[Action, tuple[str, bool]] = {
    Action.VIEW_REPORTS: ("/status", True),
    Action.IMPORT: ("/import", False),
    Action.REGISTER_CHAT: ("/register", True),
    Action.SET_CHAT_LANGUAGE: ("/language en", True),
    Action.MANAGE_CATALOG: ("/program NQ99 Chương trình thử", False),
    Action.MANAGE_MEMBERS: ("/members", False),
    Action.VIEW_OUTBOX: ("/outbox", False),
}
NOT_YET = {Action.CHANGE_TASK, Action.ADD_NOTE}  # no command yet: issue 9, points 3 to 5
REFUSALS = [render("vi", msg_id) for msg_id in ("admin-only", "unknown-user", "unknown-chat")]


def test_every_action_is_walked_or_named_as_not_reachable_yet() -> None:
    assert set(COMMANDS) | NOT_YET == set(Action)
    assert not set(COMMANDS) & NOT_YET


def _allowed(role: Role | None, action: Action, in_group: bool) -> bool:
    """What the matrix grants (a role's reach) where the command is asked."""
    reach = PERMISSIONS[role][action]
    return reach is Reach.ALL or (reach is Reach.REGISTERED_GROUP and in_group)


@pytest.fixture
async def members(bot: Bot) -> Bot:
    await bot.say("/register", user_id=ADMIN)
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
        session.add(Member(user_id=VIEWER, role=Role.VIEWER.value))
    return bot


@pytest.mark.parametrize("action", list(COMMANDS))
@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "stranger")
async def test_a_role_may_do_exactly_what_the_matrix_grants(
    members: Bot, role: Role | None, action: Action
) -> None:
    text, in_group = COMMANDS[action]
    user = USERS[role]
    answers = await members.say(text, chat_id=GROUP if in_group else user, user_id=user)
    assert answers, "every command gets an answer"
    refused = any(refusal in answer for answer in answers for refusal in REFUSALS)
    assert refused is not _allowed(role, action, in_group), answers
