"""Planning one morning's nudges for 1,000,000 tasks and 5,000 leads, beside its floor.

    python -m bench.bench_nudges --url sqlite+aiosqlite:////tmp/nudges-1m.db --seed
    python -m bench.bench_nudges --url postgresql+asyncpg://postgres@127.0.0.1/bench_nudge --seed

--seed fills the database first (its public schema is dropped on PostgreSQL; the SQLite file
is replaced): 5,100 agencies, 5,000 of them with a lead (500 with a registered group, 50
whose lead's last private nudge was refused), 1,000,000 tasks over them with deadlines
within 400 days of the bench's "today" (Wednesday 10 March 2027: Tết is within the overdue
rungs) and the generated register's shares of done and routine tasks, 60 working days of
earlier private nudges in the outbox (300,000 rows), and an overdue count of 2 on half of the
overdue tasks (so some escalate). Rows go in through the drivers' bulk paths.

Then it times, --runs times: dondoc planning the morning (jobs/nudges.py queue_daily_nudges:
the rungs, the overdue counts and escalations, the lists, the leads, rendering, the outbox
rows), each run in a transaction rolled back so every run plans the same morning; and the
floors: a plain COUNT of the open tasks on today's rungs, and reading those rows. Target:
dondoc <= 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.seed_db import FIELDS, RECOUNT_TASK_TALLY, _sqlite_row
from jobs.nudges import queue_daily_nudges
from services import calendar
from services.ladder import DEFAULT, steps_on
from services.open_tally import NOT_DONE, roll_open_tally
from storage.bulk import among
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from storage.models import Task, code_key

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2027, 3, 10)
AT = datetime(2027, 3, 10, 8, 30, tzinfo=TZ)
NOW = AT.astimezone(UTC)
LEAD0 = 10_000_000  # lead user ids: LEAD0 + agency number
GROUPS, BLOCKED, LEADLESS, HISTORY = 500, 50, 100, 60
AGENCY_FIELDS = ("code", "kind", "name_vi", "name_en", "aliases")
OUTBOX_FIELDS = ("key", "chat_id", "text", "status", "attempts", "created_at", "not_before")


def task_rows(n: int, agencies: list[int]) -> Iterator[tuple[object, ...]]:
    """N tasks spread over the agencies, dated as the generated register is."""
    rng = random.Random(7)
    for i in range(n):
        deadline = None if rng.random() < 0.14 else TODAY + timedelta(days=rng.randint(-400, 400))
        done = deadline is not None and rng.random() < (0.8 if deadline < TODAY else 0.3)
        completed = None
        if done and deadline:
            completed = min(TODAY, deadline + timedelta(days=rng.randint(-60, 30)))
        code = f"BN-{i:07d}"
        yield (code, f"Nhiệm vụ số {i} về chuyển đổi số và cải cách thủ tục hành chính",
               agencies[i % len(agencies)], None, "", deadline, "done" if done else "open",
               completed, 0, "", NOW, NOW, 1, code_key(code))  # fmt: skip


def history(leads: list[int]) -> Iterator[tuple[object, ...]]:
    """Earlier private nudges, delivered, but the last ones of the first BLOCKED leads."""
    day = TODAY
    for back in range(HISTORY):
        day = calendar.previous_working_day(day)
        for number, user in enumerate(leads):
            refused = number < BLOCKED and back < 2
            yield (f"nudge:{user}:{day.isoformat()}", user, "…", "blocked" if refused else "sent",
                   1, NOW - timedelta(days=back + 1), NOW - timedelta(days=back + 1))  # fmt: skip


def seed_sqlite(path: str, n: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")  # a benchmark database: rebuilt, never recovered
    with conn:
        agencies = _agencies_sqlite(conn)
        aside = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'task'"
            " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type"
        ).fetchall()
        for kind, name, _sql in aside:
            conn.execute(f"DROP {kind} {name}")
        conn.executemany(
            f"INSERT INTO task ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
            (_sqlite_row(_naive(r)) for r in task_rows(n, agencies)),
        )
        for _kind, _name, sql in aside:
            conn.execute(sql)
        conn.execute(RECOUNT_TASK_TALLY)
        leads = _people_sqlite(conn, agencies)
        conn.executemany(
            f"INSERT INTO outbox ({', '.join(OUTBOX_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_sqlite_row(_naive(r)) for r in history(leads)),
        )
        conn.execute(STATE, {"yesterday": calendar.previous_working_day(TODAY).isoformat(),
                             "today": TODAY.isoformat()})  # fmt: skip
        conn.execute("ANALYZE")
    conn.close()


# Half the overdue open tasks were nudged twice while overdue: today's rung escalates them.
STATE = (
    "INSERT INTO nudge_state (task_id, deadline, overdue_nudges, escalations, last_on)"
    " SELECT id, deadline, 2, 0, :yesterday FROM task"
    " WHERE status != 'done' AND deadline < :today AND id % 2 = 0"
)


def _naive(row: tuple[object, ...]) -> tuple[object, ...]:
    """How UTCDateTime stores times on SQLite: naive UTC."""
    return tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)


def _agencies_sqlite(conn: sqlite3.Connection) -> list[int]:
    seeded = [r[0] for r in conn.execute("SELECT id FROM agency ORDER BY id")]
    extra = 5000 + LEADLESS - len(seeded)
    conn.executemany(
        f"INSERT INTO agency ({', '.join(AGENCY_FIELDS)}) VALUES (?, ?, ?, ?, ?)",
        [(f"X{i:05d}", "other", f"Đơn vị số {i}", f"Unit {i}", "") for i in range(extra)],
    )
    return [r[0] for r in conn.execute("SELECT id FROM agency ORDER BY id")]


def _people_sqlite(conn: sqlite3.Connection, agencies: list[int]) -> list[int]:
    """A lead for each of the first 5,000 agencies, 500 groups, 5 admins; the leads' ids."""
    with_lead = agencies[:5000]
    leads = [LEAD0 + a for a in with_lead]
    now = NOW.replace(tzinfo=None).isoformat(sep=" ")
    conn.executemany(
        "INSERT INTO member (user_id, role, agency_id, name, created_at) VALUES (?, ?, ?, ?, ?)",
        [(LEAD0 + a, "lead", a, f"Đầu mối {a}", now) for a in with_lead]
        + [(i, "admin", None, f"Quản trị {i}", now) for i in range(1, 6)],
    )
    conn.executemany(
        "INSERT INTO chat (id, title, registered_by, registered_at, agency_id)"
        " VALUES (?, ?, 1, ?, ?)",
        [(-1_000_000 - a, f"Nhóm {a}", now, a) for a in with_lead[:GROUPS]],
    )
    return leads


