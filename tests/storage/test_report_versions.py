"""Per-agency report versions move only with report-relevant changes; tallies stay exact."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports import expire_reports, register_version
from storage.models import Agency, Program, Task, TaskTally, code_key
from tests.sessions import NOW

DAY = date(2026, 11, 25)


async def _ids(session: AsyncSession) -> dict[str, int]:
    return dict((await session.execute(select(Agency.code, Agency.id))).all())


def _task(code: str, agency: int, **fields: Any) -> Task:
    values: dict[str, Any] = {"title": code, "deadline": DAY, "status": "open"} | fields
    return Task(code=code, lead_agency_id=agency, **values)


async def _versions(session: AsyncSession, *agencies: int) -> tuple[int, ...]:
    """The register's version, then each agency's."""
    each = [await register_version(session, a) for a in agencies]
    return (await register_version(session), *each)


@pytest.mark.parametrize(
    "change",
    [{"progress": 40}, {"notes": "đã họp"}, {"title": "Tên mới"}, {"source": "KH 02"}],
    ids=["progress", "notes", "title", "source"],
)
async def test_a_change_reports_do_not_read_leaves_every_version(
    session: AsyncSession, change: dict[str, Any]
) -> None:
    ids = await _ids(session)
    session.add_all([_task("V1", ids["MOF"]), _task("V2", ids["MOH"])])
    await session.flush()
    before = await _versions(session, ids["MOF"], ids["MOH"])

    await session.execute(update(Task).where(Task.code == "V1").values(**change))

    assert await _versions(session, ids["MOF"], ids["MOH"]) == before


@pytest.mark.parametrize(
    "change",
    [
        {"deadline": DAY + timedelta(days=30)},
        {"deadline": None},
        {"status": "in_progress"},
        {"status": "done", "completed_on": DAY},
        {"status": "cancelled"},
    ],
    ids=["deadline", "no-deadline", "status", "done", "cancelled"],
)
async def test_a_report_relevant_change_bumps_only_its_agency(
    session: AsyncSession, change: dict[str, Any]
) -> None:
    ids = await _ids(session)
    session.add_all([_task("V1", ids["MOF"]), _task("V2", ids["MOH"])])
    await session.flush()
    total, mof, moh = await _versions(session, ids["MOF"], ids["MOH"])

    await session.execute(update(Task).where(Task.code == "V1").values(**change))

    after_total, after_mof, after_moh = await _versions(session, ids["MOF"], ids["MOH"])
    assert (after_total > total, after_mof > mof, after_moh) == (True, True, moh)


async def test_moving_a_task_bumps_both_agencies_and_a_program_change_its_agency(
    session: AsyncSession,
) -> None:
    ids = await _ids(session)
    program = Program(code="P", name="P")
    session.add_all([program, _task("V1", ids["MOF"]), _task("V2", ids["HN"])])
    await session.flush()
    _, mof, moh, hn = await _versions(session, ids["MOF"], ids["MOH"], ids["HN"])

    await session.execute(update(Task).where(Task.code == "V1").values(lead_agency_id=ids["MOH"]))
    await session.execute(update(Task).where(Task.code == "V2").values(program_id=program.id))

    _, *after = await _versions(session, ids["MOF"], ids["MOH"], ids["HN"])
    assert [a > b for a, b in zip(after, (mof, moh, hn), strict=True)] == [True, True, True]


async def test_inserts_deletes_and_expire_reports_move_versions(session: AsyncSession) -> None:
    ids = await _ids(session)
    _, mof = await _versions(session, ids["MOF"])
    session.add(_task("V1", ids["MOF"]))
    await session.flush()
    _, added = await _versions(session, ids["MOF"])
    await session.execute(delete(Task).where(Task.code == "V1"))
    _, deleted = await _versions(session, ids["MOF"])
    await expire_reports(session)
    total, expired = await _versions(session, ids["MOF"])

    assert mof < added < deleted < expired
    assert await register_version(session, ids["HN"]) < total  # row 0 counts for everyone


async def test_one_statement_over_many_rows_bumps_each_agency_once_on_postgresql(
    session: AsyncSession,
) -> None:
    ids = await _ids(session)
    session.add_all([_task(f"M{i}", ids["MOF" if i % 2 else "MOH"]) for i in range(10)])
    await session.flush()
    _, mof, moh, hn = await _versions(session, ids["MOF"], ids["MOH"], ids["HN"])

    await session.execute(
        update(Task).where(Task.code.like("M%")).values(deadline=DAY + timedelta(days=1))
    )

    _, *after = await _versions(session, ids["MOF"], ids["MOH"], ids["HN"])
    per_statement = session.get_bind().dialect.name == "postgresql"
    assert after == ([mof + 1, moh + 1, hn] if per_statement else [mof + 5, moh + 5, hn])


async def tally(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    rows = await session.execute(
        select(TaskTally.agency_id, TaskTally.program_id, TaskTally.state, TaskTally.n)
    )
    return {(a, p, s): n for a, p, s, n in rows if n}


async def recount(session: AsyncSession) -> dict[tuple[int, int, int], int]:
    program = func.coalesce(Task.program_id, 0)
    rows = await session.execute(
        select(Task.lead_agency_id, program, Task.state, func.count()).group_by(
            Task.lead_agency_id, program, Task.state
        )
    )
    return {(a, p, s): n for a, p, s, n in rows}


def _random_fields(rng: random.Random, agencies: list[int], programs: list[int]) -> dict[str, Any]:
    deadline = None if rng.random() < 0.2 else DAY + timedelta(days=rng.randint(-90, 90))
    done = rng.random() < 0.4
    completed = DAY - timedelta(days=rng.randint(-5, 60)) if done else None
    return {
        "lead_agency_id": rng.choice(agencies),
        "program_id": rng.choice([None, *programs]),
        "deadline": deadline,
        # Cancelled and back: a cancelled task's tally row is its own state's.
        "status": "done" if done else rng.choice(["open", "in_progress", "cancelled"]),
        "completed_on": completed,
        "progress": rng.randrange(0, 101),
    }


async def test_tally_equals_a_recount_after_a_random_mix_of_writes(session: AsyncSession) -> None:
    rng = random.Random(7)
    agencies = list((await _ids(session)).values())[:6]
    programs = []
    for name in ("P1", "P2"):
        program = Program(code=name, name=name)
        session.add(program)
        await session.flush()
        programs.append(program.id)
    codes: list[str] = []
    for step in range(60):
        action = rng.random()
        if action < 0.35 or len(codes) < 5:  # a multi-row INSERT statement
            new = [f"R{step}-{i}" for i in range(rng.randint(1, 8))]
            rows = [
                {"code": c, "code_key": code_key(c), "title": c, "source": "", "notes": "",
                 "created_at": NOW, "updated_at": NOW, "version": 1}
                | _random_fields(rng, agencies, programs)
                for c in new
            ]  # fmt: skip
            await session.execute(insert(Task), rows)
            codes += new
        elif action < 0.8:  # one UPDATE statement over several rows, some columns
            chosen = rng.sample(codes, rng.randint(1, min(10, len(codes))))
            fields = _random_fields(rng, agencies, programs)
            some = dict(rng.sample(sorted(fields.items()), rng.randint(1, len(fields))))
            if "status" in some or "completed_on" in some:
                some |= {k: fields[k] for k in ("status", "completed_on")}
            await session.execute(update(Task).where(Task.code.in_(chosen)).values(**some))
        else:  # one DELETE statement over several rows
            gone = rng.sample(codes, rng.randint(1, min(6, len(codes))))
            await session.execute(delete(Task).where(Task.code.in_(gone)))
            codes = [c for c in codes if c not in gone]
        assert await tally(session) == await recount(session), f"step {step}"
