"""Session factories and import arguments shared by the storage and service tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.audit import Actor
from storage.db import Sessions
from storage.models import EventSource

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
ACTOR = Actor(None, "tasks.csv", EventSource.CLI)


def savepoints(session: AsyncSession) -> Sessions:
    """Sessions inside `session`'s (rolled-back) transaction: each begin() is a savepoint."""
    return async_sessionmaker(
        bind=session.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
