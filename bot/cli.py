"""Subcommands behind `dondoc`: each one opens what it needs and closes it."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from http import HTTPStatus
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.logs import redact
from bot.settings import Settings
from rendering import figures
from rendering import imports as import_views
from rendering import reports as views
from rendering.text import plain, render
from services import coverage, importer, reports
from services.audit import Actor, EventSource
from services.buckets import Summary
from services.lookup import Target
from services.lookup_cache import load_index
from services.reports import Scope
from storage.db import make_engine, make_sessions, snapshot
from storage.errors import db_error_reason, describe_db_error
from storage.migrate import upgrade

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DB_STATES = frozenset(("db-locked", "db-deadlock", "db-constraint"))  # not a setting: exit 1


def out(text: str = "") -> None:
    """Print to stdout (the CLI's only output channel for results), the token masked."""
    sys.stdout.write(redact(text) + "\n")


def err(text: str) -> None:
    """Print to stderr (progress and problems), the token masked."""
    sys.stderr.write(redact(text) + "\n")
    sys.stderr.flush()


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen subcommand."""
    if args.command == "run":
        return run(settings, webhook=args.webhook)
    if args.command in ("demo", "console"):
        from bot.console import run_console

        return asyncio.run(run_console(settings, demo=args.command == "demo"))
    if args.command == "import":
        return asyncio.run(
            import_file(
                settings,
                Path(args.file),
                dry_run=args.dry_run,
                add_agencies=args.add_agencies,
                overwrite_chat_updates=args.overwrite_chat_updates,
            )
        )
    if args.command == "status":
        return asyncio.run(status(settings, args))
    if args.command == "export":
        from bot.exports import export_file

        return asyncio.run(export_file(settings, args))
    if args.command == "invite":
        from bot.invites import invite

        return asyncio.run(invite(settings, args))
    if args.command in ("jobs", "run-job", "outbox"):
        from bot import operators

        if args.command == "jobs":
            return asyncio.run(operators.list_jobs(settings))
        if args.command == "run-job":
            return asyncio.run(operators.run_job(settings, args))
        return asyncio.run(operators.list_outbox(settings, args))
    return asyncio.run(db_upgrade(settings))


# PTB's message for an answer that is not JSON: "<phrase> (<code>). Parsing the server
# response b'<the whole page>' failed". The page is noise (and may echo the token).
_NOT_JSON = re.compile(r"\((?P<status>\d{3})\)\. Parsing the server response")


def explain_startup_error(exc: BaseException, settings: Settings) -> str | None:
    """One line naming the setting (or the database state) behind a failure, or None for a bug."""
    from telegram.error import BadRequest, InvalidToken, NetworkError

    url = settings.telegram_api_base_url
    if status := _not_bot_api(exc):
        return _say(settings, "startup-api-not-json", url=url, status=status)
    if isinstance(exc, InvalidToken):
        return _say(settings, "startup-token-rejected")
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return _say(settings, "startup-api-unreachable", url=url, reason=str(exc))
    msg_id = describe_db_error(exc)
    if msg_id is None:
        return None
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return _say(settings, msg_id, reason=reason)


def _not_bot_api(exc: BaseException | None) -> int | None:
    """The HTTP status of an answer that was not the Bot API's JSON (an HTML page), if so."""
    from telegram.error import TelegramError

    # PTB re-raises a rejected getMe as "The token … was rejected": the page is its cause.
    while isinstance(exc, TelegramError):
        if found := _NOT_JSON.search(exc.message):
            return int(found["status"])
        if isinstance(exc.__cause__, ValueError) and exc.message == "Invalid server response":
            return int(HTTPStatus.OK)  # a 2xx answer PTB could not parse as JSON
        exc = exc.__cause__
    return None


def exit_code_of(exc: BaseException) -> int:
    """2 when a setting is wrong; 1 when the database was busy or refused the data."""
    return EXIT_FAILED if describe_db_error(exc) in DB_STATES else EXIT_USAGE


def _say(settings: Settings, msg_id: str, **data: object) -> str:
    """A catalog message as plain text in the configured language."""
    return plain(render(settings.language, msg_id, **data))


def run(settings: Settings, *, webhook: bool = False) -> int:
    """Long polling (or the webhook server) until Ctrl+C or SIGTERM; 1 when another process
    already polls the bot."""
    # PTB and the handlers load for the bot only: `dondoc import` runs smaller without them.
    from bot import serve
    from bot.app import build_application

    app = build_application(settings)
    if webhook:
        serve.run_webhook(app, settings)
        return EXIT_OK
    if not serve.run_polling(app):
        err("dondoc: " + _say(settings, "startup-poll-conflict"))
        return EXIT_FAILED
    return EXIT_OK


async def db_upgrade(settings: Settings) -> int:
    """Apply migrations and seed the agencies."""
    engine = make_engine(settings.database_url)
    try:
        changed = await upgrade(engine)
    finally:
        await engine.dispose()
    err("dondoc: " + _say(settings, "cli-db-upgraded" if changed else "cli-db-up-to-date"))
    return EXIT_OK


def progress_printer(lang: str, msg_id: str, name: str) -> Callable[[int, int], None]:
    """Report progress on stderr as a percentage, about every 10%."""
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = min(100, done * 100 // max(total, 1))
        if percent // 10 != last[0]:
            last[0] = percent // 10
            err(plain(render(lang, msg_id, name=name, percent=percent)))

    return show


async def import_file(
    settings: Settings,
    path: Path,
    *,
    dry_run: bool,
    add_agencies: bool = False,
    overwrite_chat_updates: bool = False,
) -> int:
    """Import (or check) a register file; every bad row is listed, nothing written then."""
    lang = settings.language
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        err(plain(render(lang, "cli-cannot-read", path=str(path), reason=exc.strerror or "")))
        return EXIT_USAGE
    err(plain(render(lang, "import-reading", name=path.name)))
    try:
        # Read on the loop's own thread, nothing else runs yet: calamine's grid then lies in
        # the main heap, whose free pages malloc_trim hands back whole once the rows are read
        # (a worker thread's heap keeps its free top: up to 40 MiB of a 100k-row sheet).
        rows = importer.read_rows(
            data,
            path.name,
            progress=progress_printer(lang, "cli-progress-read", path.name),
            limits=settings.import_limits(),
        )
    except importer.ImportFileError as exc:
        err(f"dondoc: {path.name}: {plain(render(lang, exc.msg_id, **exc.params))}")
        return EXIT_FAILED
    del data  # the rows stream from the sheet calamine has read
    engine = make_engine(settings.database_url)
    clock = Clock(settings.tz)
    try:
        await upgrade(engine)
        report = await importer.import_tasks(
            make_sessions(engine),
            rows,
            dry_run=dry_run,
            actor=Actor(None, path.name, EventSource.CLI),
            now=clock.now(),
            # "processed", not "imported": a file with bad rows also reaches 100%.
            progress=progress_printer(
                lang, "cli-progress-check" if dry_run else "cli-progress-write", path.name
            ),
            today=clock.today(),
            add_agencies=add_agencies,
            overwrite_chat_updates=overwrite_chat_updates,
        )
    except DBAPIError as exc:
        # Locked, deadlocked, refused: said as such. Unreachable: the start-up message.
        problem = describe_db_error(exc)
        if problem is None or problem == "startup-db-unreachable":
            raise
        reason = db_error_reason(exc)
        err(f"dondoc: {path.name}: {plain(render(lang, problem, reason=reason))}")
        return EXIT_FAILED
    finally:
        await engine.dispose()
    if report.ok:
        msg = "import-dry-run" if dry_run else "import-done"
        lines = [import_views.import_summary(lang, msg, path.name, report)]
        lines += import_views.chat_update_lines(lang, report, limit=None)
        if report.chat_update_count and not overwrite_chat_updates:
            lines.append(render(lang, "import-chat-updates-cli-keep"))  # how to overwrite
        elif report.chat_update_count and dry_run:
            lines.append(render(lang, "import-chat-updates-cli-overwrite"))
    else:
        lines = import_views.import_errors(lang, path.name, report.errors, limit=None)
    for line in [*lines, *import_views.import_column_notes(lang, report)]:
        out(plain(line))
    return EXIT_OK if report.ok else EXIT_FAILED


async def status(settings: Settings, args: argparse.Namespace) -> int:
    """Print a status report: text as the bot writes it, or JSON for the secretariat's tooling."""
    engine = make_engine(settings.database_url)
    today = Clock(settings.tz).today()
    lang = args.lang or settings.language
    try:
        await upgrade(engine)
        # One snapshot: figures read by several queries must come from the same moment.
        async with snapshot(make_sessions(engine)) as session:
            index = await load_index(session)
            chosen: dict[str, Target] = {}
            notes: list[str] = []  # "Tỉnh Lâm Đồng (LDG) — gồm tỉnh Bình Thuận cũ …"
            for query, kind in ((args.query, None), (args.program, "program")):
                if not query:
                    continue
                lookup = index.resolve(query)
                found = lookup.found
                if found is None or (kind and found.kind != kind):
                    err(not_found(lang, query, lookup.candidates))
                    return EXIT_FAILED
                if found.kind in chosen:  # QUERY is a program and --program names another
                    err(plain(render(lang, "cli-two-programs", query=args.query)))
                    return EXIT_USAGE
                chosen[found.kind] = found
                notes += [plain(n) for n in figures.former_note(lang, found, lookup.former)]
            agency, program = chosen.get("agency"), chosen.get("program")
            scope = Scope.of(agency, program)
            if args.by == "agency":
                return await _status_by_agency(session, scope, today, args.json, lang)
            if args.json:
                summary = await reports.summarize(session, today=today, scope=scope)
                out(json.dumps(summary.as_dict()))
            else:
                report = await reports.status_report(session, today=today, scope=scope)
                blocs = await coverage.coverage(
                    session, today=today, threshold=settings.completion_threshold, scope=scope
                )
                text = views.status_text(
                    lang,
                    today,
                    report,
                    agency=agency,
                    program=program,
                    coverage=blocs,
                    updated=await coverage.data_updated_at(session),
                    tz=settings.tz,
                )
                for line in [*notes, plain(text)]:
                    out(line)
    finally:
        await engine.dispose()
    return EXIT_OK


def not_found(lang: str, query: str, candidates: Sequence[Target]) -> str:
    """The CLI's 'no such agency': near names to choose from, or where the codes are listed."""
    if candidates:
        names = "; ".join(f"{c.code} ({views.target_name(lang, c)})" for c in candidates)
        return plain(render(lang, "cli-choose", query=query, candidates=names))
    return plain(render(lang, "cli-not-found", query=query))


async def _status_by_agency(
    session: AsyncSession, scope: Scope, today: date, as_json: bool, lang: str
) -> int:
    per_agency = await reports.summarize_by_agency(session, today=today, scope=scope)
    agencies = await reports.list_agencies(session)
    if scope.agency_id is not None:
        agencies = [a for a in agencies if a.id == scope.agency_id]
    rows = [{"agency": a.code, **per_agency.get(a.id, Summary()).as_dict()} for a in agencies]
    if as_json:
        out(json.dumps(rows))
        return EXIT_OK
    for agency, row in zip(agencies, rows, strict=True):
        out(
            f"{agency.code:6} {views.target_name(lang, agency)[:40]:40} "
            + " ".join(f"{k}={v}" for k, v in row.items() if k != "agency")
        )
    return EXIT_OK
