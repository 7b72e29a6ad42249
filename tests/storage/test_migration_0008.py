"""Migration 0008: a group may be one agency's or programme's; groups and a downgrade survive."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.migrate import migration_connection
from tests.storage.test_migration_0007 import _to


async def test_groups_gain_a_scope_that_must_exist_and_lose_it_on_downgrade(
    blank_engine: AsyncEngine,
) -> None:
    async with migration_connection(blank_engine) as conn:
        await conn.run_sync(_to("0007"))
        await conn.execute(
            text(
                "INSERT INTO chat (id, title, registered_by, registered_at)"
                " VALUES (-100, 'Tổ công tác', 1, CURRENT_TIMESTAMP)"
            )
        )
        await conn.run_sync(_to("0008"))
        await conn.execute(
            text(
                "INSERT INTO agency (id, code, kind, name_vi, name_en, aliases)"
                " VALUES (7, 'MOF', 'ministry', 'Bộ Tài chính', 'Ministry of Finance', '')"
            )
        )
        mof = 7
        await conn.execute(text(f"UPDATE chat SET agency_id = {mof} WHERE id = -100"))
        row = (await conn.execute(text("SELECT title, agency_id, program_id FROM chat"))).one()
        assert tuple(row) == ("Tổ công tác", mof, None)
    with pytest.raises(IntegrityError):  # no group of an agency that does not exist
        async with blank_engine.begin() as conn:
            await conn.execute(text("UPDATE chat SET agency_id = 999999 WHERE id = -100"))
    async with migration_connection(blank_engine) as conn:
        await conn.run_sync(_to("0007", down=True))
        columns = (await conn.execute(text("SELECT * FROM chat"))).keys()
        assert "agency_id" not in columns
        assert (await conn.execute(text("SELECT title FROM chat"))).scalar() == "Tổ công tác"
