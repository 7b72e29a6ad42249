"""The rules of a lead's updates: what Done and a progress figure set, which completion dates
are allowed, and dates as people type them ("20/11"). Pure functions: `today` is given."""

from __future__ import annotations

import re
from datetime import date, timedelta

from services.lookup import fold
from storage.models import Status

PROGRESS_STEPS = (0, 25, 50, 75, 100)  # the Progress buttons
RECENT_DAYS = 5  # the Done buttons: today, yesterday and the three days before
MAX_PAST = timedelta(days=366)  # a completion date further back is a typo
_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?")
_TODAY = frozenset({"hom nay", "today", "nay"})
_YESTERDAY = frozenset({"hom qua", "yesterday", "qua"})


class Refused(ValueError):
    """An update that cannot be made; `reason` is the catalog id saying why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def recent_days(today: date) -> list[date]:
    """The completion dates offered as buttons, today first; never a future one."""
    return [today - timedelta(days=n) for n in range(RECENT_DAYS)]


def check_completion(day: date, today: date) -> None:
    """Refuse a completion date in the future or more than a year back."""
    if day > today:
        raise Refused("update-future-date")
    if day < today - MAX_PAST:
        raise Refused("update-too-old")


def done_values(day: date, today: date) -> dict[str, object]:
    """What marking a task done on `day` sets (Refused for a date not allowed)."""
    check_completion(day, today)
    return {"status": Status.DONE.value, "completed_on": day, "progress": 100}


def progress_values(percent: int, status: str) -> dict[str, object]:
    """What a progress figure sets: 1 to 100 % means in progress (100 % is not done: only
    Done completes a task), 0 % leaves the status as it is. Refused on a completed task."""
    if not 0 <= percent <= 100:
        raise Refused("update-bad-progress")
    if status == Status.DONE.value:
        raise Refused("task-already-done")
    if percent == 0:
        return {"progress": 0}
    return {"status": Status.IN_PROGRESS.value, "progress": percent}


def parse_day(text: str, today: date) -> date | None:
    """A date as typed: "20/11", "20/11/2026", "20-11-26", "hôm nay", "hôm qua"; without a
    year, the latest such day not after today. None if it is not a date."""
    words = fold(text)
    if words in _TODAY:
        return today
    if words in _YESTERDAY:
        return today - timedelta(days=1)
    found = _DAY.fullmatch(text.strip())
    if found is None:
        return None
    day, month, year = int(found[1]), int(found[2]), found[3]
    if year is not None:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _date(full, month, day)
    this_year = _date(today.year, month, day)
    if this_year is not None and this_year <= today:
        return this_year
    last_year = _date(today.year - 1, month, day)
    # 29/02 typed in a year after a leap year: the last 29 February may be years back.
    return last_year or this_year


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_percent(text: str) -> int | None:
    """A progress figure as typed: "60%", "60 %", "60"; None if it is not a whole number."""
    digits = text.strip().removesuffix("%").strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > 3:
        return None
    return int(digits)
