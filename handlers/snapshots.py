"""/status <scope> <dd/mm/yyyy>: a past day's figures, from that day's snapshot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.callbacks import CallbackData
from handlers.common import Request, guarded
from handlers.targets import REF, ask_report_target, ref_of, target_of
from rendering import snapshots as views
from rendering.text import Html, cut, join
from services import snapshots
from services.figures import load_agencies
from services.lookup import Target

# A day at the end of the arguments: 20/11/2026 (also 20-11-2026, 20.11.2026) or
# 2026-11-20, optionally after "ngày".
_DAY = re.compile(
    r"(?:^|\s)(?:ng[aà]y\s+)?(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))$",
    re.IGNORECASE,
)
FIRST_DAY = date(2000, 1, 1)  # no register kept snapshots before; older is a typo


def split_day(args: str) -> tuple[str, date | str | None]:
    """(the rest, the day) when `args` ends with a date; the day is the text as typed when
    it names no real day (31/02/2026), None when there is no date."""
    found = _DAY.search(args.strip())
    if found is None:
        return args, None
    rest = args.strip()[: found.start()].strip()
    parts = (
        (found["y"], found["m"], found["d"])
        if found["y"]
        else (found["iy"], found["im"], found["id"])
    )
    try:
        return rest, date(*(int(p) for p in parts))
    except ValueError:
        return rest, found.group(0).strip()


@dataclass(frozen=True, slots=True)
class StatusOnDay(CallbackData, prefix="sd"):
    """A /status candidate button for a past day."""

    ref: str
    day: int  # date.toordinal()

    def validate(self) -> None:
        if not REF.fullmatch(self.ref) or not FIRST_DAY.toordinal() <= self.day <= 1_000_000:
            raise ValueError(self.ref)


async def status_on_day(req: Request, query: str, day: date | str) -> None:
    """Answer /status for a past day (or say why it cannot)."""
    if isinstance(day, str) or day < FIRST_DAY:
        req.say(req.t("status-bad-day", text=cut(str(day), 30)))
        return
    if day > req.today:
        req.say(req.t("status-future-day", day=day))
        return
    ok, target, note = await ask_report_target(
        req, query, lambda c: StatusOnDay(ref_of(c), day.toordinal()).pack()
    )
    if ok:
        await _say(req, target, day, note)


async def _say(req: Request, target: Target | None, day: date, note: Html | None = None) -> None:
    snap = await snapshots.nearest(req.session, day=day)
    if snap is None:
        first = await snapshots.first_day(req.session)
        none = req.t("status-snapshot-never") if first is None else None
        req.say(none or req.t("status-snapshot-none", day=day, first=first))
        return
    deps = req.context.deps
    earlier = (
        req.t("status-snapshot-earlier", day=day, found=snap.day) if snap.day != day else None
    )
    text = views.status_on_day(
        req.lang, snap, target, await load_agencies(req.session),
        threshold=deps.settings.completion_threshold, tz=deps.clock.tz,
    )  # fmt: skip
    req.say(join(line for line in (note or None, earlier, text) if line))


@guarded(read_only=True)
async def status_on_day_button(req: Request) -> None:
    """Answer a past day's /status choice button."""
    pressed = StatusOnDay.of(req.update)
    target = await target_of(req, pressed.ref)
    if target is None:
        req.say(req.t("expired-button"))
    else:
        await _say(req, target, date.fromordinal(pressed.day))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The past day's /status buttons (the command itself is /status: handlers/reports.py)."""
    return [CallbackQueryHandler(status_on_day_button, pattern=StatusOnDay.matches)]
