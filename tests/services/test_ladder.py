"""The ladder's rules: rungs in working days, the window, the next send time, /settings words."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services import ladder
from services.calendar import NONE, Overrides
from services.ladder import DEFAULT, Kind, Ladder, Step
from services.nudge_settings import parse_changes, parse_day, parse_time

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def test_the_default_rungs_on_a_morning_before_tet() -> None:
    today = date(2027, 1, 27)  # Wednesday
    steps = ladder.steps_on(today, DEFAULT, NONE, oldest=date(2027, 1, 1))
    assert steps == {
        # 7 working days ahead is Friday 12 February (Tết in between); its weekend after it.
        date(2027, 2, 12): Step(Kind.AHEAD, 7),
        date(2027, 2, 13): Step(Kind.AHEAD, 7),
        date(2027, 2, 14): Step(Kind.AHEAD, 7),
        date(2027, 2, 1): Step(Kind.AHEAD, 3),
        date(2027, 1, 28): Step(Kind.AHEAD, 1),
        date(2027, 1, 27): Step(Kind.DUE, 0),
        date(2027, 1, 22): Step(Kind.OVERDUE, 3),
        date(2027, 1, 23): Step(Kind.OVERDUE, 3),  # Saturday, due Friday 22
        date(2027, 1, 24): Step(Kind.OVERDUE, 3),
        date(2027, 1, 19): Step(Kind.OVERDUE, 6),
        date(2027, 1, 14): Step(Kind.OVERDUE, 9),
        date(2027, 1, 11): Step(Kind.OVERDUE, 12),
        date(2027, 1, 6): Step(Kind.OVERDUE, 15),
        # 18 working days late is Thursday 31 December: 1 January (a holiday) and the
        # weekend after are due then too, back to the oldest open deadline.
        date(2026, 12, 31): Step(Kind.OVERDUE, 18),
        date(2027, 1, 1): Step(Kind.OVERDUE, 18),
        date(2027, 1, 2): Step(Kind.OVERDUE, 18),
        date(2027, 1, 3): Step(Kind.OVERDUE, 18),
    }


@pytest.mark.parametrize(
    "settings",
    [DEFAULT, Ladder(reminders=(5, 2), overdue_every=1), Ladder(reminders=(0,), overdue_every=4)],
    ids=["default", "5-2-every-1", "due-every-4"],
)
def test_steps_on_lists_exactly_the_deadlines_step_of_nudges(settings: Ladder) -> None:
    """The set-based list and the one-deadline rule agree, every day for two months."""
    changed = Overrides(off=frozenset({date(2027, 3, 5)}), on=frozenset({date(2027, 2, 20)}))
    oldest = date(2026, 12, 20)
    for offset in range(60):
        today = date(2027, 1, 20) + timedelta(days=offset)
        if not ladder.window_open(settings, at(today, 9), changed):
            continue
        steps = ladder.steps_on(today, settings, changed, oldest)
        for d in range((date(2027, 4, 30) - oldest).days):
            deadline = oldest + timedelta(days=d)
            assert steps.get(deadline) == ladder.step_of(deadline, today, settings, changed), (
                today,
                deadline,
            )


def test_the_window_is_working_days_from_the_send_time_to_the_quiet_hours() -> None:
    wed, sat, tet = date(2027, 1, 27), date(2027, 1, 30), date(2027, 2, 5)
    assert not ladder.window_open(DEFAULT, at(wed, 8, 29), NONE)
    assert ladder.window_open(DEFAULT, at(wed, 8, 30), NONE)
    assert ladder.window_open(DEFAULT, at(wed, 19, 59), NONE)
    assert not ladder.window_open(DEFAULT, at(wed, 20, 0), NONE)
    assert not ladder.window_open(DEFAULT, at(sat, 9), NONE)
    assert not ladder.window_open(DEFAULT, at(tet, 9), NONE)
    assert ladder.window_open(DEFAULT, at(sat, 9), Overrides(on=frozenset({sat})))
    paused = dataclasses.replace(DEFAULT, paused=True)
    assert not ladder.window_open(paused, at(wed, 9), NONE)
    late = Ladder(send_at=time(22, 0), quiet_from=time(23, 0), quiet_until=time(6, 0))
    assert ladder.window_open(late, at(wed, 22, 30), NONE)
    assert not ladder.window_open(late, at(wed, 23, 30), NONE)


def test_the_next_send_time_skips_days_off() -> None:
    assert ladder.next_send(DEFAULT, at(date(2027, 2, 3), 8), NONE) == at(date(2027, 2, 3), 8, 30)
    assert ladder.next_send(DEFAULT, at(date(2027, 2, 3), 8, 30), NONE) == at(
        date(2027, 2, 11), 8, 30
    )
    assert ladder.next_send(DEFAULT, at(date(2027, 2, 6), 7), NONE) == at(date(2027, 2, 11), 8, 30)


def test_quiet_hours_may_span_midnight_or_not() -> None:
    assert ladder.is_quiet(DEFAULT, time(23, 0))
    assert ladder.is_quiet(DEFAULT, time(6, 59))
    assert not ladder.is_quiet(DEFAULT, time(7, 0))
    lunch = Ladder(quiet_from=time(12, 0), quiet_until=time(13, 30))
    assert ladder.is_quiet(lunch, time(12, 30))
    assert not ladder.is_quiet(lunch, time(20, 30))


def test_snoozes_count_working_days() -> None:
    fri = date(2027, 2, 3)  # Wednesday before Tết
    assert ladder.snooze_until(fri, 1, NONE) == date(2027, 2, 11)
    assert ladder.snooze_until(fri, 3, NONE) == date(2027, 2, 15)
    assert ladder.snooze_to_deadline(date(2027, 1, 27), date(2027, 2, 8), NONE) == date(2027, 2, 2)
    assert ladder.snooze_to_deadline(date(2027, 2, 2), date(2027, 2, 8), NONE) is None


def test_settings_words() -> None:
    changed = parse_changes(
        DEFAULT, "remind 1,3,7 overdue 5 escalate 0 time 7h45 quiet 21:00-6:00"
    )
    assert changed == Ladder(
        reminders=(7, 3, 1),
        overdue_every=5,
        escalate_after=0,
        send_at=time(7, 45),
        quiet_from=time(21, 0),
        quiet_until=time(6, 0),
    )
    assert parse_changes(DEFAULT, "pause") == dataclasses.replace(DEFAULT, paused=True)
    assert parse_changes(DEFAULT, "time 9:00 reset") == DEFAULT
    assert parse_changes(DEFAULT, "remind 1,1") == "settings-bad-remind"
    assert parse_changes(DEFAULT, "remind 31") == "settings-bad-remind"
    assert parse_changes(DEFAULT, "overdue 31") == "settings-bad-overdue"
    assert parse_changes(DEFAULT, "escalate 11") == "settings-bad-escalate"
    assert parse_changes(DEFAULT, "time 25:00") == "settings-bad-time"
    assert parse_changes(DEFAULT, "time 06:00") == "settings-time-in-quiet"
    assert parse_changes(DEFAULT, "quiet 20:00-20:00") == "settings-bad-quiet"
    assert parse_changes(DEFAULT, "time") == "settings-usage"
    assert parse_changes(DEFAULT, "loud 1") == "settings-usage"
    assert parse_changes(DEFAULT, "overdue ²") == "settings-bad-overdue"  # isdigit, not int
    assert parse_changes(DEFAULT, "remind 7,²") == "settings-bad-remind"


def test_dates_and_times_as_people_write_them() -> None:
    assert parse_day("2027-02-13") == date(2027, 2, 13)
    assert parse_day("13/02/2027") == date(2027, 2, 13)
    assert parse_day("1/5/2027") == date(2027, 5, 1)
    assert parse_day("31/02/2027") is None
    assert parse_day("tomorrow") is None
    assert parse_day("9999-12-31") is None
    assert parse_day("01/01/1900") is None
    assert parse_time("8h30") == time(8, 30)
    assert parse_time("24:00") is None
