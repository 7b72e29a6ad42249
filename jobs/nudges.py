"""The morning nudges: planned at the committee's send time on working days, and on start
when the day's window is still open and the day is not planned yet (catch-up).

The JobQueue job (stable id, in memory) only says when; what was planned is in the database
(nudge_day, nudge_state, the outbox), so a restart, a second run or `dondoc run-job nudges`
queues nothing twice: every message has its dedupe key.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Deps, DondocApp
from handlers.nudge_buttons import MuteFor, MuteSpan, open_card_data, snooze_ask_data
from jobs import schedule
from jobs.registry import Job, register
from rendering import nudges as views
from rendering.text import Html, cut, render
from services import nudges
from services.ladder import Ladder, next_send, window_end, window_open
from services.nudge_settings import load_ladder, load_overrides
from services.nudges import Morning
from services.outbox import Keyboard, Message, enqueue_many
from storage.db import writing

log = logging.getLogger(__name__)

JOB_ID = "nudges"
BUTTON_CODE = 20  # characters of a task code on its button


async def plan(deps: Deps, local_now: datetime) -> int:
    """Queue the nudges of `local_now`'s day if its window is open; how many were new."""
    local_now = local_now.astimezone(deps.settings.tz)
    async with writing(deps.sessions) as session:  # reads, then writes
        queued = await queue_daily_nudges(
            session,
            local_now=local_now,
            admins=deps.settings.admins,
            default_lang=deps.settings.language,
        )
    if queued:
        log.info("nudges for %s: %d messages queued", local_now.date(), queued)
        deps.doorbell.ring()  # committed: the sender goes now, not at its next look
    return queued


async def queue_daily_nudges(
    session: AsyncSession, *, local_now: datetime, admins: frozenset[int], default_lang: str
) -> int:
    """Plan the day of `local_now` (aware, local) in the caller's transaction, with the
    nudge state it counts; 0 outside the day's window."""
    ladder = await load_ladder(session)
    overrides = await load_overrides(session)
    if not window_open(ladder, local_now, overrides):
        return 0
    now = local_now.astimezone(UTC)
    morning = await nudges.plan_morning(
        session,
        today=local_now.date(),
        ladder=ladder,
        overrides=overrides,
        admins=admins,
        default_lang=default_lang,
    )
    queued = await enqueue_many(session, compose(morning), now=now)
    await nudges.mark_planned(session, day=local_now.date(), now=now, queued=queued)
    return queued


def compose(morning: Morning) -> list[Message]:
    """The morning's messages, each under its dedupe key."""
    day = morning.today.isoformat()
    out: list[Message] = []
    rendered: dict[tuple[int, str], tuple[Html, Keyboard]] = {}
    for agency, leads in morning.leads.items():
        for lead in leads:
            if (agency, lead.lang) not in rendered:
                rendered[agency, lead.lang] = _lead_message(morning, agency, lead.lang)
            text, keyboard = rendered[agency, lead.lang]
            out.append(Message(f"nudge:{lead.chat_id}:{day}", lead.chat_id, text, keyboard))
    for agency in sorted(set(morning.blocked) | set(morning.escalated)):
        for group in morning.groups.get(agency, []):
            text = views.group_nudge(
                group.lang,
                morning.agencies[agency],
                morning.today,
                blocked=morning.blocked.get(agency, []),
                due=morning.due.get(agency),
                escalated=morning.escalated.get(agency),
                after=morning.ladder.escalate_after,
            )
            out.append(Message(f"group:{group.chat_id}:{day}", group.chat_id, text))
    unreached = {agency: morning.due[agency] for agency in morning.unreached}
    summaries: dict[str, Html | None] = {}
    for admin in morning.admins:
        if admin.lang not in summaries:  # the same for every admin who reads that language
            summaries[admin.lang] = views.admin_summary(
                admin.lang,
                morning.today,
                agencies=morning.agencies,
                escalated=morning.escalated,
                unreached=unreached,
                after=morning.ladder.escalate_after,
            )
        summary = summaries[admin.lang]
        if summary is not None:
            out.append(Message(f"summary:{admin.chat_id}:{day}", admin.chat_id, summary))
        for lead, agency, streak in morning.newly_blocked:
            notice = views.blocked_notice(
                admin.lang,
                lead,
                morning.agencies[agency],
                has_group=bool(morning.groups.get(agency)),
            )
            key = f"lead-blocked:{lead.chat_id}:{streak}:{admin.chat_id}"
            out.append(Message(key, admin.chat_id, notice))
    return out


