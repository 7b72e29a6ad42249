"""The figures committees publish around the buckets: what is left for the year, the agencies
behind, the blocs, the data's date, and the former bodies a name may belong to."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rendering.text import Html, render
from services.buckets import Summary, year_end
from services.catalog import is_code
from services.coverage import Bloc, Coverage
from services.lookup import Former, Target
from storage.models import Program


def bucket_figures(summary: Summary) -> dict[str, int | float]:
    """The counts and shares every summary line shows, named as the catalogs name them."""
    shares = summary.shares()
    return {
        "total": summary.total,
        "completed": summary.completed,
        "completed_pct": shares["completed"],
        "on_schedule": summary.on_schedule,
        "on_schedule_pct": shares["on_schedule"],
        "overdue": summary.overdue,
        "overdue_pct": shares["overdue"],
        "routine": summary.routine,
        "routine_pct": shares["routine"],
    }


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
    return render(
        lang,
        "summary-split",
        label=label,
        members=render(lang, f"bloc-members-{bloc.name}", agencies=bloc.agencies),
        **bucket_figures(summary),
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
            name=target.name_en if lang == "en" else target.name_vi,
            code=target.code,
            former=former.name_en if lang == "en" else former.name_vi,
            since=former.since,
        )
    ]


def program_label(program: Target | Program) -> str:
    """ "Nghị quyết 57-NQ/TW (NQ57)", or the name alone when the program has no short code."""
    name = program.name_vi if isinstance(program, Target) else program.name
    if program.code == name or not is_code(program.code):
        return name
    return f"{name} ({program.code})"