async def seed_postgres(dsn: str, n: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            seeded = [r[0] for r in await conn.fetch("SELECT id FROM agency ORDER BY id")]
            extra = 5000 + LEADLESS - len(seeded)
            await conn.copy_records_to_table("agency", columns=AGENCY_FIELDS, records=[
                (f"X{i:05d}", "other", f"Đơn vị số {i}", f"Unit {i}", "") for i in range(extra)
            ])  # fmt: skip
            agencies = [r[0] for r in await conn.fetch("SELECT id FROM agency ORDER BY id")]
            await conn.copy_records_to_table(
                "task", records=task_rows(n, agencies), columns=FIELDS
            )
            with_lead = agencies[:5000]
            await conn.copy_records_to_table(
                "member",
                columns=("user_id", "role", "agency_id", "name", "created_at"),
                records=[(LEAD0 + a, "lead", a, f"Đầu mối {a}", NOW) for a in with_lead]
                + [(i, "admin", None, f"Quản trị {i}", NOW) for i in range(1, 6)],
            )
            await conn.copy_records_to_table(
                "chat",
                columns=("id", "title", "registered_by", "registered_at", "agency_id"),
                records=[(-1_000_000 - a, f"Nhóm {a}", 1, NOW, a) for a in with_lead[:GROUPS]],
            )
            leads = [LEAD0 + a for a in with_lead]
            await conn.copy_records_to_table("outbox", columns=OUTBOX_FIELDS,
                                             records=history(leads))  # fmt: skip
            await conn.execute(
                STATE.replace(":yesterday", "$1").replace(":today", "$2"),
                calendar.previous_working_day(TODAY),
                TODAY,
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def seed(url: str, n: int) -> None:
    """A fresh database, migrated, then filled."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            await asyncio.to_thread(Path(path + suffix).unlink, missing_ok=True)
    else:
        reset = await asyncpg.connect(_dsn(url))
        await reset.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        await reset.close()
    engine = make_engine(url)
    await upgrade(engine)
    if url.startswith("sqlite"):
        await asyncio.to_thread(seed_sqlite, url.split(":///", 1)[1], n)
    else:
        await seed_postgres(_dsn(url), n)
    async with make_sessions(engine).begin() as session:
        await roll_open_tally(session, today=TODAY, rebuild=True)
    await engine.dispose()


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg", "postgresql")


@dataclass
class Took:
    """What one timed step cost: wall seconds, this process's CPU, the PostgreSQL backend's."""

    wall: float = 0.0
    cpu: float = 0.0
    server: float = 0.0

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.server


class Stopwatch:
    """Wall and CPU time of a step; on PostgreSQL also the CPU of the session's backend
    process (read from /proc: the server runs on this machine), since a loaded machine's
    wall time says little (the figures in bench/README.md were taken beside other agents)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pid: int | None = None

    async def __aenter__(self) -> Took:
        if self.session.get_bind().dialect.name == "postgresql":
            self.pid = int(await self.session.scalar(text("SELECT pg_backend_pid()")) or 0)
        self.took = Took()
        self.started = (time.perf_counter(), time.process_time(), _backend_cpu(self.pid))
        return self.took

    async def __aexit__(self, *exc: object) -> None:
        wall, cpu, server = self.started
        self.took.wall = time.perf_counter() - wall
        self.took.cpu = time.process_time() - cpu
        self.took.server = _backend_cpu(self.pid) - server


def _backend_cpu(pid: int | None) -> float:
    """User and system CPU seconds of a local process (0 for none)."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(url: str, runs: int) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine)
    dialect = engine.dialect.name
    async with sessions() as session:
        oldest = await session.scalar(select(func.min(Task.deadline)).where(NOT_DONE))
        tasks = await session.scalar(select(func.count()).select_from(Task))
    hits = sorted(steps_on(TODAY, DEFAULT, calendar.NONE, oldest))
    days = [d.isoformat() for d in hits] if dialect == "sqlite" else hits
    on_rungs = [NOT_DONE, among(Task.deadline.expression, days, dialect)]
    count = select(func.count()).select_from(Task).where(*on_rungs)
    rows = select(Task.id, Task.code, Task.title, Task.deadline, Task.lead_agency_id).where(
        *on_rungs
    )
    dondoc: list[Took] = []
    counted: list[Took] = []
    read: list[Took] = []
    queued = due = 0
    for _ in range(runs + 1):  # the first is a warm-up
        async with sessions() as session, session.begin():
            async with Stopwatch(session) as took:
                queued = await queue_daily_nudges(
                    session, local_now=AT, admins=frozenset({1}), default_lang="vi"
                )
            dondoc.append(took)
            await session.rollback()
        async with sessions() as session:
            async with Stopwatch(session) as took:
                due = int(await session.scalar(count) or 0)
            counted.append(took)
            async with Stopwatch(session) as took:
                fetched: Any = (await session.execute(rows)).all()
            read.append(took)
            assert len(fetched) == due
    await engine.dispose()
    print(f"{dialect}: {tasks:,} tasks, {len(hits)} deadlines on today's rungs, "
          f"{due:,} open tasks on them; {queued:,} messages; medians of {runs} runs")  # fmt: skip
    for label, steps in (
        ("floor COUNT", counted),
        ("floor read rows", read),
        ("dondoc plan", dondoc),
    ):
        print(_line(label, steps[1:]))
    print(f"  dondoc runs, wall: {', '.join(f'{t.wall:.3f}' for t in dondoc[1:])} (target <= 2 s)")


def _line(label: str, took: list[Took]) -> str:
    median = statistics.median
    server = (
        f", server {median(t.server for t in took):6.3f} s" if any(t.server for t in took) else ""
    )
    return (f"  {label:16} wall {median(t.wall for t in took):6.3f} s, CPU "
            f"{median(t.total_cpu for t in took):6.3f} s (this process "
            f"{median(t.cpu for t in took):6.3f} s{server})")  # fmt: skip


async def main(url: str, rows: int, runs: int, fill: bool) -> None:
    if fill:
        start = time.perf_counter()
        await seed(url, rows)
        print(f"seeded {rows:,} tasks in {time.perf_counter() - start:.0f} s")
    await measure(url, runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", action="store_true", help="fill the database first")
    args = parser.parse_args()
    asyncio.run(main(args.url, args.rows, args.runs, args.seed))
