"""Database failures are told apart: locked, deadlock, constraint, unreachable, or a bug."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.__main__ import main
from services import importer
from storage.db import make_engine
from storage.errors import db_error_reason, describe_db_error, is_retryable
from tests.conftest import PG_URL


async def _failure(engine: AsyncEngine, statement: str) -> BaseException:
    async with engine.connect() as conn:
        with pytest.raises(SQLAlchemyError) as caught:
            await conn.execute(text(statement))
        return caught.value


async def test_a_broken_constraint(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        await session.execute(text("INSERT INTO agency (code, kind, name_vi, name_en, aliases)"
                                   " VALUES ('MOF', 'ministry', 'x', 'x', '')"))  # fmt: skip
    assert describe_db_error(caught.value) == "db-constraint"
    assert "agency" in db_error_reason(caught.value)  # the constraint or the column it names


async def test_a_bug_is_not_a_database_condition(session: AsyncSession) -> None:
    with pytest.raises(DBAPIError) as caught:
        await session.execute(text("SELECT no_such_column FROM agency"))
    assert describe_db_error(caught.value) is None
    assert describe_db_error(ValueError("x")) is None


async def test_sqlite_locked_by_another_writer(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'l.db'}")
    try:
        async with engine.connect() as holder, engine.connect() as waiter:
            await holder.execute(text("CREATE TABLE t (x INTEGER)"))
            await holder.commit()
            await holder.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock
            await waiter.execute(text("PRAGMA busy_timeout = 20"))
            with pytest.raises(DBAPIError) as caught:
                await waiter.execute(text("INSERT INTO t VALUES (2)"))
            await holder.rollback()
    finally:
        await engine.dispose()
    assert describe_db_error(caught.value) == "db-locked"
    assert is_retryable(caught.value)


@pytest.mark.pg
@pytest.mark.parametrize("blank_engine", ["postgresql"], indirect=True)
async def test_postgresql_deadlock(fresh_engine: AsyncEngine) -> None:
    async with fresh_engine.connect() as one, fresh_engine.connect() as two:
        await one.execute(text("UPDATE agency SET aliases = aliases WHERE id = 1"))
        await two.execute(text("UPDATE agency SET aliases = aliases WHERE id = 2"))
        crossed = await asyncio.gather(
            one.execute(text("UPDATE agency SET aliases = aliases WHERE id = 2")),
            two.execute(text("UPDATE agency SET aliases = aliases WHERE id = 1")),
            return_exceptions=True,
        )
        await one.rollback()
        await two.rollback()
    failures = [f for f in crossed if isinstance(f, BaseException)]
    assert [describe_db_error(f) for f in failures] == ["db-deadlock"]
    assert is_retryable(failures[0])


async def test_unreachable_databases(tmp_path: Path) -> None:
    urls = ["sqlite+aiosqlite:////nonexistent/dir/x.db"]
    if PG_URL:
        base = PG_URL.rsplit("/", 1)[0]
        urls += [f"{base}/no_such_database_a1", "postgresql+asyncpg://postgres@127.0.0.1:1/x"]
    for url in urls:
        engine = make_engine(url)
        try:
            with pytest.raises((SQLAlchemyError, OSError)) as caught:
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()
        assert describe_db_error(caught.value) == "startup-db-unreachable", url


def test_the_cli_import_says_the_database_was_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = asyncio.run(_locked_error(tmp_path))

    async def refuse(*_args: object, **_kwargs: object) -> importer.ImportReport:
        raise locked

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    monkeypatch.setattr(importer, "import_tasks", refuse)
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["code", "title", "agency"], ["T1", "a", "MOF"]])

    assert main(["import", str(path)]) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == (
        "dondoc: t.csv: the database is locked by another process (database is locked); "
        "please run the command again when that process has finished"
    )


async def _locked_error(tmp_path: Path) -> BaseException:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'locked.db'}")
    try:
        async with engine.connect() as holder, engine.connect() as waiter:
            await holder.execute(text("CREATE TABLE t (x INTEGER)"))
            await holder.commit()
            await holder.execute(text("INSERT INTO t VALUES (1)"))
            await waiter.execute(text("PRAGMA busy_timeout = 20"))
            try:
                await waiter.execute(text("INSERT INTO t VALUES (2)"))
            except DBAPIError as exc:
                return exc
            finally:
                await holder.rollback()
    finally:
        await engine.dispose()
    raise AssertionError("no lock error")
