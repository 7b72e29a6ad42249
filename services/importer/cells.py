"""One cell at a time: as text, within limits, as a date, a status or a percentage."""

from __future__ import annotations

import enum
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from services.importer.common import LIMITS
from services.lookup import fold

ECHO = 60  # longest cell text echoed back in an error


class Claim(enum.StrEnum):
    """What a committee's status word says beyond the status: checked against the dates."""

    ON_TIME = "on_time"  # hoàn thành đúng hạn
    LATE = "late"  # hoàn thành quá hạn
    IN_TIME = "in_time"  # đang thực hiện trong hạn
    OVERDUE = "overdue"  # đang thực hiện quá hạn
    ROUTINE = "routine"  # thường xuyên: no deadline


# The words of the committees' own reports (folded), and the plain ones, in both languages.
# Keyed by storage.models.Status values, spelt out: the reader runs in a child process that
# does not load the database layer (a test checks they match).
_STATUSES: dict[tuple[str, Claim | None], str] = {
    ("open", None): "open;new;not started;moi;chua thuc hien;chua trien khai;chua hoan thanh",
    ("open", Claim.OVERDUE): "qua han;qua han chua hoan thanh;chua hoan thanh qua han;"
    "chua thuc hien qua han;overdue;not started overdue",
    ("in_progress", None): "in progress;dang thuc hien;dang trien khai;dang lam",
    ("in_progress", Claim.IN_TIME): "dang thuc hien trong han;dang trien khai trong han;"
    "trong han;in progress on schedule;on schedule;on track",
    ("in_progress", Claim.OVERDUE): "dang thuc hien qua han;dang trien khai qua han;"
    "in progress overdue",
    ("in_progress", Claim.ROUTINE): "thuong xuyen;nhiem vu thuong xuyen;"
    "dang thuc hien thuong xuyen;routine;ongoing;recurring",
    ("done", None): "done;completed;hoan thanh;da hoan thanh;xong;da xong",
    ("done", Claim.ON_TIME): "hoan thanh dung han;da hoan thanh dung han;"
    "hoan thanh trong han;done on time;completed on time",
    ("done", Claim.LATE): "hoan thanh qua han;da hoan thanh qua han;hoan thanh cham;"
    "hoan thanh cham tien do;hoan thanh sau han;done late;completed late",
    # Withdrawn by the secretariat: outside every report's total (also /cancel in chat).
    ("cancelled", None): "cancelled;canceled;withdrawn;da huy;huy;huy bo;da huy bo;"
    "dung thuc hien;da dung thuc hien",
}
STATUS_WORDS = {
    word: status for (status, _c), words in _STATUSES.items() for word in words.split(";")
}
STATUS_CLAIMS = {
    word: claim
    for (_s, claim), words in _STATUSES.items()
    if claim is not None
    for word in words.split(";")
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_PERCENT = re.compile(r"(\d{1,3})(?:[.,]0+)?\s*%?")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 of the 1900 date system (past its 1900-02-29)
# Dates a register can hold: an earlier or later one is a typo (2205 for 2025, 1925...).
FIRST_DATE, LAST_DATE = date(1950, 1, 1), date(2200, 12, 31)
# Serials read as dates: 1950 and later, so a bare year typed as a number (2025 would be
# 1905-07-17) stays an error rather than a silently wrong deadline.
_SERIALS = range((FIRST_DATE - _EXCEL_EPOCH).days, (LAST_DATE - _EXCEL_EPOCH).days + 1)
# Characters that show nothing: zero-width space, non-joiner and joiner, word joiner,
# invisible operators, BOM, soft hyphen, Mongolian vowel separator, Arabic letter mark and
# the bidirectional controls (LRM, RLM, embeddings, overrides, isolates).
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u061c"
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1, line separators


class MergedCell(str):
    """An empty xlsx cell under the first row of a merged range, where Excel keeps no value."""

    __slots__ = ()


MERGED = MergedCell()


class Unevaluated(str):
    """An xlsx formula cell saved without its result (written by a program, never opened in
    Excel): its value is unknown, and reading it as empty could blank a stored deadline."""

    __slots__ = ()


UNEVALUATED = Unevaluated()


class BadCell(Exception):
    """A cell's value is invalid; carries the row-level msg_id and its params."""

    def __init__(self, msg_id: str, **params: str) -> None:
        super().__init__(msg_id)
        self.msg_id, self.params = msg_id, params


def text_of(value: object) -> str:
    """A cell as stripped text in NFC, as the secretariat sees it."""
    # NFC: "ộ" typed on a Mac (o + two combining marks) is the same letter as on Windows.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel stores every number as a float
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def normalize_code(text: str) -> str:
    """A task code as stored and compared: NFC, without invisible characters, on one line."""
    # "CASE-1", "case-1" and "CASE\u200b-1" must name one task: the database's
    # case-insensitive key is built on this (normalize_code(code).casefold()).
    visible = _INVISIBLE.sub("", text)
    code = unicodedata.normalize("NFC", visible).strip()
    if _CONTROL.search(code):
        raise BadCell("import-err-code-control")
    if not code and visible != text:
        raise BadCell("import-err-invisible", column="code")
    return code


def parse_code(value: object) -> str:
    """A code cell, normalized; refused when empty, invisible, multi-line or too long."""
    code = normalize_code(required("code", value))
    if len(code) > LIMITS["code"]:
        raise BadCell("import-err-too-long", column="code", limit=str(LIMITS["code"]))
    return code


def clip(text: str) -> str:
    """Text short enough to echo back in an error."""
    return text if len(text) <= ECHO else text[: ECHO - 1] + "…"


def limited(column: str, value: object) -> str:
    """The cell's text, refused when longer than the column allows."""
    text = text_of(value)
    if len(text) > LIMITS[column]:
        raise BadCell("import-err-too-long", column=column, limit=str(LIMITS[column]))
    return text


def required(column: str, value: object) -> str:
    """The cell's text, refused when empty or made of invisible characters only."""
    text = limited(column, value) if column in LIMITS else text_of(value)
    if not text:
        merged = isinstance(value, MergedCell)
        raise BadCell(
            "import-err-required-merged" if merged else "import-err-required", column=column
        )
    if not _INVISIBLE.sub("", text).strip():
        raise BadCell("import-err-invisible", column=column)
    return text


def parse_date(value: object) -> date | None:
    """An Excel date cell or serial, YYYY-MM-DD, D/M/YYYY (also '.' or '-'), or empty for none;
    refused outside 1950-2200."""
    found = _date(value)
    if found is not None and not FIRST_DATE <= found <= LAST_DATE:
        params = {"first": str(FIRST_DATE.year), "last": str(LAST_DATE.year)}
        raise BadCell("import-err-date-range", value=clip(text_of(value)), **params)
    return found


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if serial := _serial(value):
        return serial
    text = text_of(value)
    if not text:
        return None
    # Only text can be a date: a bare number (an Excel serial in a csv) is ambiguous.
    iso = _ISO_DATE.fullmatch(text) if isinstance(value, str) else None
    vn = _VN_DATE.fullmatch(text) if isinstance(value, str) else None
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if vn:
            return date(int(vn[3]), int(vn[2]), int(vn[1]))
    except ValueError:
        pass
    raise BadCell("import-err-bad-date", value=clip(text))


def _serial(value: object) -> date | None:
    """A whole number in an xlsx cell as Excel's day count: a date left in General format."""
    # Only numeric cells get here as numbers: csv cells are text, and a number written as text
    # is too ambiguous to read as a date.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not float(value).is_integer() or int(value) not in _SERIALS:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(value))


def parse_status(value: object) -> str:
    """open / in_progress / done / cancelled from English or Vietnamese words; empty means
    open."""
    text = text_of(value)
    status = STATUS_WORDS.get(fold(text)) if text else "open"
    if status is None:
        raise BadCell("import-err-bad-status", value=clip(text))
    return status


def status_claim(value: object) -> Claim | None:
    """What the status word says about the dates, if anything ("quá hạn", "đúng hạn" …)."""
    return STATUS_CLAIMS.get(fold(text_of(value)))


def contradiction(
    claim: Claim, *, deadline: date | None, completed_on: date | None, today: date | None
) -> str | None:
    """The msg_id of how the dates contradict the status word, or None when they agree."""
    # Reported, never reinterpreted: a row that says "overdue" with a deadline ahead has a
    # wrong word or a wrong date, and only the secretariat knows which.
    if claim is Claim.ROUTINE:
        return "import-err-claim-routine" if deadline is not None else None
    if deadline is None:  # "late" or "overdue" needs a deadline; "on time" does no harm
        late = claim in (Claim.OVERDUE, Claim.LATE)
        return "import-err-claim-no-deadline" if late else None
    if claim is Claim.OVERDUE and today is not None and deadline >= today:
        return "import-err-claim-overdue"
    if claim is Claim.IN_TIME and today is not None and deadline < today:
        return "import-err-claim-in-time"
    if claim is Claim.ON_TIME and completed_on is not None and completed_on > deadline:
        return "import-err-claim-on-time"
    if claim is Claim.LATE and completed_on is not None and completed_on <= deadline:
        return "import-err-claim-late"
    return None


def parse_progress(value: object) -> int | None:
    """A whole percentage 0-100 ("50", "50%", 50.0); None when empty."""
    text = text_of(value)
    if not text:
        return None
    match = None if isinstance(value, bool) else _PERCENT.fullmatch(text)
    if match is None or int(match[1]) > 100:
        raise BadCell("import-err-bad-progress", value=clip(text))
    return int(match[1])
