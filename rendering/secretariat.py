"""Secretariat views: the /assign flow's questions and summary, field errors, edits, and the
cancel and reopen questions (through rendering.text only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from rendering.figures import program_label
from rendering.reports import target_name
from rendering.text import Html, cut, join, render
from services.lookup import Target, TargetIndex
from services.task_fields import FieldError
from storage.models import Agency, Status

TITLE_SHOWN = 500  # characters of a title in a flow message (a card shows it whole)


def mention(lang: str, user_id: int, name: str) -> Html:
    """The admin named so that a selective ForceReply reaches them in a group."""
    return render(lang, "assign-who", name=render(lang, "assign-mention", user_id=str(user_id),
                                                   name=name))  # fmt: skip


def agency_label(lang: str, target: Target | Agency) -> str:
    """ "Bộ Tài chính (MOF)": a button or a line."""
    return f"{target_name(lang, target)} ({target.code})"


def _so_far(lang: str, payload: Mapping[str, Any], index: TargetIndex) -> Html:
    """The answers given so far, one line each."""
    lines: list[Html] = []
    if "agency" in payload and (agency := index.by_id("agency", int(payload["agency"]))):
        lines.append(render(lang, "assign-so-far-agency", agency=agency_label(lang, agency)))
    if "title" in payload:
        lines.append(render(lang, "assign-so-far-title", title=cut(payload["title"], TITLE_SHOWN)))
    if "deadline" in payload:
        deadline = payload["deadline"]
        shown = date.fromisoformat(deadline) if deadline else render(lang, "assign-no-deadline")
        lines.append(render(lang, "assign-so-far-deadline", deadline=shown))
    if "program" in payload:
        program = index.by_id("program", payload["program"]) if payload["program"] else None
        name = program_label(program) if program else render(lang, "assign-no-program")
        lines.append(render(lang, "assign-so-far-program", program=name))
    return join(lines)


def question(
    lang: str,
    step: str | None,
    payload: Mapping[str, Any],
    index: TargetIndex,
    *,
    who: Html,
    code: str = "",
    prefix: str | None = None,
) -> Html:
    """What the flow asks next (`step` None: the summary to confirm, with the code)."""
    mark = render(lang, "assign-mark")
    so_far = _so_far(lang, payload, index)
    if step is not None:
        return render(lang, f"assign-ask-{step}", mark=mark, who=who, so_far=so_far)
    auto = render(lang, "assign-code-auto", prefix=prefix) if prefix else Html("")
    return render(
        lang, "assign-ask-confirm", mark=mark, who=who, so_far=so_far, code=code, auto=auto
    )


def field_error(lang: str, error: FieldError) -> Html:
    """A refused value, its field named in the reader's language."""
    params: dict[str, Any] = dict(error.params)
    if "field" in params:
        params["field"] = render(lang, f"field-name-{params['field']}")
    return render(lang, error.msg_id, **params)


def with_card(lang: str, head: Html, card: Html) -> Html:
    """A line about a task, then its card."""
    return join([head, Html(""), card])


def reopen_question(lang: str, code: str, status_before: str, values: Mapping[str, Any]) -> Html:
    """What /reopen asks: restore a cancelled task to a status, or reopen a done one."""
    if status_before == Status.DONE.value:
        return render(lang, "reopen-ask-done", code=code)
    return render(lang, "reopen-ask", code=code, status=render(lang, f"status-{values['status']}"))
