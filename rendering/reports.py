"""Report views: service results as rendered messages (through rendering.text only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from rendering.figures import (
    bloc_line,
    bucket_figures,
    coverage_lines,
    data_date,
    program_label,
    year_end_sentence,
)
from rendering.text import TITLE_CUT, Html, cut, join, render
from services.buckets import AgencyStanding, Summary, bucket_of
from services.coverage import Coverage
from services.lookup import Target
from services.reports import DUE_SOON, AgencyReport, CommitteeReport, TaskLine, TaskPage
from storage.models import Agency, Status, Task


def target_name(lang: str, target: Target | Agency) -> str:
    """An agency's or program's name in the reader's language."""
    return target.name_en if lang == "en" else target.name_vi


def summary_body(lang: str, summary: Summary, today: date) -> Html:
    """The bucket figures of one summary, with consistent percentages; then, apart, how
    many tasks were cancelled (they are in no figure above)."""
    body = _buckets_body(lang, summary, today)
    if not summary.cancelled:
        return body
    return join([body, render(lang, "summary-cancelled", cancelled=summary.cancelled)])


def _buckets_body(lang: str, summary: Summary, today: date) -> Html:
    if summary.total == 0:
        return render(lang, "status-empty")
    return render(
        lang,
        "summary-body",
        **bucket_figures(summary),
        # "trong đó … 0, … 0" says nothing: the split only when something is completed.
        completed_detail=render(
            lang,
            "summary-completed-detail",
            done_on_time=summary.done_on_time,
            done_late=summary.done_late,
        )
        if summary.completed
        else Html(""),
        year_end_sentence=year_end_sentence(lang, summary, today),
    )


def status_text(
    lang: str,
    today: date,
    report: CommitteeReport | AgencyReport,
    *,
    agency: Target | None = None,
    program: Target | None = None,
    coverage: Coverage | None = None,
    updated: datetime | None = None,
    tz: tzinfo | None = None,
    extended: int = 0,
) -> Html:
    """The /status answer (also `dondoc status`): committee, program, agency or both;
    `extended`: how many of its tasks had their deadline extended (a line when any did)."""
    dated = data_date(lang, updated, tz) if tz is not None else []
    if isinstance(report, CommitteeReport):
        title = (
            render(lang, "status-committee-title", today=today)
            if program is None
            else render(lang, "status-program-title", program=program_label(program), today=today)
        )
        return committee_status(
            lang, report, today, join([title, *dated]), coverage, extended=extended
        )
    assert agency is not None, "an agency report needs its agency"
    return agency_status(
        lang, agency, report.summary, report.overdue, report.due, today, program=program,
        dated=dated, extended=extended,
    )  # fmt: skip


def committee_status(
    lang: str,
    report: CommitteeReport,
    today: date,
    title: Html,
    coverage: Coverage | None,
    *,
    extended: int = 0,
) -> Html:
    """Committee (or program) summary, the agencies behind, and the blocs."""
    parts = [title, summary_body(lang, report.total, today), *extended_line(lang, extended)]
    if report.total.total and coverage is not None:
        parts += [Html(""), *coverage_lines(lang, coverage), Html("")]
        parts += [bloc_line(lang, bloc) for bloc in coverage.blocs]
    return join(parts)


def agency_status(
    lang: str,
    agency: Target,
    summary: Summary,
    overdue: TaskPage,
    due: TaskPage,
    today: date,
    *,
    program: Target | None = None,
    dated: list[Html] | None = None,
    extended: int = 0,
) -> Html:
    """One agency (within one program, if given): summary, overdue tasks, next ones due."""
    name, code = target_name(lang, agency), agency.code
    title = (
        render(lang, "status-agency-title", name=name, code=code, today=today)
        if program is None
        else render(
            lang, "status-agency-in-program", name=name, code=code, program=program_label(program),
            today=today,
        )
    )  # fmt: skip
    parts = [title, *(dated or []), summary_body(lang, summary, today)]
    parts += extended_line(lang, extended)
    if overdue.lines:
        parts.append(render(lang, "status-overdue-head", count=overdue.total))
        parts += [overdue_line(lang, line, today) for line in overdue.lines]
        if overdue.total > len(overdue.lines):
            parts.append(
                render(
                    lang, "status-more", count=overdue.total - len(overdue.lines), code=agency.code
                )
            )
    if due.lines:
        parts.append(render(lang, "status-due-head", days=DUE_SOON))
        parts += [due_line(lang, line, today) for line in due.lines]
    return join(parts)


def extended_line(lang: str, extended: int) -> list[Html]:
    """'🗓 5 tasks had the deadline extended', or nothing when none had."""
    return [render(lang, "status-extended", count=extended)] if extended > 0 else []


def overdue_line(lang: str, line: TaskLine, today: date) -> Html:
    assert line.deadline is not None
    return render(
        lang,
        "overdue-line",
        code=line.code,
        agency=line.agency,
        title=cut(line.title, TITLE_CUT),
        deadline=line.deadline,
        days=(today - line.deadline).days,
    )


def due_line(lang: str, line: TaskLine, today: date) -> Html:
    assert line.deadline is not None
    days = (line.deadline - today).days
    when = render(lang, "due-today") if days == 0 else render(lang, "due-in", days=days)
    return render(
        lang,
        "due-line",
        code=line.code,
        agency=line.agency,
        title=cut(line.title, TITLE_CUT),
        deadline=line.deadline,
        when=when,
    )


