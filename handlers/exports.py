"""/export: the register (the committee's, an agency's or a programme's) as an Excel file.

Admins export any scope, leads their own agency's tasks. The workbook is built from one
read snapshot that is closed before the file is uploaded (no Telegram call while a database
connection is held); a large one is announced first, since building it takes seconds.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.constants import FileSizeLimit, MessageLimit
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import Request, Turn, guarded_flow
from handlers.targets import EVERYONE, REF, ask_report_target, ref_of, target_of
from rendering.text import Html, cut, plain, utf16_len
from services import access, reports
from services.access import Action
from services.export import Exported, export_register
from services.lookup import Target
from services.reports import Scope
from storage.db import snapshot

NOTICE_TASKS = 5000  # an export of this many tasks or more says "preparing…" first
NAME_CUT = 200  # characters of the scope's name in the caption
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class ExportChoice(CallbackData, prefix="export"):
    """An /export candidate button (an agency or programme), or - for everyone."""

    ref: str

    def validate(self) -> None:
        if self.ref != EVERYONE and not REF.fullmatch(self.ref):
            raise ValueError(self.ref)


@dataclass(frozen=True, slots=True)
class _Plan:
    """What to export, and how many tasks that is."""

    target: Target | None
    tasks: int

    @property
    def scope(self) -> Scope:
        return Scope.of(self.target)


@guarded_flow(Action.EXPORT)
async def export(turn: Turn) -> None:
    """Send the register as an Excel file: everyone, an agency or a programme."""
    async with snapshot(turn.deps.sessions) as session:
        req = _request(turn, session)
        ok, target = await _target(req)
        plan = await _plan(req, target) if ok else None
    if plan is not None:
        await _send(turn, plan)


@guarded_flow(Action.EXPORT)
async def export_button(turn: Turn) -> None:
    """Export what an /export candidate button names."""
    await turn.acknowledge()  # building the file may take a while: stop the spinner now
    ref = ExportChoice.of(turn.update).ref
    async with snapshot(turn.deps.sessions) as session:
        req = _request(turn, session)
        target = await target_of(req, ref)
        if ref != EVERYONE and target is None:  # the programme behind an old button is gone
            req.say(req.t("expired-button"))
            plan = None
        else:
            plan = await _plan(req, target)
    if plan is not None:
        await _send(turn, plan)


def _request(turn: Turn, session: AsyncSession) -> Request:
    """The turn as a Request on `session`; what it says is the turn's to send."""
    return Request(
        turn.update,
        turn.context,
        turn.caller,
        turn.lang,
        turn.today,
        turn.replies,
        session=session,
    )


async def _target(req: Request) -> tuple[bool, Target | None]:
    """What the caller asked for; a lead asking for nothing gets their own agency."""
    if not req.caller.is_admin and not req.args.strip():
        index = await req.context.deps.lookup.get(req.session)
        own = index.by_id("agency", req.caller.agency_id or 0)
        if own is None:
            req.say(req.t("export-no-agency"))
            return False, None
        return True, own
    ok, target, _note = await ask_report_target(
        req, req.args, lambda c: ExportChoice(ref_of(c)).pack()
    )
    return ok, target


async def _plan(req: Request, target: Target | None) -> _Plan | None:
    """The export if the caller may make it (else said why), with its size."""
    scope = Scope.of(target)
    if not access.can_export(req.caller, scope):
        index = await req.context.deps.lookup.get(req.session)
        own = index.by_id("agency", req.caller.agency_id or 0)
        if own is None:
            req.say(req.t("export-no-agency"))
        else:
            req.say(req.t("export-own-agency-only", code=own.code))
        return None
    summary = await reports.summarize(
        req.session, today=req.today, scope=scope, cache=req.context.deps.summaries
    )
    return _Plan(target, summary.total)


async def _send(turn: Turn, plan: _Plan) -> None:
    """Build the workbook in a snapshot, close it, then upload the file."""
    chat_id = turn.caller.chat_id
    bot = turn.context.bot
    if plan.tasks >= NOTICE_TASKS:
        await bot.send_message(chat_id, turn.t("export-preparing", count=plan.tasks))
    out = io.BytesIO()
    async with snapshot(turn.deps.sessions) as session:
        done = await export_register(
            session, out, caller=turn.caller, scope=plan.scope, today=turn.today, lang=turn.lang
        )
    data = out.getvalue()
    limit = int(FileSizeLimit.FILESIZE_UPLOAD)
    if len(data) > limit:
        turn.say(turn.t("export-too-big", size=len(data) >> 20, limit=limit >> 20))
        return
    await bot.send_document(
        chat_id, data, filename=_file_name(turn, plan.target), caption=_caption(turn, done)
    )


def _caption(turn: Turn, done: Exported) -> Html:
    """What the file holds and how to send it back, within Telegram's caption limit."""
    summary = done.summary
    figures = {
        "tasks": summary.total,
        "completed": summary.completed,
        "completed_pct": summary.shares()["completed"],
        "overdue": summary.overdue,
    }
    sheets = {
        f"{name}_sheet": plain(turn.t(f"export-sheet-{name}"))
        for name in ("summary", "overdue", "tasks")
    }
    for limit in (NAME_CUT, 40):
        caption = turn.t(
            "export-caption",
            scope=cut(done.scope_name, limit),
            today=turn.today,
            **figures,
            **sheets,
        )
        if utf16_len(plain(caption)) <= MessageLimit.CAPTION_LENGTH:
            break
    return caption


def _file_name(turn: Turn, target: Target | None) -> str:
    """dondoc-MOF-2026-11-25.xlsx, dondoc-all-2026-11-25.xlsx."""
    slug = _SLUG.sub("", target.code) if target is not None else ""
    return f"dondoc-{slug or 'all'}-{turn.today.isoformat()}.xlsx"


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/export and its candidate buttons."""
    return [
        command("export", export),
        CallbackQueryHandler(export_button, pattern=ExportChoice.matches),
    ]
