"""The morning's messages: a lead's nudge, an agency group's, the admins' summary."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import partial
from html import escape

from rendering.text import Html, join, max_text, render, utf16_len
from rendering.text import cut as cut_text
from services import calendar
from services.calendar import Overrides
from services.ladder import Kind, Ladder
from services.nudges import AgencyList, AgencyName, DueTask, Recipient

TITLE_CUT = 80  # characters of a title in a nudge line: a phone shows about two lines
ROOM = 300  # characters kept for a message's closing lines ("… and N more", the hint)


def agency_label(lang: str, agency: AgencyName) -> str:
    """ "Bộ Tài chính (MOF)"."""
    return f"{agency.name_en if lang == 'en' else agency.name_vi} ({agency.code})"


def task_line(lang: str, task: DueTask, today: date) -> Html:
    """A task with its deadline and the days left or late (calendar days, as people count)."""
    head, middle, tail = _line_template(lang, task.step.kind is Kind.OVERDUE, task.deadline, today)
    title = task.title if len(task.title) <= TITLE_CUT else cut_text(task.title, TITLE_CUT)
    return Html(head + _escape(task.code) + middle + _escape(title) + tail)


def _escape(text: str) -> str:
    """html.escape without quotes, skipping the replacements when there is nothing to replace
    (most codes and titles): a morning escapes tens of thousands of them."""
    if "&" in text or "<" in text or ">" in text:
        return escape(text, quote=False)
    return text


@functools.lru_cache(maxsize=4096)
def _line_template(lang: str, overdue: bool, deadline: date, today: date) -> tuple[str, str, str]:
    """A task line rendered once per deadline, around its code and title: a morning lists
    tens of thousands of tasks over a few hundred deadlines."""
    fields: dict[str, object] = {"code": Html(_CODE), "title": Html(_TITLE), "deadline": deadline}
    if overdue:
        line = render(lang, "nudge-line-overdue", days=(today - deadline).days, **fields)
    elif deadline == today:
        line = render(lang, "nudge-line-today", **fields)
    else:
        line = render(lang, "nudge-line-ahead", days=(deadline - today).days, **fields)
    head, rest = line.split(_CODE)
    middle, tail = rest.split(_TITLE)
    return head, middle, tail


_CODE, _TITLE = "\x00", "\x01"  # stand-ins no catalog text contains


def escalation_line(lang: str, task: DueTask, today: date) -> Html:
    """An escalated task, with its escalation's number."""
    return render(
        lang,
        "escalation-line",
        code=task.code,
        title=cut_text(task.title, TITLE_CUT),
        deadline=task.deadline,
        days=(today - task.deadline).days,
        number=task.escalation,
    )


Line = Callable[[], Html]  # a line rendered only if it is shown


def fit(lines: Iterable[Line], budget: int) -> tuple[list[Html], int]:
    """The first lines that fit in `budget` characters (as Telegram counts), and how many
    of the rest did not (those are never rendered)."""
    kept: list[Html] = []
    used, left = 0, 0
    for line in lines:
        if left:
            left += 1
            continue
        text = line()
        size = len(text.encode("utf-16-le")) // 2 + 1  # utf16_len, inlined: a hot loop
        if used + size > budget:
            left += 1
            continue
        kept.append(text)
        used += size
    return kept, left


def lead_nudge(lang: str, agency: AgencyName, due: AgencyList, today: date) -> tuple[Html, int]:
    """A lead's morning message, and how many tasks it lists (each gets its buttons)."""
    label = agency_label(lang, agency)
    head = render(lang, "nudge-title", day=today, agency=label, count=due.total)
    lines, _ = fit((partial(task_line, lang, t, today) for t in due.tasks), max_text() - ROOM)
    more = due.total - len(lines)
    tail = [render(lang, "nudge-more", count=more)] if more else []
    return join([head, "", *lines, *tail, "", render(lang, "nudge-hint")]), len(lines)


def mention(lang: str, lead: Recipient) -> Html:
    """A lead named so that Telegram notifies them in a group."""
    return render(lang, "nudge-mention", user_id=str(lead.chat_id), name=lead.name or "ID")


def group_nudge(
    lang: str,
    agency: AgencyName,
    today: date,
    *,
    blocked: list[Recipient],
    due: AgencyList | None,
    escalated: AgencyList | None,
    after: int,
) -> Html:
    """An agency group's morning: its blocked leads named with the tasks they were not told
    of, and its escalated tasks."""
    parts: list[str] = [
        render(lang, "group-nudge-title", day=today, agency=agency_label(lang, agency))
    ]
    budget = max_text() - ROOM
    if blocked and due is not None:
        names = Html(", ".join(mention(lang, lead) for lead in blocked))
        parts += ["", render(lang, "group-nudge-blocked", leads=names, count=due.total)]
        share = budget // 2 if escalated else budget
        lines, _ = fit(
            (partial(task_line, lang, t, today) for t in due.tasks), share - _size(parts)
        )
        parts += lines
        if due.total > len(lines):
            parts.append(render(lang, "nudge-more", count=due.total - len(lines)))
        parts.append(render(lang, "group-nudge-blocked-hint"))
    if escalated is not None:
        parts += ["", render(lang, "escalation-title", after=after, count=escalated.total)]
        escalations = (partial(escalation_line, lang, t, today) for t in escalated.tasks)
        lines, _ = fit(escalations, budget - _size(parts))
        parts += lines
        if escalated.total > len(lines):
            parts.append(render(lang, "nudge-more", count=escalated.total - len(lines)))
    return join(parts)


