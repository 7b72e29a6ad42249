"""Many rows in few statements: COPY on PostgreSQL, multi-row INSERTs on SQLite; temp tables."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    MetaData,
    Select,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

# Bound parameters in one SQLite statement: SQLITE_MAX_VARIABLE_NUMBER, 32766 by default
# since SQLite 3.32 (999 before).
SQLITE_PARAMETERS = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


async def bulk_insert(
    session: AsyncSession, table: Table, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert rows (tuples in `columns` order); return how many. Triggers fire as usual."""
    # COPY is several times faster than INSERT on PostgreSQL and fires statement triggers
    # once. On SQLite plain tuples go through the driver, many rows to a statement, each
    # value converted by its column type as SQLAlchemy would: its per-row parameter
    # handling otherwise costs more than SQLite's own work.
    conn = await session.connection()
    records = list(rows)
    if not records:
        return 0
    dialect = conn.dialect
    impls = [table.c[c].type.dialect_impl(dialect) for c in columns]
    sqlite = dialect.name == "sqlite"  # COPY takes Python values as they are
    convert = [impl.bind_processor(dialect) if sqlite else None for impl in impls]
    if any(convert) or any(isinstance(impl, String) for impl in impls):
        values = [
            _fresh(seq) if isinstance(impl, String) and f is None
            else seq if f is None
            else _bound(seq, f)
            for impl, f, seq in zip(impls, convert, zip(*records, strict=True), strict=True)
        ]  # fmt: skip
        records = list(zip(*values, strict=True))
    if conn.dialect.driver == "asyncpg":
        import asyncpg  # here: a SQLite process never loads it

        raw = await conn.get_raw_connection()
        copy = raw.driver_connection.copy_records_to_table  # type: ignore[union-attr]
        try:
            await copy(table.name, records=records, columns=columns, schema_name=table.schema)
        except asyncpg.PostgresError as exc:  # past SQLAlchemy: wrap as it would
            kind = IntegrityError if str(exc.sqlstate).startswith("23") else DBAPIError
            raise kind(f"COPY {table.name}", None, exc) from exc
    elif sqlite:
        prepare = dialect.identifier_preparer
        names = ", ".join(prepare.quote(c) for c in columns)
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        head = f"INSERT INTO {prepare.format_table(table)} ({names}) VALUES "
        # Many rows per statement: in a transaction SQLite writes a statement journal of the
        # pages each statement changes (a temporary file), and one row at a time that is
        # millions of small writes for an import's 100,000 tasks and their triggers.
        per = max(1, SQLITE_PARAMETERS // len(columns))
        for start in range(0, len(records), per):
            chunk = records[start : start + per]
            flat = tuple(itertools.chain.from_iterable(chunk))
            await conn.exec_driver_sql(head + ", ".join([marks] * len(chunk)), flat)
    else:
        await conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in records])
    return len(records)


def _fresh(values: Sequence[object]) -> Sequence[object]:
    """A text column's values, those not in ASCII as copies: a driver binding a str keeps its
    UTF-8 inside it for as long as it lives (PyUnicode_AsUTF8AndSize), and an import's
    titles live until it ends (11 MiB more for 100,000 unique ones)."""
    copies: dict[str, str] = {}  # a value repeated on many rows is copied once

    def copy(text: str) -> str:
        return copies.get(text) or copies.setdefault(text, text.encode().decode())

    return tuple(v if type(v) is not str or v.isascii() else copy(v) for v in values)


def _bound(values: Sequence[object], process: Callable[[Any], object]) -> Sequence[object]:
    """One column's values as its type binds them, each distinct value converted once: an
    import's dates and its timestamp repeat on thousands of rows."""
    kinds = {type(v) for v in values} - {type(None)}
    try:
        if len(kinds) <= 1:  # of mixed types, equal keys (1, True) might not bind alike
            done = {v: process(v) for v in set(values) if v is not None}
            return tuple(map(done.get, values))
    except TypeError:  # an unhashable value (JSON)
        pass
    return tuple(v if v is None else process(v) for v in values)


def among(
    column: ColumnElement[Any], values: Sequence[object], dialect: str
) -> ColumnElement[bool]:
    """`column IN values` as a single parameter: an array on PostgreSQL, a JSON array read
    by json_each on SQLite. An IN list of thousands of parameters costs more to build and
    send than the lookups it asks for."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    items: Select[tuple[Any]] = select(literal_column("value")).select_from(
        func.json_each(json.dumps(list(values)))
    )
    return column.in_(items.scalar_subquery())


_NAMES = itertools.count(1)


async def temporary_table(session: AsyncSession, name: str, *columns: Column[object]) -> Table:
    """Create a temporary table for this transaction (dropped at commit on PostgreSQL)."""
    # A fresh name each time: on SQLite a temporary table lives as long as the connection,
    # and a pooled connection may come back with one from an earlier transaction.
    table = Table(
        f"{name}_{next(_NAMES)}",
        MetaData(),
        *columns,
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    conn = await session.connection()
    await conn.run_sync(table.create)
    return table


async def drop_temporary(session: AsyncSession, table: Table) -> None:
    """Drop a temporary table now (SQLite keeps it for the connection's life otherwise)."""
    conn = await session.connection()
    if conn.dialect.name == "sqlite":
        await conn.run_sync(table.drop)
