"""/invite (admins) and opening its link (/start TOKEN), for anyone: how a lead joins."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler
from telegram.helpers import create_deep_linked_url

from handlers.callbacks import CallbackData, Reply
from handlers.commands import command
from handlers.common import Request, Turn, guarded, guarded_flow, send_replies
from handlers.targets import ask_target
from rendering import members as views
from rendering.reports import target_name
from rendering.text import Html, normalize_lang
from services import invites, pending
from services.access import Action
from services.invites import InviteCheck, Joined, Step
from services.lookup import Target, TargetIndex
from services.pending import Refusal
from storage.db import snapshot

log = logging.getLogger(__name__)

# What Telegram allows after t.me/<bot>?start= (https://core.telegram.org/bots/features#deep-linking)
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")
REFUSED = {Refusal.USED: Step.USED, Refusal.EXPIRED: Step.EXPIRED}


@dataclass(frozen=True, slots=True)
class InviteFor(CallbackData, prefix="inv"):
    """/invite's candidate button: invite a lead of this agency."""

    agency: int


@dataclass(frozen=True, slots=True)
class InviteMove(CallbackData, prefix="invmv"):
    """A lead of another agency opened an invite: move to its agency, or keep theirs."""

    answer: Reply
    token: str

    def validate(self) -> None:
        if not pending.is_token(self.token):
            raise ValueError(self.token)


@guarded(Action.MANAGE_MEMBERS)
async def invite(req: Request) -> None:
    """Make a one-time link that makes its opener a lead of an agency: /invite <agency>."""
    if req.caller.in_group:
        req.say(req.t("invite-private-only"))
        return
    if not req.args.strip():
        req.say(req.t("invite-usage"))
        return
    ok, target, _note = await ask_target(
        req, req.args.strip(), lambda c: InviteFor(c.id).pack(), agencies_only=True
    )
    if ok and target is not None:
        await _invite(req, target)


@guarded(Action.MANAGE_MEMBERS)
async def invite_button(req: Request) -> None:
    """Answer an /invite candidate button."""
    index = await req.deps.lookup.get(req.session)
    target = index.by_id("agency", InviteFor.of(req.update).agency)
    if target is None or req.caller.in_group:
        req.say(req.t("expired-button"))
    else:
        await _invite(req, target)


async def _invite(req: Request, agency: Target) -> None:
    [made] = await invites.create_invites(
        req.session, caller=req.caller, agency_ids=[agency.id], now=req.deps.clock.now()
    )
    link = create_deep_linked_url(req.context.bot.username, made.token)
    for text in views.invite_messages(req.lang, agency, link, made.expires_at, req.deps.clock.tz):
        req.say(text)


# --- opening an invite -------------------------------------------------------------------


@guarded_flow(None)
async def follow_link(turn: Turn) -> None:
    """Open a deep link, even for an unknown user: an invite is how they become known."""
    token = turn.args.strip()
    if DEEP_LINK.fullmatch(token) is None:  # typed by hand, or cut short
        turn.say(turn.t("start-link-invalid"))
        return
    if turn.caller.in_group:  # t.me links open the private chat; this was typed in a group
        turn.say(turn.t("invite-private-open"))
        return
    await _open(turn, token)


@guarded_flow(None)
async def move_button(turn: Turn) -> None:
    """A lead of another agency answers whether to move to the invite's agency."""
    pressed = InviteMove.of(turn.update)
    if turn.caller.in_group:  # the question, forwarded: whoever pressed is not who was asked
        turn.say(turn.t("invite-private-open"))
        return
    await _open(turn, pressed.token, pressed.answer)


