"""Prompts waiting for a reply (services/task_prompts.py) on both databases, and the update
rules (services/task_updates.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import task_prompts, task_updates
from services.access import Caller, NotAllowed
from services.pending import Refusal
from services.task_prompts import Prompt
from services.task_updates import Refused
from storage.models import Agency, Role, Task
from tests.sessions import NOW

TODAY = date(2026, 11, 25)


def _caller(role: Role | None, agency_id: int | None, chat_id: int = -100) -> Caller:
    return Caller(
        user_id=7,
        chat_id=chat_id,
        chat_type="supergroup",
        role=role,
        agency_id=agency_id,
        chat_registered=True,
        language=None,
        telegram_language=None,
    )


async def _task(session: AsyncSession, code: str = "NQ57-001") -> Task:
    mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
    assert mof is not None
    task = Task(code=code, title="t", lead_agency_id=mof)
    session.add(task)
    await session.flush()
    await session.refresh(task, ["coordinators", "lead_agency"])
    return task


async def test_a_reply_answers_the_prompt_of_its_message_only(session: AsyncSession) -> None:
    task = await _task(session)
    lead = _caller(Role.LEAD, task.lead_agency_id)
    note = await task_prompts.open_prompt(
        session, prompt=Prompt.NOTE, task=task, caller=lead, now=NOW
    )
    await task_prompts.sent_as(session, token=note, task_id=task.id, message_id=41)
    files = await task_prompts.open_prompt(
        session, prompt=Prompt.EVIDENCE, task=task, caller=lead, now=NOW
    )
    await task_prompts.sent_as(session, token=files, task_id=task.id, message_id=42)
    found = await task_prompts.answered(session, caller=lead, message_id=41, now=NOW)
    assert found is not None
    assert (found.prompt, found.task_id, found.refusal) == (Prompt.NOTE, task.id, None)
    other_chat = _caller(Role.LEAD, task.lead_agency_id, chat_id=-200)
    assert await task_prompts.answered(session, caller=other_chat, message_id=41, now=NOW) is None
    assert await task_prompts.answered(session, caller=lead, message_id=43, now=NOW) is None
    assert await task_prompts.take(session, waiting=found, caller=lead, now=NOW)
    assert not await task_prompts.take(session, waiting=found, caller=lead, now=NOW)
    used = await task_prompts.answered(session, caller=lead, message_id=41, now=NOW)
    assert used is not None
    assert used.refusal is Refusal.USED
    later = NOW + task_prompts.TTL + timedelta(minutes=1)
    stale = await task_prompts.answered(session, caller=lead, message_id=42, now=later)
    assert stale is not None
    assert stale.refusal is Refusal.EXPIRED


@pytest.mark.parametrize("role", [Role.VIEWER, None])
async def test_only_those_who_may_add_notes_get_a_prompt(
    session: AsyncSession, role: Role | None
) -> None:
    task = await _task(session)
    with pytest.raises(NotAllowed):
        await task_prompts.open_prompt(
            session, prompt=Prompt.NOTE, task=task, caller=_caller(role, None), now=NOW
        )


async def test_a_caption_names_tasks_by_code_in_any_letter_case(session: AsyncSession) -> None:
    one, two = await _task(session), await _task(session, "DA06-010")
    named = task_prompts.tasks_named_in
    assert await named(session, "Ảnh nq57-001, biên bản.") == [(one.id, "NQ57-001")]
    assert await named(session, "(DA06-010) và NQ57-001!") == [
        (two.id, "DA06-010"),
        (one.id, "NQ57-001"),
    ]
    assert await named(session, "hội nghị ngày 20/11") == []
    assert await named(session, "") == []


def test_done_sets_status_date_and_full_progress_never_a_future_day() -> None:
    assert task_updates.done_values(TODAY, TODAY) == {
        "status": "done",
        "completed_on": TODAY,
        "progress": 100,
    }
    with pytest.raises(Refused, match="future"):
        task_updates.done_values(TODAY + timedelta(days=1), TODAY)
    assert all(day <= TODAY for day in task_updates.recent_days(TODAY))
    assert task_updates.recent_days(TODAY)[:2] == [TODAY, TODAY - timedelta(days=1)]


@pytest.mark.parametrize(
    ("percent", "status", "values"),
    [
        (0, "open", {"progress": 0}),
        (0, "in_progress", {"progress": 0}),
        (1, "open", {"status": "in_progress", "progress": 1}),
        (100, "open", {"status": "in_progress", "progress": 100}),
    ],
)
def test_progress_rules(percent: int, status: str, values: dict[str, object]) -> None:
    assert task_updates.progress_values(percent, status) == values


@pytest.mark.parametrize(("percent", "status"), [(101, "open"), (-1, "open"), (50, "done")])
def test_progress_refusals(percent: int, status: str) -> None:
    with pytest.raises(Refused):
        task_updates.progress_values(percent, status)


@pytest.mark.parametrize(
    ("typed", "percent"),
    [("60%", 60), (" 60 % ", 60), ("0", 0), ("100", 100), ("6O", None), ("1000", None),
     ("٣", None), ("", None)],
)  # fmt: skip
def test_percent_as_typed(typed: str, percent: int | None) -> None:
    assert task_updates.parse_percent(typed) == percent
