"""Report views: service results as rendered messages (through rendering.text only)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from rendering.text import TITLE_CUT, Html, cut, join, render
from services.buckets import AgencyStanding, Summary, bucket_of, year_end
from services.catalog import is_code
from services.coverage import Bloc, Coverage, bloc_of
from services.lookup import Former, Target
from services.reports import DUE_SOON, AgencyReport, CommitteeReport, TaskLine, TaskPage
from storage.models import Agency, Program, Status, Task


def target_name(lang: str, target: Target | Agency) -> str:
    """An agency's or program's name in the reader's language."""
    return target.name_en if lang == "en" else target.name_vi


def summary_body(lang: str, summary: Summary, today: date) -> Html:
    """The bucket figures of one summary, with consistent percentages."""
    if summary.total == 0:
        return render(lang, "status-empty")
    shares = summary.shares()
    return render(
        lang,
        "summary-body",
        total=summary.total,
        completed=summary.completed,
        completed_pct=shares["completed"],
        # "trong đó … 0, … 0" says nothing: the split only when something is completed.
        completed_detail=render(
            lang,
            "summary-completed-detail",
            done_on_time=summary.done_on_time,
            done_late=summary.done_late,
        )
        if summary.completed
        else Html(""),
        on_schedule=summary.on_schedule,
        on_schedule_pct=shares["on_schedule"],
        overdue=summary.overdue,
        overdue_pct=shares["overdue"],
        routine=summary.routine,
        routine_pct=shares["routine"],
        year_end_sentence=year_end_sentence(lang, summary, today),
    )


def year_end_sentence(lang: str, summary: Summary, today: date) -> Html:
    """What is left for the year, as committees write it; never a sentence starting with 0."""
    due, overdue = summary.due_by_year_end, summary.overdue
    if due and overdue:
        msg_id = "year-end-all"
    elif due:
        msg_id = "year-end-due"
    else:
        msg_id = "year-end-overdue" if overdue else "year-end-none"
    return render(
        lang,
        msg_id,
        on_schedule=summary.on_schedule,
        due=due,
        overdue=overdue,
        remaining=summary.remaining_for_year,
        year_end=year_end(today),
        year=str(today.year),  # a year, not a number: no thousands separator
    )


def bloc_line(lang: str, bloc: Bloc) -> Html:
    """One bloc (central, local, other): its number of agencies, figures and percentages."""
    label = render(lang, f"split-{bloc.name}")
    summary = bloc.summary
    if not summary.total:
        return render(lang, "split-empty", label=label)
    shares = summary.shares()
    return render(
        lang,
        "summary-split",
        label=label,
        members=render(lang, f"bloc-members-{bloc.name}", agencies=bloc.agencies),
        total=summary.total,
        completed=summary.completed,
        completed_pct=shares["completed"],
        on_schedule=summary.on_schedule,
        on_schedule_pct=shares["on_schedule"],
        overdue=summary.overdue,
        overdue_pct=shares["overdue"],
        routine=summary.routine,
        routine_pct=shares["routine"],
    )


def coverage_lines(lang: str, coverage: Coverage) -> list[Html]:
    """ "18/56 cơ quan có nhiệm vụ quá hạn" and the agencies at the completion threshold."""
    total, at = coverage.agencies, coverage.at_threshold
    if not total:
        return []
    overdue = (
        render(lang, "coverage-overdue", with_overdue=coverage.with_overdue, agencies=total)
        if coverage.with_overdue
        else render(lang, "coverage-overdue-none")
    )
    if at == total:
        msg_id = "coverage-threshold-all"
    else:
        msg_id = "coverage-threshold" if at else "coverage-threshold-none"
    threshold = render(
        lang, msg_id, at=at, below=total - at, agencies=total, threshold=coverage.threshold
    )
    return [overdue, threshold]


def data_date(lang: str, updated: datetime | None, tz: tzinfo) -> list[Html]:
    """ "Số liệu cập nhật đến 10:00 ngày 02/12/2026": the register's last change, if any."""
    if updated is None:
        return []
    local = updated.astimezone(tz)
    return [render(lang, "data-date", time=local.strftime("%H:%M"), day=local.date())]


