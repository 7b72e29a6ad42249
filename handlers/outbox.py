"""/outbox: admins see the queued messages that were not delivered (failed, blocked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import Keyboard, Request, guarded
from rendering import outbox as views
from rendering.text import render
from services import outbox
from services.access import Action
from storage.models import OutboxStatus

PAGE = 8  # rows a page: 8 long errors stay under 4096 characters
UNDELIVERED = (OutboxStatus.FAILED.value, OutboxStatus.BLOCKED.value)


@dataclass(frozen=True, slots=True)
class OutboxPage(CallbackData, prefix="ob"):
    """A page of /outbox."""

    page: int


@guarded(Action.VIEW_OUTBOX, read_only=True)
async def outbox_(req: Request) -> None:
    """List the messages the bot could not deliver, newest first."""
    if req.caller.in_group:  # chat ids and errors name people: not for a whole group
        req.say(req.t("outbox-private-only"))
        return
    await _say_page(req, 0)


@guarded(Action.VIEW_OUTBOX, read_only=True)
async def outbox_page(req: Request) -> None:
    """Show another page of /outbox."""
    await _say_page(req, OutboxPage.of(req.update).page)


async def _say_page(req: Request, page: int) -> None:
    total = await outbox.count_rows(req.session, statuses=UNDELIVERED)
    pages = max(1, -(-total // PAGE))
    page = min(page, pages - 1)
    rows = await outbox.list_rows(
        req.session, statuses=UNDELIVERED, offset=page * PAGE, limit=PAGE, newest_first=True
    )
    text = views.undelivered(
        req.lang, rows, total=total, page=page, pages=pages, tz=req.deps.clock.tz
    )
    req.say(text, _pager(req.lang, page, pages))


def _pager(lang: str, page: int, pages: int) -> Keyboard:
    row: list[tuple[str, str]] = []
    if page > 0:
        row.append((render(lang, "button-prev"), OutboxPage(page - 1).pack()))
    if page + 1 < pages:
        row.append((render(lang, "button-next"), OutboxPage(page + 1).pack()))
    return [row] if row else []


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/outbox and its pages."""
    return [
        command("outbox", outbox_),
        CallbackQueryHandler(outbox_page, pattern=OutboxPage.matches),
    ]
