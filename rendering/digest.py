"""The weekly digest as a message: the text (at most 4,096) and the chart's caption (1,024)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from rendering.chart import SEGMENTS, Bar, ChartText, render_png
from rendering.figures import program_label
from rendering.reports import due_line, summary_body
from rendering.text import Html, chunks, cut, join, max_text, plain, render, utf16_len
from services.digest import DUE_LINES, Digest, Labels, Standing
from services.figures import Scope
from storage.models import Program

NAME_CUT = 60  # characters of an agency's name in a digest line
PROGRAM_CUT = 150
CODES = 20  # agencies named on the "no lead yet" and "reminders refused" lines
MAX_CAPTION = 1024


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many lines each list shows; shrunk until the text fits one message."""

    lagging: int
    best: int
    due: int


SIZES = (Sizes(10, 5, DUE_LINES), Sizes(10, 5, 4), Sizes(5, 3, 3), Sizes(3, 0, 0))


def signed(lang: str, value: float) -> Html:
    """+3, -2, ±0: a change, not a count."""
    if value > 0:
        return render(lang, "digest-up", n=value)
    if value < 0:
        return render(lang, "digest-down", n=-value)
    return render(lang, "digest-same")


def week_of(digest: Digest) -> dict[str, object]:
    """The ISO week a digest belongs to, as the catalogs name it."""
    year, week, _ = digest.day.isocalendar()
    return {"week": week, "year": str(year)}  # a year, not a number: no separator


def _standing(lang: str, rank: int, standing: Standing, names: Mapping[int, str]) -> Html:
    summary, change = standing.summary, standing.change
    data: dict[str, object] = {
        "rank": rank,
        "code": standing.code,
        "name": cut(names.get(standing.agency_id, standing.code), NAME_CUT),
        "overdue": summary.overdue,
        "completed": summary.completed,
        "total": summary.total,
        "completion": summary.completion,
    }
    if change is None:
        return render(lang, "digest-lagging-line", **data)
    return render(
        lang,
        "digest-lagging-line-change",
        overdue_change=signed(lang, change.overdue),
        completion_change=signed(lang, change.completion),
        **data,
    )


def _ranked(lang: str, digest: Digest, names: Mapping[int, str], size: int) -> list[Html]:
    if digest.scope.agency_id is not None:  # one agency: nothing to rank
        return []
    if not digest.lagging:
        return [render(lang, "digest-lagging-none")]
    shown = digest.lagging[:size]
    if not shown:
        return []
    head = render(lang, "digest-lagging-head", shown=len(shown), total=digest.lagging_total)
    return [head, *(_standing(lang, i, s, names) for i, s in enumerate(shown, 1))]


def _best(lang: str, digest: Digest, names: Mapping[int, str], size: int) -> list[Html]:
    if digest.scope.agency_id is not None or size == 0:
        return []
    if not digest.best:
        return [render(lang, "digest-best-none", threshold=digest.threshold)]
    shown = digest.best[:size]
    head = render(
        lang, "digest-best-head", threshold=digest.threshold, shown=len(shown),
        total=digest.best_total,
    )  # fmt: skip
    lines = [
        render(
            lang,
            "digest-best-line",
            code=s.code,
            name=cut(names.get(s.agency_id, s.code), NAME_CUT),
            completion=s.summary.completion,
            completed=s.summary.completed,
            total=s.summary.total,
        )
        for s in shown
    ]
    return [head, *lines]


def _due(lang: str, digest: Digest, size: int) -> list[Html]:
    span = {"start": digest.day, "end": digest.due_until}
    if digest.due.total == 0:
        return [render(lang, "digest-due-none", **span)]
    lines = [render(lang, "digest-due-head", total=digest.due.total, **span)]
    shown = digest.due.lines[:size]
    lines += [due_line(lang, line, digest.day) for line in shown]
    if digest.due.total > len(shown):
        days = (digest.due_until - digest.day).days
        lines.append(
            render(lang, "digest-due-more", count=digest.due.total - len(shown), days=days)
        )
    return lines


def _agencies(lang: str, key: str, codes: tuple[str, ...]) -> list[Html]:
    """A line naming the first CODES agencies (escaped by `render`), or none."""
    if not codes:
        return []
    named = ", ".join(codes[:CODES])
    if len(codes) > CODES:
        named = render(lang, "digest-more-codes", codes=named, count=len(codes) - CODES)
    return [render(lang, key, count=len(codes), codes=named)]


