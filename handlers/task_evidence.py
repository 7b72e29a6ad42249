"""A task's evidence files sent back by the bot (admins and the lead agency's leads): by
Telegram's file id, never downloaded, a few at a time."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.common import Keyboard, Turn, guarded_flow, markup
from handlers.task_buttons import EvidenceSend
from handlers.task_card import tell
from rendering import tasks as views
from rendering.text import Html
from services import task_cards, task_writes
from services.access import Action, NotAllowed
from storage.db import snapshot
from storage.models import EvidenceKind

log = logging.getLogger(__name__)


@guarded_flow(Action.VIEW_REPORTS)
async def send_evidence(turn: Turn) -> None:
    """Send a task's evidence files back (admins and the lead agency's leads), a few at a time."""
    button = EvidenceSend.of(turn.update)
    problem: Html | None = None
    async with snapshot(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=button.task_id)
        if task is None:
            problem = turn.t("task-gone")
        else:
            try:
                page = await task_cards.evidence_page(
                    session, caller=turn.caller, task=task, offset=button.offset
                )
            except NotAllowed:
                problem = turn.t(
                    "evidence-not-yours", code=task.code, agency=task.lead_agency.code
                )
    if problem is not None or task is None:
        await tell(turn, problem or Html(""))
        return
    if not page.items:
        await tell(turn, turn.t("evidence-none", code=task.code))
        return
    await turn.acknowledge()
    for n, item in enumerate(page.items, page.offset + 1):
        caption = views.evidence_caption(
            turn.lang, task.code, item, n, page.total, turn.deps.clock.tz
        )
        await _send_file(turn, item, caption)
    shown = page.offset + len(page.items)
    more: Keyboard = []
    if page.next_offset is not None:
        label = turn.t("button-more-evidence", count=page.total - shown)
        more = [[(label, EvidenceSend(task.id, page.next_offset).pack())]]
    text = turn.t("evidence-sent", code=task.code, shown=shown, total=page.total)
    message = turn.update.effective_message
    if message is not None:
        await message.reply_html(text, reply_markup=markup(more), do_quote=False)


async def _send_file(turn: Turn, item: task_cards.EvidenceItem, caption: Html) -> None:
    """Send one file by Telegram's id (never downloaded); a file Telegram lost is skipped."""
    bot, chat = turn.context.bot, turn.caller.chat_id
    try:
        if item.kind == EvidenceKind.PHOTO.value:
            await bot.send_photo(chat, item.file_id, caption=caption)
        else:
            await bot.send_document(chat, item.file_id, caption=caption)
    except TelegramError as exc:
        log.warning("could not send evidence file %s: %s", item.file_id, exc)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The card's button that sends the evidence files back, and its "more"."""
    return [CallbackQueryHandler(send_evidence, pattern=EvidenceSend.matches)]
