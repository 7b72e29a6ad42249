"""Alembic environment: runs on the connection dondoc hands over (see storage/migrate.py)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.db import make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def do_run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER goes through batch
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # The same locked, foreign-keys-off transaction as `dondoc db upgrade` (storage/migrate.py).
    from storage.migrate import migration_connection

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    async with migration_connection(engine) as conn:
        await conn.run_sync(do_run_migrations)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    do_run_migrations(connection)
else:  # the plain `alembic` command line
    asyncio.run(_run_async())
