"""`dondoc invite AGENCY… [--all] [--csv]`: invite links for many agencies, to mail out."""

from __future__ import annotations

import argparse
import csv
import io

from telegram import Bot
from telegram.helpers import create_deep_linked_url

from bot.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, err, not_found, out
from bot.clock import Clock
from bot.settings import Settings
from rendering import members as member_views
from rendering import reports as views
from rendering.text import plain, render
from services import invites
from services.access import COMMAND_LINE
from services.lookup import Target, TargetIndex
from services.lookup_cache import load_index
from storage.db import make_engine, make_sessions, snapshot
from storage.migrate import upgrade


async def invite(settings: Settings, args: argparse.Namespace) -> int:
    """Print one invite link per agency (all of them with --all); nothing made on an error."""
    lang = args.lang or settings.language
    if bool(args.agencies) == bool(args.all):
        err(plain(render(lang, "cli-invite-usage")))
        return EXIT_USAGE
    engine = make_engine(settings.database_url)
    clock = Clock(settings.tz)
    try:
        await upgrade(engine)
        sessions = make_sessions(engine)
        async with snapshot(sessions) as session:
            agencies = _agencies(lang, args.agencies, await load_index(session))
        if agencies is None:
            return EXIT_FAILED
        # The link names the bot whose token is configured: the one that will read it.
        async with Bot(settings.token(), base_url=settings.telegram_api_base_url) as bot:
            username = bot.username
        async with sessions.begin() as session:
            made = await invites.create_invites(
                session,
                caller=COMMAND_LINE,
                agency_ids=[a.id for a in agencies],
                now=clock.now(),
            )
    finally:
        await engine.dispose()
    links = [create_deep_linked_url(username, m.token) for m in made]
    names = [views.target_name(lang, a) for a in agencies]
    if args.csv:  # for a mail merge: one row per agency
        buffer = io.StringIO()
        rows = csv.writer(buffer, lineterminator="\n")
        rows.writerow(["code", "name", "link", "expires"])
        for agency, name, link, one in zip(agencies, names, links, made, strict=True):
            expires = one.expires_at.astimezone(settings.tz).strftime("%d/%m/%Y %H:%M")
            rows.writerow([agency.code, name, link, expires])
        # A byte-order mark first: Excel then reads the Vietnamese names as UTF-8.
        out("\ufeff" + buffer.getvalue().rstrip("\n"))
    else:
        for agency, name, link in zip(agencies, names, links, strict=True):
            out(f"{agency.code:6} {name[:40]:40} {link}")
    expiry = member_views.moment(made[0].expires_at, settings.tz)
    err(plain(render(lang, "cli-invite-expires", count=len(made), **expiry)))
    return EXIT_OK


def _agencies(lang: str, queries: list[str], index: TargetIndex) -> list[Target] | None:
    """The agencies asked for (each once, in order), or None after saying which is wrong."""
    if not queries:
        return [t for t in index.targets if t.kind == "agency"]
    chosen: dict[int, Target] = {}
    for query in queries:
        lookup = index.resolve(query)
        found = lookup.found
        if found is not None and found.kind != "agency":
            err(plain(render(lang, "cli-invite-program", query=query)))
            return None
        if found is None:
            err(not_found(lang, query, [c for c in lookup.candidates if c.kind == "agency"]))
            return None
        chosen.setdefault(found.id, found)
    return list(chosen.values())
