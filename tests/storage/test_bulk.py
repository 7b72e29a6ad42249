"""Bulk writes: each value bound as its column's type binds it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Column, Date, Integer, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import bulk
from storage.bulk import (
    SQLITE_PARAMETERS,
    _bound,
    _fresh,
    bulk_insert,
    drop_temporary,
    temporary_table,
)


def test_each_distinct_value_is_converted_once() -> None:
    seen: list[object] = []

    def process(value: object) -> str:
        seen.append(value)
        return f"<{value}>"

    assert _bound(["a", "b", None, "a", "a"], process) == ("<a>", "<b>", None, "<a>", "<a>")
    assert sorted(seen) == ["a", "b"]  # type: ignore[type-var]


def test_equal_values_of_other_types_and_unhashable_ones_are_converted_apart() -> None:
    # 1 == True == 1.0 as dictionary keys: each must still bind as itself.
    assert _bound([1, True, 1.0, None], repr) == ("1", "True", "1.0", None)
    assert _bound([[1], [1], None], repr) == ("[1]", "[1]", None)


@pytest.mark.parametrize("parameters", [SQLITE_PARAMETERS, 5, 1])
async def test_rows_are_inserted_many_to_a_statement(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch, parameters: int
) -> None:
    # 2 columns: 2, 1 or (at least) 1 row per statement on SQLite; COPY on PostgreSQL.
    monkeypatch.setattr(bulk, "SQLITE_PARAMETERS", parameters)
    table = await temporary_table(
        session, "bulk_rows", Column("n", Integer, primary_key=True), Column("day", Date)
    )
    rows = [(n, date(2026, 1, 1 + n % 28) if n % 3 else None) for n in range(1, 4001)]

    assert await bulk_insert(session, table, ("n", "day"), rows) == 4000
    stored = await session.execute(select(table.c.n, table.c.day).order_by(table.c.n))
    assert [tuple(r) for r in stored] == rows
    await drop_temporary(session, table)


def test_texts_outside_ascii_are_bound_as_copies() -> None:
    # The driver's UTF-8 of a bound str stays inside it: the caller's own str must not get it.
    title, code = "Số hóa hồ sơ " + "x", "NQ57-" + "1"
    bound = _fresh([title, code, None, 5])

    assert bound == (title, code, None, 5)
    assert bound[0] is not title
    assert bound[1] is code
