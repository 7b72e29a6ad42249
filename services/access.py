"""Who may see and change what: the caller behind an update, its language, the permissions."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import bindparam, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import normalize_lang
from services import freshness
from services.figures import EVERYONE, Scope
from storage.models import Chat, Member, Role

GROUP_TYPES = frozenset({"group", "supergroup"})
LANGUAGE_CODE_MAX = 8  # member.telegram_language; Telegram sends IETF tags like "vi" or "pt-br"


class Action(enum.StrEnum):
    """What a caller may ask of dondoc (DESIGN.md, "Who uses it")."""

    VIEW_REPORTS = "view-reports"
    IMPORT = "import"
    REGISTER_CHAT = "register-chat"
    SET_CHAT_LANGUAGE = "set-chat-language"
    CHANGE_TASK = "change-task"  # status, progress, deadline
    ADD_NOTE = "add-note"  # a note or evidence
    MANAGE_CATALOG = "manage-catalog"  # add agencies (other units), name programmes
    MANAGE_MEMBERS = "manage-members"  # invite leads, list, revoke and promote members
    DECIDE_EXTENSION = "decide-extension"  # approve or reject a lead's deadline extension
    MANAGE_TASKS = "manage-tasks"  # assign, edit, cancel and reopen tasks (the secretariat)
    EXPORT = "export"  # the register as a spreadsheet
    MANAGE_SCHEDULE = "manage-schedule"  # the nudge ladder and hours, the working calendar
    MANAGE_DIGEST = "manage-digest"  # preview the weekly digest, set a group's day and time
    VIEW_OUTBOX = "view-outbox"  # the messages the bot could not deliver (/outbox)


class Reach(enum.Enum):
    """How far a role's permission for an action goes."""

    NONE = "none"
    REGISTERED_GROUP = "in a registered group"
    OWN_AGENCY = "tasks its agency leads"
    OWN_OR_COORDINATING = "tasks its agency leads or coordinates"
    ALL = "all"


# The permission matrix: role (None: unknown user) by action. Everything else follows it.
PERMISSIONS: Final[Mapping[Role | None, Mapping[Action, Reach]]] = {
    Role.ADMIN: {
        Action.VIEW_REPORTS: Reach.ALL,
        Action.IMPORT: Reach.ALL,
        Action.REGISTER_CHAT: Reach.ALL,
        Action.SET_CHAT_LANGUAGE: Reach.ALL,
        Action.CHANGE_TASK: Reach.ALL,
        Action.ADD_NOTE: Reach.ALL,
        Action.MANAGE_CATALOG: Reach.ALL,
        Action.MANAGE_MEMBERS: Reach.ALL,
        Action.DECIDE_EXTENSION: Reach.ALL,
        Action.MANAGE_TASKS: Reach.ALL,
        Action.EXPORT: Reach.ALL,
        Action.MANAGE_SCHEDULE: Reach.ALL,
        Action.MANAGE_DIGEST: Reach.ALL,
        Action.VIEW_OUTBOX: Reach.ALL,
    },
    Role.LEAD: {
        Action.VIEW_REPORTS: Reach.ALL,
        Action.IMPORT: Reach.NONE,
        Action.REGISTER_CHAT: Reach.NONE,
        Action.SET_CHAT_LANGUAGE: Reach.NONE,
        Action.CHANGE_TASK: Reach.OWN_AGENCY,
        Action.ADD_NOTE: Reach.OWN_OR_COORDINATING,
        Action.MANAGE_CATALOG: Reach.NONE,
        Action.MANAGE_MEMBERS: Reach.NONE,
        Action.DECIDE_EXTENSION: Reach.NONE,
        Action.MANAGE_TASKS: Reach.NONE,
        Action.EXPORT: Reach.OWN_AGENCY,
        Action.MANAGE_SCHEDULE: Reach.NONE,
        Action.MANAGE_DIGEST: Reach.NONE,
        Action.VIEW_OUTBOX: Reach.NONE,
    },
    Role.VIEWER: {
        Action.VIEW_REPORTS: Reach.ALL,
        Action.IMPORT: Reach.NONE,
        Action.REGISTER_CHAT: Reach.NONE,
        Action.SET_CHAT_LANGUAGE: Reach.NONE,
        Action.CHANGE_TASK: Reach.NONE,
        Action.ADD_NOTE: Reach.NONE,
        Action.MANAGE_CATALOG: Reach.NONE,
        Action.MANAGE_MEMBERS: Reach.NONE,
        Action.DECIDE_EXTENSION: Reach.NONE,
        Action.MANAGE_TASKS: Reach.NONE,
        Action.EXPORT: Reach.NONE,
        Action.MANAGE_SCHEDULE: Reach.NONE,
        Action.MANAGE_DIGEST: Reach.NONE,
        Action.VIEW_OUTBOX: Reach.NONE,
    },
    None: {
        Action.VIEW_REPORTS: Reach.REGISTERED_GROUP,  # any official in a registered working group
        Action.IMPORT: Reach.NONE,
        Action.REGISTER_CHAT: Reach.NONE,
        Action.SET_CHAT_LANGUAGE: Reach.NONE,
        Action.CHANGE_TASK: Reach.NONE,
        Action.ADD_NOTE: Reach.NONE,
        Action.MANAGE_CATALOG: Reach.NONE,
        Action.MANAGE_MEMBERS: Reach.NONE,
        Action.DECIDE_EXTENSION: Reach.NONE,
        Action.MANAGE_TASKS: Reach.NONE,
        Action.EXPORT: Reach.NONE,
        Action.MANAGE_SCHEDULE: Reach.NONE,
        Action.MANAGE_DIGEST: Reach.NONE,
        Action.VIEW_OUTBOX: Reach.NONE,
    },
}


