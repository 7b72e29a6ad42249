"""Coverage lines and the data's date, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import coverage, reports
from services.buckets import Summary
from services.coverage import coverage_of
from services.reports import Scope
from storage.models import Agency, Program, Task

TODAY = date(2026, 11, 25)
D = timedelta(days=1)


def test_coverage_counts_agencies_per_bloc_at_the_printed_share() -> None:
    per_agency = {
        1: Summary(done_on_time=7, on_schedule=3),  # 70,0%: reaches 70
        2: Summary(done_on_time=2, overdue=1),  # 66,7%
        3: Summary(),  # leads nothing: not counted
        4: Summary(overdue=2),
        5: Summary(done_late=2, routine=1),  # an added unit
    }
    kinds = {1: "ministry", 2: "agency", 3: "ministry", 4: "province", 5: "other"}
    result = coverage_of(per_agency, kinds, 70)
    assert [(b.name, b.agencies, b.with_overdue, b.at_threshold) for b in result.blocs] == [
        ("central", 2, 1, 1),
        ("local", 1, 1, 0),
        ("other", 1, 0, 0),
    ]
    assert (result.agencies, result.with_overdue, result.at_threshold) == (4, 2, 1)
    assert result.blocs[0].summary == Summary(done_on_time=9, on_schedule=3, overdue=1)
    no_other = coverage_of({1: Summary(overdue=1)}, {1: "city"}, 70)
    assert [b.name for b in no_other.blocs] == ["central", "local"]


async def test_coverage_of_the_register(session: AsyncSession) -> None:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    program = Program(code="NQ57", name="Nghị quyết 57")
    session.add(program)
    await session.flush()
    session.add_all(
        [
            Task(code="A", title="a", lead_agency_id=ids["MOF"], deadline=TODAY - D,
                 status="open", program_id=program.id),
            Task(code="B", title="b", lead_agency_id=ids["MOH"], deadline=TODAY - D,
                 status="done", completed_on=TODAY - D),
            Task(code="C", title="c", lead_agency_id=ids["HN"], deadline=TODAY + D,
                 status="open", program_id=program.id),
        ]
    )  # fmt: skip
    await session.flush()
    everyone = await coverage.coverage(session, today=TODAY, threshold=70)
    assert (everyone.agencies, everyone.with_overdue, everyone.at_threshold) == (3, 1, 1)
    scoped = await coverage.coverage(
        session, today=TODAY, threshold=70, scope=Scope(program_id=program.id)
    )
    assert [(b.name, b.agencies) for b in scoped.blocs] == [("central", 1), ("local", 1)]


async def test_the_datas_date_is_the_latest_change(session: AsyncSession) -> None:
    assert await coverage.data_updated_at(session) is None
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    session.add_all(
        Task(code=c, title=c, lead_agency_id=ids["MOF"], status="open") for c in ("X", "Y")
    )
    await session.flush()
    latest = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    await session.execute(update(Task).values(updated_at=datetime(2026, 11, 1, tzinfo=UTC)))
    await session.execute(update(Task).where(Task.code == "Y").values(updated_at=latest))
    found = await coverage.data_updated_at(session)
    assert found == latest
    assert found is not None
    assert found.tzinfo is not None  # aware on SQLite too


async def test_lagging_completion_is_the_share_status_prints(session: AsyncSession) -> None:
    ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
    rows = [("done", TODAY - D)] * 16 + [("open", None)] * 13
    session.add_all(
        Task(code=f"M{n}", title="m", lead_agency_id=ids["MOF"], deadline=TODAY - 3 * D
             if status == "open" and n < 19 else TODAY + D, status=status, completed_on=done)
        for n, (status, done) in enumerate(rows)
    )  # fmt: skip
    session.add_all(
        Task(code=f"R{n}", title="r", lead_agency_id=ids["MOF"], status="open") for n in range(6)
    )
    await session.flush()
    summary = await reports.summarize(session, today=TODAY, scope=Scope(agency_id=ids["MOF"]))
    [standing] = await reports.lagging(session, today=TODAY)
    assert summary.shares()["completed"] == standing.completion == 45.7  # 16 of 35
