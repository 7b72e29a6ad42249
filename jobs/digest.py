"""The weekly digest job: each registered group's digest, queued once per ISO week.

Planning at a committee time T queues, for every group whose digest of T's week is due by T
(services/digest_schedule.py: its day and time, moved to the next working day) and not yet
queued, two outbox rows in one transaction: the chart as a photo with its caption
(`digest:<chat>:<YYYY-Www>:chart`, queued first) and the text (`digest:<chat>:<YYYY-Www>`).
The keys make a second plan a no-op, also in another process; a digest planned more than
LATE_AFTER after it was due (the bot was down) says so. Groups sharing a scope and language
share one rendering and one chart.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import JobQueue

from bot.context import Context, Deps
from jobs import schedule
from jobs.registry import Job, register
from rendering import digest as views
from rendering.text import Html
from services import digest as digests
from services import outbox
from services.digest import Digest, Figures, Labels
from services.digest_schedule import (
    Group,
    WorkingDay,
    chart_key,
    list_groups,
    next_slot,
    slot,
    week_key,
    working_day_rule,
)
from services.figures import Scope
from services.task_lists import TaskPage
from storage.db import writing
from storage.models import Outbox

log = logging.getLogger(__name__)

JOB_ID = "weekly-digest"
LATE_AFTER = timedelta(minutes=30)  # planned later than this after its time: "sent late"
RECHECK = timedelta(hours=1)  # re-read the schedule at least this often (new groups)
GRACE = 6 * 3600


@dataclass(frozen=True, slots=True)
class Draft:
    """One group's digest, rendered, waiting for its chart."""

    group: Group
    due_at: datetime
    text: Html
    caption: Html
    chart: tuple[Scope, str]  # whose chart goes with it: (scope, language)


