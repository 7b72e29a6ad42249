"""Migration 0015: snapshot tables, a group's digest schedule, photos in the outbox; and back."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import migration_connection
from tests.storage.test_migration_0007 import _to


async def test_upgrade_keeps_groups_and_messages_and_downgrade_removes_what_it_added(
    blank_engine: AsyncEngine,
) -> None:
    async with migration_connection(blank_engine) as conn:
        await conn.run_sync(_to("0014"))
        await conn.execute(
            text(
                "INSERT INTO chat (id, title, registered_by, registered_at)"
                " VALUES (-100, 'Tổ công tác', 1, CURRENT_TIMESTAMP)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO outbox (key, chat_id, text, status, attempts, created_at, not_before)"
                " VALUES ('nudge:1:2026-12-02', 1, 'a', 'pending', 0, CURRENT_TIMESTAMP,"
                " CURRENT_TIMESTAMP)"
            )
        )
        await conn.run_sync(_to("0015"))
        chat = (
            await conn.execute(text("SELECT title, digest_day, digest_minute FROM chat"))
        ).one()
        assert tuple(chat) == ("Tổ công tác", None, None)
        row = (await conn.execute(text("SELECT key, photo, caption FROM outbox"))).one()
        assert tuple(row) == ("nudge:1:2026-12-02", None, None)
        await conn.execute(
            text(
                "INSERT INTO snapshot_day (day, taken_at) VALUES ('2026-12-01', CURRENT_TIMESTAMP)"
            )
        )
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"snapshot", "snapshot_day"} <= tables

        await conn.run_sync(_to("0014", down=True))
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert not {"snapshot", "snapshot_day"} & tables
        columns = (await conn.execute(text("SELECT * FROM chat"))).keys()
        assert "digest_day" not in columns
        outbox = await conn.execute(text("SELECT * FROM outbox"))
        columns = outbox.keys()
        assert "photo" not in columns
        assert [r.key for r in outbox] == ["nudge:1:2026-12-02"]
        # The pending messages' partial index survives the table rebuild on SQLite.
        indexes = await conn.run_sync(
            lambda c: {i["name"] for i in inspect(c).get_indexes("outbox")}
        )
        assert "ix_outbox_waiting" in indexes
        if conn.dialect.name == "sqlite":
            partial = await conn.execute(
                text("SELECT name FROM pragma_index_list('outbox') WHERE partial = 1")
            )
            assert [r[0] for r in partial] == ["ix_outbox_waiting"]
