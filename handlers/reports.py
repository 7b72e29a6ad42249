"""/status, /overdue, /due, /task, /lagging, /agencies and their buttons."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.commands import command
from handlers.common import MAX_ARG, Request, guarded
from rendering import catalog as catalog_views
from rendering import figures
from rendering import reports as views
from rendering.text import Html, chunks, cut, join
from services import coverage, reports
from services.lookup import Lookup, Target
from services.reports import Scope

DUE_DEFAULT, DUE_MAX = 7, 366


def _ref(target: Target | None) -> str:
    """A short reference for callback data: a<id>, p<id> or -."""
    return "-" if target is None else f"{target.kind[0]}{target.id}"


async def _lookup(req: Request, query: str, action: str) -> tuple[bool, Target | None, Html]:
    """Resolve `query`: (True, target, note) to answer; else say why, offer buttons, and
    return (False, None, "")."""
    # The note says so when a former body's name was asked ("… gồm tỉnh Bình Thuận cũ").
    if not query:
        return True, None, Html("")
    if len(query) > MAX_ARG:
        req.say(req.t("query-too-long", limit=MAX_ARG))
        return False, None, Html("")
    found: Lookup = (await req.context.deps.lookup.get(req.session)).resolve(query)
    if found.found is not None:
        return True, found.found, join(figures.former_note(req.lang, found.found, found.former))
    if found.weak:  # one guess, not sure enough to answer unasked
        [guess] = found.candidates
        name = views.target_name(req.lang, guess)
        button = [[(f"{name} ({guess.code})", f"{action}:{_ref(guess)}:0")]]
        req.say(req.t("did-you-mean", name=name, code=guess.code), button)
    elif found.candidates:
        buttons = [
            [(views.target_name(req.lang, c), f"{action}:{_ref(c)}:0")] for c in found.candidates
        ]
        req.say(req.t("choose-target"), buttons)
    else:
        req.say(req.t("not-found", query=cut(query, 60)))
    return False, None, Html("")


async def _target_from_ref(req: Request, ref: str) -> Target | None:
    if ref == "-":
        return None
    kind = {"a": "agency", "p": "program"}[ref[0]]
    return (await req.context.deps.lookup.get(req.session)).by_id(kind, int(ref[1:]))


@guarded()
async def status(req: Request) -> None:
    """Summarise progress: the committee, or one agency or program."""
    ok, target, note = await _lookup(req, req.args, "st")
    if ok:
        await _say_status(req, target, note)


async def _say_status(req: Request, target: Target | None, note: Html | None = None) -> None:
    deps = req.context.deps
    agency = target if target is not None and target.kind == "agency" else None
    program = target if target is not None and target.kind == "program" else None
    scope = Scope.of(target)
    report = await reports.status_report(
        req.session, today=req.today, scope=scope, cache=deps.summaries
    )
    blocs = None
    if agency is None:
        blocs = await coverage.coverage(
            req.session,
            today=req.today,
            threshold=deps.settings.completion_threshold,
            scope=scope,
            cache=deps.summaries,
        )
    text = views.status_text(
        req.lang,
        req.today,
        report,
        agency=agency,
        program=program,
        coverage=blocs,
        updated=await coverage.data_updated_at(req.session),
        tz=deps.clock.tz,
    )
    req.say(join([note, text]) if note else text)


@guarded()
async def status_button(req: Request) -> None:
    """Answer a /status choice button."""
    _action, ref, _page = _callback_parts(req)
    target = await _target_from_ref(req, ref)
    if target is None:
        req.say(req.t("expired-button"))
    else:
        await _say_status(req, target)


@guarded()
async def overdue(req: Request) -> None:
    """List overdue tasks, most overdue first, for everyone or one agency or program."""
    ok, target, note = await _lookup(req, req.args, "ov")
    if ok:
        await _say_overdue(req, target, 0, note)


@guarded()
async def overdue_page(req: Request) -> None:
    """Show another page of /overdue."""
    _action, ref, page = _callback_parts(req)
    target = await _target_from_ref(req, ref)
    if ref != "-" and target is None:  # the program behind an old button is gone
        req.say(req.t("expired-button"))
    else:
        await _say_overdue(req, target, page)


async def _say_overdue(
    req: Request, target: Target | None, page: int, note: Html | None = None
) -> None:
    result = await reports.list_overdue(
        req.session, today=req.today, scope=Scope.of(target), page=page
    )
    text = views.overdue_list(req.lang, result, req.today, target)
    req.say(
        join([note, text]) if note else text,
        views.pager(req.lang, result, f"ov:{_ref(target)}:"),
    )


@guarded()
async def due(req: Request) -> None:
    """List tasks falling due in the next N days (default 7)."""
    days = _parse_days(req.args)
    if days is None:
        req.say(req.t("due-usage", limit=DUE_MAX))
        return
    await _say_due(req, days, 0)


@guarded()
async def due_page(req: Request) -> None:
    """Show another page of /due."""
    _action, days, page = _callback_parts(req)
    await _say_due(req, int(days), page)


async def _say_due(req: Request, days: int, page: int) -> None:
    result = await reports.list_due(req.session, today=req.today, days=days, page=page)
    req.say(
        views.due_list(req.lang, result, req.today, days),
        views.pager(req.lang, result, f"du:{days}:"),
    )


_DAY_UNITS = ("ngày", "ngay", "days", "day")  # "/due 7 ngày" is how an official may type it


def _parse_days(text: str) -> int | None:
    text = text.strip()
    for unit in _DAY_UNITS:
        if text.lower().endswith(unit):
            text = text[: -len(unit)].strip()
            break
    if not text:
        return DUE_DEFAULT
    # Length first: int() of thousands of digits raises rather than answering "too big".
    if len(text) > len(str(DUE_MAX)) or not text.isascii() or not text.isdigit():
        return None
    if not 1 <= int(text) <= DUE_MAX:
        return None
    return int(text)


def _callback_parts(req: Request) -> tuple[str, str, int]:
    """Split 'action:ref:page' callback data (validated by the handler's pattern)."""
    query = req.update.callback_query
    assert query is not None
    assert query.data is not None
    action, ref, page = query.data.split(":")
    return action, ref, int(page)


@guarded()
async def task(req: Request) -> None:
    """Show the whole card of one task."""
    code = req.args.strip()
    if not code:
        req.say(req.t("task-usage"))
        return
    found = await reports.get_task(req.session, code=code[:MAX_ARG])
    if found is None:
        req.say(req.t("task-not-found", code=cut(code, 60)))
    else:
        req.say(views.task_card(req.lang, found, req.today, req.context.deps.clock.tz))


@guarded()
async def lagging(req: Request) -> None:
    """Rank the ten agencies furthest behind."""
    standings = await reports.lagging(
        req.session, today=req.today, cache=req.context.deps.summaries
    )
    agencies = await reports.list_agencies(req.session)
    names = {a.code: views.target_name(req.lang, a) for a in agencies}
    updated = await coverage.data_updated_at(req.session)
    dated = figures.data_date(req.lang, updated, req.context.deps.clock.tz)
    req.say(views.lagging_list(req.lang, standings, names, req.today, dated))


@guarded()
async def agencies(req: Request) -> None:
    """List the agencies, their codes, and the programs."""
    lines = catalog_views.agency_lines(
        req.lang,
        await reports.list_agencies(req.session),
        await reports.list_programs(req.session),
    )
    for text in chunks(lines):
        req.say(text)


@guarded()
async def programs(req: Request) -> None:
    """List the programs and their codes."""
    lines = catalog_views.programs_list(req.lang, await reports.list_programs(req.session))
    for text in chunks(lines):
        req.say(text)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The report commands and their buttons."""
    return [
        command("status", status),
        command("overdue", overdue),
        command("due", due),
        command("task", task),
        command("lagging", lagging),
        command("agencies", agencies),
        command("programs", programs),
        CallbackQueryHandler(status_button, pattern=r"^st:[ap]\d{1,10}:\d{1,4}$"),
        CallbackQueryHandler(overdue_page, pattern=r"^ov:(-|[ap]\d{1,10}):\d{1,4}$"),
        CallbackQueryHandler(due_page, pattern=r"^du:\d{1,3}:\d{1,4}$"),
    ]
