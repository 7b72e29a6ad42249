"""Every role by every action through the real handlers: allowed or refused as the matrix says.

services/access.py PERMISSIONS is the one table; this walks each pair with a command that
needs that action, in the chat where it is used, so a handler guarded with the wrong action
(or none) shows up here.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, select

from fakeapi import updates
from rendering.text import plain, render
from services.access import PERMISSIONS, Action, Reach
from storage.models import (
    Agency,
    ExtensionRequest,
    Member,
    Role,
    Task,
    TaskEvent,
    task_coordinators,
)
from tests.handlers.conftest import ADMIN, GROUP, NOW, STRANGER, TODAY, VIEWER, Bot, add_tasks

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
    Action.MANAGE_TASKS: ("/assign", False),
    Action.EXPORT: ("/export", False),  # a lead's: their own agency's
    Action.MANAGE_SCHEDULE: ("/settings", False),
    Action.MANAGE_DIGEST: ("/digest", True),
    Action.VIEW_OUTBOX: ("/outbox", False),
}
# Actions on one task: walked on a task of the lead's agency, one it coordinates, another's.
TASK_COMMANDS: dict[Action, str] = {
    Action.CHANGE_TASK: "/update {code} 50%",
    Action.ADD_NOTE: "/update {code} note thử",
}
TASKS = {"own": "MOF-1", "coordinating": "HN-2", "other": "HN-1"}  # the lead leads MOF
REFUSALS = [render("vi", msg_id) for msg_id in ("admin-only", "unknown-user", "unknown-chat")]
TASK_REFUSALS = ("không có quyền cập nhật nhiệm vụ", "không có quyền thêm ghi chú, minh chứng")


def test_every_action_is_walked() -> None:
    assert set(COMMANDS) | set(TASK_COMMANDS) | BUTTONS == set(Action)
    assert not set(COMMANDS) & set(TASK_COMMANDS)


def _allowed(role: Role | None, action: Action, in_group: bool) -> bool:
    """What the matrix grants (a role's reach) where the command is asked; the walked
    commands of an OWN_AGENCY action ask for the lead's own agency (MOF)."""
    reach = PERMISSIONS[role][action]
    own = reach is Reach.OWN_AGENCY
    return reach is Reach.ALL or own or (reach is Reach.REGISTERED_GROUP and in_group)


def _allowed_on(role: Role | None, action: Action, relation: str) -> bool:
    """What the matrix grants on a task the lead's agency leads, coordinates, or neither."""
    reach = PERMISSIONS[role][action]
    if reach is Reach.OWN_AGENCY:
        return relation == "own"
    if reach is Reach.OWN_OR_COORDINATING:
        return relation in ("own", "coordinating")
    return reach is Reach.ALL


@pytest.fixture
async def members(bot: Bot) -> Bot:
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(bot, [(code, code[:-2], TODAY, "open", None) for code in TASKS.values()])
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
        session.add(Member(user_id=VIEWER, role=Role.VIEWER.value))
        coordinated = await session.scalar(
            select(Task.id).where(Task.code == TASKS["coordinating"])
        )
        await session.execute(insert(task_coordinators).values(task_id=coordinated, agency_id=mof))
    return bot


@pytest.mark.parametrize("action", list(COMMANDS))
@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "stranger")
async def test_a_role_may_do_exactly_what_the_matrix_grants(
    members: Bot, role: Role | None, action: Action
) -> None:
    text, in_group = COMMANDS[action]
    user = USERS[role]
    seen = len(members.api.calls)
    answers = await members.say(text, chat_id=GROUP if in_group else user, user_id=user)
    documents = [c for c in members.api.calls[seen:] if c.method == "sendDocument"]
    assert answers or documents, "every command gets an answer"
    refused = any(refusal in answer for answer in answers for refusal in REFUSALS)
    assert refused is not _allowed(role, action, in_group), answers


