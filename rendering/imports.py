"""Import views: the check's summary, its bad rows and its column notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rendering.text import CATALOGS, Html, cut, join, render
from services.importer import ChatUpdate, ImportReport, RowError

MAX_ERROR_LINES = 50  # rows listed in chat; the CLI lists them all
MAX_IGNORED = 8  # ignored header cells named in a summary; the rest are counted
IGNORED_CUT = 40  # characters of an ignored header cell shown
MAX_NEW = 20  # new units or programs named in a summary; the rest are counted
MAX_CHAT_UPDATES = 20  # chat updates named in chat; the CLI names all the report has
VALUE_CUT = 60  # characters of a title, source or notes shown beside a chat update
DATES = ("deadline", "completed_on")


def import_errors(
    lang: str, name: str, errors: Sequence[RowError], limit: int | None = MAX_ERROR_LINES
) -> list[Html]:
    """The rejection notice and one line per bad row (first `limit` of them)."""
    lines = [render(lang, "import-rejected", name=name, count=len(errors))]
    shown = errors if limit is None else errors[:limit]
    for error in shown:
        reason = render(lang, error.msg_id, **error.params)
        lines.append(
            render(
                lang, "import-error-line", row=error.row, column=error.column or "—", reason=reason
            )
        )
    if len(errors) > len(shown):
        lines.append(render(lang, "import-more-errors", count=len(errors) - len(shown)))
    return lines


def import_summary(lang: str, msg_id: str, name: str, report: ImportReport) -> Html:
    """The dry-run or done summary of a clean import."""
    return render(
        lang,
        msg_id,
        name=name,
        total=report.total_rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )


def import_column_notes(lang: str, report: ImportReport) -> list[Html]:
    """What the header left out (stored values kept) or had in excess (columns ignored), and
    the units and programs the import creates."""
    # Shown before confirming, so a misnamed column is seen before it costs an update.
    notes: list[Html] = []
    if report.kept:
        names = join((render(lang, f"import-column-{c}") for c in report.kept), ", ")
        notes.append(render(lang, "import-kept-columns", columns=names))
    if report.ignored:
        shown = ", ".join(cut(text, IGNORED_CUT) for text in report.ignored[:MAX_IGNORED])
        more = len(report.ignored) - MAX_IGNORED
        if more > 0:
            notes.append(render(lang, "import-ignored-columns-more", columns=shown, count=more))
        else:
            notes.append(render(lang, "import-ignored-columns", columns=shown))
    return [*notes, *new_unit_notes(lang, report)]


def new_unit_notes(lang: str, report: ImportReport) -> list[Html]:
    """The units and programs the import creates, so a dry run shows them before anything."""
    notes: list[Html] = []
    if report.new_agencies:
        names = "; ".join(report.new_agencies)
        notes.append(
            render(lang, "import-new-agencies", count=len(report.new_agencies), names=names)
        )
    if report.new_programs:
        notes.append(render(lang, "import-new-programs", names="; ".join(report.new_programs)))
    return notes


def chat_update_lines(
    lang: str, report: ImportReport, limit: int | None = MAX_CHAT_UPDATES
) -> list[Html]:
    """The fields changed in chat that the file would change, kept or undone, one a line."""
    count = report.chat_update_count
    if not count:
        return []
    if report.dry_run:
        head = "import-chat-updates-would"
    else:
        head = (
            "import-chat-updates-undone"
            if report.overwrite_chat_updates
            else "import-chat-updates-kept"
        )
    return [
        render(lang, head, count=count),
        *chat_update_items(lang, report.chat_updates, count, limit),
    ]


def chat_update_items(
    lang: str, updates: Sequence[ChatUpdate], count: int, limit: int | None = MAX_CHAT_UPDATES
) -> list[Html]:
    """One line per chat update (the first `limit`), then how many more of `count` there are."""
    shown = updates if limit is None else updates[:limit]
    lines = [
        render(
            lang,
            "import-chat-update-line",
            code=update.code,
            field=render(lang, f"import-column-{update.field}"),
            chat=_value(lang, update.field, update.chat),
            file=_value(lang, update.field, update.file),
        )
        for update in shown
    ]
    if count > len(shown):
        lines.append(render(lang, "import-chat-updates-more", count=count - len(shown)))
    return lines


def _value(lang: str, field: str, text: str | None) -> object:
    """A value as the trail writes it, shown as reports show it (dates, status words)."""
    if text is None or text == "":
        return render(lang, "import-chat-value-empty")
    if field == "status" and f"status-{text}" in CATALOGS[lang]:
        return render(lang, f"status-{text}")
    if field == "progress":
        return f"{text}%"
    if field in DATES:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return cut(text, VALUE_CUT)
