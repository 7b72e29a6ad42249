"""Importing the task register from a spreadsheet sent in chat: check, then confirm.

The check keeps the uploaded file in a pending action (services.pending), so Confirm works
after a restart or on another process. Telegram calls (download, progress edits, replies)
happen only while no database connection is held: download, parse, then the importer in
its own transaction, then the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Message
from telegram.constants import FileSizeLimit
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from handlers.callbacks import CallbackData
from handlers.commands import COMMAND_FILTER, ForThisBot
from handlers.common import Keyboard, Request, Turn, guarded, guarded_flow
from rendering import imports as import_views
from rendering.text import Html, chunks, join
from services import importer, pending
from services.access import Action
from services.audit import Actor, EventSource
from services.importer import ChatUpdate
from storage.db import snapshot

log = logging.getLogger(__name__)

PROGRESS_EVERY = 3.0  # seconds between progress edits (Telegram rate-limits edits too)
READ_SHARE = 40  # percent of the progress bar spent reading the file
KIND = "import"  # pending_action.kind
TTL = timedelta(minutes=30)  # how long a check waits for its Confirm
REFUSED = {
    pending.Refusal.EXPIRED: "import-expired",
    pending.Refusal.UNKNOWN: "import-unknown",
}


class Answer(enum.StrEnum):
    """The buttons under a checked file."""

    CONFIRM = "ok"  # import (keeping the fields changed in chat since the last import)
    CANCEL = "no"
    OVERWRITE = "undo"  # asks again before undoing chat updates: writes nothing yet
    OVERWRITE_SURE = "sure"  # import, the file's values over the chat updates


@dataclass(frozen=True, slots=True)
class ImportChoice(CallbackData, prefix="imp"):
    """Confirm or Cancel of the checked import behind `token`."""

    answer: Answer
    token: str

    def validate(self) -> None:
        if not pending.is_token(self.token):
            raise ValueError(self.token)


@guarded_flow(Action.IMPORT)
async def import_file(turn: Turn) -> None:
    """Check a spreadsheet captioned /import and offer Confirm / Cancel."""
    message = turn.update.effective_message
    document = message.document if message else None
    if message is None or document is None:
        turn.say(turn.t("import-need-file"))
        return
    size = document.file_size or 0
    if size > FileSizeLimit.FILESIZE_DOWNLOAD:
        turn.say(turn.t("import-too-big", size=size // 1_000_000))
        return
    name = document.file_name or "file"
    notice = await message.reply_html(turn.t("import-reading", name=name), do_quote=False)
    data = await _download(turn, document.file_id, name)
    if data is None:
        return
    bar = _Bar()
    rows = await _read(turn, notice, data, name, bar)
    if rows is None:
        return
    report = await _import(turn, rows, name, progress=bar)
    notes = import_views.import_column_notes(turn.lang, report)
    if not report.ok:
        for text in chunks([*import_views.import_errors(turn.lang, name, report.errors), *notes]):
            turn.say(text)
        return
    listed = report.chat_updates[: import_views.MAX_CHAT_UPDATES]
    payload = {
        "file_name": name,
        "fingerprint": report.fingerprint,
        # For the second question before undoing them: what the first one listed.
        "chat_updates": report.chat_update_count,
        "chat_listed": [[u.code, u.field, u.chat, u.file] for u in listed],
    }
    async with turn.deps.sessions.begin() as session:
        token = await pending.create(
            session,
            kind=KIND,
            user_id=turn.caller.user_id,
            chat_id=turn.caller.chat_id,
            payload=payload,
            now=turn.deps.clock.now(),
            ttl=TTL,
            blob=data,
        )
    summary = import_views.import_summary(turn.lang, "import-dry-run", name, report)
    clashes = import_views.chat_update_lines(turn.lang, report)
    if not clashes:
        buttons: list[tuple[str, str]] = [
            (turn.t("button-confirm"), _choice(Answer.CONFIRM, token)),
            (turn.t("button-cancel"), _choice(Answer.CANCEL, token)),
        ]
        turn.say(join([summary, *notes, turn.t("import-confirm")]), [buttons])
        return
    # Fields changed in chat since the last import: keeping them is the first choice; undoing
    # them takes a second, explicit one (_ask_overwrite).
    keyboard: Keyboard = [
        [(turn.t("button-import-keep"), _choice(Answer.CONFIRM, token))],
        [(turn.t("button-import-undo"), _choice(Answer.OVERWRITE, token))],
        [(turn.t("button-cancel"), _choice(Answer.CANCEL, token))],
    ]
    parts = chunks([summary, *clashes, *notes, turn.t("import-chat-updates-choose")])
    for part in parts[:-1]:  # a long list: the buttons go under its last part
        turn.say(part)
    turn.say(parts[-1], keyboard)


@guarded_flow(Action.IMPORT)
async def confirm(turn: Turn) -> None:
    """Write a checked import (all or nothing), or cancel it."""
    choice = ImportChoice.of(turn.update)
    if choice.answer is Answer.OVERWRITE:
        await _ask_overwrite(turn, choice.token)
        return
    claimed_at = turn.deps.clock.now()
    async with turn.deps.sessions.begin() as session:
        taken = await pending.consume(
            session, token=choice.token, kind=KIND, chat_id=turn.caller.chat_id, now=claimed_at
        )
    if taken is pending.Refusal.USED:
        # A double tap, or another admin was first: the message shows what happened.
        await turn.alert(turn.t("import-used"))
        return
    if isinstance(taken, pending.Refusal):
        turn.say(turn.t(REFUSED[taken]))
        return
    try:
        await _carry_out(turn, taken, choice.answer)
    except Exception:
        # The error handler says "try again": the same Confirm must then work, not "used".
        async with turn.deps.sessions.begin() as session:
            await pending.release(session, token=taken.token, consumed_at=claimed_at)
        raise
    async with turn.deps.sessions.begin() as session:
        await pending.finish(session, token=taken.token)


async def _carry_out(turn: Turn, taken: pending.Pending, answer: Answer) -> None:
    """Write the confirmed file's rows (read again in a child process), or cancel."""
    name = str(taken.payload["file_name"])
    if answer is Answer.CANCEL:
        turn.say(turn.t("import-cancelled"))
        return
    await turn.acknowledge()  # writing may take a while: stop the spinner now
    query = turn.update.callback_query
    notice = query.message if query and isinstance(query.message, Message) else None
    bar = _Bar()
    rows = await _read(turn, notice, taken.blob or b"", name, bar)
    if rows is None:
        return
    seen = str(taken.payload.get("fingerprint", ""))  # none: a check of an older release
    overwrite = answer is Answer.OVERWRITE_SURE
    report = await _import(turn, rows, name, progress=bar, expect=seen, overwrite=overwrite)
    if report.stale:
        # One of the file's tasks changed since the check (another import, a phone update):
        # the check's counts no longer hold, and confirming could undo the newer change.
        turn.say(turn.t("import-stale", name=name))
        return
    for part in _outcome(turn.lang, name, report):
        turn.say(part)


