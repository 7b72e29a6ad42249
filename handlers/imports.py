"""Importing the task register from a spreadsheet sent in chat: check, then confirm."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from telegram import Message
from telegram.constants import FileSizeLimit
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.commands import COMMAND_FILTER
from handlers.common import Request, guarded
from rendering import imports as import_views
from rendering.text import Html, chunks, join
from services import importer, reports
from services.audit import Actor, EventSource
from services.pending import PendingImport

PROGRESS_EVERY = 3.0  # seconds between progress edits (Telegram rate-limits edits too)
READ_SHARE = 40  # percent of the progress bar spent reading the file


@guarded(admin=True)
async def import_file(req: Request) -> None:
    """Check a spreadsheet captioned /import and offer Confirm / Cancel."""
    message = req.update.effective_message
    document = message.document if message else None
    if message is None or document is None:
        req.say(req.t("import-need-file"))
        return
    size = document.file_size or 0
    if size > FileSizeLimit.FILESIZE_DOWNLOAD:
        req.say(req.t("import-too-big", size=size // 1_000_000))
        return
    name = document.file_name or "file"
    notice = await message.reply_html(req.t("import-reading", name=name), do_quote=False)
    report = await _run(req, notice, document.file_id, name, dry_run=True)
    if report is None:
        return
    notes = import_views.import_column_notes(req.lang, report)
    if not report.ok:
        for text in chunks([*import_views.import_errors(req.lang, name, report.errors), *notes]):
            req.say(text)
        return
    version = await reports.register_version(req.session)
    pending = PendingImport(
        document.file_id, name, message.chat.id, req.context.deps.clock.now(), version
    )
    token = req.context.deps.pending.add(pending)
    summary = import_views.import_summary(req.lang, "import-dry-run", name, report)
    buttons: list[tuple[str, str]] = [(req.t("button-confirm"), f"imp:ok:{token}"),
               (req.t("button-cancel"), f"imp:no:{token}")]  # fmt: skip
    req.say(join([summary, *notes, req.t("import-confirm")]), [buttons])


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
    elif await reports.register_version(req.session) != pending.version:
        # Another import (or edit) landed since this check: its counts no longer hold, and
        # confirming could silently undo the newer change.
        req.say(req.t("import-stale", name=pending.file_name))
    elif isinstance(query.message, Message):
        name = pending.file_name
        report = await _run(req, query.message, pending.file_id, name, dry_run=False)
        if report is not None:
            req.say(_outcome(req.lang, name, report))


async def _run(
    req: Request, notice: Message, file_id: str, name: str, *, dry_run: bool
) -> importer.ImportReport | None:
    """Download, read and import (or check) the file, showing progress on `notice`."""
    data = bytes(await (await req.context.bot.get_file(file_id)).download_as_bytearray())
    async with _progress(req, notice, name) as bar:
        try:
            rows = await asyncio.to_thread(importer.read_rows, data, name, progress=bar.reading)
        except importer.ImportFileError as exc:
            req.say(req.t(exc.msg_id, **exc.params))
            return None
        return await importer.import_tasks(
            req.context.deps.sessions,
            rows,
            dry_run=dry_run,
            actor=Actor(req.caller.user_id, name, EventSource.IMPORT),
            now=req.context.deps.clock.now(),
            progress=bar.importing,
            today=req.today,
        )


@dataclass(slots=True)
class _Bar:
    """Progress reported by the importer (possibly from a worker thread), as a percentage."""

    percent: int = 0

    def reading(self, done: int, total: int) -> None:
        self.percent = READ_SHARE * done // max(total, 1)

    def importing(self, done: int, total: int) -> None:
        self.percent = READ_SHARE + (100 - READ_SHARE) * done // max(total, 1)


@contextlib.asynccontextmanager
async def _progress(req: Request, notice: Message, name: str) -> AsyncIterator[_Bar]:
    """Edit `notice` with the percentage every few seconds while the body runs."""
    bar = _Bar()
    ticker = asyncio.create_task(_tick(req, notice, name, bar))
    try:
        yield bar
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


async def _tick(req: Request, notice: Message, name: str, bar: _Bar) -> None:
    shown = -1
    while True:
        await asyncio.sleep(PROGRESS_EVERY)
        if bar.percent != shown:
            shown = bar.percent
            with contextlib.suppress(TelegramError):  # progress is a courtesy, never fatal
                await notice.edit_text(req.t("import-progress", name=name, percent=shown))


def _outcome(lang: str, name: str, report: importer.ImportReport) -> Html:
    if report.ok:
        summary = import_views.import_summary(lang, "import-done", name, report)
        return join([summary, *import_views.import_column_notes(lang, report)])
    # The register changed between check and confirm (another import): nothing was written.
    return chunks(import_views.import_errors(lang, name, report.errors))[0]


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
