"""The one rendering layer: catalogs, number/date formats, HTML escaping, message limits."""

from __future__ import annotations

import functools
import html
import re
import string
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from rendering.locales import en, vi

CATALOGS: dict[str, Mapping[str, str]] = {"vi": vi.MESSAGES, "en": en.MESSAGES}
LANGUAGES = tuple(CATALOGS)
TITLE_CUT = 120  # characters of a task title shown in a list line


class Html(str):
    """Text that is already rendered HTML: inserted as is, never escaped again."""

    __slots__ = ()


def normalize_lang(code: str | None) -> str | None:
    """'vi-VN' -> 'vi'; None for languages dondoc does not speak."""
    if not code:
        return None
    short = code.split("-")[0].split("_")[0].lower()
    return short if short in CATALOGS else None


def cut(text: str, limit: int) -> str:
    """Shorten user text to `limit` characters with an ellipsis (before escaping)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Formatter(string.Formatter):
    """Formats values per language; escapes every string that is not Html."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Html):
            return str(value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int) and "|" in format_spec:
            # English plurals: "{n} {n:task|tasks}". Vietnamese nouns do not inflect.
            one, other = format_spec.split("|", 1)
            return html.escape(one if value == 1 else other, quote=False)
        if isinstance(value, int):
            return self.number(value)
        if isinstance(value, float):
            return self.percent(value)
        if isinstance(value, date):
            return self.day(value)
        return html.escape(str(value), quote=False)

    def number(self, value: int) -> str:
        grouped = f"{value:,}"
        return grouped.replace(",", ".") if self.lang == "vi" else grouped

    def percent(self, value: float) -> str:
        if value in (0.0, 100.0):  # "0%" and "100%", as reports write them: no ",0"
            return str(int(value))
        text = f"{value:.1f}"
        return text.replace(".", ",") if self.lang == "vi" else text

    def day(self, value: date) -> str:
        if self.lang != "vi":
            return value.strftime("%d %b %Y")
        # As official documents write dates (Decree 30/2020/NĐ-CP, Appendix I): a leading
        # zero for days below 10 and for months 1 and 2 only, so 01/7/2025 and 05/02/2026.
        month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
        return f"{value.day:02d}/{month}/{value.year}"


def render(lang: str, msg_id: str, **data: Any) -> Html:
    """Render catalog message `msg_id` in `lang` with escaped `data`."""
    formatter = _FORMATTERS.get(lang) or _FORMATTERS["vi"]
    pieces = _parsed(lang, msg_id)
    if pieces is None:  # a field the fast path does not handle: string.Formatter does
        catalog = CATALOGS.get(lang, CATALOGS["vi"])
        return Html(formatter.vformat(catalog[msg_id], (), data))
    out: list[str] = []
    for literal, name, spec in pieces:
        out.append(literal)
        if name is not None:
            out.append(formatter.format_field(data[name], spec))
    return Html("".join(out))


_FORMATTERS = {lang: _Formatter(lang) for lang in CATALOGS}
_Pieces = tuple[tuple[str, str | None, str], ...]


@functools.cache
def _parsed(lang: str, msg_id: str) -> _Pieces | None:
    """A message parsed once (a morning's nudges render tens of thousands of lines): its
    literal text and plain `{name:spec}` fields; None for anything fancier."""
    catalog = CATALOGS.get(lang, CATALOGS["vi"])
    pieces = []
    for literal, name, spec, conversion in string.Formatter().parse(catalog[msg_id]):
        if name is not None and (not name.isidentifier() or conversion or "{" in (spec or "")):
            return None
        pieces.append((literal, name, spec or ""))
    return tuple(pieces)


def join(lines: Iterable[str], sep: str = "\n") -> Html:
    """Join rendered pieces (each already Html)."""
    return Html(sep.join(lines))


def max_text() -> int:
    """Telegram's limit per message, after entity parsing."""
    # PTB loads here, on first use: `dondoc import` and `dondoc status` never need it.
    from telegram.constants import MessageLimit

    return int(MessageLimit.MAX_TEXT_LENGTH)


def chunks(lines: Iterable[str], limit: int | None = None) -> list[Html]:
    """Pack rendered lines into messages of at most `limit` characters (Telegram's limit by
    default), never splitting a line.

    Lines are short by construction (user text is `cut` before rendering), so a line is
    never sliced here: slicing rendered HTML could cut a tag in half.
    """
    limit = max_text() if limit is None else limit
    out: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        # Telegram counts UTF-16 units (an emoji is two); the HTML source is never shorter
        # than the text Telegram measures, so measuring the source is safe.
        if current and utf16_len(candidate) > limit:
            out.append(current)
            candidate = line
        current = candidate
    if current:
        out.append(current)
    return [Html(c) for c in out]


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^>]*)?>")


def plain(text: str) -> str:
    """Rendered HTML as terminal text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", text))
