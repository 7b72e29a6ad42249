"""A task's fields as the secretariat types them in chat, checked as an import checks cells.

Pure functions: each returns the value to store or raises FieldError with a catalog id.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from services.importer.cells import (
    FIRST_DATE,
    INVISIBLE,
    LAST_DATE,
    BadCell,
    normalize_code,
    parse_date,
)
from services.importer.common import LIMITS
from services.lookup import fold

# What stands for "no deadline" or "no programme": a dash, or the word.
NONE_WORDS = frozenset({"-", "none", "no", "khong", "khong co", "khong thoi han", "khong co han"})
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tabs and line breaks become spaces


class FieldError(ValueError):
    """A typed value that cannot be stored; msg_id and params for the catalog."""

    def __init__(self, msg_id: str, **params: str) -> None:
        super().__init__(msg_id)
        self.msg_id, self.params = msg_id, params


def means_none(text: str) -> bool:
    """Whether `text` says "none" (no deadline, no programme): "-", "không", "none"."""
    return fold(text) in NONE_WORDS or text.strip() == "-"


def parse_text(text: str, *, field: str, required: bool = True) -> str:
    """Free text on one line, in NFC, within the register's limit for `field`."""
    cleaned = _SPACES.sub(" ", _CONTROL.sub(" ", unicodedata.normalize("NFC", text))).strip()
    if required and not cleaned.translate({ord(c): None for c in INVISIBLE}).strip():
        raise FieldError("field-empty", field=field)
    if len(cleaned) > LIMITS[field]:
        raise FieldError("field-too-long", field=field, limit=str(LIMITS[field]))
    return cleaned


def parse_deadline(text: str) -> date | None:
    """dd/mm/yyyy (also d/m/yyyy, with '.' or '-') or yyyy-mm-dd; "-", "không", "none": none."""
    if means_none(text):
        return None
    try:
        found = parse_date(text.strip())
    except BadCell as bad:  # not a date, or a day that does not exist (31/02/2027)
        if bad.msg_id == "import-err-date-range":
            first, last = str(FIRST_DATE.year), str(LAST_DATE.year)
            raise FieldError("field-date-range", first=first, last=last) from None
        found = None
    if found is None:
        raise FieldError("field-bad-date", value=text.strip()[:40])
    return found


def parse_code(text: str) -> str:
    """A task code as stored: NFC, no invisible or control characters, at most 64."""
    try:
        code = normalize_code(text)
    except BadCell:
        raise FieldError("field-bad-code") from None
    if not code or any(c.isspace() for c in code):
        raise FieldError("field-bad-code")
    if len(code) > LIMITS["code"]:
        raise FieldError("field-too-long", field="code", limit=str(LIMITS["code"]))
    return code
