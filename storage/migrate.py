"""Apply Alembic migrations from inside the running event loop, then seed agencies."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_sessions
from storage.seed import sync_agencies

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    """Alembic config without an ini file: dondoc carries its own script location."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to head and make sure the 56 agencies are present."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade)
    async with make_sessions(engine).begin() as session:
        await sync_agencies(session)