def former_note(lang: str, target: Target, former: Former | None) -> list[Html]:
    """Asked by a former body's name: say what it is part of now, and since when."""
    if former is None:
        return []
    return [
        render(
            lang,
            f"former-{former.how}",
            name=target_name(lang, target),
            code=target.code,
            former=former.name_en if lang == "en" else former.name_vi,
            since=former.since,
        )
    ]


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
) -> Html:
    """The /status answer (also `dondoc status`): committee, program, agency or both."""
    dated = data_date(lang, updated, tz) if tz is not None else []
    if isinstance(report, CommitteeReport):
        title = (
            render(lang, "status-committee-title", today=today)
            if program is None
            else render(lang, "status-program-title", program=program_label(program), today=today)
        )
        return committee_status(lang, report, today, join([title, *dated]), coverage)
    assert agency is not None, "an agency report needs its agency"
    return agency_status(
        lang, agency, report.summary, report.overdue, report.due, today, program=program,
        dated=dated,
    )  # fmt: skip


def committee_status(
    lang: str, report: CommitteeReport, today: date, title: Html, coverage: Coverage | None
) -> Html:
    """Committee (or program) summary, the agencies behind, and the blocs."""
    parts = [title, summary_body(lang, report.total, today)]
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


def due_list(lang: str, page: TaskPage, today: date, days: int) -> Html:
    """A page of tasks due soon."""
    if page.total == 0:
        return render(lang, "due-none", days=days, suffix=Html(""))
    parts = [render(lang, "due-title", days=days, suffix=Html(""), total=page.total)]
    parts += [due_line(lang, line, today) for line in page.lines]
    return join([*parts, *_page_footer(lang, page)])


def _page_footer(lang: str, page: TaskPage) -> list[Html]:
    if page.pages <= 1:
        return []
    return [render(lang, "page", page=page.page + 1, pages=page.pages)]


def pager(lang: str, page: TaskPage, prefix: str) -> list[list[tuple[str, str]]]:
    """Previous/next buttons; callback data is `prefix` + page number."""
    row: list[tuple[str, str]] = []
    if page.page > 0:
        row.append((render(lang, "button-prev"), f"{prefix}{page.page - 1}"))
    if page.page + 1 < page.pages:
        row.append((render(lang, "button-next"), f"{prefix}{page.page + 1}"))
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
        "deadline": task.deadline or render(lang, "no-deadline"),
        "status": render(lang, f"status-{task.status}"),
        "bucket": render(lang, f"bucket-{bucket.value}", days=overdue_days),
        "progress": task.progress,
        "completed_on": task.completed_on or none,
        "notes": cut(task.notes, CARD_CUTS["notes"]) or none,
        "updated": task.updated_at.astimezone(tz).date(),
    }
    return render(lang, "task-card", **data)


def lagging_list(
    lang: str,
    standings: list[AgencyStanding],
    names: dict[str, str],
    today: date,
    dated: list[Html] | None = None,
) -> Html:
    """The ranking of agencies with the most overdue tasks, saying what it ranks by."""
    if not standings:
        return render(lang, "lagging-none")
    lines = [render(lang, "lagging-title", today=today), *(dated or [])]
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


def agency_lines(lang: str, agencies: list[Agency], programs: list[Program]) -> list[Html]:
    """Lines of /agencies: central agencies, localities, other units, then programs."""
    lines: list[Html] = []
    for bloc in ("central", "local", "other"):
        members = [a for a in agencies if bloc_of(a.kind) == bloc]
        if not members:
            continue
        if lines:
            lines.append(Html(""))
        lines.append(render(lang, f"agencies-{bloc}"))
        lines += [
            render(lang, "agencies-line", code=a.code, name=target_name(lang, a)) for a in members
        ]
    if programs:
        lines += [Html(""), render(lang, "agencies-programs"), *program_lines(lang, programs)]
    return lines


def program_lines(lang: str, programs: list[Program]) -> list[Html]:
    """One line per program: its code and name."""
    lines = []
    for program in sorted(programs, key=lambda p: p.code):
        name = cut(program.name, 100)
        if program.code == program.name or not is_code(program.code):
            lines.append(render(lang, "agencies-program-name", name=name))  # no code to show
        else:
            lines.append(render(lang, "agencies-program", code=program.code, name=name))
    return lines


def program_label(program: Target | Program) -> str:
    """ "Nghị quyết 57-NQ/TW (NQ57)", or the name alone when the program has no short code."""
    name = program.name_vi if isinstance(program, Target) else program.name
    if program.code == name or not is_code(program.code):
        return name
    return f"{name} ({program.code})"


def programs_list(lang: str, programs: list[Program]) -> list[Html]:
    """Lines of /programs."""
    if not programs:
        return [render(lang, "programs-none")]
    return [render(lang, "programs-title"), *program_lines(lang, programs)]
