"""When each group's weekly digest goes out: its day and time, the working-day rule, the key.

A group's digest goes out once per ISO week, on its day (default Monday) at its time
(default 08:00, committee time); when that day is not a working day, on the next working
day of the same week; a week with no working day left (Tết) has no digest. The working-day
rule is a function (`WorkingDay`): Vietnam's calendar with the admins' days
(`working_day_rule`, services/calendar.py) in the job, any other in tests.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import access, calendar
from services.access import Action, Caller
from services.figures import Scope
from services.lookup import fold
from services.nudge_settings import load_overrides
from storage.models import Chat

WorkingDay = Callable[[date], bool]
MONDAY, OFF = 1, 0
DEFAULT_MINUTE = 8 * 60  # 08:00
WORKDAYS = range(1, 6)  # the days a group may choose: Monday to Friday


def weekdays_only(day: date) -> bool:
    """Monday to Friday, no holiday: the simplest rule (tests pass their own)."""
    return day.weekday() < 5


async def working_day_rule(session: AsyncSession) -> WorkingDay:
    """The committee's working days: Vietnam's calendar with the admins' /holiday days, as
    the nudges have them (services/calendar.py)."""
    overrides = await load_overrides(session)
    return functools.partial(calendar.is_working_day, overrides=overrides)


@dataclass(frozen=True, slots=True)
class Group:
    """A registered group as the digest sees it."""

    chat_id: int
    language: str | None
    scope: Scope
    day: int  # ISO weekday 1-5, OFF = 0
    minute: int  # minutes after the committee's midnight
    registered_at: datetime


async def list_groups(session: AsyncSession) -> list[Group]:
    """Every registered group with its digest setting (defaults filled in)."""
    rows = await session.execute(
        select(
            Chat.id, Chat.language, Chat.agency_id, Chat.program_id, Chat.digest_day,
            Chat.digest_minute, Chat.registered_at,
        ).order_by(Chat.id)
    )  # fmt: skip
    return [
        Group(
            chat_id,
            language,
            Scope(agency_id, program_id),
            MONDAY if day is None else day,
            DEFAULT_MINUTE if minute is None else minute,
            registered_at,
        )
        for chat_id, language, agency_id, program_id, day, minute, registered_at in rows
    ]


def week_start(day: date) -> date:
    """Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def slot(group: Group, week: date, working_day: WorkingDay, tz: ZoneInfo) -> datetime | None:
    """When `group`'s digest of the ISO week of `week` is due (aware, committee time); None
    when its digest is off or the week has no working day left from its day on."""
    if group.day == OFF:
        return None
    monday = week_start(week)
    day = monday + timedelta(days=group.day - 1)
    while not working_day(day):
        day += timedelta(days=1)
        if day - monday >= timedelta(days=7):
            return None
    at = time(group.minute // 60, group.minute % 60)
    return datetime.combine(day, at, tzinfo=tz)


def next_slot(
    group: Group, after: datetime, working_day: WorkingDay, tz: ZoneInfo
) -> datetime | None:
    """The group's first digest time strictly after `after` (this week's or a later one)."""
    if group.day == OFF:
        return None
    week = after.astimezone(tz).date()
    for _ in range(6):  # Tết takes at most one whole week
        when = slot(group, week, working_day, tz)
        if when is not None and when > after:
            return when
        week += timedelta(days=7)
    return None


def week_key(chat_id: int, when: datetime) -> str:
    """The outbox key of a group's digest of `when`'s ISO week: digest:<chat>:<YYYY-Www>."""
    year, week, _ = when.isocalendar()
    return f"digest:{chat_id}:{year}-W{week:02d}"


def chart_key(chat_id: int, when: datetime) -> str:
    """The key of the chart that goes with that week's digest (sent first)."""
    return f"{week_key(chat_id, when)}:chart"


# "/digest t3 09:00", "/digest thứ 3 9h", "/digest tue 09:00", "/digest off"
_DAYS = {
    **{f"t{n}": n - 1 for n in range(2, 7)},
    **{f"thu {n}": n - 1 for n in range(2, 7)},
    **{f"thu{n}": n - 1 for n in range(2, 7)},
    **dict(zip(("thu hai", "thu ba", "thu tu", "thu nam", "thu sau"), WORKDAYS, strict=True)),
    **dict(zip(("mon", "tue", "wed", "thu", "fri"), WORKDAYS, strict=True)),
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday"), WORKDAYS, strict=True)),
}
_TIME = re.compile(r"(?P<h>[01]?\d|2[0-3])(?:[:h](?P<m>[0-5]\d)?)?")
OFF_WORDS = frozenset({"off", "tat"})
ON_WORDS = frozenset({"on", "bat"})


def parse_setting(text: str) -> tuple[int, int] | None:
    """(day, minute) from "t3 09:00", "thứ 3 9h30", "tue 9:00", "off" (OFF, 0), "on"
    (Monday 08:00); None if it is none of these."""
    words = fold(text)
    if words in OFF_WORDS:
        return OFF, 0
    if words in ON_WORDS:
        return MONDAY, DEFAULT_MINUTE
    day_part, _, time_part = text.strip().rpartition(" ")
    day = _DAYS.get(fold(day_part))
    found = _TIME.fullmatch(time_part.lower())
    if day is None or found is None:
        return None
    return day, int(found["h"]) * 60 + int(found["m"] or 0)


async def set_schedule(session: AsyncSession, *, caller: Caller, day: int, minute: int) -> bool:
    """Store the caller's group's digest day and time; False if the chat is not registered."""
    access.require(caller, Action.MANAGE_DIGEST)
    chat = await session.get(Chat, caller.chat_id)
    if chat is None:
        return False
    chat.digest_day, chat.digest_minute = day, minute
    return True


async def get_schedule(session: AsyncSession, *, chat_id: int) -> tuple[int, int] | None:
    """A registered group's (day, minute), defaults filled in; None for other chats."""
    row = (
        await session.execute(
            select(Chat.digest_day, Chat.digest_minute).where(Chat.id == chat_id)
        )
    ).first()
    if row is None:
        return None
    day, minute = row
    return (MONDAY if day is None else day, DEFAULT_MINUTE if minute is None else minute)
