"""Migration 0006: programs named in full get their short codes; task.updated_at is indexed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_engine
from storage.migrate import alembic_config, migration_connection


def _to(revision: str) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    return run


async def test_programs_named_in_full_get_short_codes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        async with migration_connection(engine) as conn:
            await conn.run_sync(_to("0005"))
            for code, name in [
                ("Nghị quyết 57-NQ/TW", "Nghị quyết 57-NQ/TW"),  # an older import's program
                ("Đề án 06", "Đề án 06"),
                ("CCHC", "Cải cách hành chính"),  # already a code: kept
                ("Nghị quyết 57 của Bộ Chính trị", "Nghị quyết 57 của Bộ Chính trị"),
            ]:
                await conn.execute(
                    text("INSERT INTO program (code, name) VALUES (:c, :n)"),
                    {"c": code, "n": name},
                )
            await conn.run_sync(_to("0006"))
            rows = (await conn.execute(text("SELECT code, name FROM program ORDER BY id"))).all()
        assert [tuple(r) for r in rows] == [
            ("NQ57", "Nghị quyết 57-NQ/TW"),
            ("DA06", "Đề án 06"),
            ("CCHC", "Cải cách hành chính"),
            ("NQ57-2", "Nghị quyết 57 của Bộ Chính trị"),  # two programs never share a code
        ]
    finally:
        await engine.dispose()


async def test_updated_at_is_indexed(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        indexes = await conn.run_sync(lambda c: inspect(c).get_indexes("task"))
    assert any(ix["column_names"] == ["updated_at"] for ix in indexes)
