"""A lead's phone flow: /mytasks, a task's card and its buttons, /update (issue 9 point 3).

This module has the list and opening a card; task_actions.py Done and Progress,
task_files.py notes and evidence, task_evidence.py the files sent back, update.py the
one-line /update. `handlers()` here registers them all (extensions.py has More time).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers import task_actions, task_evidence, task_files, update
from handlers.commands import command
from handlers.common import Keyboard, Request, Turn, guarded, guarded_flow
from handlers.targets import ask_target, chat_target
from handlers.task_buttons import CardButton, MyTasksPage, Verb, pressed
from handlers.task_card import say_card, tell
from rendering import tasks as views
from rendering.reports import pager, target_name
from rendering.text import Html, join
from services import my_tasks, task_writes
from services.access import Action
from services.lookup import Target
from services.my_tasks import MyTasks
from services.reports import TaskPage
from storage.db import snapshot
from storage.models import Role


@guarded(read_only=True)
async def mytasks(req: Request) -> None:
    """List your agency's open tasks, overdue first, each a button: /mytasks (admins:
    /mytasks <agency>)."""
    index = await req.deps.lookup.get(req.session)
    query = req.args.strip()
    caller = req.caller
    if caller.role is Role.LEAD and caller.agency_id is not None:
        own = index.by_id("agency", caller.agency_id)
        assert own is not None  # agencies are never deleted
        asked = index.resolve(query).found if query else own
        note = None if asked == own else _own_only(req, own)
        await _say_list(req, req.session, own, 0, note)
        return
    if not caller.is_admin:
        req.say(req.t("mytasks-not-lead"))
        return
    if not query:
        target = await chat_target(req)  # an agency's group: its list
        if target is None or target.kind != "agency":
            req.say(req.t("mytasks-admin-usage"))
        else:
            await _say_list(req, req.session, target, 0)
        return
    # A name close to several offers buttons, a near miss asks "Có phải …?" (their pages).
    ok, target, note = await ask_target(
        req, query, lambda c: MyTasksPage(c.id, 0).pack(), agencies_only=True
    )
    if ok and target is not None:
        await _say_list(req, req.session, target, 0, note or None)


def _own_only(req: Request, own: Target) -> Html:
    return req.t("mytasks-own-only", name=target_name(req.lang, own), code=own.code)


@guarded(read_only=True)
async def mytasks_page(req: Request) -> None:
    """Show another page of /mytasks."""
    pressed_page = MyTasksPage.of(req.update)
    index = await req.deps.lookup.get(req.session)
    agency = index.by_id("agency", pressed_page.agency)
    if agency is None:  # forged: agencies are never deleted
        req.say(req.t("expired-button"))
        return
    await _say_list(req, req.session, agency, pressed_page.page)


async def _say_list(
    turn: Turn, session: AsyncSession, agency: Target, page: int, note: Html | None = None
) -> None:
    listed = await my_tasks.list_open(session, agency_id=agency.id, today=turn.today, page=page)
    text = views.my_tasks(turn.lang, agency, listed, turn.today)
    turn.say(join([note, text]) if note else text, _list_keyboard(turn, listed))


def _list_keyboard(turn: Turn, listed: MyTasks) -> Keyboard:
    rows: Keyboard = [
        [(views.task_button(t, turn.today), CardButton(t.id, t.version, Verb.OPEN).pack())]
        for t in listed.tasks
    ]
    paging = TaskPage((), listed.counts.total, listed.page, listed.pages)
    rows += pager(turn.lang, paging, lambda n: MyTasksPage(listed.agency_id, n).pack())
    return rows


@guarded_flow(Action.VIEW_REPORTS)
async def open_card(turn: Turn) -> None:
    """Show a task's card (from the list, a Cancel, or a nudge)."""
    button = CardButton.of(turn.update)
    async with snapshot(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=button.task_id)
        if task is not None:
            await say_card(turn, session, task)
    if task is None:
        await tell(turn, turn.t("task-gone"))


@guarded_flow(Action.VIEW_REPORTS)
async def back(turn: Turn) -> None:
    """Back from a card to the list it belongs to, at the page it is on."""
    button = CardButton.of(turn.update)
    async with snapshot(turn.deps.sessions) as session:
        task = await task_writes.load(session, task_id=button.task_id)
        if task is not None:
            agency_id = task.lead_agency_id
            page = await my_tasks.page_of(session, task=task)
            if turn.caller.role is Role.LEAD and turn.caller.agency_id not in (None, agency_id):
                agency_id, page = turn.caller.agency_id, 0  # a coordinating lead: its own list
            index = await turn.deps.lookup.get(session)
            agency = index.by_id("agency", agency_id)
            assert agency is not None
            await _say_list(turn, session, agency, page)
    if task is None:
        await tell(turn, turn.t("task-gone"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """/mytasks, /update, the card's buttons (but More time), replies to the bot's prompts."""
    return [
        command("mytasks", mytasks),
        CallbackQueryHandler(mytasks_page, pattern=MyTasksPage.matches),
        CallbackQueryHandler(open_card, pattern=pressed(Verb.OPEN)),
        CallbackQueryHandler(back, pattern=pressed(Verb.BACK)),
        *task_actions.handlers(),
        *task_files.handlers(),
        *task_evidence.handlers(),
        *update.handlers(),
    ]
