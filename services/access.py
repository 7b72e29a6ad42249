"""Who may see and change what: registered chats, members and admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, Member, Role

GROUP_TYPES = frozenset({"group", "supergroup"})


@dataclass(frozen=True, slots=True)
class Caller:
    """The user and chat behind an update, as far as permissions go."""

    user_id: int
    chat_id: int
    chat_type: str
    role: Role | None  # None: unknown user
    chat_registered: bool
    language: str | None  # the chat's (group) or the member's (private) setting

    @property
    def in_group(self) -> bool:
        return self.chat_type in GROUP_TYPES

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def denial(caller: Caller, *, admin: bool = False, registering: bool = False) -> str | None:
    """Why the caller may not run a command (a catalog id), or None if they may.

    A group sees nothing until it is registered, even when an admin asks, because every
    member would read the answer; only /register itself (`registering`) works there.
    """
    if caller.in_group and not caller.chat_registered and not registering:
        return "unknown-chat"
    if not can_view(caller) and not caller.is_admin:
        return "unknown-chat" if caller.in_group else "unknown-user"
    if admin and not caller.is_admin:
        return "admin-only"
    return None


def can_change_language(caller: Caller) -> bool:
    """A group's language is the secretariat's choice; anyone may choose their own."""
    return caller.is_admin or not caller.in_group


def can_view(caller: Caller) -> bool:
    """Registered groups see reports; in private, only known members and admins do."""
    if caller.in_group:
        return caller.chat_registered
    if caller.chat_type == "private":
        return caller.role is not None
    return False  # channels and anything else


async def load_caller(
    session: AsyncSession, *, user_id: int, chat_id: int, chat_type: str, admins: frozenset[int]
) -> Caller:
    """Read the chat and member rows; DONDOC_ADMINS are admins whatever the table says."""
    chat = await session.get(Chat, chat_id)
    member = await session.get(Member, user_id)
    role = Role.ADMIN if user_id in admins else (Role(member.role) if member else None)
    if chat_type in GROUP_TYPES:
        language = chat.language if chat else None
    else:
        language = member.language if member else None
    return Caller(user_id, chat_id, chat_type, role, chat is not None, language)


async def register_chat(
    session: AsyncSession, *, chat_id: int, title: str, by: int, now: datetime
) -> bool:
    """Register a group chat; False if it already was."""
    if await session.get(Chat, chat_id) is not None:
        return False
    session.add(Chat(id=chat_id, title=title, registered_by=by, registered_at=now))
    await session.flush()
    return True


async def set_language(session: AsyncSession, *, caller: Caller, language: str) -> None:
    """Store the language for the group, or for the member in a private chat."""
    if caller.in_group:
        chat = await session.get(Chat, caller.chat_id)
        if chat is not None:
            chat.language = language
        return
    member = await session.get(Member, caller.user_id)
    if member is None:  # an admin from DONDOC_ADMINS who has no row yet
        member = Member(user_id=caller.user_id, role=(caller.role or Role.VIEWER).value)
        session.add(member)
    member.language = language


async def migrate_chat(session: AsyncSession, *, old_id: int, new_id: int) -> None:
    """Follow a group upgraded to a supergroup: its chat id changes."""
    if await session.get(Chat, new_id) is None:
        await session.execute(update(Chat).where(Chat.id == old_id).values(id=new_id))
