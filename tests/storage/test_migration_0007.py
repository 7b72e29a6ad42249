"""Migration 0007: members keep who invited them; existing members and a downgrade survive."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import alembic_config, migration_connection


def _to(revision: str, *, down: bool = False) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    return run


async def test_members_gain_invited_by_and_lose_it_on_downgrade(blank_engine: AsyncEngine) -> None:
    async with migration_connection(blank_engine) as conn:
        await conn.run_sync(_to("0006"))
        await conn.execute(
            text(
                "INSERT INTO member (user_id, role, name, created_at)"
                " VALUES (5, 'lead', 'An', CURRENT_TIMESTAMP)"
            )
        )
        await conn.run_sync(_to("0007"))
        await conn.execute(
            text("UPDATE member SET invited_by = 77, invited_at = created_at WHERE user_id = 5")
        )
        row = (await conn.execute(text("SELECT name, invited_by FROM member"))).one()
        assert tuple(row) == ("An", 77)
        await conn.run_sync(_to("0006", down=True))
        columns = (await conn.execute(text("SELECT * FROM member"))).keys()
        assert "invited_by" not in columns
        assert (await conn.execute(text("SELECT name FROM member"))).scalar() == "An"
