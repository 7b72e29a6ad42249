"""The caches' one freshness check: what it sees, when it is read again, what it refreshes."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import literal, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from rendering import reports as report_views
from rendering.text import Html
from services import catalog, freshness, reports
from services.access import COMMAND_LINE
from services.figures import Scope
from services.freshness import read_freshness
from services.importer import import_tasks, read_rows
from services.lookup_cache import LookupCache, load_index
from storage.db import make_sessions, recorded
from storage.models import Agency, Program, Task
from tests.fresh_db import BACKENDS, empty_database
from tests.sessions import ACTOR, savepoints

TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
ADMIN, GROUP = 1001, -100123


async def _mof(session: AsyncSession) -> int:
    return int(await session.scalar(select(Agency.id).where(Agency.code == "MOF")) or 0)


def _task(code: str, agency_id: int, deadline: date | None, title: str = "t") -> Task:
    return Task(code=code, title=title, lead_agency_id=agency_id, deadline=deadline)


async def test_the_check_reads_the_register_version(session: AsyncSession) -> None:
    for step in range(3):
        session.add(_task(f"V{step}", await _mof(session), TODAY))
        await session.flush()
        fresh = await read_freshness(session)
        assert fresh.version == await reports.register_version(session)
        assert fresh.last_change is not None


async def test_the_check_is_read_once_until_another_statement(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    mof = await _mof(session)
    with recorded(engine) as seen:
        first = await read_freshness(session)
        assert await read_freshness(session) is first
        assert len(seen) == 1
        # Anything else the session runs may have changed the answer: read it again.
        await session.execute(update(Task).where(Task.id == -1).values(progress=1))
        await read_freshness(session)
        session.add(_task("F1", mof, TODAY))
        await session.flush()
        after_flush = await read_freshness(session)
        assert [s.split()[0] for s in seen] == ["SELECT", "UPDATE", "SELECT", "INSERT", "SELECT"]
        assert after_flush.version > first.version
    await session.commit()  # the end of the transaction forgets it too
    with recorded(engine) as seen:
        await read_freshness(session)
        assert len(seen) == 1


async def test_pending_changes_are_flushed_before_the_check(session: AsyncSession) -> None:
    cache = reports.SummaryCache()
    assert (await reports.summarize(session, today=TODAY, cache=cache)).total == 0
    session.add(_task("P1", await _mof(session), TODAY))  # not flushed yet
    assert (await reports.summarize(session, today=TODAY, cache=cache)).total == 1


async def test_an_edit_not_yet_flushed_is_flushed_before_the_check(
    session: AsyncSession,
) -> None:
    mof = await _mof(session)
    task = _task("D1", mof, TODAY - timedelta(1), "old")
    session.add(task)
    await session.flush()
    cache, scope = reports.SummaryCache(), Scope(agency_id=mof)
    await cache.agency_report(session, await read_freshness(session), today=TODAY, scope=scope)
    task.title = "new"  # only dirty: nothing new or deleted in the session
    fresh = await read_freshness(session)
    report = await cache.agency_report(session, fresh, today=TODAY, scope=scope)
    assert [line.title for line in report.overdue.lines] == ["new"]


async def test_another_statement_may_carry_the_check(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    row = (await session.execute(select(literal(7), *freshness.COLUMNS))).one()
    carried = freshness.remember(session, row[1:])
    with recorded(engine) as seen:
        assert await read_freshness(session) is carried
    assert seen == []
    session.info.clear()
    assert await read_freshness(session) == carried


async def test_lookup_cache_reloads_after_an_import_adds_a_program(session: AsyncSession) -> None:
    cache = LookupCache()
    assert (await cache.get(session)).resolve("Đề án Mới").found is None
    csv = (
        "Mã,Tên nhiệm vụ,Cơ quan chủ trì,Hạn,Chương trình\nN1,Việc mới,MOF,31/12/2026,Đề án Mới\n"
    )
    report = await import_tasks(
        savepoints(session),
        read_rows(csv.encode(), "new.csv"),
        dry_run=False,
        actor=ACTOR,
        now=NOW,
    )
    assert not report.errors
    found = (await cache.get(session)).resolve("Đề án Mới").found
    assert found is not None
    assert (found.kind, found.name_vi, found.code) == ("program", "Đề án Mới", "DAM")


async def test_lookup_cache_reloads_after_a_program_is_renamed_or_coded(
    session: AsyncSession,
) -> None:
    cache = LookupCache()
    await catalog.set_program(session, caller=COMMAND_LINE, code="NQ57", name="Nghị quyết 57")
    session.add(Program(code="Đề án 06", name="Đề án 06"))  # as an older import named it
    await session.flush()
    assert (await cache.get(session)).resolve("Chuyển đổi số quốc gia").found is None
    # No program is added: the highest ids stay, only a name, then a code, changes.
    await catalog.set_program(
        session, caller=COMMAND_LINE, code="NQ57", name="Chuyển đổi số quốc gia"
    )
    renamed = (await cache.get(session)).resolve("Chuyển đổi số quốc gia").found
    assert renamed is not None
    assert renamed.code == "NQ57"
    await catalog.set_program(session, caller=COMMAND_LINE, code="DA06", name="Đề án 06")
    coded = (await cache.get(session)).exact("DA06").found
    assert coded is not None
    assert coded.name_vi == "Đề án 06"


async def test_agency_report_shows_a_new_title_and_keeps_the_figures(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    mof = await _mof(session)
    session.add_all([_task("A1", mof, TODAY - timedelta(3), "old"), _task("A2", mof, TODAY)])
    await session.flush()
    cache, scope = reports.SummaryCache(), Scope(agency_id=mof)
    fresh = await read_freshness(session)
    first = await cache.agency_report(session, fresh, today=TODAY, scope=scope)
    assert [line.title for line in first.overdue.lines] == ["old"]
    await session.execute(update(Task).where(Task.code == "A1").values(title="new"))
    # A title is no figure: same register version, but a task was edited since.
    edited = dataclasses.replace(fresh, last_change=(await read_freshness(session)).last_change)
    assert edited.last_change != fresh.last_change
    with recorded(engine) as seen:
        second = await cache.agency_report(session, edited, today=TODAY, scope=scope)
    assert [line.title for line in second.overdue.lines] == ["new"]
    assert second.summary == first.summary
    assert not [s for s in seen if "tally" in s]  # the figures were not counted again
    assert await cache.agency_report(session, edited, today=TODAY, scope=scope) is second


async def test_committee_report_and_lagging_use_cached_agencies(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    session.add(_task("L1", await _mof(session), TODAY - timedelta(1)))
    await session.flush()
    cache = reports.SummaryCache()
    committee = await reports.committee_report(session, today=TODAY, cache=cache)
    assert (committee.central.overdue, committee.local.overdue) == (1, 0)
    with recorded(engine) as seen:
        assert await reports.committee_report(session, today=TODAY, cache=cache) == committee
        ranked = await reports.lagging(session, today=TODAY, cache=cache)
    assert [s.code for s in ranked] == ["MOF"]
    assert len(seen) == 1  # one check for both: no other statement ran in between


async def test_an_agency_added_since_is_ranked_under_its_code(session: AsyncSession) -> None:
    cache = reports.SummaryCache()
    assert await reports.lagging(session, today=TODAY, cache=cache) == []  # agencies cached
    index = await load_index(session)
    added = await catalog.add_agency(
        session, caller=COMMAND_LINE, index=index, name="Kiểm toán nhà nước"
    )
    session.add(_task("K1", added.id, TODAY - timedelta(1)))
    await session.flush()
    ranked = await reports.lagging(session, today=TODAY, cache=cache)
    assert [s.code for s in ranked] == ["KTNN"]


@pytest.fixture(params=BACKENDS)
async def app(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DondocApp]:
    """The real Application with a registered group, on an empty database of its own."""
    async with empty_database(request.param, tmp_path) as engine:
        settings = load_settings(admins=frozenset({ADMIN}), telegram_bot_token="1:CACHE")
        built = build_application(
            settings, request=FakeBotAPI(), clock=FixedClock(settings.tz, NOW), rate_limit=False
        )
        built.bot_data.deps = dataclasses.replace(
            built.bot_data.deps, sessions=make_sessions(engine)
        )
        async with opened(built):
            await say(built, "/register")
            async with built.bot_data.deps.sessions.begin() as session:
                mof = await _mof(session)
                session.add_all(
                    [
                        _task("M1", mof, TODAY - timedelta(2), "Tiêu đề cũ"),
                        _task("M2", mof, TODAY + timedelta(3), "Việc sắp tới"),
                        _task("M3", mof, None),
                    ]
                )
            yield built


async def say(app: DondocApp, text: str) -> str:
    api = app.bot.request
    assert isinstance(api, FakeBotAPI)
    seen = len(api.calls)
    update_ = updates.text_message(text, chat_id=GROUP, user_id=ADMIN)
    await app.process_update(Update.de_json(update_, app.bot))
    return " ".join(str(c.params.get("text", "")) for c in api.calls[seen:])


CALLER = re.compile(r"\b(chat|member)\b")  # the caller's resolution (handlers/common.py)


@pytest.mark.parametrize("command", ["/status", "/status MOF"])
async def test_a_warm_status_is_one_statement(app: DondocApp, command: str) -> None:
    engine = app.bot_data.deps.sessions.kw["bind"]
    cold = await say(app, command)
    with recorded(engine) as seen:
        warm = await say(app, command)
    assert warm == cold
    report_side = [s for s in seen if not CALLER.search(s)]
    assert report_side == []  # the caches' check rode in the caller's statement
    assert len(seen) == 1, seen


async def test_a_title_edited_since_shows_in_status_of_the_agency(app: DondocApp) -> None:
    assert "Tiêu đề cũ" in await say(app, "/status MOF")
    async with app.bot_data.deps.sessions.begin() as session:
        # Only the title: the register version stays (on SQLite; on PostgreSQL until the
        # version triggers compare columns), yet the list shows titles.
        await session.execute(update(Task).where(Task.code == "M1").values(title="Tiêu đề mới"))
    assert "Tiêu đề mới" in await say(app, "/status MOF")


async def test_a_warm_status_sends_the_text_made_last_time_until_it_would_differ(
    app: DondocApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = report_views.status_text

    def counted(*args: Any, **kwargs: Any) -> Html:
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(report_views, "status_text", counted)
    first = await say(app, "/status")
    assert await say(app, "/status") == first
    assert made == ["vi"]  # the second answer was not made again
    await say(app, "/language en")
    english = await say(app, "/status")
    assert "Task progress summary" in english
    assert made == ["vi", "en"]  # a language of its own
    assert await say(app, "/status") == english
    deps = app.bot_data.deps  # the next day's answer is the next day's
    app.bot_data.deps = dataclasses.replace(deps, clock=FixedClock(deps.clock.tz, NOW + DAY))
    tomorrow = await say(app, "/status")
    assert tomorrow != english
    assert made == ["vi", "en", "en"]
    async with app.bot_data.deps.sessions.begin() as session:
        session.add(_task("M4", await _mof(session), TODAY + timedelta(40)))
    assert await say(app, "/status") != tomorrow  # a new task: new figures
    assert made == ["vi", "en", "en", "en"]


async def test_agency_report_lists_match_the_paged_lists(session: AsyncSession) -> None:
    mof = await _mof(session)
    session.add_all(
        _task(f"{prefix}{i}", mof, TODAY + timedelta(days=sign * (i % 4) + (sign < 0) * -1))
        for prefix, sign in (("o-", -1), ("O", -1), ("d-", 1), ("D", 1))
        for i in range(4)
    )
    session.add(_task("FAR", mof, TODAY + timedelta(days=reports.DUE_SOON + 1)))
    await session.flush()
    scope = Scope(agency_id=mof)
    report = await reports.status_report(session, today=TODAY, scope=scope)
    assert isinstance(report, reports.AgencyReport)
    overdue = await reports.list_overdue(session, today=TODAY, scope=scope, size=reports.PREVIEW)
    due = await reports.list_due(
        session, today=TODAY, days=reports.DUE_SOON, scope=scope, size=reports.PREVIEW
    )
    assert report.overdue == overdue
    assert report.due.lines == due.lines  # "coming due": the next DUE_SOON days only
    assert "FAR" not in {line.code for line in report.due.lines}
    assert (overdue.total, overdue.pages, len(overdue.lines)) == (8, 2, 5)