async def _existing(session: AsyncSession, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # bounded IN lists
        rows = await session.scalars(
            select(Outbox.key).where(Outbox.key.in_(keys[start : start + 500]))
        )
        found.update(rows)
    return found


async def due_groups(
    session: AsyncSession, local_now: datetime, working_day: WorkingDay, tz: ZoneInfo
) -> list[tuple[Group, datetime]]:
    """Groups whose digest of this week is due by `local_now` and not yet queued."""
    due = []
    for group in await list_groups(session):
        when = slot(group, local_now.date(), working_day, tz)
        # A group registered after this week's time gets its first digest next week.
        if when is not None and group.registered_at <= when <= local_now:
            due.append((group, when))
    queued = await _existing(session, [week_key(g.chat_id, when) for g, when in due])
    return [(g, when) for g, when in due if week_key(g.chat_id, when) not in queued]


class Renderer:
    """The digests of one plan: each (scope, language) composed once, its tasks due this
    week read once per scope."""

    def __init__(self, session: AsyncSession, figures: Figures, labels: Labels, *, day: date,
                 threshold: int) -> None:  # fmt: skip
        self.session, self.figures, self.labels = session, figures, labels
        self.day, self.threshold = day, threshold
        self._due: dict[Scope, TaskPage] = {}
        self.digests: dict[tuple[Scope, str], tuple[Digest, Html]] = {}
        self._texts: dict[tuple[tuple[Scope, str], datetime | None], tuple[Html, Html]] = {}

    async def draft(self, group: Group, due_at: datetime, lang: str, late: bool) -> Draft:
        """A group's digest text and caption (late: saying when it was due)."""
        key = (group.scope, lang)
        if key not in self.digests:
            if group.scope not in self._due:
                self._due[group.scope] = await digests.due_this_week(
                    self.session, day=self.day, scope=group.scope
                )
            digest = digests.compose(
                self.figures, day=self.day, scope=group.scope, threshold=self.threshold,
                due=self._due[group.scope],
            )  # fmt: skip
            self.digests[key] = (digest, views.scope_of(lang, group.scope, self.labels))
        digest, label = self.digests[key]
        late_at = due_at if late else None
        if (key, late_at) not in self._texts:  # most groups of a scope read the same text
            names = self.labels.agency_names(lang)
            self._texts[key, late_at] = (
                views.digest_text(lang, digest, label, names, due_at=late_at),
                views.caption(lang, digest, label),
            )
        text, caption = self._texts[key, late_at]
        return Draft(group, due_at, text, caption, key)

    async def charts(self) -> dict[tuple[Scope, str], bytes | None]:
        """Each digest's chart, drawn in a worker thread (CPU-bound, no transaction open)."""
        return {
            key: await asyncio.to_thread(views.chart_png, key[1], digest, self.labels)
            for key, (digest, _label) in self.digests.items()
        }


async def plan(deps: Deps, local_now: datetime, *, working_day: WorkingDay | None = None) -> int:
    """Queue every digest due by `local_now` (committee time); return how many messages.

    Three steps, so that no transaction stays open while charts are drawn: the figures
    day's snapshot is taken (if missing) and the texts composed; the charts drawn; then all
    rows queued in one transaction, keys already taken (another process) skipped. A
    snapshot never changes once taken, so the texts still match what they derive from.
    """
    now = local_now.astimezone(UTC)
    async with writing(deps.sessions) as session:  # reads, then writes
        rule = working_day or await working_day_rule(session)
        due = await due_groups(session, local_now, rule, deps.settings.tz)
        if not due:
            return 0
        figures = await digests.load_figures(session, day=local_now.date(), now=now)
        renderer = Renderer(
            session, figures, await digests.load_labels(session), day=local_now.date(),
            threshold=deps.settings.completion_threshold,
        )  # fmt: skip
        drafts = [
            await renderer.draft(
                group,
                when,
                group.language or deps.settings.language,
                local_now - when > LATE_AFTER,
            )
            for group, when in due
        ]
    charts = await renderer.charts()
    messages = []
    for draft in drafts:
        chat_id, chart = draft.group.chat_id, charts[draft.chart]
        if chart is not None:  # queued first: sent before the text
            key = chart_key(chat_id, draft.due_at)
            messages.append(outbox.Message(key, chat_id, draft.caption, photo=chart))
        messages.append(outbox.Message(week_key(chat_id, draft.due_at), chat_id, draft.text))
    async with writing(deps.sessions) as session:  # reads, then writes
        queued = await outbox.enqueue_many(session, messages, now=now)
    log.info("weekly digest: %d message(s) queued for %d group(s)", queued, len(due))
    if queued:
        deps.doorbell.ring()  # committed: the sender goes now, not at its next look
    return queued


async def next_run(
    deps: Deps, after: datetime, *, working_day: WorkingDay | None = None
) -> datetime | None:
    """The first digest time of any group strictly after `after` (None: no group has one)."""
    async with writing(deps.sessions) as session:  # reads, then writes
        rule = working_day or await working_day_rule(session)
        groups = await list_groups(session)
    times = [next_slot(g, after, rule, deps.settings.tz) for g in groups]
    return min((t for t in times if t is not None), default=None)


JOB = register(Job("digest", plan, next_run, self_scheduled=True))


async def _run(context: Context) -> None:
    """The JobQueue callback: plan now, then arm the next run."""
    deps = context.deps
    await plan(deps, deps.clock.now().astimezone(deps.settings.tz))
    await arm(context.job_queue, deps)


async def arm(job_queue: JobQueue[Any] | None, deps: Deps) -> None:
    """Run the plan at the next digest time (at the latest in RECHECK: a group registered
    or rescheduled meanwhile is seen); a stable id, so re-arming replaces."""
    schedule.queue_of(job_queue)  # before any work: a broken install says so at once
    now = deps.clock.now()
    when = await next_run(deps, now)
    at = now + RECHECK if when is None else min(when, now + RECHECK)
    schedule.once(job_queue, _run, when=at, job_id=JOB_ID, grace=GRACE)


async def start(job_queue: JobQueue[Context] | None, deps: Deps) -> None:
    """Queue what came due while the bot was down (marked late), then arm the next run."""
    await plan(deps, deps.clock.now().astimezone(deps.settings.tz))
    await arm(job_queue, deps)