def suffix(lang: str, target: Target | None) -> Html:
    """' — <name>' after a list title when the list is about one agency or program."""
    if target is None:
        return Html("")
    return render(lang, "of-target", name=target_name(lang, target))


def overdue_list(lang: str, page: TaskPage, today: date, target: Target | None) -> Html:
    """A page of overdue tasks."""
    if page.total == 0:
        return render(lang, "overdue-none", suffix=suffix(lang, target))
    parts = [render(lang, "overdue-title", suffix=suffix(lang, target), total=page.total)]
    parts += [overdue_line(lang, line, today) for line in page.lines]
    return join([*parts, *_page_footer(lang, page)])


def due_list(
    lang: str, page: TaskPage, today: date, days: int, target: Target | None = None
) -> Html:
    """A page of tasks due soon (everyone's, or a group's own agency or programme)."""
    if page.total == 0:
        return render(lang, "due-none", days=days, suffix=suffix(lang, target))
    parts = [render(lang, "due-title", days=days, suffix=suffix(lang, target), total=page.total)]
    parts += [due_line(lang, line, today) for line in page.lines]
    return join([*parts, *_page_footer(lang, page)])


def _page_footer(lang: str, page: TaskPage) -> list[Html]:
    if page.pages <= 1:
        return []
    return [render(lang, "page", page=page.page + 1, pages=page.pages)]


def pager(lang: str, page: TaskPage, data: Callable[[int], str]) -> list[list[tuple[str, str]]]:
    """Previous/next buttons; `data(n)` is the packed callback data of page n."""
    row: list[tuple[str, str]] = []
    if page.page > 0:
        row.append((render(lang, "button-prev"), data(page.page - 1)))
    if page.page + 1 < page.pages:
        row.append((render(lang, "button-next"), data(page.page + 1)))
    return [row] if row else []


# Cuts that keep the longest card under Telegram's 4096 UTF-16 units, emoji and all.
CARD_CUTS = {"title": 500, "source": 200, "notes": 700, "program": 150}


def task_card(lang: str, task: Task, today: date, tz: tzinfo) -> Html:
    """Everything about one task."""
    none = render(lang, "none")
    bucket = bucket_of(
        done=task.status == Status.DONE.value,
        deadline=task.deadline,
        completed_on=task.completed_on,
        today=today,
    )
    overdue_days = (today - task.deadline).days if task.deadline else 0
    coordinating = ", ".join(a.code for a in task.coordinators)
    data: dict[str, Any] = {
        "code": task.code,
        "title": cut(task.title, CARD_CUTS["title"]),
        "agency": f"{target_name(lang, task.lead_agency)} ({task.lead_agency.code})",
        "coordinating": coordinating or none,
        "program": cut(program_label(task.program), CARD_CUTS["program"])
        if task.program
        else none,
        "source": cut(task.source, CARD_CUTS["source"]) or none,
        "deadline": deadline_text(lang, task, today),
        # As the committees write it: "Hoàn thành đúng hạn", "Đang thực hiện (quá hạn 3 ngày)".
        "state": render(
            lang,
            "state-done" if task.status == Status.DONE.value else "state-not-done",
            status=render(lang, f"status-{task.status}"),
            bucket=render(lang, f"bucket-{bucket.value}", days=overdue_days),
        )
        if task.status != Status.CANCELLED.value
        else render(lang, "state-cancelled"),
        "progress": task.progress,
        "completed_on": task.completed_on or none,
        "notes": cut(task.notes, CARD_CUTS["notes"]) or none,
        "updated": task.updated_at.astimezone(tz).date(),
    }
    return render(lang, "task-card", **data)


def deadline_text(lang: str, task: Task, today: date) -> Html | date:
    """The deadline in force, the days left while it runs, and the original one if it was
    extended (the card's "Thời hạn" line)."""
    if task.deadline is None:
        return render(lang, "no-deadline")
    shown: Html | date = task.deadline
    days = (task.deadline - today).days
    if task.status != Status.DONE.value and days >= 0:
        msg_id = "card-deadline-today" if days == 0 else "card-deadline-left"
        shown = render(lang, msg_id, deadline=task.deadline, days=days)
    original = task.original_deadline
    if original is not None and original != task.deadline:
        shown = render(lang, "card-deadline-extended", deadline=shown, original=original)
    return shown


def lagging_list(
    lang: str,
    standings: list[AgencyStanding],
    names: dict[str, str],
    today: date,
    dated: list[Html] | None = None,
    program: Target | None = None,
) -> Html:
    """The ranking of agencies with the most overdue tasks (in one programme's, if given),
    saying what it ranks by."""
    if not standings:
        return render(lang, "lagging-none", suffix=suffix(lang, program))
    title = render(lang, "lagging-title", today=today, suffix=suffix(lang, program))
    lines = [title, *(dated or [])]
    for rank, standing in enumerate(standings, 1):
        lines.append(
            render(
                lang,
                "lagging-line",
                rank=rank,
                code=standing.code,
                name=names[standing.code],
                overdue=standing.summary.overdue,
                completed=standing.summary.completed,
                total=standing.summary.total,
                completion=standing.completion,
            )
        )
    return join(lines)
