"""/status, /overdue, /due, /task, /lagging, /agencies and their buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers import snapshots as past_days
from handlers.callbacks import CallbackData
from handlers.commands import command
from handlers.common import Request, code_asked, guarded, task_not_found
from handlers.targets import (
    EVERYONE,
    REF,
    ask_report_target,
    chat_target,
    ref_of,
    target_of,
)
from handlers.task_card import say_card
from rendering import catalog as catalog_views
from rendering import figures
from rendering import reports as views
from rendering.text import Html, chunks, join
from services import coverage, extensions, reports, task_writes
from services.freshness import read_freshness
from services.lookup import Target
from services.reports import Scope

DUE_DEFAULT, DUE_MAX = 7, 366


@dataclass(frozen=True, slots=True)
class StatusChoice(CallbackData, prefix="st"):
    """A /status candidate button."""

    ref: str

    def validate(self) -> None:
        if not REF.fullmatch(self.ref):
            raise ValueError(self.ref)


@dataclass(frozen=True, slots=True)
class OverduePage(CallbackData, prefix="ov"):
    """A page of /overdue (for everyone, or one agency or program)."""

    ref: str
    page: int

    def validate(self) -> None:
        if self.ref != EVERYONE and not REF.fullmatch(self.ref):
            raise ValueError(self.ref)


@dataclass(frozen=True, slots=True)
class DuePage(CallbackData, prefix="du"):
    """A page of /due over the next `days` days."""

    days: int
    page: int

    def validate(self) -> None:
        if not 1 <= self.days <= DUE_MAX:  # a forged du:999:0 gets no bigger window
            raise ValueError(self.days)


@guarded(read_only=True)
async def status(req: Request) -> None:
    """Summarise progress: the committee, or one agency or program (a past day's too)."""
    query, day = past_days.split_day(req.args)
    if day is not None and day != req.today:
        await past_days.status_on_day(req, query, day)
        return
    ok, target, note = await ask_report_target(
        req, query, lambda c: StatusChoice(ref_of(c)).pack()
    )
    if ok:
        await _say_status(req, target, note)


async def _say_status(req: Request, target: Target | None, note: Html | None = None) -> None:
    # A warm answer is the text sent last time, as long as nothing it shows has changed.
    cache, scope = req.context.deps.summaries, Scope.of(target)
    fresh = await read_freshness(req.session)
    key = ("status", scope, req.today, req.lang)
    text = cache.answer(key, fresh) or cache.keep_answer(
        key, fresh, await _status_text(req, target, scope)
    )
    req.say(join([note, text]) if note else text)


async def _status_text(req: Request, target: Target | None, scope: Scope) -> Html:
    deps = req.context.deps
    agency = target if target is not None and target.kind == "agency" else None
    program = target if target is not None and target.kind == "program" else None
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
    return views.status_text(
        req.lang,
        req.today,
        report,
        agency=agency,
        program=program,
        coverage=blocs,
        updated=await coverage.data_updated_at(req.session),
        tz=deps.clock.tz,
        extended=await extensions.count_extended(req.session, scope=scope),
    )


@guarded(read_only=True)
async def status_button(req: Request) -> None:
    """Answer a /status choice button."""
    target = await target_of(req, StatusChoice.of(req.update).ref)
    if target is None:
        req.say(req.t("expired-button"))
    else:
        await _say_status(req, target)


@guarded(read_only=True)
async def overdue(req: Request) -> None:
    """List overdue tasks, most overdue first, for everyone or one agency or program."""
    ok, target, note = await ask_report_target(
        req, req.args, lambda c: OverduePage(ref_of(c), 0).pack()
    )
    if ok:
        await _say_overdue(req, target, 0, note)


@guarded(read_only=True)
async def overdue_page(req: Request) -> None:
    """Show another page of /overdue."""
    pressed = OverduePage.of(req.update)
    target = await target_of(req, pressed.ref)
    if pressed.ref != EVERYONE and target is None:  # the program behind an old button is gone
        req.say(req.t("expired-button"))
    else:
        await _say_overdue(req, target, pressed.page)


async def _say_overdue(
    req: Request, target: Target | None, page: int, note: Html | None = None
) -> None:
    scope = Scope.of(target)
    # The total is the summary's overdue count (cached, from the tallies): counting the
    # overdue index range would grow with the register.
    summary = await reports.summarize(
        req.session, today=req.today, scope=scope, cache=req.context.deps.summaries
    )
    result = await reports.list_overdue(
        req.session, today=req.today, scope=scope, page=page, total=summary.overdue
    )
    text = views.overdue_list(req.lang, result, req.today, target)
    req.say(
        join([note, text]) if note else text,
        views.pager(req.lang, result, lambda page: OverduePage(ref_of(target), page).pack()),
    )


@guarded(read_only=True)
async def due(req: Request) -> None:
    """List tasks falling due in the next N days (default 7)."""
    days = _parse_days(req.args)
    if days is None:
        req.say(req.t("due-usage", limit=DUE_MAX))
        return
    await _say_due(req, days, 0)


@guarded(read_only=True)
async def due_page(req: Request) -> None:
    """Show another page of /due."""
    pressed = DuePage.of(req.update)
    await _say_due(req, pressed.days, pressed.page)


async def _say_due(req: Request, days: int, page: int) -> None:
    target = await chat_target(req)  # a group's own agency or programme, else everyone
    result = await reports.list_due(
        req.session, today=req.today, days=days, scope=Scope.of(target), page=page
    )
    req.say(
        views.due_list(req.lang, result, req.today, days, target),
        views.pager(req.lang, result, lambda page: DuePage(days, page).pack()),
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


@guarded(read_only=True)
async def task(req: Request) -> None:
    """Show the whole card of one task (with the caller's buttons: handlers/task_card.py)."""
    code = code_asked(req, "task-usage")
    if code is None:
        return
    found = await task_writes.load(req.session, code=code)
    if found is None:
        req.say(task_not_found(req, code))
    else:
        await say_card(req, req.session, found)


@guarded(read_only=True)
async def lagging(req: Request) -> None:
    """Rank the ten agencies furthest behind (in a programme's group, in that programme)."""
    target = await chat_target(req)
    program = target if target is not None and target.kind == "program" else None
    standings = await reports.lagging(
        req.session, today=req.today, scope=Scope.of(program), cache=req.context.deps.summaries
    )
    agencies = await reports.list_agencies(req.session)
    names = {a.code: views.target_name(req.lang, a) for a in agencies}
    updated = await coverage.data_updated_at(req.session)
    dated = figures.data_date(req.lang, updated, req.context.deps.clock.tz)
    req.say(views.lagging_list(req.lang, standings, names, req.today, dated, program))


@guarded(read_only=True)
async def agencies(req: Request) -> None:
    """List the agencies, their codes, and the programs."""
    lines = catalog_views.agency_lines(
        req.lang,
        await reports.list_agencies(req.session),
        await reports.list_programs(req.session),
    )
    for text in chunks(lines):
        req.say(text)


@guarded(read_only=True)
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
        CallbackQueryHandler(status_button, pattern=StatusChoice.matches),
        CallbackQueryHandler(overdue_page, pattern=OverduePage.matches),
        CallbackQueryHandler(due_page, pattern=DuePage.matches),
    ]
