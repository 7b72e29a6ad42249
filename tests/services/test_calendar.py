"""Vietnam's working calendar: Tết 2027, substitute days, make-up Saturdays, the admins' days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services import calendar
from services.calendar import Overrides


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_tet_2027_is_off_from_29_tet_to_mung_5() -> None:
    # Decided for 2027: Thursday 4 February (29 Tết) to Wednesday 10 February (mùng 5).
    off = [d for d in days(date(2027, 2, 1), date(2027, 2, 14)) if not calendar.is_working_day(d)]
    assert off == [
        *days(date(2027, 2, 4), date(2027, 2, 10)),
        date(2027, 2, 13),
        date(2027, 2, 14),
    ]
    assert calendar.is_working_day(date(2027, 2, 3))
    assert calendar.is_working_day(date(2027, 2, 11))
    assert calendar.holiday_name(date(2027, 2, 6), "vi") == "Tết Nguyên Đán"
    assert calendar.holiday_name(date(2027, 2, 6), "en") == "Lunar New Year"


def test_the_working_days_around_tet_2027() -> None:
    assert calendar.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)
    assert calendar.previous_working_day(date(2027, 2, 11)) == date(2027, 2, 3)
    assert calendar.add_working_days(date(2027, 2, 1), 3) == date(2027, 2, 11)
    assert calendar.add_working_days(date(2027, 2, 11), -1) == date(2027, 2, 3)
    assert calendar.add_working_days(date(2027, 2, 11), 0) == date(2027, 2, 11)
    assert calendar.working_days_between(date(2027, 2, 1), date(2027, 2, 15)) == 5
    assert calendar.working_days_between(date(2027, 2, 15), date(2027, 2, 1)) == -5


def test_a_deadline_on_a_day_off_is_due_the_working_day_before() -> None:
    assert calendar.due_day(date(2027, 2, 8)) == date(2027, 2, 3)  # mùng 3 Tết
    assert calendar.due_day(date(2027, 1, 9)) == date(2027, 1, 8)  # a Saturday
    assert calendar.due_day(date(2027, 1, 8)) == date(2027, 1, 8)
    # ... so the deadlines due on Wednesday 3 February run to the end of Tết.
    assert calendar.deadlines_due_on(date(2027, 2, 3)) == days(date(2027, 2, 3), date(2027, 2, 10))
    assert calendar.deadlines_due_on(date(2027, 1, 6)) == [date(2027, 1, 6)]


def test_substitute_days_and_worked_saturdays() -> None:
    # 2027: 1 May is a Saturday, so Monday 3 May is off in its place.
    assert not calendar.is_working_day(date(2027, 5, 3))
    assert calendar.is_working_day(date(2027, 5, 4))
    # 30/4, 2/9 and the day next to it.
    for day in (date(2027, 4, 30), date(2027, 9, 2), date(2027, 9, 3)):
        assert not calendar.is_working_day(day)
    # 2026: Monday 31 August off, Saturday 22 August worked in exchange.
    assert not calendar.is_working_day(date(2026, 8, 31))
    assert calendar.is_working_day(date(2026, 8, 22))
    assert calendar.worked_weekends_between(date(2026, 8, 1), date(2026, 8, 31)) == [
        date(2026, 8, 22)
    ]


def test_the_admins_days_override_the_package() -> None:
    saturday, friday = date(2027, 2, 13), date(2027, 2, 12)
    changed = Overrides(off=frozenset({friday}), on=frozenset({saturday}))
    assert not calendar.is_working_day(friday, changed)
    assert calendar.is_working_day(saturday, changed)
    assert calendar.next_working_day(date(2027, 2, 11), changed) == saturday
    assert calendar.due_day(friday, changed) == date(2027, 2, 11)
    # A public holiday an admin makes a working day.
    assert calendar.is_working_day(date(2027, 2, 5), Overrides(on=frozenset({date(2027, 2, 5)})))
    assert calendar.is_day_off_by_law(date(2027, 2, 5))


def test_days_off_lists_holidays_not_weekends() -> None:
    listed = calendar.days_off_between(date(2027, 4, 1), date(2027, 5, 31))
    assert listed == [date(2027, 4, 16), date(2027, 4, 30), date(2027, 5, 3)]


def test_a_calendar_without_working_days_is_refused() -> None:
    everything = Overrides(off=frozenset(days(date(2027, 1, 1), date(2037, 12, 31))))
    with pytest.raises(ValueError, match="no working day"):
        calendar.next_working_day(date(2027, 1, 1), everything)


def test_every_year_a_date_can_hold_has_a_calendar() -> None:
    # A deadline typed as 9999: its year is walked to its last day without overflowing.
    assert calendar.is_working_day(date(9999, 12, 31)) in (True, False)
    assert not calendar.is_working_day(date(9999, 12, 25))  # a Saturday
