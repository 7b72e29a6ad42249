"""/members, /revoke and /promote: the secretariat manages its members (admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import CallbackData, Reply
from handlers.commands import command
from handlers.common import Request, Turn, guarded, guarded_flow
from handlers.targets import ask_target
from rendering import members as views
from rendering.reports import target_name
from rendering.text import Html
from services import members, pending
from services.access import Action
from services.lookup import Target, TargetIndex
from services.members import Change
from services.pending import Refusal

USER_ID_MAX = 15  # digits; Telegram user ids fit in 52 bits


@dataclass(frozen=True, slots=True)
class MembersOf(CallbackData, prefix="mbr"):
    """/members' candidate button: this agency's leads."""

    agency: int


@dataclass(frozen=True, slots=True)
class MemberChoice(CallbackData, prefix="mem"):
    """Confirm or Cancel of a /revoke or /promote."""

    change: Change
    answer: Reply
    token: str

    def validate(self) -> None:
        if not pending.is_token(self.token):
            raise ValueError(self.token)


@guarded(Action.MANAGE_MEMBERS, read_only=True)
async def members_(req: Request) -> None:
    """List the agencies' leads and the admins: /members [agency]."""
    if req.caller.in_group:  # Telegram ids and names are not for the whole group
        req.say(req.t("members-private-only"))
        return
    ok, target, _note = await ask_target(
        req, req.args.strip(), lambda c: MembersOf(c.id).pack(), agencies_only=True
    )
    if ok:
        await _say_members(req, target)


@guarded(Action.MANAGE_MEMBERS, read_only=True)
async def members_button(req: Request) -> None:
    """Answer a /members candidate button."""
    index = await req.deps.lookup.get(req.session)
    target = index.by_id("agency", MembersOf.of(req.update).agency)
    if target is None:
        req.say(req.t("expired-button"))
    else:
        await _say_members(req, target)


async def _say_members(req: Request, target: Target | None) -> None:
    tz = req.deps.clock.tz
    if target is not None:
        leads = await members.list_members(req.session, agency_id=target.id)
        req.say(views.agency_members(req.lang, target, leads, tz))
        return
    index = await req.deps.lookup.get(req.session)
    req.say(
        views.members_list(
            req.lang,
            await members.list_members(req.session),
            lambda agency_id: index.by_id("agency", agency_id),
            agencies=sum(1 for t in index.targets if t.kind == "agency"),
            settings_admins=req.deps.settings.admins,
            tz=tz,
        )
    )


@guarded(Action.MANAGE_MEMBERS)
async def revoke(req: Request) -> None:
    """Take a member's rights away, after a Confirm: /revoke <user id>, or as a reply."""
    await _ask(req, Change.REVOKE)


@guarded(Action.MANAGE_MEMBERS)
async def promote(req: Request) -> None:
    """Make a lead an admin, after a Confirm: /promote <user id>, or as a reply."""
    await _ask(req, Change.PROMOTE)


def _user_of(req: Request, change: Change) -> int | str:
    """The user meant: the author of the message replied to, or a numeric id; else the
    catalog id of what to say."""
    message = req.update.effective_message
    text = req.args.strip()
    replied = message.reply_to_message if message is not None else None
    if replied is not None and replied.forum_topic_created is not None:
        replied = None  # in a forum topic every message "replies" to the topic's creation
    if replied is not None and not text:
        if replied.sender_chat is not None:  # sent as a channel or as the group itself
            return "member-not-a-person"
        author = replied.from_user
        return "member-bot" if author is None or author.is_bot else author.id
    if text.isascii() and text.isdigit() and len(text) <= USER_ID_MAX:
        return int(text)
    return f"{change}-usage"


async def _ask(req: Request, change: Change) -> None:
    user_id = _user_of(req, change)
    if isinstance(user_id, str):
        req.say(req.t(user_id))
        return
    found = await members.get_member(req.session, user_id=user_id)
    index = await req.deps.lookup.get(req.session)
    refused = members.refuse_change(
        change,
        found,
        user_id=user_id,
        caller_id=req.caller.user_id,
        admins=req.deps.settings.admins,
    )
    if refused is not None or found is None:
        who = views.who(req.lang, found, _lead_of(index, found)) if found else Html("")
        req.say(req.t(refused or "member-unknown", user_id=str(user_id), who=who))
        return
    token = await members.ask_change(
        req.session, caller=req.caller, change=change, target=found, now=req.deps.clock.now()
    )
    agency = _lead_of(index, found)
    who = views.who(req.lang, found, agency)
    leaving = Html("")
    if change is Change.PROMOTE and agency is not None:
        leaving = req.t("promote-leaving", agency=target_name(req.lang, agency))
    buttons: list[tuple[str, str]] = [
        (req.t("button-confirm"), MemberChoice(change, Reply.YES, token).pack()),
        (req.t("button-cancel"), MemberChoice(change, Reply.NO, token).pack()),
    ]
    req.say(req.t(f"{change}-ask", who=who, leaving=leaving), [buttons])


def _lead_of(index: TargetIndex, member: members.MemberInfo | None) -> Target | None:
    if member is None or member.agency_id is None:
        return None
    return index.by_id("agency", member.agency_id)


@guarded_flow(Action.MANAGE_MEMBERS)
async def confirm(turn: Turn) -> None:
    """Carry out (or cancel) a /revoke or /promote once confirmed."""
    pressed = MemberChoice.of(turn.update)
    async with turn.deps.sessions.begin() as session:
        # Consumed first in this transaction (services.pending.consume).
        asked = await members.confirm_change(
            session,
            caller=turn.caller,
            change=pressed.change,
            token=pressed.token,
            now=turn.deps.clock.now(),
            apply=pressed.answer is Reply.YES,
        )
        index = await turn.deps.lookup.get(session)
    if asked is Refusal.USED:  # a double tap, or another admin was first
        await turn.alert(turn.t("member-change-used"))
        return
    if isinstance(asked, Refusal):
        turn.say(turn.t("member-change-expired"))
        return
    if asked is None:
        turn.say(turn.t("member-changed-meanwhile"))
        return
    member = members.asked_member(asked)
    who = views.who(turn.lang, member, _lead_of(index, member))
    if pressed.answer is Reply.NO:
        turn.say(turn.t("member-change-cancelled", who=who))
    else:
        turn.say(turn.t(f"{pressed.change}-done", who=who))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The secretariat's member commands and their buttons."""
    return [
        command("members", members_),
        command("revoke", revoke),
        command("promote", promote),
        CallbackQueryHandler(members_button, pattern=MembersOf.matches),
        CallbackQueryHandler(confirm, pattern=MemberChoice.matches),
    ]