async def _ask_overwrite(turn: Turn, token: str) -> None:
    """Ask once more before a checked import undoes updates made in chat (nothing consumed:
    the answer is one of the buttons this puts under the question)."""
    async with snapshot(turn.deps.sessions) as session:
        found = await pending.read(session, token=token)
    if found is None or found.kind != KIND or found.chat_id != turn.caller.chat_id:
        turn.say(turn.t(REFUSED[pending.Refusal.UNKNOWN]))
        return
    refusal = found.refusal(turn.deps.clock.now())
    if refusal is pending.Refusal.USED:
        await turn.alert(turn.t("import-used"))
        return
    if refusal is not None:
        turn.say(turn.t(REFUSED[refusal]))
        return
    name = str(found.payload["file_name"])
    count = int(found.payload.get("chat_updates", 0))
    listed = [ChatUpdate(*item) for item in found.payload.get("chat_listed", [])]
    lines = [
        turn.t("import-chat-updates-ask", count=count, name=name),
        *import_views.chat_update_items(turn.lang, listed, count),
        turn.t("import-chat-updates-ask-hint"),
    ]
    keyboard: Keyboard = [
        [(turn.t("button-import-undo-sure", count=count), _choice(Answer.OVERWRITE_SURE, token))],
        [(turn.t("button-import-keep-short"), _choice(Answer.CONFIRM, token))],
        [(turn.t("button-cancel"), _choice(Answer.CANCEL, token))],
    ]
    parts = chunks(lines)
    for part in parts[:-1]:  # the first part takes the place of the check's message
        turn.say(part)
    turn.say(parts[-1], keyboard)


