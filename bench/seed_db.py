"""Fill a database with N generated tasks straight through Core inserts (fast, for 1M).

python -m bench.seed_db --rows 1000000 --url sqlite+aiosqlite:////tmp/bench-1m.db
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date

from sqlalchemy import delete, insert, select

from bench.gen_register import PROGRAMS, rows
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from storage.models import Agency, Program, Task, task_coordinators, utcnow

CHUNK = 5_000  # rows per executemany (PostgreSQL caps bind parameters at 32767)


async def seed(url: str, n: int, today: date) -> None:
    """Replace all tasks with `n` generated ones."""
    engine = make_engine(url)
    await upgrade(engine)
    async with make_sessions(engine).begin() as session:
        await session.execute(delete(task_coordinators))
        await session.execute(delete(Task))
        await session.execute(delete(Program))
        agencies = dict((await session.execute(select(Agency.code, Agency.id))).all())
        programs = {}
        for name in PROGRAMS:
            program = Program(code=name, name=name)
            session.add(program)
            await session.flush()
            programs[name] = program.id
        now = utcnow()
        batch: list[dict[str, object]] = []
        for row in rows(n, today):
            batch.append(_task(row, agencies, programs, now))
            if len(batch) == CHUNK:
                await session.execute(insert(Task), batch)
                batch = []
        if batch:
            await session.execute(insert(Task), batch)
    await engine.dispose()


def _task(
    row: list[object], agencies: dict[str, int], programs: dict[str, int], now: object
) -> dict[str, object]:
    code, title, agency, deadline, status, completed, program, source, _co, progress, _n = row
    return {
        "code": code,
        "title": title,
        "lead_agency_id": agencies[str(agency)],
        "program_id": programs[str(program)],
        "source": source,
        "deadline": deadline,
        "status": status,
        "completed_on": completed,
        "progress": progress,
        "notes": "",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 25))
    args = parser.parse_args()
    asyncio.run(seed(args.url, args.rows, args.today))
    print(f"seeded {args.rows} tasks into {args.url}")


if __name__ == "__main__":
    main()