def _size(parts: list[str]) -> int:
    return utf16_len("\n".join(parts))


def admin_summary(
    lang: str,
    today: date,
    *,
    agencies: dict[int, AgencyName],
    escalated: dict[int, AgencyList],
    unreached: dict[int, AgencyList],
    after: int,
) -> Html | None:
    """The admins' morning: every escalation, and the agencies nobody was reminded for."""
    if not escalated and not unreached:
        return None

    def sections() -> Iterator[Line]:
        if escalated:
            count = sum(e.total for e in escalated.values())
            yield partial(Html, "")
            yield partial(render, lang, "summary-escalations", after=after, count=count,
                          agencies=len(escalated))  # fmt: skip
            for agency, found in _by_code(escalated, agencies):
                yield partial(render, lang, "summary-agency", agency=agency_label(lang, agency),
                              count=found.total)  # fmt: skip
                yield from (partial(escalation_line, lang, t, today) for t in found.tasks)
        if unreached:
            count = sum(u.total for u in unreached.values())
            yield partial(Html, "")
            yield partial(render, lang, "summary-unreached", agencies=len(unreached),
                          count=count)  # fmt: skip
            for agency, found in _by_code(unreached, agencies):
                yield partial(render, lang, "summary-agency", agency=agency_label(lang, agency),
                              count=found.total)  # fmt: skip
                yield from (partial(task_line, lang, t, today) for t in found.tasks)

    head = render(lang, "summary-nudge-title", day=today)
    lines, left = fit(sections(), max_text() - ROOM)
    tail = [render(lang, "summary-more", count=left)] if left else []
    return join([head, *lines, *tail])


def _by_code(
    lists: dict[int, AgencyList], agencies: dict[int, AgencyName]
) -> list[tuple[AgencyName, AgencyList]]:
    return sorted(((agencies[a], found) for a, found in lists.items()), key=lambda p: p[0].code)


def blocked_notice(lang: str, lead: Recipient, agency: AgencyName, *, has_group: bool) -> Html:
    """Tell the admins, once, that a lead's private chat is closed."""
    where = render(lang, "lead-blocked-group" if has_group else "lead-blocked-no-group")
    return render(
        lang,
        "lead-blocked",
        name=lead.name or "—",
        user_id=str(lead.chat_id),
        agency=agency_label(lang, agency),
        where=where,
    )


def settings_text(lang: str, ladder: Ladder) -> Html:
    """The schedule as /settings shows it."""
    ahead = [n for n in ladder.reminders if n > 0]
    parts = []
    if ahead:
        days = ", ".join(str(n) for n in sorted(ahead, reverse=True))
        parts.append(render(lang, "settings-reminders", days=days))
    if 0 in ladder.reminders:
        parts.append(render(lang, "settings-on-due"))
    return render(
        lang,
        "settings-show",
        paused=render(lang, "settings-paused") if ladder.paused else Html(""),
        reminders=Html("; ".join(parts)) if parts else render(lang, "settings-no-reminders"),
        every=ladder.overdue_every,
        after=ladder.escalate_after,
        time=f"{ladder.send_at:%H:%M}",
        quiet_from=f"{ladder.quiet_from:%H:%M}",
        quiet_until=f"{ladder.quiet_until:%H:%M}",
    )


def holidays(lang: str, start: date, end: date, overrides: Overrides) -> Html:
    """The days off from `start` to `end` that are not weekends, and the weekends worked."""

    def weekday(day: date) -> Html:
        return render(lang, f"weekday-{day.weekday()}")

    lines = [render(lang, "holiday-title", start=start, end=end)]
    for day in calendar.days_off_between(start, end, overrides):
        name = calendar.holiday_name(day, lang)
        if day in overrides.off or name is None:
            name = render(lang, "holiday-by-admin")
        lines.append(render(lang, "holiday-line", day=day, weekday=weekday(day), name=name))
    if len(lines) == 1:
        lines.append(render(lang, "holiday-none"))
    worked = calendar.worked_weekends_between(start, end, overrides)
    if worked:
        lines.append(render(lang, "holiday-worked-title"))
        for day in worked:
            by_admin = render(lang, "holiday-worked-by-admin") if day in overrides.on else Html("")
            lines.append(
                render(
                    lang, "holiday-worked-line", day=day, weekday=weekday(day), by_admin=by_admin
                )
            )
    lines.append(render(lang, "holiday-usage"))
    return join(lines)