def _choice(answer: Answer, token: str) -> str:
    return ImportChoice(answer, token).pack()


async def _download(turn: Turn, file_id: str, name: str) -> bytes | None:
    """The uploaded file's bytes; None (said why) when Telegram could not give them."""
    try:
        return bytes(await (await turn.context.bot.get_file(file_id)).download_as_bytearray())
    except TelegramError as exc:  # the admin must not be left at "Reading…"
        log.warning("could not download %s: %s", name, exc)
        turn.say(turn.t("import-download-failed", name=name))
        return None


async def _read(
    turn: Turn, notice: Message | None, data: bytes, name: str, bar: _Bar
) -> importer.Records | None:
    """Parse the file in a child process (a hostile file ends the child, never the bot),
    showing progress; None (said why) if unreadable."""
    limits = turn.deps.settings.import_limits()
    async with _progress(turn, notice, name, bar):
        try:
            return await importer.read_rows_isolated(
                data, name, limits=limits, progress=bar.reading
            )
        except importer.ImportFileError as exc:
            turn.say(turn.t(exc.msg_id, **exc.params))
            return None


async def _import(
    turn: Turn,
    rows: importer.Records,
    name: str,
    *,
    progress: _Bar,
    expect: str | None = None,
    overwrite: bool = False,
) -> importer.ImportReport:
    """The one call into the importer, with no connection held: a check (`expect` None), or
    a write that happens only if none of the file's own tasks changed since the check gave
    the fingerprint `expect` (else the report says stale and nothing is written); fields
    changed in chat since the last import keep their values unless `overwrite`."""
    return await importer.import_tasks(
        turn.deps.sessions,
        rows,
        dry_run=expect is None,
        actor=Actor(turn.caller.user_id, name, EventSource.IMPORT),
        now=turn.deps.clock.now(),
        progress=progress.importing,
        today=turn.today,
        expect_fingerprint=expect,
        overwrite_chat_updates=overwrite,
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
async def _progress(
    turn: Turn, notice: Message | None, name: str, bar: _Bar
) -> AsyncIterator[None]:
    """Edit `notice` with the percentage every few seconds while the body runs.

    Only around work that holds no database connection (reading the file): an edit is a
    Telegram call, and must not keep a transaction waiting.
    """
    if notice is None:
        yield
        return
    ticker = asyncio.create_task(_tick(turn, notice, name, bar))
    try:
        yield
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


async def _tick(turn: Turn, notice: Message, name: str, bar: _Bar) -> None:
    shown = -1
    while True:
        await asyncio.sleep(PROGRESS_EVERY)
        if bar.percent != shown:
            shown = bar.percent
            with contextlib.suppress(TelegramError):  # progress is a courtesy, never fatal
                await notice.edit_text(turn.t("import-progress", name=name, percent=shown))


def _outcome(lang: str, name: str, report: importer.ImportReport) -> list[Html]:
    if report.ok:
        summary = import_views.import_summary(lang, "import-done", name, report)
        clashes = import_views.chat_update_lines(lang, report)
        return chunks([summary, *clashes, *import_views.import_column_notes(lang, report)])
    # The register changed between check and confirm (another import): nothing was written.
    return chunks(import_views.import_errors(lang, name, report.errors))[:1]


@guarded(Action.IMPORT, read_only=True)
async def import_usage(req: Request) -> None:
    """Explain that /import needs a file attached."""
    req.say(req.t("import-need-file"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The chat import: a document captioned /import, a bare /import, and the buttons."""
    addressed = ForThisBot("import") & COMMAND_FILTER  # not /import@otherbot
    return [
        MessageHandler(filters.Document.ALL & filters.CAPTION & addressed, import_file),
        MessageHandler(filters.TEXT & addressed, import_usage),
        CallbackQueryHandler(confirm, pattern=ImportChoice.matches),
    ]
