"""`dondoc export` of a generated register beside its floors: figures, never assertions.

    python -m bench.bench_export --url sqlite+aiosqlite:////tmp/export.db --rows 100000

1. The database is emptied and filled by `dondoc import` of a generated register (bench
   gen_register: 56 agencies, three programmes, coordinators on 30% of the tasks); with
   --reuse an already filled one is kept. For PostgreSQL give a database of its own (its
   public schema is dropped).
2. `dondoc export FILE` as its own process, --runs times: wall and CPU seconds, peak RSS;
   the same for one programme's tasks (a third of them), to show that memory does not grow
   with the rows written.
3. Floors, in this process, over the exported task sheet's rows held in memory: openpyxl's
   write-only mode writing them (what the export would cost through openpyxl), and
   services/export/xlsx.py writing them (the export's own writer, without the database).
4. `dondoc import --dry-run FILE`: the export read back by the importer, which should find
   nothing to change.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from python_calamine import CalamineWorkbook

from bench.gen_register import write_xlsx
from bench.import_floor import _LAUNCHER, Cost, dondoc_import, median, reset
from services.export.xlsx import Cell, Workbook

TODAY = date(2026, 11, 25)  # the generated register's deadlines lie around it


def dondoc(url: str, *args: str) -> tuple[Cost, str]:
    """A dondoc command as its own process: wall, CPU, peak RSS, and what it printed."""
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-c", _LAUNCHER, str(Path(sys.executable).with_name("dondoc"))]
    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"dondoc {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    wall, cpu, rss = done.stderr.strip().splitlines()[-1].split()
    return Cost(float(wall), float(cpu), int(rss) / 1024), done.stdout.strip()


def task_rows(path: Path) -> list[list[object]]:
    """The exported task sheet's rows, header included, as calamine reads them."""
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(2)
    return [[None if v == "" else v for v in row] for row in sheet.to_python()]


def floor_openpyxl(rows: Sequence[Sequence[object]]) -> Cost:
    """openpyxl's write-only mode writing the rows (dates become date cells)."""
    wall, cpu = time.perf_counter(), time.process_time()
    book = OpenpyxlWorkbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    for row in rows:
        sheet.append(list(row))
    book.save(io.BytesIO())
    return Cost(time.perf_counter() - wall, time.process_time() - cpu)


def floor_own(rows: Sequence[Sequence[Cell]]) -> Cost:
    """The export's own writer writing the same rows."""
    wall, cpu = time.perf_counter(), time.process_time()
    book = Workbook(io.BytesIO())
    book.sheet("Nhiệm vụ", [12] * len(rows[0]), filtered=True).extend(rows)
    book.close()
    return Cost(time.perf_counter() - wall, time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="medians of this many")
    parser.add_argument("--reuse", action="store_true", help="keep the filled database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    if not args.reuse:
        asyncio.run(reset(args.url))
        register = work / "register.xlsx"
        write_xlsx(register, args.rows, TODAY)
        print(f"filled by dondoc import: {dondoc_import(args.url, register)}")
    out = work / "export.xlsx"
    whole: list[Cost] = []
    third: list[Cost] = []
    for _ in range(args.runs):
        cost, said = dondoc(args.url, "export", str(out))
        whole.append(cost)
        print(f"  {said}  [{cost}, peak {cost.rss:.0f} MiB]")
        cost, said = dondoc(args.url, "export", str(work / "nq57.xlsx"), "--program", "NQ57")
        third.append(cost)
        print(f"  {said}  [{cost}, peak {cost.rss:.0f} MiB]")
    start, _said = dondoc(args.url, "status", "--json")
    rows = task_rows(out)
    openpyxl = median([floor_openpyxl(rows) for _ in range(args.runs)])
    own = median([floor_own(rows) for _ in range(args.runs)])  # type: ignore[arg-type]
    size = out.stat().st_size >> 10
    check, said = dondoc(args.url, "import", "--dry-run", str(out))
    exported = median(whole)
    tasks = len(rows) - 1
    print(f"dondoc export, {tasks} tasks ({size} KiB): {exported}, peak {exported.rss:.0f} MiB")
    programme = median(third)
    print(f"dondoc export --program NQ57: {programme}, peak {programme.rss:.0f} MiB")
    print(f"dondoc status --json (process start, one query): {start}, peak {start.rss:.0f} MiB")
    print(f"floor, openpyxl write-only from memory: {openpyxl}")
    print(f"floor, the export's writer from memory: {own}")
    print(f"dondoc import --dry-run of the export ({check}):")
    for line in said.splitlines():
        print(f"  {line}")


if __name__ == "__main__":
    main()
