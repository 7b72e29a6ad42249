"""dondoc import beside its floor, in one run: figures to compare, never assertions.

    python -m bench.import_floor --url sqlite+aiosqlite:////tmp/floor.db \\
        --file /tmp/register-100k.xlsx --changed /tmp/register-100k-changed.xlsx

1. floor: calamine reads the file, then the same rows go into the task table through the
   driver's bulk path (sqlite3 executemany, asyncpg COPY), no validation; its triggers and
   indexes are the table's own. 2. `dondoc import FILE` as a whole process on a fresh
   database. 3. `dondoc import CHANGED` over it: every row updated, with its audit events.
The database is emptied first: for PostgreSQL give a database of its own (its public schema
is dropped). Wall and CPU seconds (CPU: all threads of this side, so for SQLite the whole
cost, for PostgreSQL the client's only); peak RSS of the dondoc processes in MiB; with
--runs N, the medians of N interleaved runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
from python_calamine import CalamineWorkbook
from sqlalchemy import text

from bench.seed_db import FIELDS
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import code_key
from storage.seed import seed_agencies

ROW = tuple[object, ...]


async def reset(url: str) -> None:
    """An empty, migrated database."""
    if url.startswith("sqlite"):
        await asyncio.to_thread(_remove, url.split(":///", 1)[1])
    engine = make_engine(url)
    try:
        if not url.startswith("sqlite"):
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
    finally:
        await engine.dispose()


def _remove(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def read_calamine(path: Path) -> list[list[object]]:
    """The first sheet's rows, header included, as calamine gives them."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [list(row) for row in sheet.to_python()]


def task_rows(sheet: Sequence[Sequence[object]], now: datetime) -> Iterator[ROW]:
    """The sheet's rows as task tuples in bench.seed_db.FIELDS order."""
    agencies = {a.code: i for i, a in enumerate(seed_agencies(), 1)}
    programs: dict[object, int] = {}
    # By the header's names: the register's columns grow (program_code came after this).
    at = {str(name): n for n, name in enumerate(sheet[0])}
    wanted = ("code", "title", "agency", "deadline", "status", "completed_on", "program")
    for row in sheet[1:]:
        code, title, agency, deadline, status, done, program = (row[at[c]] for c in wanted)
        source, progress, notes = (row[at[c]] for c in ("source", "progress", "notes"))
        program_id = programs.setdefault(program, len(programs) + 1)
        yield (str(code), str(title), agencies[str(agency)], program_id, str(source),
               _day(deadline), str(status), _day(done), _int(progress), str(notes), now,
               now, 1, code_key(str(code)))  # fmt: skip


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def floor_sqlite(path: str, rows: list[ROW]) -> None:
    """One transaction of stdlib executemany, as bench.seed_db fills a database."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    columns = FIELDS
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO program (id, code, name) VALUES (?, ?, ?)",
                     [(i, f"p{i}", f"p{i}") for i in range(1, 4)])  # fmt: skip
    conn.executemany(
        f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        (tuple(_sqlite(v) for v in row) for row in rows),
    )
    conn.execute("COMMIT")
    conn.close()


def _sqlite(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value.isoformat() if isinstance(value, date) else value


async def floor_postgres(dsn: str, rows: list[ROW]) -> None:
    """One transaction: COPY into the task table."""
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.executemany("INSERT INTO program (id, code, name) VALUES ($1, $2, $3)",
                                   [(i, f"p{i}", f"p{i}") for i in range(1, 4)])  # fmt: skip
            await conn.copy_records_to_table("task", records=rows, columns=FIELDS)
    finally:
        await conn.close()


@dataclass(frozen=True, slots=True)
class Cost:
    """Wall seconds, and CPU seconds of this side (all its threads; for PostgreSQL the
    server's own work is not in it). On a machine shared with other work, CPU time moves
    far less than wall time: compare SQLite runs by it."""

    wall: float
    cpu: float
    rss: float = 0.0  # MiB, for dondoc processes

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


async def floor(url: str, path: Path) -> tuple[Cost, Cost]:
    """Reading the file with calamine, then bulk inserting its rows."""
    wall, cpu = time.perf_counter(), time.process_time()
    sheet = await asyncio.to_thread(read_calamine, path)
    read = Cost(time.perf_counter() - wall, time.process_time() - cpu)
    rows = list(task_rows(sheet, datetime.now(UTC)))
    wall, cpu = time.perf_counter(), time.process_time()
    if url.startswith("sqlite"):
        await asyncio.to_thread(floor_sqlite, url.split(":///", 1)[1], rows)
    else:
        await floor_postgres(url.replace("postgresql+asyncpg", "postgresql"), rows)
    return read, Cost(time.perf_counter() - wall, time.process_time() - cpu)


# Runs a command and prints its wall and CPU seconds and peak RSS (KiB) on stderr's last line.
# A process started from this one (vfork) is counted with this one's memory until it execs,
# which would report this process's peak (the floor's rows) for a dondoc that used less: the
# launcher is small, and the process it starts has only its own memory.
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - started
cpu = usage.ru_utime + usage.ru_stime
print(f"{elapsed} {cpu} {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def dondoc_import(url: str, path: Path) -> Cost:
    """`dondoc import PATH` as its own process: wall, CPU and peak RSS."""
    env = {**os.environ, "DATABASE_URL": url}
    dondoc = Path(sys.executable).with_name("dondoc")
    command = [sys.executable, "-c", _LAUNCHER, str(dondoc), "import", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"dondoc import {path} failed:\n{done.stdout}\n{done.stderr}")
    print(f"  {done.stdout.strip()}")
    wall, cpu, rss = done.stderr.strip().splitlines()[-1].split()
    return Cost(float(wall), float(cpu), int(rss) / 1024)


def median(costs: list[Cost]) -> Cost:
    """The median of each figure over the runs."""
    return Cost(*(statistics.median(getattr(c, f) for c in costs) for f in ("wall", "cpu", "rss")))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--changed", type=Path, help="the same register, every row revised")
    parser.add_argument("--runs", type=int, default=1, help="median of this many (interleaved)")
    args = parser.parse_args()
    floors: list[Cost] = []
    fresh: list[Cost] = []
    changed: list[Cost] = []
    for _ in range(args.runs):
        await reset(args.url)
        read, insert = await floor(args.url, args.file)
        floors.append(Cost(read.wall + insert.wall, read.cpu + insert.cpu))
        print(f"floor: calamine {read} + bulk insert {insert}")
        await reset(args.url)
        fresh.append(dondoc_import(args.url, args.file))
        if args.changed:
            changed.append(dondoc_import(args.url, args.changed))
    base, new = median(floors), median(fresh)
    print(f"floor: {base}")
    print(
        f"dondoc import, fresh: {new} = {new.wall / base.wall:.2f} x floor (wall),"
        f" {new.cpu / base.cpu:.2f} x (CPU); peak {new.rss:.0f} MiB"
    )
    if changed:
        again = median(changed)
        print(f"dondoc import, every row changed: {again}; peak {again.rss:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
