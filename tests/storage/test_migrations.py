"""The migrated schema matches the models and seeds the 56 agencies."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency
from storage.seed import seed_agencies, sync_agencies


async def test_upgrade_seeds_all_agencies(session: AsyncSession) -> None:
    count = await session.scalar(select(func.count()).select_from(Agency))
    assert count == len(seed_agencies()) == 56


async def test_sync_agencies_is_idempotent(session: AsyncSession) -> None:
    assert await sync_agencies(session) == 0
    mof = await session.scalar(select(Agency).where(Agency.code == "MOF"))
    assert mof is not None
    mof.name_en = "changed"
    await session.flush()
    assert await sync_agencies(session) == 1
    assert mof.name_en == "Ministry of Finance"
