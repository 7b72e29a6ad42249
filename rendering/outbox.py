"""/outbox: the messages the bot could not deliver, for the secretariat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rendering.members import moment
from rendering.text import Html, cut, join, render
from storage.models import Outbox

KEY_CUT, ERROR_CUT = 60, 200  # characters of a key and of an error shown in a line


def undelivered(
    lang: str, rows: Sequence[Outbox], *, total: int, page: int, pages: int, tz: tzinfo
) -> Html:
    """A page of failed and blocked outbox rows, newest first, each with its error."""
    if total == 0:
        return render(lang, "outbox-none")
    lines = [render(lang, "outbox-title", total=total)]
    for row in rows:
        lines.append(
            render(
                lang,
                "outbox-line",
                id=row.id,
                key=cut(row.key, KEY_CUT),
                chat=str(row.chat_id),
                status=render(lang, f"outbox-status-{row.status}"),
                attempts=row.attempts,
                error=cut(row.error or "", ERROR_CUT),
                **moment(row.created_at, tz),
            )
        )
    if pages > 1:
        lines.append(render(lang, "page", page=page + 1, pages=pages))
    return join(lines, "\n\n")