def _lead_message(morning: Morning, agency: int, lang: str) -> tuple[Html, Keyboard]:
    due = morning.due[agency]
    text, listed = views.lead_nudge(lang, morning.agencies[agency], due, morning.today)
    keyboard: Keyboard = [
        [
            (_card_label(task.code), open_card_data(task.id, task.version)),
            ("💤", snooze_ask_data(task.id)),
        ]
        for task in due.tasks[:listed]
    ]
    keyboard.append([_mute_button(lang)])
    return text, keyboard


def _card_label(code: str) -> str:
    return "📋 " + (code if len(code) <= BUTTON_CODE else cut(code, BUTTON_CODE))


@functools.cache
def _mute_button(lang: str) -> tuple[str, str]:
    return render(lang, "nudge-button-mute"), MuteFor(MuteSpan.ASK).pack()


async def next_run(deps: Deps, after: datetime) -> datetime | None:
    """The next send time after `after` (local), or None while nudges are paused."""
    async with writing(deps.sessions) as session:  # reads, then writes
        ladder = await load_ladder(session)
        overrides = await load_overrides(session)
    if ladder.paused:
        return None
    return next_send(ladder, after.astimezone(deps.settings.tz), overrides)


NUDGES = register(Job(JOB_ID, plan, next_run, self_scheduled=True))


def grace(ladder: Ladder) -> int:
    """Seconds a late run may still start: until the day's window closes."""
    day = date(2000, 1, 3)
    end = datetime.combine(day, window_end(ladder)) - datetime.combine(day, ladder.send_at)
    return max(60, int(end / timedelta(seconds=1)))


async def catch_up(deps: Deps) -> int:
    """Plan today now if its window is open and it was not planned (a bot down at the send
    time); 0 otherwise."""
    local_now = deps.clock.now().astimezone(deps.settings.tz)
    async with writing(deps.sessions) as session:  # reads, then writes
        if await nudges.was_planned(session, day=local_now.date()):
            return 0
    return await plan(deps, local_now)


RETRY = 600  # seconds before a run that failed (the database away) tries again


async def run_nudges(context: Context) -> None:
    """The JobQueue callback: plan now, then arm the next run. A failure tries again in
    RETRY seconds (planning is idempotent and checks the window), so that one bad morning
    does not leave the bot without a next run."""
    app: DondocApp = context.application  # type: ignore[assignment]  # PTB types it generically
    try:
        await plan(context.deps, context.deps.clock.now())
        await arm(app)
    except Exception:
        log.exception("planning the nudges failed; trying again in %d s", RETRY)
        _schedule(app, RETRY, RETRY)


async def arm(app: DondocApp) -> datetime | None:
    """(Re)schedule the job at its next send time, under its stable id."""
    deps = app.bot_data.deps
    when = await next_run(deps, deps.clock.now())
    if when is None:  # paused: no run until /settings resume arms it again
        _schedule(app, None, 0)
        return None
    async with writing(deps.sessions) as session:  # reads, then writes
        seconds = grace(await load_ladder(session))
    _schedule(app, when, seconds)
    return when


def _schedule(app: DondocApp, when: datetime | float | None, seconds: int) -> None:
    """The one `nudges` job at `when` (None: none), late by `seconds` at most."""
    schedule.once(app.job_queue, run_nudges, when=when, job_id=JOB_ID, grace=seconds)


async def start(app: DondocApp) -> None:
    """On start (and after /settings): catch up on today, then arm the next run."""
    queued = await catch_up(app.bot_data.deps)
    if queued:
        log.info("caught up on today's nudges: %d messages queued", queued)
    await arm(app)
