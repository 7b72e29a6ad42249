"""One cell at a time: as text, within limits, as a date, a status or a percentage."""

from __future__ import annotations

import enum
import re
from datetime import date, datetime, time, timedelta

from services.importer.common import LIMITS
from services.lookup import fold
from storage.models import Status

ECHO = 60  # longest cell text echoed back in an error


class Claim(enum.StrEnum):
    """What a committee's status word says beyond the status: checked against the dates."""

    ON_TIME = "on_time"  # hoàn thành đúng hạn
    LATE = "late"  # hoàn thành quá hạn
    IN_TIME = "in_time"  # đang thực hiện trong hạn
    OVERDUE = "overdue"  # đang thực hiện quá hạn
    ROUTINE = "routine"  # thường xuyên: no deadline


# The words of the committees' own reports (folded), and the plain ones, in both languages.
_STATUSES: dict[tuple[Status, Claim | None], str] = {
    (Status.OPEN, None): "open;new;not started;moi;chua thuc hien;chua trien khai;chua hoan thanh",
    (Status.OPEN, Claim.OVERDUE): "qua han;qua han chua hoan thanh;chua hoan thanh qua han;"
    "chua thuc hien qua han;overdue;not started overdue",
    (Status.IN_PROGRESS, None): "in progress;dang thuc hien;dang trien khai;dang lam",
    (Status.IN_PROGRESS, Claim.IN_TIME): "dang thuc hien trong han;dang trien khai trong han;"
    "trong han;in progress on schedule;on schedule;on track",
    (Status.IN_PROGRESS, Claim.OVERDUE): "dang thuc hien qua han;dang trien khai qua han;"
    "in progress overdue",
    (Status.IN_PROGRESS, Claim.ROUTINE): "thuong xuyen;nhiem vu thuong xuyen;"
    "dang thuc hien thuong xuyen;routine;ongoing;recurring",
    (Status.DONE, None): "done;completed;hoan thanh;da hoan thanh;xong;da xong",
    (Status.DONE, Claim.ON_TIME): "hoan thanh dung han;da hoan thanh dung han;"
    "hoan thanh trong han;done on time;completed on time",
    (Status.DONE, Claim.LATE): "hoan thanh qua han;da hoan thanh qua han;hoan thanh cham;"
    "hoan thanh cham tien do;hoan thanh sau han;done late;completed late",
}
STATUS_WORDS = {
    word: status.value for (status, _c), words in _STATUSES.items() for word in words.split(";")
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
# Serials read as dates: 1950 and later, so a bare year typed as a number (2025 would be
# 1905-07-17) stays an error rather than a silently wrong deadline.
_SERIALS = range(
    (date(1950, 1, 1) - _EXCEL_EPOCH).days, (date(2200, 1, 1) - _EXCEL_EPOCH).days + 1
)


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
    """A cell as stripped text, as the secretariat sees it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # Excel stores every number as a float
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


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
    """The cell's text, refused when empty."""
    text = limited(column, value) if column in LIMITS else text_of(value)
    if not text:
        merged = isinstance(value, MergedCell)
        raise BadCell(
            "import-err-required-merged" if merged else "import-err-required", column=column
        )
    return text


def parse_date(value: object) -> date | None:
    """An Excel date cell or serial, YYYY-MM-DD, D/M/YYYY (also '.' or '-'), or empty for none."""
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
    """open / in_progress / done from English or Vietnamese words; empty means open."""
    text = text_of(value)
    status = STATUS_WORDS.get(fold(text)) if text else Status.OPEN.value
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
