"""What a user typed, as an agency or program: a winner, "Có phải …?", or buttons."""

from __future__ import annotations

from collections.abc import Callable

from handlers.common import MAX_ARG, Request
from rendering import figures
from rendering import reports as views
from rendering.text import Html, cut, join
from services.lookup import Lookup, Target


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
