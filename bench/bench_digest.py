"""The weekly digest at scale: planning for N groups over a seeded register, and the chart.

    python -m bench.seed_db --rows 1000000 --url sqlite+aiosqlite:////tmp/b1m.db
    python -m bench.bench_digest --url sqlite+aiosqlite:////tmp/b1m.db --groups 500

Registers N groups over the committee, the programmes and every agency (one in five of
each scope's groups in English), gives half the agencies a lead with HISTORY days of
private nudges (the last two of every fourth lead refused: the digest's "reminders not
reaching any lead" line), then times
`jobs.digest.plan` at a Monday 08:00, each run from scratch (the week's outbox rows
deleted): "cold" also takes the figures day's snapshot (the nightly job did not run), "warm"
finds it taken. Beside it, the floor: one transaction queueing the same number of outbox
rows one by one with a fixed text, no figures.
Then the chart: median time per image (the committee's ten lagging agencies) beside a bare
matplotlib PNG of one bar. The database's groups, members and outbox rows are replaced.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select

from bot.clock import Clock
from bot.context import Deps
from bot.settings import load_settings
from jobs import digest as job
from rendering import digest as views
from rendering.text import Html
from services import digest as digests
from services import outbox
from services.digest_schedule import weekdays_only
from services.figures import Scope
from storage.db import make_engine, make_sessions
from storage.models import Agency, Chat, Member, Outbox, Program, Role, Snapshot, SnapshotDay

HISTORY = 60  # days of private nudges per lead


def nudges(leads: list[int], now: datetime) -> list[Outbox]:
    """Earlier private nudges, delivered, but the last two of every fourth lead."""
    return [
        Outbox(key=f"nudge:{user}:{back}", chat_id=user, text="…", attempts=1,
               status="blocked" if n % 4 == 0 and back < 2 else "sent",
               created_at=now - timedelta(days=back), not_before=now - timedelta(days=back))
        for back in reversed(range(HISTORY))  # oldest first: ids grow with time
        for n, user in enumerate(leads)
    ]  # fmt: skip


async def setup(deps: Deps, groups: int) -> None:
    """Replace the groups, members and outbox: N groups cycling over every scope; half the
    agencies with a lead, and their nudges."""
    async with deps.sessions.begin() as session:
        for table in (Outbox, Chat, Member):
            await session.execute(delete(table))
        agencies = list(await session.scalars(select(Agency.id).order_by(Agency.id)))
        programs = list(await session.scalars(select(Program.id).order_by(Program.id)))
        scopes = [Scope(), *(Scope(program_id=p) for p in programs)]
        scopes += [Scope(agency_id=a) for a in agencies]
        registered = datetime(2026, 11, 1, tzinfo=UTC)
        chats = []
        for n in range(groups):
            scope = scopes[n % len(scopes)]
            chats.append(
                Chat(
                    id=-1_000_000 - n,
                    title=f"Tổ công tác {n}",
                    registered_by=1,
                    registered_at=registered,
                    language="en" if n // len(scopes) % 5 == 4 else None,
                    agency_id=scope.agency_id,
                    program_id=scope.program_id,
                )
            )
        session.add_all(chats)
        leads = [10_000 + a for a in agencies[::2]]
        session.add_all(
            Member(user_id=10_000 + a, role=Role.LEAD.value, agency_id=a) for a in agencies[::2]
        )
        session.add_all(nudges(leads, registered))


async def reset_week(deps: Deps, *, figures_day: date | None) -> None:
    """Delete the week's digests (and the figures day's snapshot, for a cold run)."""
    async with deps.sessions.begin() as session:
        await session.execute(delete(Outbox).where(Outbox.key.like("digest:%")))
        if figures_day is not None:
            await session.execute(delete(Snapshot).where(Snapshot.day == figures_day))
            await session.execute(delete(SnapshotDay).where(SnapshotDay.day == figures_day))


CHARTS: list[float] = []  # seconds per chart the plan being timed drew


def _timed_chart(lang: str, digest: digests.Digest, labels: digests.Labels) -> bytes | None:
    start = time.perf_counter()
    png = DRAW(lang, digest, labels)
    if png is not None:  # one agency's digest has none: nothing drawn
        CHARTS.append(time.perf_counter() - start)
    return png


DRAW = views.chart_png


CPU: list[float] = []  # process CPU seconds of each plan timed


async def timed_plan(deps: Deps, at: datetime, *, cold: bool) -> tuple[float, int, float, int]:
    """(seconds, messages queued, seconds drawing charts, charts drawn) of one plan."""
    fday = at.date() - timedelta(days=1)
    await reset_week(deps, figures_day=fday if cold else None)
    CHARTS.clear()
    start, cpu = time.perf_counter(), time.process_time()
    queued = await job.plan(deps, at, working_day=weekdays_only)
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, queued, sum(CHARTS), len(CHARTS)


async def timed_floor(deps: Deps, messages: int) -> float:
    """The same number of outbox rows in one transaction, with a fixed text: no figures."""
    await reset_week(deps, figures_day=None)
    now = datetime.now(UTC)
    start = time.perf_counter()
    async with deps.sessions.begin() as session:
        for n in range(messages):
            await outbox.enqueue(
                session, key=f"digest:floor:{n}", chat_id=-n, text=Html("x" * 2000), now=now
            )
    return time.perf_counter() - start


async def timed_leads(deps: Deps, runs: int) -> tuple[float, int, int]:
    """Median seconds of the digest's one statement over the leads and their last nudges;
    agencies with a lead, and those whose every lead is blocked."""
    times = []
    for _ in range(runs):
        async with deps.sessions.begin() as session:
            start = time.perf_counter()
            leads, blocked = await digests.lead_agencies(session)
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(leads), len(blocked)


async def chart_inputs(deps: Deps, at: datetime) -> tuple[digests.Digest, digests.Labels]:
    async with deps.sessions.begin() as session:
        figures = await digests.load_figures(
            session, day=at.date(), now=datetime.now(UTC), record=False
        )
        labels = await digests.load_labels(session)
        due = await digests.due_this_week(session, day=at.date(), scope=Scope())
    return digests.compose(figures, day=at.date(), scope=Scope(), threshold=70, due=due), labels


def floor_png() -> bytes:
    """The least a PNG costs: one bar, no text of ours."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10.5, 6), dpi=100)
    FigureCanvasAgg(figure)
    figure.add_subplot().barh([0], [1])
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def median_time(work: object, runs: int) -> tuple[float, float]:
    """Median wall and process CPU seconds of `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        work()  # type: ignore[operator]
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


async def main_async(args: argparse.Namespace) -> None:
    settings = load_settings(database_url=args.url)
    engine = make_engine(args.url)
    deps = Deps(settings, make_sessions(engine), Clock(settings.tz))
    at = datetime.combine(args.monday, datetime.min.time(), tzinfo=settings.tz) + timedelta(
        hours=8
    )
    await setup(deps, args.groups)
    digest, labels = await chart_inputs(deps, at)
    start = time.perf_counter()
    views.chart_png("vi", digest, labels)  # matplotlib's import and the font: once a process
    first = time.perf_counter() - start
    views.chart_png = _timed_chart
    cold, warm, drawing, floor = [], [], [], []
    queued = charts = 0
    for _ in range(args.runs):
        seconds, queued, _drawn, _n = await timed_plan(deps, at, cold=True)
        cold.append(seconds)
        seconds, queued, drawn, charts = await timed_plan(deps, at, cold=False)
        warm.append(seconds)
        drawing.append(drawn)
        floor.append(await timed_floor(deps, queued))
    views.chart_png = DRAW
    print(f"{args.groups} groups, {queued} messages queued (charts and texts), {args.url}")
    print(f"planning, snapshot to take: median {statistics.median(cold):.2f} s")
    print(f"planning, snapshot kept:    median {statistics.median(warm):.2f} s", end=" ")
    print(f"(of which {charts} charts drawn: {statistics.median(drawing):.2f} s)")
    print(f"floor (same rows, fixed text, one by one): {statistics.median(floor):.2f} s")
    print(f"planning, process CPU time (the least disturbed by other load): median "
          f"{statistics.median(CPU):.2f} s")  # fmt: skip
    print(f"first chart in a process (matplotlib import, font): {first:.2f} s")
    seconds, led, blocked = await timed_leads(deps, args.charts)
    print(f"leads and blocked leads ({led} agencies led, {blocked} blocked, {HISTORY} nudges "
          f"a lead): median {seconds * 1000:.1f} ms; the committee's line names "
          f"{len(digest.blocked)}")  # fmt: skip
    png = views.chart_png("vi", digest, labels)
    chart, chart_cpu = median_time(lambda: views.chart_png("vi", digest, labels), args.charts)
    bare, bare_cpu = median_time(floor_png, args.charts)
    print(f"chart: {len(digest.lagging)} bars, {len(png or b'')} bytes PNG")
    print(f"chart per image: median {chart * 1000:.0f} ms wall, {chart_cpu * 1000:.0f} ms CPU; "
          f"bare one-bar PNG {bare * 1000:.0f} ms wall, {bare_cpu * 1000:.0f} ms CPU")  # fmt: skip
    await reset_week(deps, figures_day=None)
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--charts", type=int, default=10)
    parser.add_argument("--monday", type=date.fromisoformat, default=date(2026, 11, 30))
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
