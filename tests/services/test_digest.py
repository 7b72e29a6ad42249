"""The digest's "reminders not reaching any lead" line, on SQLite and PostgreSQL: which
agencies it names, as the nudge planner reads a blocked lead (its last private nudge
refused, until a later one goes through)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import Html
from services import digest as digests
from services import outbox
from services.figures import Scope
from services.open_tally import roll_open_tally
from storage.models import Member, Program, Role, Task
from tests.services.nudge_world import MOF_LEAD, MOF_LEAD_2, MOH_LEAD, build, mark

DAY = date(2027, 1, 25)  # a Monday
NOW = datetime(2027, 1, 25, 1, 0, tzinfo=UTC)
COMMITTEE = Scope()
MOIT_LEAD = 2004  # the lead of an agency whose only task is done
_ORDER = count(1)


async def _message(session: AsyncSession, user: int, status: str, kind: str = "nudge") -> None:
    """A message to `user`, newer than every earlier one, as the sender left it."""
    key = f"{kind}:{user}:{next(_ORDER)}"
    await outbox.enqueue(session, key=key, chat_id=user, text=Html("…"), now=NOW)
    await mark(session, key, status)


async def _blocked(session: AsyncSession, scope: Scope = COMMITTEE) -> tuple[str, ...]:
    """The codes the digest of `scope` names on that line (figures counted, not kept)."""
    figures = await digests.load_figures(session, day=DAY, now=NOW, record=False)
    due = await digests.due_this_week(session, day=DAY, scope=scope)
    found = digests.compose(figures, day=DAY, scope=scope, threshold=70, due=due)
    assert "HN" in found.leaderless or scope != COMMITTEE  # the line beside it, unchanged
    return found.blocked


async def _world(session: AsyncSession) -> dict[str, int]:
    """MOF (a lead) in programme NQ57 and MOH (a lead) with open tasks, MOIT a lead and a
    done task only, HN an open task and no lead."""
    ids = await build(session)
    program = Program(code="NQ57", name="Nghị quyết 57")
    session.add(program)
    session.add(Member(user_id=MOIT_LEAD, role=Role.LEAD.value, agency_id=ids["MOIT"]))
    await session.flush()
    ids["NQ57"] = program.id
    for code, agency, days, status, program_id in [
        ("M-1", "MOF", -3, "open", program.id),
        ("M-2", "MOF", 9, "in_progress", program.id),
        ("H-1", "MOH", 2, "open", None),
        ("N-1", "HN", 2, "open", None),
        ("V-1", "MOIT", -9, "done", None),
    ]:
        session.add(
            Task(code=code, title=code, lead_agency_id=ids[agency], status=status,
                 deadline=DAY + timedelta(days=days), program_id=program_id,
                 completed_on=DAY - timedelta(days=10) if status == "done" else None)
        )  # fmt: skip
    await session.flush()
    await roll_open_tally(session, today=DAY)
    return ids


async def test_an_agency_whose_leads_nudges_are_refused_is_named(session: AsyncSession) -> None:
    ids = await _world(session)
    assert await _blocked(session) == ()  # nobody nudged yet: nothing known
    await _message(session, MOF_LEAD, "blocked")  # the sender got a 403
    await _message(session, MOH_LEAD, "sent")
    await _message(session, MOIT_LEAD, "blocked")  # no open task: not worth a line
    assert await _blocked(session) == ("MOF",)
    # Scoped as the rest of the digest: a programme's, an agency's group.
    assert await _blocked(session, Scope(program_id=ids["NQ57"])) == ("MOF",)
    assert await _blocked(session, Scope(agency_id=ids["MOF"])) == ("MOF",)
    assert await _blocked(session, Scope(agency_id=ids["MOH"])) == ()
    # MOH's lead refuses the next one: named too, in code order.
    await _message(session, MOH_LEAD, "blocked")
    assert await _blocked(session) == ("MOF", "MOH")
    assert await _blocked(session, Scope(program_id=ids["NQ57"])) == ("MOF",)


async def test_a_lead_reached_again_or_a_second_lead_takes_the_agency_off(
    session: AsyncSession,
) -> None:
    ids = await _world(session)
    await _message(session, MOF_LEAD, "sent")
    await _message(session, MOF_LEAD, "blocked")
    assert await _blocked(session) == ("MOF",)
    # Neither a later message that is not a nudge nor a nudge still pending or failed says
    # the chat is open again.
    await _message(session, MOF_LEAD, "sent", kind="digest")
    await _message(session, MOF_LEAD, "failed")
    await _message(session, MOF_LEAD, "pending")
    assert await _blocked(session) == ("MOF",)
    # A second lead whom nudges reach: the agency hears them.
    session.add(Member(user_id=MOF_LEAD_2, role=Role.LEAD.value, agency_id=ids["MOF"]))
    await session.flush()
    await _message(session, MOF_LEAD_2, "sent")
    assert await _blocked(session) == ()
    await _message(session, MOF_LEAD_2, "blocked")
    assert await _blocked(session) == ("MOF",)
    # The first lead opened the chat again (/start): the next nudge goes through.
    await _message(session, MOF_LEAD, "sent")
    assert await _blocked(session) == ()
