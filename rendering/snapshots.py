"""A past day's /status, from that day's snapshot: the same text, saying when it was kept."""

from __future__ import annotations

from datetime import tzinfo

from rendering import reports as views
from rendering.text import Html, join, render
from services.coverage import coverage_of
from services.figures import AgencyFacts, Scope, split_by_kind
from services.lookup import Target
from services.snapshots import DaySnapshot, total
from services.task_lists import AgencyReport, TaskPage

_NO_LINES = TaskPage((), 0, 0, 1)


def status_on_day(
    lang: str,
    snap: DaySnapshot,
    target: Target | None,
    agencies: AgencyFacts,
    *,
    threshold: int,
    tz: tzinfo,
) -> Html:
    """/status as it stood when `snap.day` ended (its task lists are not kept)."""
    per_agency = snap.per_agency(Scope.of(target))
    agency = target if target is not None and target.kind == "agency" else None
    program = target if target is not None and target.kind == "program" else None
    taken = snap.taken_at.astimezone(tz)
    kept = render(lang, "status-snapshot-taken", time=taken.strftime("%H:%M"), taken=taken.date())
    if agency is not None:
        summary = total(per_agency.values())
        report = AgencyReport(summary, TaskPage((), summary.overdue, 0, 1), _NO_LINES)
        text = views.status_text(lang, snap.day, report, agency=agency)
        lists = render(lang, "status-snapshot-lists", code=agency.code)
    else:
        kinds = {agency_id: kind for agency_id, (_code, kind) in agencies.items()}
        text = views.status_text(
            lang,
            snap.day,
            split_by_kind(per_agency, agencies),
            program=program,
            coverage=coverage_of(per_agency, kinds, threshold),
        )
        lists = None
    title, _, rest = text.partition("\n")
    return join(line for line in (title, kept, rest, lists) if line is not None)
