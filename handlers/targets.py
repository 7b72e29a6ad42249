"""What a user typed, as an agency or program: a winner, "Có phải …?", or buttons."""

from __future__ import annotations

import re
from collections.abc import Callable

from handlers.common import MAX_ARG, Request
from rendering import figures
from rendering import reports as views
from rendering.text import Html, cut, join
from services.lookup import Lookup, Target, fold

REF = re.compile(r"[ap][0-9]{1,10}")  # an agency or a program, by id, in callback data
EVERYONE = "-"  # the reference of no target: the whole committee
EVERYTHING_WORDS = frozenset({"all", "tat ca", "toan bo"})  # "/status all", "/register all"


def asks_everyone(query: str) -> bool:
    """Whether `query` names the whole committee ("all", "tất cả", "toàn bộ")."""
    return fold(query.strip()) in EVERYTHING_WORDS


def ref_of(target: Target | None) -> str:
    """A short reference for callback data: a<id>, p<id> or -."""
    return EVERYONE if target is None else f"{target.kind[0]}{target.id}"


async def target_of(req: Request, ref: str) -> Target | None:
    """The agency or program behind a reference (None: everyone, or no longer there)."""
    if ref == EVERYONE:
        return None
    kind = {"a": "agency", "p": "program"}[ref[0]]
    return (await req.context.deps.lookup.get(req.session)).by_id(kind, int(ref[1:]))


async def chat_target(req: Request) -> Target | None:
    """What a report asked without a name covers here: the group's own agency or programme
    (`/register MOF`), else everyone."""
    scope = req.caller.chat_scope
    if scope.agency_id is None and scope.program_id is None:
        return None
    index = await req.context.deps.lookup.get(req.session)
    if scope.agency_id is not None:
        return index.by_id("agency", scope.agency_id)
    assert scope.program_id is not None
    return index.by_id("program", scope.program_id)


async def ask_target(
    req: Request, query: str, button: Callable[[Target], str], *, agencies_only: bool = False
) -> tuple[bool, Target | None, Html]:
    """Resolve `query`: (True, target, note) to answer; else say why, offer buttons, and
    return (False, None, ""). `agencies_only`: programs are neither answers nor offered."""
    # The note says so when a former body's name was asked ("… gồm tỉnh Bình Thuận cũ").
    if not query:
        return True, None, Html("")
    if len(query) > MAX_ARG:
        req.say(req.t("query-too-long", limit=MAX_ARG))
        return False, None, Html("")
    found: Lookup = (await req.context.deps.lookup.get(req.session)).resolve(query)
    if agencies_only and found.found is not None and found.found.kind != "agency":
        req.say(req.t("not-an-agency", name=views.target_name(req.lang, found.found)))
        return False, None, Html("")
    if found.found is not None:
        return True, found.found, join(figures.former_note(req.lang, found.found, found.former))
    candidates = found.candidates
    if agencies_only:
        candidates = tuple(c for c in candidates if c.kind == "agency")
    if found.weak and candidates:  # one guess, not sure enough to answer unasked
        [guess] = candidates
        name = views.target_name(req.lang, guess)
        req.say(
            req.t("did-you-mean", name=name, code=guess.code),
            [[(f"{name} ({guess.code})", button(guess))]],
        )
    elif candidates:
        buttons = [[(views.target_name(req.lang, c), button(c))] for c in candidates]
        req.say(req.t("choose-agency" if agencies_only else "choose-target"), buttons)
    else:
        req.say(req.t("not-found", query=cut(query, 60)))
    return False, None, Html("")


async def ask_report_target(
    req: Request, query: str, button: Callable[[Target], str]
) -> tuple[bool, Target | None, Html]:
    """`ask_target` for a report: "all" is the whole committee (even in an agency's group),
    no name at all the group's own agency or programme (`chat_target`)."""
    if asks_everyone(query):
        return True, None, Html("")
    ok, target, note = await ask_target(req, query, button)
    if ok and target is None:
        target = await chat_target(req)
    return ok, target, note
