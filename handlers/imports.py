"""Importing the task register from a spreadsheet sent in chat: check, then confirm."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from telegram import Document, Message
from telegram.constants import FileSizeLimit
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import views
from bot.render import Html, chunks, join
from handlers.commands import COMMAND_FILTER
from handlers.common import Request, guarded
from services import importer
from services.pending import PendingImport

PROGRESS_EVERY = 3.0  # seconds between progress edits (Telegram rate limits edits too)


@guarded(admin=True)
async def import_file(req: Request) -> None:
    """Check a spreadsheet captioned /import and offer Confirm / Cancel."""
    message = req.update.effective_message
    document = message.document if message else None
    if message is None or document is None:
        req.say(req.t("import-need-file"))
        return
    if (document.file_size or 0) > FileSizeLimit.FILESIZE_DOWNLOAD:
        req.say(req.t("import-too-big", size=(document.file_size or 0) // 1_000_000))
        return
    report = await _check(req, message, document)
    if report is None:
        return
    name = document.file_name or "file"
    if not report.ok:
        for text in chunks(views.import_errors(req.lang, name, report.errors)):
            req.say(text)
        return
    token = req.context.deps.pending.add(
        PendingImport(document.file_id, name, message.chat.id, req.context.deps.clock.now())
    )
    summary = views.import_summary(req.lang, "import-dry-run", name, report)
    req.say(
        join([summary, req.t("import-confirm")]),
        [
            [
                (req.t("button-confirm"), f"imp:ok:{token}"),
                (req.t("button-cancel"), f"imp:no:{token}"),
            ]
        ],
    )


async def _check(
    req: Request, message: Message, document: Document
) -> importer.ImportReport | None:
    name = document.file_name or "file"
    notice = await message.reply_html(req.t("import-reading", name=name), do_quote=False)
    rows = await _read(req, document.file_id, name)
    if rows is None:
        return None
    progress: list[tuple[int, int]] = []
    ticker = asyncio.create_task(_show_progress(req, notice, progress))
    try:
        return await importer.import_tasks(
            req.session, rows, dry_run=True, progress=lambda d, t: progress.append((d, t))
        )
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


async def _read(req: Request, file_id: str, name: str) -> list[dict[str, object]] | None:
    """Download and parse the file; an unreadable file is explained, not raised."""
    data = bytes(await (await req.context.bot.get_file(file_id)).download_as_bytearray())
    try:
        return await asyncio.to_thread(importer.read_rows, data, name)
    except importer.ImportFileError as exc:
        req.say(req.t(exc.msg_id, **exc.params))
        return None


async def _show_progress(req: Request, notice: Message, progress: list[tuple[int, int]]) -> None:
    shown: tuple[int, int] | None = None
    while True:
        await asyncio.sleep(PROGRESS_EVERY)
        if progress and progress[-1] != shown:
            shown = progress[-1]
            await notice.edit_text(req.t("import-progress", done=shown[0], total=shown[1]))


@guarded(admin=True)
async def confirm(req: Request) -> None:
    """Write a checked import (all or nothing), or cancel it."""
    query = req.update.callback_query
    assert query is not None
    assert query.data is not None
    _imp, action, token = query.data.split(":")
    pending = req.context.deps.pending.take(token, now=req.context.deps.clock.now())
    if pending is None:
        req.say(req.t("import-expired"))
    elif action == "no":
        req.say(req.t("import-cancelled"))
    else:
        rows = await _read(req, pending.file_id, pending.file_name)
        if rows is not None:
            report = await importer.import_tasks(req.session, rows, dry_run=False)
            req.say(_outcome(req.lang, pending.file_name, report))


def _outcome(lang: str, name: str, report: importer.ImportReport) -> Html:
    if report.ok:
        return views.import_summary(lang, "import-done", name, report)
    # The data changed between check and confirm (another import): nothing was written.
    return chunks(views.import_errors(lang, name, report.errors))[0]


@guarded(admin=True)
async def import_usage(req: Request) -> None:
    """Explain that /import needs a file attached."""
    req.say(req.t("import-need-file"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The chat import: a document captioned /import, a bare /import, and the buttons."""
    caption = filters.CaptionRegex(r"^/import(@\w+)?(\s|$)")
    return [
        MessageHandler(filters.Document.ALL & caption & COMMAND_FILTER, import_file),
        MessageHandler(filters.Regex(r"^/import(@\w+)?(\s|$)") & COMMAND_FILTER, import_usage),
        CallbackQueryHandler(confirm, pattern=r"^imp:(ok|no):[\w-]{12}$"),
    ]
