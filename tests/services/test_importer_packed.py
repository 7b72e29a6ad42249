"""Validated rows packed while the sheet is held: the same rows back, in less memory."""

from __future__ import annotations

import tracemalloc
from datetime import date

from services.importer.packed import BLOCK, Packed
from services.importer.validate import PACKED_DATES, PACKED_SHARED, TaskRow


def task(n: int, **changes: object) -> TaskRow:
    values: dict[str, object] = {
        "row": n + 2,
        "code": f"NQ57-{n:05d}",
        "key": f"nq57-{n:05d}",
        "title": f"Xây dựng cơ sở dữ liệu chuyên ngành số {n}",
        "agency": 1 + n % 56,
        "deadline": date(2026, 1, 1 + n % 28) if n % 5 else None,
        "status": "done" if n % 3 == 0 else "open",
        "completed_on": date(2025, 12, 1) if n % 3 == 0 else None,
        "program": "n:de an 06" if n % 7 == 0 else (n % 3 or None),
        "source": "Kế hoạch 01/KH-BCĐ",
        "coordinating": frozenset({"kiem toan nha nuoc", 3}) if n % 4 == 0 else frozenset(),
        "progress": None if n % 2 else n % 101,
        "notes": "",
    }
    return TaskRow(**(values | changes))  # type: ignore[arg-type]


def packed() -> Packed[TaskRow]:
    return Packed(TaskRow, dates=PACKED_DATES, shared=PACKED_SHARED)


def test_rows_come_back_as_they_went_in() -> None:
    rows = [task(n) for n in range(2 * BLOCK + 7)]  # whole blocks and a partial one
    kept = packed()
    for row in rows:
        kept.append(row)

    back = kept.unpack()

    assert back == rows
    assert kept.unpack() == []  # emptied
    # Repeated values are one object again, as validation made them.
    assert len({id(r.source) for r in back}) == 1
    assert len({id(r.deadline) for r in back if r.deadline == date(2026, 1, 2)}) == 1


def test_cleared_rows_are_gone() -> None:
    kept = packed()
    for n in range(BLOCK + 1):
        kept.append(task(n))
    kept.clear()
    kept.append(task(1))

    assert kept.unpack() == [task(1)]


def test_packed_rows_take_a_third_of_the_memory() -> None:
    tracemalloc.start()
    try:
        rows = [task(n) for n in range(10_000)]
        as_rows, _ = tracemalloc.get_traced_memory()
        kept = packed()
        for row in rows:
            kept.append(row)
        del rows, row
        as_blocks, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert as_blocks * 3 < as_rows
