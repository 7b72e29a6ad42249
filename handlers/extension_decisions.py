"""The admins' side of a deadline extension: every admin gets the request in private with
Approve / Reject; the first to press decides, the other copies then say who decided and
how, a late press is told, and the lead who asked hears the answer.

Copies go out after the request's transaction commits; where they went is recorded in a
short transaction of its own. An admin Telegram will not let us reach (403: never started
the bot, or blocked it) is skipped and the others still get theirs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.context import Context
from handlers.callbacks import CallbackData, Reply
from handlers.common import Turn, guarded_flow, markup, send_replies
from rendering import extensions as views
from rendering.text import render
from services import extensions
from services.access import Action
from services.extensions import Asked
from services.lookup import Target
from services.task_writes import Editor
from storage.db import snapshot, writing
from storage.models import ExtensionStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtensionDecision(CallbackData, prefix="extd"):
    """Approve (YES) or reject (NO) an extension request."""

    request: int
    answer: Reply


async def notify_admins(context: Context, asked: Asked) -> int:
    """Send every admin the request with its buttons; how many of them got it."""
    deps = context.deps
    async with snapshot(deps.sessions) as session:
        admins = await extensions.recipients(
            session, admins=deps.settings.admins, default=deps.settings.language
        )
        agency = (await deps.lookup.get(session)).by_id("agency", asked.agency_id)
    notices: list[tuple[int, int]] = []
    for user_id, lang in admins:
        buttons: list[tuple[str, str]] = [
            (
                render(lang, "extension-button-approve"),
                ExtensionDecision(asked.id, Reply.YES).pack(),
            ),
            (
                render(lang, "extension-button-reject"),
                ExtensionDecision(asked.id, Reply.NO).pack(),
            ),
        ]
        text = views.notice(lang, asked, agency, deps.clock.tz)
        try:
            sent = await context.bot.send_message(user_id, text, reply_markup=markup([buttons]))
        except TelegramError as exc:  # 403 and the like: the other admins still get theirs
            log.warning("extension request %s not sent to admin %s: %s", asked.id, user_id, exc)
            continue
        notices.append((user_id, sent.message_id))
    async with writing(deps.sessions) as session:
        current = await extensions.record_notices(session, request_id=asked.id, notices=notices)
        langs = await extensions.languages(
            session, user_ids=[chat for chat, _ in notices], default=deps.settings.language
        )
    if current is not None and current.status is not ExtensionStatus.PENDING:
        # An admin decided before we knew where the copies were: show it on them now.
        await _show_decision(context, current, notices, langs, agency)
    return len(notices)


@guarded_flow(Action.DECIDE_EXTENSION)
async def decide(turn: Turn) -> None:
    """Approve or reject a deadline extension; the first admin to press decides."""
    pressed = ExtensionDecision.of(turn.update)
    deps, user = turn.deps, turn.update.effective_user
    editor = Editor(turn.caller, user.full_name if user else "")
    async with writing(deps.sessions) as session:
        # The decision's conditional UPDATE comes first in this transaction.
        asked, won = await extensions.decide(
            session,
            editor=editor,
            request_id=pressed.request,
            approve=pressed.answer is Reply.YES,
            now=deps.clock.now(),
        )
        agency = (await deps.lookup.get(session)).by_id("agency", asked.agency_id if asked else 0)
        langs: dict[int, str] = {}
        if asked is not None:
            people = [chat for chat, _ in asked.notices] + [asked.user_id or 0]
            langs = await extensions.languages(
                session, user_ids=people, default=deps.settings.language
            )
    if asked is None:  # forged, or the task (and its requests) deleted
        await turn.alert(turn.t("expired-button"))
        return
    if not won:
        await turn.alert(views.late(turn.lang, asked, deps.clock.tz))
    turn.say(views.notice(turn.lang, asked, agency, deps.clock.tz))  # this copy, buttons gone
    await send_replies(turn)
    if not won:
        return
    query = turn.update.callback_query
    here = (query.message.chat.id, query.message.message_id) if query and query.message else None
    others = [notice for notice in asked.notices if notice != here]
    await _show_decision(turn.context, asked, others, langs, agency)
    if asked.user_id is not None and asked.user_id != turn.caller.user_id:
        lang = langs.get(asked.user_id, deps.settings.language)
        await _send(turn.context, asked.user_id, views.answer(lang, asked), asked.id)


async def _show_decision(
    context: Context,
    asked: Asked,
    notices: Iterable[tuple[int, int]],
    langs: Mapping[int, str],
    agency: Target | None,
) -> None:
    """Edit admins' copies to say who decided and how (their buttons go)."""
    default, tz = context.deps.settings.language, context.deps.clock.tz
    for chat_id, message_id in notices:
        text = views.notice(langs.get(chat_id, default), asked, agency, tz)
        try:
            await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
        except TelegramError as exc:  # deleted by its admin, say: the decision stands
            log.warning("copy %s/%s of extension %s not updated: %s", chat_id, message_id,
                        asked.id, exc)  # fmt: skip


async def _send(context: Context, chat_id: int, text: str, request_id: int) -> None:
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError as exc:  # the lead blocked the bot: the decision stands
        log.warning("decision on extension %s not sent to %s: %s", request_id, chat_id, exc)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The admins' Approve / Reject buttons."""
    return [CallbackQueryHandler(decide, pattern=ExtensionDecision.matches)]
