"""Reading a register file: peak RSS of read_rows streamed in process, and the cost of reading
it in a child process (read_rows_isolated, as a chat upload is).

    .venv/bin/python -m bench.read_register /tmp/register-100k.xlsx [--child] [--runs 3]

Run once per mode: ru_maxrss is a high-water mark for the whole process.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import time
from pathlib import Path

from services.importer import ReadLimits, read_rows, read_rows_isolated


async def _read(data: bytes, name: str, *, child: bool) -> int:
    if child:
        records = await read_rows_isolated(data, name, limits=ReadLimits())
    else:
        records = await asyncio.to_thread(read_rows, data, name)
    return sum(1 for _ in records)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--child", action="store_true", help="read in a child process")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    data = args.file.read_bytes()
    walls, cpus = [], []
    rows = 0
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = await _read(data, args.file.name, child=args.child)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    mode = "child process" if args.child else "in process"
    print(
        f"{args.file.name}: {rows} rows {mode}, median of {args.runs}: "
        f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU here; "
        f"peak RSS here {own.ru_maxrss >> 10} MiB, in the child {kids.ru_maxrss >> 10} MiB "
        f"(child CPU {kids.ru_utime + kids.ru_stime:.2f} s in all)"
    )


if __name__ == "__main__":
    asyncio.run(main())
