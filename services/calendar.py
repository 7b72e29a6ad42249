"""Vietnam's working calendar: weekends, public holidays (the `holidays` package) and the
days an admin adds or removes (`/holiday`). Pure functions; the overrides are arguments.

The package knows Tết and the other public holidays with their substitute days off and the
Saturdays worked in exchange (government decisions, year by year); a decision it does not
know yet is what `/holiday add|remove` is for.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

COUNTRY = "VN"
ONE_DAY = timedelta(days=1)
SATURDAY = 5
# A calendar walk never needs more: the longest run of days off (Tết and its weekends) is
# under two weeks, and a ladder step is at most a few dozen working days.
MAX_WALK = 3660


@dataclass(frozen=True, slots=True)
class Overrides:
    """The admins' changes: days off added, and working days added (make-up Saturdays, or a
    public holiday the government moved)."""

    off: frozenset[date] = field(default_factory=frozenset)
    on: frozenset[date] = field(default_factory=frozenset)


NONE = Overrides()


@functools.lru_cache(maxsize=64)
def _year(year: int, lang: str) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year, language=lang)


@functools.lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[date]:
    """The package's days off in `year`: weekends and public holidays, less weekend workdays."""
    calendar = _year(year, "vi")
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    days = (date.fromordinal(n) for n in range(first, last + 1))
    off = set(calendar) | {day for day in days if day.weekday() >= SATURDAY}
    return frozenset(off - set(calendar.weekend_workdays))


def is_day_off_by_law(day: date) -> bool:
    """A weekend or public holiday in the package's calendar, ignoring the admins' changes."""
    return day in _days_off(day.year)


def is_working_day(day: date, overrides: Overrides = NONE) -> bool:
    """Whether offices work on `day`."""
    if day in overrides.on:
        return True
    if day in overrides.off:
        return False
    return not is_day_off_by_law(day)


def holiday_name(day: date, lang: str) -> str | None:
    """The public holiday's name on `day` ("Tết Nguyên Đán"), in vi or en."""
    name = _year(day.year, "vi" if lang == "vi" else "en_US").get(day)
    return str(name) if name else None


def _walk(day: date, step: timedelta, overrides: Overrides) -> Iterator[date]:
    for _ in range(MAX_WALK):
        day += step
        if is_working_day(day, overrides):
            yield day
    raise ValueError(f"no working day within {MAX_WALK} days of {day}")  # overrides gone mad


def next_working_day(day: date, overrides: Overrides = NONE) -> date:
    """The first working day after `day`."""
    return next(_walk(day, ONE_DAY, overrides))


def previous_working_day(day: date, overrides: Overrides = NONE) -> date:
    """The last working day before `day`."""
    return next(_walk(day, -ONE_DAY, overrides))


def add_working_days(day: date, n: int, overrides: Overrides = NONE) -> date:
    """The n-th working day after `day` (before it for negative n; `day` for 0)."""
    if n == 0:
        return day
    walk = _walk(day, ONE_DAY if n > 0 else -ONE_DAY, overrides)
    for _ in range(abs(n) - 1):
        next(walk)
    return next(walk)


def due_day(deadline: date, overrides: Overrides = NONE) -> date:
    """The working day a deadline is nudged as due: itself, or the working day before it
    when it falls on a day off."""
    if is_working_day(deadline, overrides):
        return deadline
    return previous_working_day(deadline, overrides)


def deadlines_due_on(day: date, overrides: Overrides = NONE) -> list[date]:
    """The deadlines whose due day is working day `day`: `day` and the days off after it."""
    end = next_working_day(day, overrides)
    return [day + timedelta(days=i) for i in range((end - day).days)]


def working_days_between(start: date, end: date, overrides: Overrides = NONE) -> int:
    """Working days d with start < d <= end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start, overrides)
    return sum(
        1
        for i in range(1, (end - start).days + 1)
        if is_working_day(start + i * ONE_DAY, overrides)
    )


def days_off_between(start: date, end: date, overrides: Overrides = NONE) -> list[date]:
    """The days off from `start` to `end` inclusive that are not weekends: holidays, their
    substitutes and the admins' added days (what `/holiday` lists)."""
    days = (start + i * ONE_DAY for i in range((end - start).days + 1))
    return [d for d in days if not is_working_day(d, overrides) and d.weekday() < SATURDAY]


def worked_weekends_between(start: date, end: date, overrides: Overrides = NONE) -> list[date]:
    """Saturdays and Sundays worked from `start` to `end` inclusive (make-up days)."""
    days = (start + i * ONE_DAY for i in range((end - start).days + 1))
    return [d for d in days if d.weekday() >= SATURDAY and is_working_day(d, overrides)]
