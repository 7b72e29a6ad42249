"""/agency add and /program: the secretariat adds units and names programs (admins only)."""

from __future__ import annotations

from typing import Any

from telegram.ext import BaseHandler

from handlers.commands import command
from handlers.common import MAX_ARG, Request, guarded
from services import catalog
from services.access import Action
from services.catalog import CatalogError


@guarded(Action.MANAGE_CATALOG)
async def agency(req: Request) -> None:
    """Add a unit that is neither a ministry nor a province: /agency add [CODE] Name."""
    words = req.args.split()
    if not words or words[0].lower() != "add":
        req.say(req.t("agency-usage"))
        return
    if len(req.args) > MAX_ARG:
        req.say(req.t("query-too-long", limit=MAX_ARG))
        return
    rest = words[1:]
    code = ""
    if len(rest) >= 2 and catalog.is_code(rest[0]) and rest[0].isupper():
        code, rest = rest[0], rest[1:]
    index = await req.context.deps.lookup.get(req.session)
    try:
        added = await catalog.add_agency(
            req.session, caller=req.caller, index=index, name=" ".join(rest), code=code
        )
    except CatalogError as refused:
        req.say(req.t(refused.msg_id, **refused.params))
        return
    req.say(req.t("agency-added", name=added.name_vi, code=added.code))


@guarded(Action.MANAGE_CATALOG)
async def program(req: Request) -> None:
    """Create or rename a program, or give one its short code: /program CODE Name."""
    code, _, name = req.args.strip().partition(" ")
    if not code:
        req.say(req.t("program-usage"))
        return
    if len(req.args) > MAX_ARG:
        req.say(req.t("query-too-long", limit=MAX_ARG))
        return
    try:
        change = await catalog.set_program(req.session, caller=req.caller, code=code, name=name)
    except CatalogError as refused:
        req.say(req.t(refused.msg_id, **refused.params))
        return
    found = change.program
    req.say(req.t(f"program-{change.action}", name=found.name, code=found.code))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The secretariat's catalog commands."""
    return [command("agency", agency), command("program", program)]