async def _open(turn: Turn, token: str, moving: Reply | None = None) -> None:
    """Check the invite (nothing written), then join, ask whether to move (`moving`: the
    answer), or say why not."""
    async with snapshot(turn.deps.sessions) as session:
        check = await invites.check_invite(
            session, token=token, caller=turn.caller, now=turn.deps.clock.now()
        )
        index = await turn.deps.lookup.get(session)
    if check.step is Step.JOIN and moving is Reply.NO:  # no longer a lead: keep means stay out
        turn.say(turn.t("invite-declined", **_expiry(turn, check)))
    elif check.step is Step.JOIN or (check.step is Step.ASK_MOVE and moving is Reply.YES):
        await _join(turn, token, check)
    elif check.step is Step.ASK_MOVE and moving is Reply.NO:
        turn.say(turn.t("invite-kept", **_current(turn, index), **_expiry(turn, check)))
    elif check.step is Step.ASK_MOVE:
        agency = _agency(turn, index, check.agency_id)
        current = _current(turn, index)
        buttons: list[tuple[str, str]] = [
            (turn.t("button-move", code=agency["code"]), InviteMove(Reply.YES, token).pack()),
            (
                turn.t("button-keep", code=current["current_code"]),
                InviteMove(Reply.NO, token).pack(),
            ),
        ]
        turn.say(turn.t("invite-ask-move", **agency, **current), [buttons])
    else:
        turn.say(_refusal(turn, index, check, check.step))


async def _join(turn: Turn, token: str, check: InviteCheck) -> None:
    """Accept the invite (consumed first in its transaction), greet, tell the inviter."""
    user = turn.update.effective_user
    async with turn.deps.sessions.begin() as session:
        done = await invites.accept_invite(
            session,
            token=token,
            caller=turn.caller,
            name=user.full_name if user else "",
            now=turn.deps.clock.now(),
        )
        index = await turn.deps.lookup.get(session)
    if not isinstance(done, Joined):  # taken meanwhile, expired meanwhile, or an admin now
        step = done if isinstance(done, Step) else REFUSED.get(done, Step.INVALID)
        turn.say(_refusal(turn, index, check, step))
        return
    agency = index.by_id("agency", done.agency_id)
    assert agency is not None  # agencies are never deleted
    previous = index.by_id("agency", done.previous_agency_id or 0)
    turn.say(views.welcome(turn.lang, user.first_name if user else "", agency, previous))
    await send_replies(turn)  # the newcomer first, then the admin who invited them
    if done.inviter_chat is not None:
        lang = normalize_lang(done.inviter_language) or turn.deps.settings.language
        text = views.accepted(lang, user.full_name if user else "", turn.caller.user_id, agency)
        try:
            await turn.context.bot.send_message(done.inviter_chat, text)
        except TelegramError as exc:  # blocked, deleted: the lead has joined all the same
            log.warning("could not tell chat %s of an accepted invite: %s", done.inviter_chat, exc)


def _refusal(turn: Turn, index: TargetIndex, check: InviteCheck, step: Step) -> Html:
    """Why opening the invite changed nothing."""
    if step is Step.USED:
        return turn.t("invite-used")
    if step is Step.EXPIRED:
        return turn.t("invite-expired", **_expiry(turn, check))
    if step in (Step.ADMIN, Step.ALREADY):
        return turn.t(f"invite-{step.value}", **_agency(turn, index, check.agency_id))
    return turn.t("start-link-invalid")


def _agency(turn: Turn, index: TargetIndex, agency_id: int) -> dict[str, str]:
    target = index.by_id("agency", agency_id)
    if target is None:  # an agency is never deleted; a forged id is refused before this
        return {"agency": "", "code": ""}
    return {"agency": target_name(turn.lang, target), "code": target.code}


def _current(turn: Turn, index: TargetIndex) -> dict[str, str]:
    named = _agency(turn, index, turn.caller.agency_id or 0)
    return {"current": named["agency"], "current_code": named["code"]}


def _expiry(turn: Turn, check: InviteCheck) -> dict[str, Any]:
    if check.expires_at is None:
        return {"time": "", "day": ""}
    return views.moment(check.expires_at, turn.deps.clock.tz)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/invite and its buttons; /start TOKEN comes through basics.start."""
    return [
        command("invite", invite),
        CallbackQueryHandler(invite_button, pattern=InviteFor.matches),
        CallbackQueryHandler(move_button, pattern=InviteMove.matches),
    ]
