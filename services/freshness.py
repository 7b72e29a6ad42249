"""What the in-process caches check before answering: one statement per request.

A warm /status MOF resolves "MOF" (services/lookup_cache.py) and then reports on it
(services/reports.py SummaryCache); both ask `read_freshness`, which runs one SELECT of
scalar subqueries and keeps the answer on the session until the session runs anything else,
flushes, or ends its transaction. So a request pays for one check, however many caches it
consults, and a write in between can never be answered from a stale check. (A write through a
raw driver connection, like the importer's COPY, is not seen; nothing reads a cache between
such a write and the next statement through the session.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import Agency, Program, ReportVersion, Task

MEMO = "dondoc.freshness"


@dataclass(frozen=True, slots=True)
class Freshness:
    """The database's state as far as cached answers depend on it."""

    version: int  # the register version: report figures change only with it
    last_change: datetime | None  # max(task.updated_at): any edit of a task, titles included
    catalog: tuple[int, int]  # highest agency and program ids: what the lookup index holds


def version_column() -> ScalarSelect[int]:
    """The register version as a scalar subquery: what services.reports.register_version
    reads (tests/services/test_report_cache.py checks that they agree)."""
    return select(func.coalesce(func.sum(ReportVersion.version), 0)).scalar_subquery()


# Built once: constructing this statement costs more than running it on a warm SQLite.
COLUMNS = (
    version_column(),
    select(func.max(Task.updated_at)).scalar_subquery(),  # ix_task_updated_at: one probe
    select(func.max(Agency.id)).scalar_subquery(),
    select(func.max(Program.id)).scalar_subquery(),
)
_CHECK = select(*COLUMNS)


async def read_freshness(session: AsyncSession) -> Freshness:
    """The caches' check, read at most once between two other statements of `session`."""
    memo = session.info.get(MEMO)
    if isinstance(memo, Freshness):
        return memo
    if session.new or session.dirty or session.deleted:
        await session.flush()  # as the ORM's autoflush would before a query
    # Core on the session's connection: the ORM layer would double this warm path's cost.
    connection = await session.connection()
    return remember(session, (await connection.execute(_CHECK)).one())


def remember(session: AsyncSession, values: Sequence[Any]) -> Freshness:
    """Keep the check's answer, read as COLUMNS (perhaps carried by another statement of the
    request, such as the caller's resolution), until the session runs anything else."""
    version, last_change, agencies, programs = values
    fresh = Freshness(int(version or 0), last_change, (agencies or 0, programs or 0))
    session.info[MEMO] = fresh
    return fresh


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(MEMO, None)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    _forget(state.session)


event.listen(Session, "after_flush", _forget)
event.listen(Session, "after_transaction_end", _forget)
event.listen(Session, "after_soft_rollback", _forget)
