"""/digest: preview the weekly digest here and now, or set this group's day and time."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import BaseHandler

from handlers.commands import command
from handlers.common import MAX_ARG, Turn, guarded_flow
from jobs import digest as digest_job
from rendering import digest as views
from rendering.text import Html, join, max_text, utf16_len
from services import digest as digests
from services.access import Action
from services.digest_schedule import OFF, get_schedule, parse_setting, set_schedule
from storage.db import snapshot


@guarded_flow(Action.MANAGE_DIGEST)
async def digest(turn: Turn) -> None:
    """Preview this chat's weekly digest (not recorded), or set its day and time."""
    if turn.args.strip():
        await _set(turn, turn.args.strip()[:MAX_ARG])
        return
    deps, scope = turn.deps, turn.caller.chat_scope
    async with snapshot(deps.sessions) as session:
        figures = await digests.load_figures(
            session, day=turn.today, now=deps.clock.now(), record=False
        )
        labels = await digests.load_labels(session)
        due = await digests.due_this_week(session, day=turn.today, scope=scope)
        schedule = await get_schedule(session, chat_id=turn.caller.chat_id)
    found = digests.compose(
        figures, day=turn.today, scope=scope, threshold=deps.settings.completion_threshold,
        due=due,
    )  # fmt: skip
    label = views.scope_of(turn.lang, scope, labels)
    chart = await asyncio.to_thread(views.chart_png, turn.lang, found, labels)
    message = turn.update.effective_message
    if chart is not None and message is not None:  # the session is closed: Telegram now
        await message.reply_photo(
            chart, caption=views.caption(turn.lang, found, label), do_quote=False
        )
    footer = [Html(""), turn.t("digest-preview-note"), _schedule_line(turn, schedule)]
    room = max_text() - utf16_len(join(footer))
    names = labels.agency_names(turn.lang)
    turn.say(join([views.digest_text(turn.lang, found, label, names, limit=room), *footer]))


def _schedule_line(turn: Turn, schedule: tuple[int, int] | None) -> Html:
    if schedule is None:
        return turn.t("digest-schedule-private")
    day, minute = schedule
    if day == OFF:
        return turn.t("digest-schedule-off")
    return turn.t("digest-schedule", day=turn.t(f"digest-weekday-{day}"), time=_hhmm(minute))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


async def _set(turn: Turn, text: str) -> None:
    setting = parse_setting(text)
    if setting is None:
        turn.say(turn.t("digest-usage"))
        return
    if not turn.caller.in_group:
        turn.say(turn.t("digest-group-only"))
        return
    day, minute = setting
    async with turn.deps.sessions.begin() as session:
        stored = await set_schedule(session, caller=turn.caller, day=day, minute=minute)
    if not stored:
        turn.say(turn.t("digest-group-only"))
        return
    queue = turn.context.job_queue
    if queue is not None and queue.scheduler.running:  # the next run may now be sooner
        await digest_job.arm(queue, turn.deps)
    if day == OFF:
        turn.say(turn.t("digest-turned-off"))
    else:
        turn.say(turn.t("digest-set", day=turn.t(f"digest-weekday-{day}"), time=_hhmm(minute)))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The digest command."""
    return [command("digest", digest)]