@dataclass(frozen=True, slots=True)
class Caller:
    """The user and chat behind an update (or a job), as far as permissions and language go."""

    user_id: int
    chat_id: int
    chat_type: str
    role: Role | None  # None: unknown user
    agency_id: int | None  # a lead's (or viewer's) agency
    chat_registered: bool
    language: str | None  # the chat's setting (group) or the member's (private)
    telegram_language: str | None  # the update's language_code, else the stored one
    language_code_changed: bool = False  # a member whose stored language_code is out of date
    chat_scope: Scope = EVERYONE  # a group registered as one agency's or programme's

    @property
    def in_group(self) -> bool:
        return self.chat_type in GROUP_TYPES

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


# Whoever runs `dondoc` holds the database itself: the command line acts as an admin whose
# user and chat ids are 0 (`dondoc invite`'s links, say, are made by it).
COMMAND_LINE: Final = Caller(
    user_id=0,
    chat_id=0,
    chat_type="private",
    role=Role.ADMIN,
    agency_id=None,
    chat_registered=False,
    language=None,
    telegram_language=None,
)


_ONE = select(literal(1).label("one")).subquery()
# Built once, with bound parameters: building the statement would cost more than running it.
_CALLER = (
    select(
        Member.user_id,
        Member.role,
        Member.agency_id,
        Member.language,
        Member.telegram_language,
        Chat.id,
        Chat.language,
        Chat.agency_id,
        Chat.program_id,
        *freshness.COLUMNS,
    )
    .select_from(_ONE)
    .outerjoin(Member, Member.user_id == bindparam("user_id"))
    .outerjoin(Chat, Chat.id == bindparam("chat_id"))
)


