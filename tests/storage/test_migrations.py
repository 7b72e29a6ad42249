"""The migrated schema matches the models and seeds the 56 agencies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports import register_version
from storage.models import Agency, Program, Task, TaskState, TaskTally
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


async def _tally(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    rows = await session.execute(
        select(TaskTally.agency_id, TaskTally.program_id, TaskTally.state, TaskTally.n)
    )
    return {(a, p, s): n for a, p, s, n in rows if n}


async def _recount(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    program = func.coalesce(Task.program_id, 0)
    rows = await session.execute(
        select(Task.lead_agency_id, program, Task.state, func.count()).group_by(
            Task.lead_agency_id, program, Task.state
        )
    )
    return {(a, p, s): n for a, p, s, n in rows}


async def test_triggers_keep_the_tally_equal_to_a_recount(session: AsyncSession) -> None:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    program = Program(code="P", name="P")
    session.add(program)
    await session.flush()
    session.add_all([
        Task(code="T1", title="a", lead_agency_id=ids["MOF"], deadline=date(2026, 1, 1),
             status="open"),
        Task(code="T2", title="b", lead_agency_id=ids["MOF"], deadline=None, status="open",
             program_id=program.id),
        Task(code="T3", title="c", lead_agency_id=ids["HN"], deadline=date(2026, 1, 1),
             status="done", completed_on=date(2026, 2, 1)),
    ])  # fmt: skip
    await session.flush()
    assert await _tally(session) == await _recount(session)
    assert (await _tally(session))[(ids["HN"], 0, TaskState.DONE_LATE)] == 1
    # Update through Core, as the importer does: state, agency and program all move.
    await session.execute(update(Task).where(Task.code == "T1").values(
        status="done", completed_on=date(2025, 12, 1), lead_agency_id=ids["MOH"],
        program_id=program.id))  # fmt: skip
    await session.execute(update(Task).where(Task.code == "T2").values(title="renamed"))
    await session.execute(delete(Task).where(Task.code == "T3"))
    assert await _tally(session) == await _recount(session)
    assert (await _tally(session))[(ids["MOH"], program.id, TaskState.DONE_ON_TIME)] == 1
    # Cancelled: the task leaves its state for CANCELLED, whatever its deadline; reopened, back.
    await session.execute(update(Task).where(Task.code == "T2").values(status="cancelled"))
    tally = await _tally(session)
    assert tally == await _recount(session)
    assert (ids["MOF"], program.id, TaskState.ROUTINE) not in tally
    assert tally[(ids["MOF"], program.id, TaskState.CANCELLED)] == 1
    await session.execute(update(Task).where(Task.code == "T1").values(status="cancelled"))
    assert (await _tally(session))[(ids["MOH"], program.id, TaskState.CANCELLED)] == 1
    await session.execute(update(Task).where(Task.code.in_(["T1", "T2"])).values(status="open"))
    tally = await _tally(session)
    assert tally == await _recount(session)
    assert (ids["MOH"], program.id, TaskState.OPEN_DATED) in tally
    assert not any(state == TaskState.CANCELLED for _a, _p, state in tally)


async def test_moving_only_a_deadline_expires_cached_reports(session: AsyncSession) -> None:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    session.add(Task(code="D1", title="a", lead_agency_id=ids["MOF"], deadline=date(2026, 11, 1),
                     status="open"))  # fmt: skip
    await session.flush()
    version = await register_version(session)
    await session.execute(update(Task).where(Task.code == "D1").values(deadline=date(2027, 3, 1)))
    assert await register_version(session) > version