async def _touched(bot: Bot, code: str) -> bool:
    """Whether anything was written to the task (its history has events)."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        query = select(TaskEvent.id).join(Task, Task.id == TaskEvent.task_id)
        return await session.scalar(query.where(Task.code == code).limit(1)) is not None


@pytest.mark.parametrize("relation", list(TASKS))
@pytest.mark.parametrize("action", list(TASK_COMMANDS))
@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "stranger")
async def test_a_role_may_change_or_note_exactly_the_tasks_the_matrix_grants(
    members: Bot, role: Role | None, action: Action, relation: str
) -> None:
    code = TASKS[relation]
    answers = await members.say(TASK_COMMANDS[action].format(code=code), user_id=USERS[role])
    assert answers, "every command gets an answer"
    refused = any(r in answer for answer in answers for r in (*REFUSALS, *TASK_REFUSALS))
    allowed = _allowed_on(role, action, relation)
    assert refused is not allowed, answers
    assert await _touched(members, code) is allowed


CARD_BUTTONS = {Action.CHANGE_TASK: "Hôm nay", Action.ADD_NOTE: "Ghi chú"}


@pytest.mark.parametrize("relation", list(TASKS))
@pytest.mark.parametrize("action", list(CARD_BUTTONS))
@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "stranger")
async def test_the_cards_buttons_obey_the_matrix_too(
    members: Bot, role: Role | None, action: Action, relation: str
) -> None:
    """The admin's card shows every button; each role presses one (Done on today's date,
    or Note): done, or asked for the note; or refused with a pop-up, nothing written."""
    code = TASKS[relation]
    await members.say(f"/task {code}", user_id=ADMIN)
    if action is Action.CHANGE_TASK:
        await members.press("Hoàn thành", user_id=ADMIN)  # the admin's date buttons
    data = next(
        b["callback_data"] for row in members.last_markup() for b in row
        if CARD_BUTTONS[action] in b["text"]
    )  # fmt: skip
    seen = len(members.api.calls)
    await members.send(updates.callback(data, chat_id=GROUP, user_id=USERS[role]))
    [answer] = members.callback_answers(seen)
    allowed = _allowed_on(role, action, relation)
    assert (answer.params.get("show_alert") is True) is not allowed, answer.params
    if action is Action.CHANGE_TASK:
        assert await _touched(members, code) is allowed
    else:
        prompts = [c for c in members.api.calls[seen:] if "force_reply" in str(c.params)]
        assert bool(prompts) is allowed


# --- actions asked by a button only ------------------------------------------------------

BUTTONS = {Action.DECIDE_EXTENSION}  # the admins' Approve on a deadline extension request


async def _pending_extension(bot: Bot) -> int:
    """A MOF task with a request for more time waiting for a decision; the request's id."""
    await add_tasks(bot, [("W-1", "MOF", date(2026, 12, 10), "open", None)])
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task_id = await session.scalar(select(Task.id).where(Task.code == "W-1"))
        assert task_id is not None
        request = ExtensionRequest(
            task_id=task_id, at=NOW, new_deadline=date(2027, 1, 10), reason="r", notices=[]
        )
        session.add(request)
        await session.flush()
        return request.id


@pytest.mark.parametrize("role", list(USERS), ids=lambda r: r.value if r else "stranger")
async def test_a_role_may_decide_an_extension_exactly_as_the_matrix_grants(
    members: Bot, role: Role | None
) -> None:
    request_id = await _pending_extension(members)
    user = USERS[role]
    seen = len(members.api.calls)
    await members.send(updates.callback(f"extd:{request_id}:ok", chat_id=user, user_id=user))
    alerts = [str(call.params.get("text") or "") for call in members.callback_answers(seen)]
    refused = any(plain(refusal) in alert for alert in alerts for refusal in REFUSALS)
    assert refused is not _allowed(role, Action.DECIDE_EXTENSION, in_group=False), alerts
    async with members.app.bot_data.deps.sessions.begin() as session:
        status = await session.scalar(
            select(ExtensionRequest.status).where(ExtensionRequest.id == request_id)
        )
    assert (status == "approved") is not refused
