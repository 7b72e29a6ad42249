"""Report queries on SQLite and PostgreSQL agree with the pure bucket rules."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import extensions, reports
from services.buckets import Bucket, Summary, bucket_of
from services.reports import Scope
from storage.models import Agency, Program, Status, Task, TaskTally

TODAY = date(2026, 11, 25)


async def _agency_ids(session: AsyncSession) -> dict[str, int]:
    return dict((await session.execute(select(Agency.code, Agency.id))).all())


def _task(
    code: str,
    agency_id: int,
    deadline: date | None,
    status: Status,
    completed_on: date | None = None,
    program_id: int | None = None,
) -> Task:
    return Task(
        code=code,
        title=f"Task {code}",
        lead_agency_id=agency_id,
        deadline=deadline,
        status=status.value,
        completed_on=completed_on,
        program_id=program_id,
    )


async def _random_register(session: AsyncSession, n: int = 400) -> list[Task]:
    rng = random.Random(7)
    ids = list((await _agency_ids(session)).values())
    tasks = []
    for i in range(n):
        deadline = None if rng.random() < 0.15 else TODAY + timedelta(days=rng.randint(-90, 90))
        status = rng.choice(list(Status))
        completed = (
            (deadline or TODAY) + timedelta(days=rng.randint(-20, 20))
            if status is Status.DONE
            else None
        )
        tasks.append(_task(f"R-{i}", rng.choice(ids), deadline, status, completed))
    session.add_all(tasks)
    await session.flush()
    return tasks


def _expected(tasks: list[Task]) -> Counter[Bucket]:
    return Counter(
        bucket_of(
            done=t.status == Status.DONE.value,
            deadline=t.deadline,
            completed_on=t.completed_on,
            today=TODAY,
        )
        for t in tasks
    )


def _counted(tasks: list[Task]) -> list[Task]:
    """The tasks reports count: cancelled ones are outside every total."""
    return [t for t in tasks if t.status != Status.CANCELLED.value]


async def test_sql_buckets_match_the_pure_rule(session: AsyncSession) -> None:
    every = await _random_register(session)
    tasks = _counted(every)
    summary = await reports.summarize(session, today=TODAY)
    expected = _expected(tasks)
    assert summary.total == len(tasks) < len(every)
    assert summary.as_dict() == {
        "total": len(tasks),
        "done_on_time": expected[Bucket.DONE_ON_TIME],
        "done_late": expected[Bucket.DONE_LATE],
        "on_schedule": expected[Bucket.ON_SCHEDULE],
        "overdue": expected[Bucket.OVERDUE],
        "routine": expected[Bucket.ROUTINE],
        "due_by_year_end": sum(
            1
            for t in tasks
            if t.status != "done" and t.deadline and TODAY <= t.deadline <= date(2026, 12, 31)
        ),
        "cancelled": len(every) - len(tasks),
    }


async def test_the_summarys_overdue_count_is_the_overdue_lists_size(
    session: AsyncSession,
) -> None:
    # /overdue takes its total from the summary (the tallies) instead of counting the list.
    tasks = await _random_register(session)
    ids = await _agency_ids(session)
    scopes = [Scope(), Scope(agency_id=ids["MOF"]), Scope(agency_id=tasks[0].lead_agency_id)]
    for day in (TODAY, TODAY + timedelta(days=45), TODAY - timedelta(days=60)):
        for scope in scopes:
            summary = await reports.summarize(session, today=day, scope=scope)
            listed = await reports.list_overdue(session, today=day, scope=scope, size=1000)
            assert summary.overdue == listed.total == len(listed.lines), (day, scope)


async def test_committee_report_splits_central_and_local(session: AsyncSession) -> None:
    tasks = _counted(await _random_register(session))
    report = await reports.committee_report(session, today=TODAY)
    kinds = dict((await session.execute(select(Agency.id, Agency.kind))).all())
    central = [t for t in tasks if kinds[t.lead_agency_id] in ("ministry", "agency")]
    assert report.central.total == len(central)
    assert report.local.total == len(tasks) - len(central)
    assert report.total == report.central + report.local


async def test_agency_and_program_scopes(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    program = Program(code="NQ57", name="Nghị quyết 57")
    session.add(program)
    await session.flush()
    session.add_all(
        [
            _task("A1", ids["MOF"], TODAY - timedelta(days=3), Status.OPEN, program_id=program.id),
            _task("A2", ids["MOF"], TODAY, Status.IN_PROGRESS),
            _task("A3", ids["MOH"], None, Status.OPEN, program_id=program.id),
        ]
    )
    await session.flush()
    mof = await reports.summarize(session, today=TODAY, scope=Scope(agency_id=ids["MOF"]))
    assert (mof.total, mof.overdue, mof.on_schedule) == (2, 1, 1)
    prog = await reports.summarize(session, today=TODAY, scope=Scope(program_id=program.id))
    assert (prog.total, prog.overdue, prog.routine) == (2, 1, 1)


async def test_overdue_list_is_most_overdue_first_and_paginated(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add_all(
        [
            _task(f"O{d:02d}", ids["MOF"], TODAY - timedelta(days=d), Status.OPEN)
            for d in range(1, 26)
        ]
    )
    session.add(_task("DONE", ids["MOF"], TODAY - timedelta(days=90), Status.DONE, TODAY))
    await session.flush()
    first = await reports.list_overdue(session, today=TODAY, size=10)
    assert (first.total, first.pages, first.page) == (25, 3, 0)
    assert [line.code for line in first.lines[:2]] == ["O25", "O24"]
    last = await reports.list_overdue(session, today=TODAY, size=10, page=99)
    assert last.page == 2
    assert [line.code for line in last.lines] == ["O05", "O04", "O03", "O02", "O01"]


async def test_due_list_covers_today_through_n_days(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add_all(
        [_task(f"D{d}", ids["HN"], TODAY + timedelta(days=d), Status.OPEN) for d in range(-1, 10)]
    )
    await session.flush()
    page = await reports.list_due(session, today=TODAY, days=7)
    assert [line.code for line in page.lines] == [f"D{d}" for d in range(8)]


async def test_lagging_names_agencies_with_overdue_tasks(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    late = TODAY - timedelta(days=5)
    session.add_all(
        [
            *(_task(f"H{i}", ids["HN"], late, Status.OPEN) for i in range(3)),
            *(_task(f"F{i}", ids["MOF"], late, Status.OPEN) for i in range(2)),
            _task("Y1", ids["MOH"], TODAY, Status.OPEN),
        ]
    )
    await session.flush()
    ranked = await reports.lagging(session, today=TODAY)
    assert [s.code for s in ranked] == ["HN", "MOF"]


async def test_lagging_ranks_ten_agencies_at_most(session: AsyncSession) -> None:
    ids = sorted((await _agency_ids(session)).items())[:11]
    late = TODAY - timedelta(days=5)
    session.add_all(_task(f"L-{code}", aid, late, Status.OPEN) for code, aid in ids)
    await session.flush()
    ranked = await reports.lagging(session, today=TODAY)
    assert [s.code for s in ranked] == [code for code, _ in ids[:10]]  # equals: by code


async def test_lists_break_ties_by_code_ten_to_a_page(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    late, soon = TODAY - timedelta(days=1), TODAY + timedelta(days=reports.DUE_SOON)
    # Written in reverse: the order must come from the codes, not from how rows were stored.
    session.add_all(_task(f"T{i:02d}", ids["MOF"], late, Status.OPEN) for i in range(12, 0, -1))
    session.add_all(_task(f"U{i:02d}", ids["MOF"], soon, Status.OPEN) for i in range(12, 0, -1))
    await session.flush()
    scope = Scope(agency_id=ids["MOF"])
    overdue = await reports.list_overdue(session, today=TODAY, scope=scope)
    upcoming = await reports.list_due(session, today=TODAY, days=None, scope=scope)
    for page, prefix in ((overdue, "T"), (upcoming, "U")):
        assert [line.code for line in page.lines] == [f"{prefix}{i:02d}" for i in range(1, 11)]
        assert (page.total, page.pages) == (12, 2)
    report = await reports.status_report(session, today=TODAY, scope=scope)
    assert isinstance(report, reports.AgencyReport)
    assert [line.code for line in report.overdue.lines] == [f"T0{i}" for i in range(1, 6)]
    # The last of the DUE_SOON days is still "coming due".
    assert [line.code for line in report.due.lines] == [f"U0{i}" for i in range(1, 6)]


async def test_a_short_overdue_preview_is_one_page(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add(_task("A1", ids["MOH"], TODAY - timedelta(days=1), Status.OPEN))
    await session.flush()
    scope = Scope(agency_id=ids["MOH"])
    report = await reports.status_report(session, today=TODAY, scope=scope)
    assert isinstance(report, reports.AgencyReport)
    preview = await reports.list_overdue(session, today=TODAY, scope=scope, size=reports.PREVIEW)
    assert report.overdue == preview
    assert (preview.total, preview.pages) == (1, 1)


async def test_programs_are_listed_by_name(session: AsyncSession) -> None:
    session.add_all([Program(code="QP", name="Quốc phòng"), Program(code="AN", name="An ninh")])
    await session.flush()
    assert [p.code for p in await reports.list_programs(session)] == ["AN", "QP"]


async def test_get_task_is_case_insensitive_and_loads_relations(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add(_task("NQ57-001", ids["MOST"], None, Status.OPEN))
    await session.flush()
    found = await reports.get_task(session, code=" nq57-001 ")
    assert found is not None
    assert found.lead_agency.code == "MOST"
    assert found.coordinators == []
    assert await reports.get_task(session, code="nope") is None


async def test_summary_cache_serves_until_the_register_changes(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    cache = reports.SummaryCache()
    session.add(_task("C1", ids["MOF"], TODAY, Status.OPEN))
    await session.flush()
    assert (await reports.summarize(session, today=TODAY, cache=cache)).total == 1
    version = await reports.register_version(session)
    # Any write to task moves the version (a trigger), so the cache cannot serve stale counts.
    session.add(_task("C2", ids["MOF"], TODAY, Status.OPEN))
    await session.flush()
    assert await reports.register_version(session) > version
    assert (await reports.summarize(session, today=TODAY, cache=cache)).total == 2
    # Another day is another key: "overdue" depends on today.
    later = await reports.summarize(session, today=TODAY + timedelta(days=1), cache=cache)
    assert later.overdue == 2


async def test_cache_hit_does_not_recount(session: AsyncSession) -> None:
    cache = reports.SummaryCache()
    first = await reports.summarize_by_agency(session, today=TODAY, cache=cache)
    await session.execute(delete(TaskTally))  # the cache must not look at the tally again
    assert await reports.summarize_by_agency(session, today=TODAY, cache=cache) is first
    await reports.expire_reports(session)
    assert await reports.summarize_by_agency(session, today=TODAY, cache=cache) == {}


async def test_due_without_a_window_lists_every_upcoming_task(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add_all([
        _task("U1", ids["HN"], TODAY + timedelta(days=1), Status.OPEN),
        _task("U2", ids["HN"], TODAY + timedelta(days=400), Status.OPEN),
        _task("U3", ids["HN"], TODAY - timedelta(days=1), Status.OPEN),
    ])  # fmt: skip
    await session.flush()
    page = await reports.list_due(session, today=TODAY, days=None)
    assert (page.total, [line.code for line in page.lines]) == (2, ["U1", "U2"])
    summary = await reports.summarize(session, today=TODAY)
    assert summary.on_schedule == page.total  # what /status <agency> passes as the total


async def test_get_task_finds_mixed_case_codes_too(session: AsyncSession) -> None:
    ids = await _agency_ids(session)
    session.add(_task("Nq57-Ab", ids["MOST"], None, Status.OPEN))
    await session.flush()
    for typed in ("Nq57-Ab", "NQ57-AB", "nq57-ab"):
        found = await reports.get_task(session, code=typed)
        assert found is not None
        assert found.code == "Nq57-Ab"


async def test_cancelled_tasks_leave_lists_and_totals_until_reopened(
    session: AsyncSession,
) -> None:
    ids = await _agency_ids(session)
    session.add_all([
        _task("X1", ids["MOF"], TODAY - timedelta(days=3), Status.OPEN),
        _task("X2", ids["MOF"], TODAY + timedelta(days=3), Status.IN_PROGRESS),
        _task("X3", ids["MOF"], None, Status.OPEN),
        _task("X4", ids["MOF"], TODAY - timedelta(days=9), Status.DONE, TODAY),
    ])  # fmt: skip
    await session.flush()
    scope = Scope(agency_id=ids["MOF"])
    before = await reports.summarize(session, today=TODAY, scope=scope)
    assert (before.total, before.cancelled) == (4, 0)

    await session.execute(update(Task).where(Task.code == "X1").values(original_deadline=TODAY))
    assert await extensions.count_extended(session, scope=scope) == 1
    await session.execute(update(Task).where(Task.code != "X4").values(status="cancelled"))
    assert await extensions.count_extended(session, scope=scope) == 0
    after = await reports.summarize(session, today=TODAY, scope=scope)
    assert after == Summary(done_late=1, cancelled=3)
    assert (await reports.list_overdue(session, today=TODAY, scope=scope)).total == 0
    assert (await reports.list_due(session, today=TODAY, days=None, scope=scope)).total == 0
    report = await reports.status_report(session, today=TODAY, scope=scope)
    assert isinstance(report, reports.AgencyReport)
    assert (report.overdue.lines, report.due.lines) == ((), ())
    committee = await reports.committee_report(session, today=TODAY)
    assert (committee.total.total, committee.total.cancelled) == (1, 3)
    assert await reports.lagging(session, today=TODAY) == []

    await session.execute(update(Task).where(Task.code == "X1").values(status="open"))
    await session.execute(update(Task).where(Task.code == "X2").values(status="in_progress"))
    await session.execute(update(Task).where(Task.code == "X3").values(status="open"))
    assert await reports.summarize(session, today=TODAY, scope=scope) == before
