"""/history: a task's audit events as lines people read (who, when, from where, old → new)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, tzinfo

from rendering.text import CATALOGS, Html, cut, join, render
from services.audit import CREATED
from services.extensions import REASON_SEP, REJECTED_FIELD, REQUEST_FIELD
from services.history import Event, History
from services.task_writes import EVIDENCE, NOTE

TITLE_CUT = 100  # characters of the task's title in the heading
NAME_CUT = 60  # characters of who made the change
VALUE_CUT = 120  # characters of an old or new value
TEXT_CUT = 200  # characters of a note or a reason
DATE_FIELDS = frozenset({"deadline", "completed_on", "original_deadline"})


def history_page(lang: str, history: History, tz: tzinfo) -> Html:
    """One page of the history: heading, then each event's who/when/where and change."""
    if history.total == 0:
        return render(lang, "history-empty", code=history.code)
    title = cut(history.title, TITLE_CUT)
    parts = [render(lang, "history-title", code=history.code, title=title, total=history.total)]
    for event in history.events:
        parts += [_head(lang, event, tz), _change(lang, event)]
    if history.pages > 1:
        parts.append(Html(""))
        parts.append(render(lang, "page", page=history.page + 1, pages=history.pages))
    return join(parts)


def pager(lang: str, history: History, data: Callable[[int], str]) -> list[list[tuple[str, str]]]:
    """Newer / older page buttons; `data(n)` is the packed callback data of page n."""
    row: list[tuple[str, str]] = []
    if history.page > 0:
        row.append((render(lang, "button-prev"), data(history.page - 1)))
    if history.page + 1 < history.pages:
        row.append((render(lang, "button-next"), data(history.page + 1)))
    return [row] if row else []


def _head(lang: str, event: Event, tz: tzinfo) -> Html:
    local = event.at.astimezone(tz)
    source = f"history-source-{event.source}"
    return render(
        lang,
        "history-head",
        time=local.strftime("%H:%M"),
        day=local.date(),
        actor=cut(event.actor, NAME_CUT) or render(lang, "history-no-actor"),
        source=render(lang, source) if _known(lang, source) else event.source,
    )


def _change(lang: str, event: Event) -> Html:
    field, old, new = event.field, event.old, event.new
    if field == CREATED:
        return render(lang, "history-created")
    if field == NOTE:
        return render(lang, "history-note", text=cut(new or "", TEXT_CUT))
    if field == EVIDENCE:
        return render(lang, "history-evidence", name=cut(new or "", VALUE_CUT))
    if field == REQUEST_FIELD:
        asked, _sep, reason = (new or "").partition(REASON_SEP)
        shown = {"old": _value(lang, "deadline", old), "new": _value(lang, "deadline", asked)}
        return render(lang, "history-extension-request", reason=cut(reason, TEXT_CUT), **shown)
    if field == REJECTED_FIELD:
        shown = {"old": _value(lang, "deadline", old), "new": _value(lang, "deadline", new)}
        return render(lang, "history-extension-rejected", **shown)
    label = f"history-field-{field}"
    return render(
        lang,
        "history-change",
        field=render(lang, label) if _known(lang, label) else field,
        old=_value(lang, field, old),
        new=_value(lang, field, new),
    )


def _value(lang: str, field: str, text: str | None) -> str | date:
    """A stored value as people read it: dates and statuses in words, the rest cut."""
    if text is None or text == "":
        return render(lang, "history-empty-value")
    if field in DATE_FIELDS:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return cut(text, VALUE_CUT)
    if field == "status" and _known(lang, f"status-{text}"):
        return render(lang, f"status-{text}")
    if field == "progress":
        return f"{cut(text, 10)}%"
    return cut(text, VALUE_CUT)


def _known(lang: str, msg_id: str) -> bool:
    return msg_id in CATALOGS.get(lang, CATALOGS["vi"])
