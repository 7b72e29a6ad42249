"""/history CODE: what changed in a task, who changed it, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import Request, code_asked, guarded, task_not_found
from rendering import history as views
from services import history
from services.history import History


@dataclass(frozen=True, slots=True)
class HistoryPage(CallbackData, prefix="hist"):
    """A page of one task's history."""

    task_id: int
    page: int


@guarded(read_only=True)
async def history_(req: Request) -> None:
    """Show a task's changes, newest first: /history CODE."""
    code = code_asked(req, "history-usage")
    if code is None:
        return
    found = await history.task_history(req.session, code=code)
    if found is None:
        req.say(task_not_found(req, code))
    else:
        _say(req, found)


@guarded(read_only=True)
async def history_page(req: Request) -> None:
    """Show another page of a task's history."""
    pressed = HistoryPage.of(req.update)
    found = await history.task_history(req.session, task_id=pressed.task_id, page=pressed.page)
    if found is None:  # the task was deleted since
        req.say(req.t("expired-button"))
    else:
        _say(req, found)


def _say(req: Request, found: History) -> None:
    text = views.history_page(req.lang, found, req.deps.clock.tz)
    req.say(text, views.pager(req.lang, found, lambda n: HistoryPage(found.task_id, n).pack()))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/history and its page buttons."""
    return [
        command("history", history_),
        CallbackQueryHandler(history_page, pattern=HistoryPage.matches),
    ]
