"""Generate a task register of N rows (xlsx or csv) over the 56 agencies, for benchmarks.

python -m bench.gen_register --rows 100000 --out /tmp/register-100k.xlsx
python -m bench.gen_register --rows 100000 --changed --out /tmp/register-100k-changed.xlsx

--changed writes the same tasks with every row changed (title and notes, most deadlines and
progress figures): a re-import of it updates every task.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from bot.demo import ACTIONS, DOMAINS
from services.importer import COLUMNS
from storage.seed import seed_agencies

PROGRAMS = ("Nghị quyết 57-NQ/TW", "Đề án 06", "Cải cách hành chính")


def rows(n: int, today: date, seed: int = 1, changed: bool = False) -> Iterator[list[object]]:
    """N register rows in COLUMNS order; deadlines are real dates (Excel date cells)."""
    for row in _rows(n, today, seed):
        yield _changed(row) if changed else row


def _changed(row: list[object]) -> list[object]:
    """The same task, revised: a new title and note, deadlines a month later, progress on."""
    code, title, agency, deadline, status, completed, program, source, coord, progress, _ = row
    if isinstance(deadline, date):
        deadline += timedelta(days=30)
    if status != "done" and isinstance(progress, int):
        progress = (progress + 10) % 100
    notes = "Rà soát tháng 12"
    return [code, f"{title} (rà soát)", agency, deadline, status, completed, program, source,
            coord, progress, notes]  # fmt: skip


def _rows(n: int, today: date, seed: int) -> Iterator[list[object]]:
    rng = random.Random(seed)
    agencies = [a.code for a in seed_agencies()]
    for i in range(n):
        deadline = None if rng.random() < 0.14 else today + timedelta(days=rng.randint(-400, 400))
        done = deadline is not None and rng.random() < (0.8 if deadline < today else 0.3)
        completed = (
            min(today, deadline + timedelta(days=rng.randint(-60, 30)))
            if done and deadline
            else None
        )
        yield [
            f"T{i + 1:07d}",
            rng.choice(ACTIONS).format(d=rng.choice(DOMAINS)),
            rng.choice(agencies),
            deadline,
            "done" if done else rng.choice(("open", "in_progress")),
            completed,
            rng.choice(PROGRAMS),
            "Kế hoạch 01/KH-BCĐ",
            rng.choice(agencies) if rng.random() < 0.3 else "",
            100 if done else rng.randrange(0, 100, 10),
            "",
        ]


def write_xlsx(path: Path, n: int, today: date, changed: bool = False) -> None:
    """Write-only workbook: constant memory whatever N is."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(list(COLUMNS))
    for row in rows(n, today, changed=changed):
        sheet.append(row)
    book.save(path)


def write_csv(path: Path, n: int, today: date, changed: bool = False) -> None:
    """Plain UTF-8 CSV with ISO dates."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for row in rows(n, today, changed=changed):
            writer.writerow("" if v is None else v for v in row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 25))
    parser.add_argument("--changed", action="store_true", help="every row revised")
    args = parser.parse_args()
    writer = write_xlsx if args.out.suffix == ".xlsx" else write_csv
    writer(args.out, args.rows, args.today, args.changed)
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