async def resolve_caller(
    session: AsyncSession,
    *,
    user_id: int,
    chat_id: int,
    chat_type: str,
    admins: frozenset[int],
    language_code: str | None = None,
) -> Caller:
    """Role, agency, chat registration and languages in one statement (it runs per update).

    DONDOC_ADMINS are admins whatever the table says; `language_code` is the update's. The
    caches' freshness check (services/freshness.py) rides in the same statement, so a warm
    answer costs this one statement and nothing else.
    """
    # Core on the session's connection: the ORM layer would double this hot path's cost.
    # Values as execute parameters: .params() would make a new statement, whose cache key
    # SQLAlchemy then computes again on every update.
    connection = await session.connection()
    row = (await connection.execute(_CALLER, {"user_id": user_id, "chat_id": chat_id})).one()
    member_id, role, agency_id, member_lang, stored_code, chat_row, chat_lang = row[:7]
    scope_agency, scope_program = row[7:9]
    freshness.remember(session, row[9:])
    code = language_code[:LANGUAGE_CODE_MAX] if language_code else None
    return Caller(
        user_id=user_id,
        chat_id=chat_id,
        chat_type=chat_type,
        role=Role.ADMIN if user_id in admins else (Role(role) if role else None),
        agency_id=agency_id,
        chat_registered=chat_row is not None,
        language=chat_lang if chat_type in GROUP_TYPES else member_lang,
        telegram_language=code or stored_code,
        language_code_changed=member_id is not None and code is not None and code != stored_code,
        chat_scope=Scope(scope_agency, scope_program),  # only groups are registered
    )


async def remember_language_code(session: AsyncSession, *, caller: Caller) -> None:
    """Store the member's Telegram language_code (only called when it changed)."""
    await session.execute(
        update(Member)
        .where(Member.user_id == caller.user_id)
        .values(telegram_language=caller.telegram_language)
    )


def language_for(caller: Caller, default: str) -> str:
    """The stored setting (chat's in a group, member's in private), then Telegram's, then
    DONDOC_LANGUAGE; the same for a handler and a job."""
    return caller.language or normalize_lang(caller.telegram_language) or default


def reach(caller: Caller, action: Action) -> Reach:
    """The caller's reach for `action`, from PERMISSIONS."""
    return PERMISSIONS[caller.role][action]


def may(caller: Caller, action: Action) -> bool:
    """Whether the caller may do `action` here at all (for some task, if it concerns one)."""
    granted = reach(caller, action)
    if granted is Reach.REGISTERED_GROUP:
        return caller.in_group and caller.chat_registered
    return granted is not Reach.NONE


def _reaches_task(
    caller: Caller, action: Action, lead_agency_id: int, coordinating: Collection[int]
) -> bool:
    granted = reach(caller, action)
    if granted is Reach.ALL:
        return True
    if caller.agency_id is None:
        return False
    if granted is Reach.OWN_AGENCY:
        return caller.agency_id == lead_agency_id
    if granted is Reach.OWN_OR_COORDINATING:
        return caller.agency_id == lead_agency_id or caller.agency_id in coordinating
    return False


def can_change_task(
    caller: Caller, *, lead_agency_id: int, coordinating: Collection[int] = ()
) -> bool:
    """Status, progress or deadline: admins any task, a lead its own agency's tasks."""
    return _reaches_task(caller, Action.CHANGE_TASK, lead_agency_id, coordinating)


def can_add_note(
    caller: Caller, *, lead_agency_id: int, coordinating: Collection[int] = ()
) -> bool:
    """A note or evidence: also a lead of a coordinating agency."""
    return _reaches_task(caller, Action.ADD_NOTE, lead_agency_id, coordinating)


def denial(caller: Caller, action: Action | None) -> str | None:
    """Why the caller may not do `action` (a catalog id), or None if they may.

    A group sees nothing until it is registered, even when an admin asks, because every
    member would read the answer; only registering it works there. `action` None: anyone.
    """
    if action is None:
        return None
    if caller.in_group and not caller.chat_registered:
        registering = action is Action.REGISTER_CHAT and may(caller, action)
        return None if registering else "unknown-chat"
    if not may(caller, Action.VIEW_REPORTS):
        return "unknown-chat" if caller.in_group else "unknown-user"
    if not may(caller, action):
        return "admin-only"
    return None