def _change(lang: str, digest: Digest) -> Html:
    change = digest.change
    if change is None:
        return render(lang, "digest-change-none", day=digest.before_day)
    return render(
        lang,
        "digest-change",
        day=digest.before_day,
        completed=signed(lang, change.completed),
        overdue=signed(lang, change.overdue),
        completion=signed(lang, change.completion),
    )


def digest_lines(
    lang: str,
    digest: Digest,
    scope: Html,
    names: Mapping[int, str],
    *,
    due_at: datetime | None = None,
    sizes: Sizes = SIZES[0],
) -> list[Html]:
    """The digest's lines; `scope` names what it covers, `due_at` (local) the time it was
    due when it goes out late."""
    lines = [
        render(lang, "digest-title", scope=scope, **week_of(digest)),
        render(lang, "digest-figures-day", day=digest.figures_day),
    ]
    if due_at is not None:
        lines.append(render(lang, "digest-late", time=due_at.strftime("%H:%M"), day=due_at.date()))
    lines += [Html(""), summary_body(lang, digest.summary, digest.figures_day), Html("")]
    lines.append(_change(lang, digest))
    lines += _ranked(lang, digest, names, sizes.lagging)
    lines += _best(lang, digest, names, sizes.best)
    lines += _due(lang, digest, sizes.due)
    lines += _agencies(lang, "digest-leaderless", digest.leaderless)
    lines += _agencies(lang, "digest-blocked", digest.blocked)
    return lines


def digest_text(
    lang: str,
    digest: Digest,
    scope: Html,
    names: Mapping[int, str],
    *,
    due_at: datetime | None = None,
    limit: int | None = None,
) -> Html:
    """The digest as one message: lists shortened until it fits, else cut at a line."""
    limit = max_text() if limit is None else limit
    for sizes in SIZES:
        text = join(digest_lines(lang, digest, scope, names, due_at=due_at, sizes=sizes))
        if utf16_len(text) <= limit:
            return text
    return chunks(text.split("\n"), limit)[0]  # never reached with names cut as they are


def caption(lang: str, digest: Digest, scope: Html) -> Html:
    """The chart's caption (at most 1,024 characters: `scope_label` cuts the names)."""
    week = week_of(digest)
    if digest.scope.agency_id is not None:
        return render(
            lang, "digest-caption-agency", scope=scope, before=digest.before_day,
            day=digest.figures_day, **week,
        )  # fmt: skip
    return render(
        lang, "digest-caption", scope=scope, count=len(digest.lagging), day=digest.figures_day,
        **week,
    )  # fmt: skip


def scope_label(
    lang: str, *, agency: tuple[str, str] | None = None, program: str | None = None
) -> Html:
    """What a digest covers: an agency's "name (code)", a programme's label, or the
    committee; names cut so that a caption stays far below its limit."""
    if agency is not None:
        name, code = agency
        return render(lang, "digest-scope-agency", name=cut(name, NAME_CUT), code=code)
    if program is not None:
        return render(lang, "digest-scope-program", program=cut(program, PROGRAM_CUT))
    return render(lang, "digest-scope-committee")


def scope_of(lang: str, scope: Scope, labels: Labels) -> Html:
    """`scope_label` of a group's scope, from the names read with the figures."""
    if scope.agency_id is not None and scope.agency_id in labels.agencies:
        code, name_vi, name_en = labels.agencies[scope.agency_id]
        return scope_label(lang, agency=(name_en if lang == "en" else name_vi, code))
    if scope.program_id is not None and scope.program_id in labels.programs:
        code, name = labels.programs[scope.program_id]
        return scope_label(lang, program=program_label(Program(code=code, name=name)))
    return scope_label(lang)


def chart_png(lang: str, digest: Digest, labels: Labels) -> bytes | None:
    """The lagging agencies' buckets as a PNG (CPU-bound: call it off the event loop); None
    for one agency's digest or when no agency lags."""
    if digest.scope.agency_id is not None or not digest.lagging:
        return None
    names = labels.agency_names(lang)
    text = ChartText(
        title=plain(render(lang, "chart-title", **week_of(digest))),
        axis=plain(render(lang, "chart-axis")),
        legend={segment: plain(render(lang, f"chart-{segment}")) for segment in SEGMENTS},
    )
    bars = [
        Bar(
            names.get(s.agency_id, s.code),
            s.summary,
            plain(
                render(
                    lang, "chart-note", overdue=s.summary.overdue, completion=s.summary.completion
                )
            ),
        )
        for s in digest.lagging
    ]
    return render_png(text, bars)
