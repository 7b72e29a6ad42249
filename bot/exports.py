"""`dondoc export FILE [--program P] [--agency A] [--lang en]`: the register as an xlsx."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, err, not_found, out
from bot.clock import Clock
from bot.settings import Settings
from rendering.text import plain, render
from services import export
from services.access import COMMAND_LINE
from services.figures import Scope
from services.lookup import Target
from services.lookup_cache import load_index
from storage.db import make_engine, make_sessions, snapshot
from storage.migrate import upgrade


async def export_file(settings: Settings, args: argparse.Namespace) -> int:
    """Write the workbook of the register (or of one agency or programme) to FILE."""
    lang = args.lang or settings.language
    path = Path(args.file)
    if path.suffix.lower() != ".xlsx":
        err(plain(render(lang, "cli-export-not-xlsx", path=str(path))))
        return EXIT_USAGE
    engine = make_engine(settings.database_url)
    today = Clock(settings.tz).today()
    try:
        await upgrade(engine)
        # One snapshot: the summary, the overdue list and the tasks agree with each other.
        async with snapshot(make_sessions(engine)) as session:
            scope = await _scope(session, args, lang)
            if scope is None:
                return EXIT_FAILED
            done = await _write(session, path, scope=scope, today=today, lang=lang)
    except OSError as exc:  # the folder is missing or not writable, the disk is full
        reason = exc.strerror or str(exc)
        err(plain(render(lang, "cli-export-cannot-write", path=str(path), reason=reason)))
        return EXIT_FAILED
    finally:
        await engine.dispose()
    counts = {"tasks": done.tasks, "overdue": done.overdue}
    out(plain(render(lang, "cli-export-done", path=str(path), **counts)))
    return EXIT_OK


async def _scope(session: AsyncSession, args: argparse.Namespace, lang: str) -> Scope | None:
    """The agency and programme asked for; None (said why) when one is not found."""
    index = await load_index(session)
    chosen: list[Target] = []
    for query, kind in ((args.agency, "agency"), (args.program, "program")):
        if not query:
            continue
        lookup = index.resolve(query)
        found = lookup.found
        if found is None:
            err(not_found(lang, query, lookup.candidates))
            return None
        if found.kind != kind:
            err(
                plain(
                    render(
                        lang,
                        "cli-export-not-a",
                        query=query,
                        kind=render(lang, f"cli-kind-{kind}"),
                    )
                )
            )
            return None
        chosen.append(found)
    return Scope.of(*chosen)


async def _write(
    session: AsyncSession, path: Path, *, scope: Scope, today: date, lang: str
) -> export.Exported:
    """Export into a file beside `path`, renamed to it once complete: a failed export
    leaves no half-written workbook, and never replaces a good one."""
    # A name of its own rather than mkstemp's: the file gets the umask's permissions.
    part = str(path.with_name(f".{path.name}.{secrets.token_hex(4)}.part"))
    try:
        done = await export.export_register(
            session, part, caller=COMMAND_LINE, scope=scope, today=today, lang=lang
        )
        os.replace(part, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(part)
        raise
    return done