class NotAllowed(PermissionError):
    """A service write refused to a caller the handler should not have let through."""

    def __init__(self, caller: Caller, action: Action) -> None:
        super().__init__(f"user {caller.user_id} may not {action.value}")
        self.action = action


def require(caller: Caller, action: Action) -> None:
    """Refuse (NotAllowed) unless the caller may do `action`: services that write check
    this themselves, so a handler or job that forgot to ask cannot write anyway."""
    if not may(caller, action):
        raise NotAllowed(caller, action)


def require_task_change(
    caller: Caller, *, lead_agency_id: int, coordinating: Collection[int] = ()
) -> None:
    """`require` for a change to one task: its lead agency decides (can_change_task)."""
    require_on_task(caller, Action.CHANGE_TASK, lead_agency_id, coordinating)


def require_on_task(
    caller: Caller, action: Action, lead_agency_id: int, coordinating: Collection[int] = ()
) -> None:
    """`require` for `action` on one task (CHANGE_TASK or ADD_NOTE): its agencies decide."""
    if not _reaches_task(caller, action, lead_agency_id, coordinating):
        raise NotAllowed(caller, action)


def can_export(caller: Caller, scope: Scope) -> bool:
    """The register as a spreadsheet: admins any scope, a lead its own agency's tasks (within
    a programme too), nobody else."""
    granted = reach(caller, Action.EXPORT)
    if granted is Reach.ALL:
        return True
    own = caller.agency_id is not None and scope.agency_id == caller.agency_id
    return granted is Reach.OWN_AGENCY and own


def require_export(caller: Caller, scope: Scope) -> None:
    """Refuse (NotAllowed) an export of `scope` that can_export does not grant."""
    if not can_export(caller, scope):
        raise NotAllowed(caller, Action.EXPORT)


def can_change_language(caller: Caller) -> bool:
    """A group's language is the secretariat's choice; anyone may choose their own."""
    return may(caller, Action.SET_CHAT_LANGUAGE) or not caller.in_group


async def register_chat(
    session: AsyncSession,
    *,
    caller: Caller,
    title: str,
    now: datetime,
    scope: Scope | None = None,
) -> bool:
    """Register the caller's group chat; False if it already was. `scope`: make it one
    agency's or programme's group (EVERYONE: the whole committee's again); None: as it is."""
    require(caller, Action.REGISTER_CHAT)
    chat = await session.get(Chat, caller.chat_id)
    created = chat is None
    if chat is None:
        chat = Chat(
            id=caller.chat_id, title=title, registered_by=caller.user_id, registered_at=now
        )
        session.add(chat)
    if scope is not None:
        chat.agency_id, chat.program_id = scope.agency_id, scope.program_id
    await session.flush()
    return created


async def set_language(session: AsyncSession, *, caller: Caller, language: str) -> None:
    """Store the language for the group, or for the member in a private chat."""
    if not can_change_language(caller):
        raise NotAllowed(caller, Action.SET_CHAT_LANGUAGE)
    if caller.in_group:
        chat = await session.get(Chat, caller.chat_id)
        if chat is not None:
            chat.language = language
        return
    member = await session.get(Member, caller.user_id)
    if member is None:  # an admin from DONDOC_ADMINS who has no row yet
        member = Member(
            user_id=caller.user_id,
            role=(caller.role or Role.VIEWER).value,
            telegram_language=caller.telegram_language,
        )
        session.add(member)
    member.language = language


async def migrate_chat(session: AsyncSession, *, old_id: int, new_id: int) -> None:
    """Follow a group upgraded to a supergroup: its chat id changes."""
    if await session.get(Chat, new_id) is None:
        await session.execute(update(Chat).where(Chat.id == old_id).values(id=new_id))
