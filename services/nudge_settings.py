"""The committee's nudge settings and calendar days in the database (`/settings`, `/holiday`).

Writes check the caller's permission themselves (services/access.py, MANAGE_SCHEDULE).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable
from datetime import date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services import calendar
from services.access import Action, Caller, require
from services.calendar import Overrides
from services.ladder import DEFAULT, Ladder
from storage.models import HolidayOverride, NudgeSettings

ROW = 1
YEARS = (1901, 2099)  # what /holiday accepts
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:hH.]([0-5][0-9])")
_DAY_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_VN = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


async def load_ladder(session: AsyncSession) -> Ladder:
    """The committee's settings, or the defaults."""
    row = await session.get(NudgeSettings, ROW)
    if row is None:
        return DEFAULT
    return Ladder(
        reminders=tuple(int(n) for n in row.reminders.split(",") if n),
        overdue_every=row.overdue_every,
        escalate_after=row.escalate_after,
        send_at=row.send_at,
        quiet_from=row.quiet_from,
        quiet_until=row.quiet_until,
        paused=row.paused,
    )


async def save_ladder(
    session: AsyncSession, *, caller: Caller, ladder: Ladder, now: datetime
) -> None:
    """Store the settings (the caller checked them with Ladder.problem)."""
    require(caller, Action.MANAGE_SCHEDULE)
    if ladder.problem() is not None:
        raise ValueError(ladder.problem())
    row = await session.get(NudgeSettings, ROW)
    if row is None:
        row = NudgeSettings(id=ROW)
        session.add(row)
    row.reminders = ",".join(str(n) for n in ladder.reminders)
    row.overdue_every = ladder.overdue_every
    row.escalate_after = ladder.escalate_after
    row.send_at = ladder.send_at
    row.quiet_from = ladder.quiet_from
    row.quiet_until = ladder.quiet_until
    row.paused = ladder.paused
    row.updated_by = caller.user_id
    row.updated_at = now
    await session.flush()


async def load_overrides(session: AsyncSession) -> Overrides:
    """The admins' days off and working days."""
    rows = (await session.execute(select(HolidayOverride.day, HolidayOverride.working))).all()
    return Overrides(
        off=frozenset(day for day, working in rows if not working),
        on=frozenset(day for day, working in rows if working),
    )


class DayChange(enum.StrEnum):
    """What `/holiday add|remove` did."""

    ADDED = "added"  # now a day off
    REMOVED = "removed"  # now a working day
    UNCHANGED_OFF = "unchanged-off"
    UNCHANGED_ON = "unchanged-on"


async def set_day(
    session: AsyncSession, *, caller: Caller, day: date, working: bool, now: datetime
) -> DayChange:
    """Make `day` a day off (`working` false) or a working day; only the difference from
    the package's calendar is stored, so a change undone leaves no row behind."""
    require(caller, Action.MANAGE_SCHEDULE)
    overrides = await load_overrides(session)
    if calendar.is_working_day(day, overrides) == working:
        return DayChange.UNCHANGED_ON if working else DayChange.UNCHANGED_OFF
    await session.execute(delete(HolidayOverride).where(HolidayOverride.day == day))
    if calendar.is_day_off_by_law(day) == working:  # the package says otherwise: record it
        session.add(HolidayOverride(day=day, working=working, by_user=caller.user_id, at=now))
    await session.flush()
    return DayChange.REMOVED if working else DayChange.ADDED


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (as Vietnamese documents write dates), or None; years the
    holiday calendar knows (its lunar dates run from 1901 to 2099)."""
    text = text.strip()
    iso, vn = _DAY_ISO.fullmatch(text), _DAY_VN.fullmatch(text)
    parts = (iso[1], iso[2], iso[3]) if iso else (vn[3], vn[2], vn[1]) if vn else None
    if parts is None or not YEARS[0] <= int(parts[0]) <= YEARS[1]:
        return None
    try:
        return date(*(int(p) for p in parts))
    except ValueError:  # 31/02/2027
        return None


def parse_time(text: str) -> time | None:
    """08:30, 8:30, 8h30 or 8.30, or None."""
    found = _TIME.fullmatch(text.strip())
    return time(int(found[1]), int(found[2])) if found else None


def parse_changes(ladder: Ladder, text: str) -> Ladder | str:
    """Apply `/settings` words (`remind 7,3,1,0 overdue 3 escalate 2 time 08:30 quiet
    20:00-07:00`, `pause`, `resume`, `reset`) to `ladder`; a catalog id when they do not
    parse or the result cannot be used."""
    words = text.split()
    changes: dict[str, object] = {}
    while words:
        key = words.pop(0).lower()
        if key in ("pause", "resume", "reset"):
            if key == "reset":
                ladder, changes = DEFAULT, {}
            else:
                changes["paused"] = key == "pause"
            continue
        if key not in _SETTERS or not words:
            return "settings-usage"
        value = _SETTERS[key](words.pop(0))
        if value is None:
            return f"settings-bad-{key}"
        changes.update(value)
    changed = dataclasses.replace(ladder, **changes)  # type: ignore[arg-type]
    return changed.problem() or changed


def _reminders(text: str) -> dict[str, object] | None:
    if text in ("-", "none", "0"):
        return {"reminders": (0,) if text == "0" else ()}
    parts = text.split(",")
    if not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        return None
    return {"reminders": tuple(sorted((int(p) for p in parts), reverse=True))}


def _number(name: str) -> Callable[[str], dict[str, object] | None]:
    def parse(text: str) -> dict[str, object] | None:
        return {name: int(text)} if text.isascii() and text.isdigit() and len(text) <= 3 else None

    return parse


def _send_at(text: str) -> dict[str, object] | None:
    at = parse_time(text)
    return None if at is None else {"send_at": at}


def _quiet(text: str) -> dict[str, object] | None:
    start, _, end = text.partition("-")
    begin, until = parse_time(start), parse_time(end)
    if begin is None or until is None:
        return None
    return {"quiet_from": begin, "quiet_until": until}


_SETTERS = {
    "remind": _reminders,
    "overdue": _number("overdue_every"),
    "escalate": _number("escalate_after"),
    "time": _send_at,
    "quiet": _quiet,
}
