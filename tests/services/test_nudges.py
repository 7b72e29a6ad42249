"""Planning a morning's nudges, on both databases: who hears of which task, once."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.nudge_buttons import SnoozeAsk
from handlers.task_buttons import CardButton
from rendering.text import plain, utf16_len
from services import nudges
from services.nudges import Span
from storage.models import Member, NudgeState, Outbox, Role, Task
from tests.services.nudge_world import (
    ADMIN,
    MOF_GROUP,
    MOF_LEAD,
    MOF_LEAD_2,
    MOH_LEAD,
    NOW,
    SETTINGS_ADMIN,
    add_task,
    build,
    lead,
    mark,
    outbox,
    plan,
)

WED = date(2027, 1, 27)  # a working Wednesday a week before Tết
THU = date(2027, 1, 28)


async def _morning(session: AsyncSession) -> dict[str, int]:
    """MOF has tasks on each rung and beside them, MOH one due tomorrow, HN one due today."""
    ids = await build(session)
    mof = ids["MOF"]
    for code, deadline in [
        ("M-OLD", date(2027, 1, 21)),  # 4 working days late: between overdue nudges
        ("M-LATE", date(2027, 1, 22)),  # 3 working days late: the first overdue nudge
        ("M-TODAY", WED),
        ("M-1", THU),
        ("M-2", date(2027, 1, 29)),  # 2 working days ahead: no rung
        ("M-SUN", date(2027, 1, 31)),  # a Sunday, so due Friday: 2 ahead, no rung
        ("M-3", date(2027, 2, 1)),
        ("M-7", date(2027, 2, 13)),  # a Saturday after Tết: due Friday 12 February, 7 ahead
    ]:
        await add_task(session, code, mof, deadline)
    await add_task(session, "M-DONE", mof, WED, status="done")
    await add_task(session, "H-1", ids["MOH"], THU)
    await add_task(session, "N-0", ids["HN"], WED)
    return ids


def codes(text: str, among: list[str]) -> list[str]:
    """The task codes in the order a message lists them."""
    found = [(text.index(f"{c} "), c) for c in among if f"{c} " in text]
    return [c for _, c in sorted(found)]


ALL = ["M-OLD", "M-LATE", "M-TODAY", "M-1", "M-2", "M-SUN", "M-3", "M-7", "M-DONE", "H-1", "N-0"]


async def test_one_message_per_lead_with_its_agencys_due_tasks_overdue_first(
    session: AsyncSession,
) -> None:
    await _morning(session)
    assert await plan(session, WED) == 4
    rows = await outbox(session)
    day = WED.isoformat()
    assert sorted(rows) == sorted(
        [
            f"nudge:{MOF_LEAD}:{day}",
            f"nudge:{MOH_LEAD}:{day}",
            f"summary:{SETTINGS_ADMIN}:{day}",
            f"summary:{ADMIN}:{day}",
        ]
    )
    mof = rows[f"nudge:{MOF_LEAD}:{day}"]
    assert mof.chat_id == MOF_LEAD
    text = plain(mof.text)
    assert codes(text, ALL) == ["M-LATE", "M-TODAY", "M-1", "M-3", "M-7"]
    assert "hạn 22/01/2027, đã quá hạn 5 ngày" in text
    assert "đến hạn hôm nay" in text
    assert "hạn 13/02/2027, còn 17 ngày" in text
    assert mof.keyboard is not None
    cards = [CardButton.unpack(row[0][1]) for row in mof.keyboard[:-1]]
    assert [c.verb.value for c in cards if c] == ["o"] * 5
    assert all(SnoozeAsk.unpack(row[1][1]) for row in mof.keyboard[:-1])
    assert "Tạm dừng" in mof.keyboard[-1][0][0]
    moh = plain(rows[f"nudge:{MOH_LEAD}:{day}"].text)
    assert codes(moh, ALL) == ["H-1"]
    assert "1 day left" in moh  # the lead's own language
    summary = plain(rows[f"summary:{ADMIN}:{day}"].text)
    assert codes(summary, ALL) == ["N-0"]
    assert "Thành phố Hà Nội (HN)" in summary


async def test_planning_twice_queues_the_same_rows(session: AsyncSession) -> None:
    ids = await _morning(session)
    task = await add_task(session, "M-ESC", ids["MOF"], date(2027, 1, 22))
    session.add(NudgeState(task_id=task, deadline=date(2027, 1, 22), overdue_nudges=2,
                           escalations=0, last_on=date(2027, 1, 22)))  # fmt: skip
    await session.flush()
    first = await plan(session, WED)
    before = {k: (r.chat_id, r.text, r.keyboard) for k, r in (await outbox(session)).items()}
    state = await session.get(NudgeState, task)
    assert state is not None
    assert (state.overdue_nudges, state.escalations) == (3, 1)
    assert await plan(session, WED, time(15, 0)) == 0  # a catch-up, or run-job, later that day
    after = {k: (r.chat_id, r.text, r.keyboard) for k, r in (await outbox(session)).items()}
    assert after == before
    assert len(before) == first
    await session.refresh(state)
    assert (state.overdue_nudges, state.escalations) == (3, 1)


async def test_the_third_overdue_nudge_escalates_to_the_group_and_the_admins(
    session: AsyncSession,
) -> None:
    ids = await _morning(session)
    task = await add_task(session, "M-ESC", ids["MOF"], date(2027, 1, 22))
    session.add(NudgeState(task_id=task, deadline=date(2027, 1, 22), overdue_nudges=2,
                           escalations=0, last_on=date(2027, 1, 21)))  # fmt: skip
    await session.flush()
    await plan(session, WED)
    rows = await outbox(session)
    group = plain(rows[f"group:{MOF_GROUP}:{WED.isoformat()}"].text)
    assert codes(group, [*ALL, "M-ESC"]) == ["M-ESC"]
    assert "đã nhắc 2 lần" in group
    assert "báo cáo lần 1" in group
    summary = plain(rows[f"summary:{ADMIN}:{WED.isoformat()}"].text)
    assert codes(summary, [*ALL, "M-ESC"]) == ["M-ESC", "N-0"]
    # M-LATE had no nudge before: its first overdue nudge does not escalate.
    assert "M-LATE" not in group


async def test_a_moved_deadline_starts_the_overdue_count_again(session: AsyncSession) -> None:
    ids = await _morning(session)
    task = await add_task(session, "M-ESC", ids["MOF"], date(2027, 1, 22))
    session.add(NudgeState(task_id=task, deadline=date(2026, 12, 1), overdue_nudges=7,
                           escalations=3, last_on=date(2027, 1, 4)))  # fmt: skip
    await session.flush()
    await plan(session, WED)
    state = await session.get(NudgeState, task)
    assert state is not None
    assert (state.deadline, state.overdue_nudges, state.escalations) == (date(2027, 1, 22), 1, 3)
    assert f"group:{MOF_GROUP}:{WED.isoformat()}" not in await outbox(session)


async def test_a_blocked_lead_is_named_in_the_group_and_the_admins_told_once(
    session: AsyncSession,
) -> None:
    await _morning(session)
    await plan(session, date(2027, 1, 26))
    await mark(session, f"nudge:{MOF_LEAD}:2027-01-26", "blocked")  # the sender got a 403
    await plan(session, WED)
    rows = await outbox(session)
    day = WED.isoformat()
    assert f"nudge:{MOF_LEAD}:{day}" in rows  # still tried: it tells when they are back
    group = rows[f"group:{MOF_GROUP}:{day}"].text
    assert f'<a href="tg://user?id={MOF_LEAD}">Lan</a>' in group
    assert codes(plain(group), ALL) == ["M-LATE", "M-TODAY", "M-1", "M-3", "M-7"]
    notices = sorted(k for k in rows if k.startswith("lead-blocked:"))
    assert len(notices) == 2  # one per admin
    assert "Lan" in plain(rows[notices[0]].text)
    # The next morning's private nudge is refused too: same streak, nobody told again.
    await mark(session, f"nudge:{MOF_LEAD}:{day}", "blocked")
    await plan(session, THU)
    rows = await outbox(session)
    assert sorted(k for k in rows if k.startswith("lead-blocked:")) == notices
    assert f"group:{MOF_GROUP}:{THU.isoformat()}" in rows
    # Once a nudge goes through, the group stops hearing of them.
    await mark(session, f"nudge:{MOF_LEAD}:{THU.isoformat()}", "sent")
    await plan(session, date(2027, 1, 29))
    assert f"group:{MOF_GROUP}:2027-01-29" not in await outbox(session)


async def test_a_blocked_lead_without_a_group_goes_to_the_admins(session: AsyncSession) -> None:
    await _morning(session)
    await plan(session, WED)
    await mark(session, f"nudge:{MOH_LEAD}:{WED.isoformat()}", "blocked")
    ids = await build_second_lead(session)
    del ids
    await plan(session, THU)
    rows = await outbox(session)
    summary = plain(rows[f"summary:{ADMIN}:{THU.isoformat()}"].text)
    assert "Bộ Y tế (MOH)" in summary
    assert any(k.startswith(f"lead-blocked:{MOH_LEAD}:") for k in rows)


async def build_second_lead(session: AsyncSession) -> dict[str, int]:
    """A second MOF lead: MOF is still reached when one of its leads is blocked."""
    ids = {"MOF": (await session.get(Member, MOF_LEAD)).agency_id}  # type: ignore[union-attr]
    session.add(Member(user_id=MOF_LEAD_2, role=Role.LEAD.value, agency_id=ids["MOF"]))
    await session.flush()
    return ids  # type: ignore[return-value]


async def test_snoozed_tasks_and_muted_leads_are_left_out(session: AsyncSession) -> None:
    ids = await _morning(session)
    task = await session.scalar(select(Outbox.id).limit(1))
    assert task is None
    m1 = await session.scalar(select(Task.id).where(Task.code == "M-1"))
    assert m1 is not None
    done = await nudges.snooze(session, caller=lead(MOF_LEAD, ids["MOF"]), task_id=m1,
                               span=Span.ONE, today=date(2027, 1, 26), now=NOW)  # fmt: skip
    assert isinstance(done, nudges.Snoozed)
    assert done.until == WED  # the next working morning is skipped
    until = await nudges.mute(session, caller=lead(MOH_LEAD, ids["MOH"]), days=7, today=WED,
                              now=NOW)  # fmt: skip
    assert until == date(2027, 2, 2)
    await plan(session, WED)
    rows = await outbox(session)
    assert codes(plain(rows[f"nudge:{MOF_LEAD}:{WED.isoformat()}"].text), ALL) == [
        "M-LATE", "M-TODAY", "M-3", "M-7"
    ]  # fmt: skip
    assert f"nudge:{MOH_LEAD}:{WED.isoformat()}" not in rows
    summary = plain(rows[f"summary:{ADMIN}:{WED.isoformat()}"].text)
    assert "MOH" not in summary  # a muted lead is still its agency's lead
    await plan(session, THU)  # the snooze is over
    rows = await outbox(session)
    assert "M-1" in plain(rows[f"nudge:{MOF_LEAD}:{THU.isoformat()}"].text)


async def test_snoozing_until_the_deadline_and_who_may(session: AsyncSession) -> None:
    ids = await _morning(session)
    m7 = await session.scalar(select(Task.id).where(Task.code == "M-7"))
    m1 = await session.scalar(select(Task.id).where(Task.code == "M-1"))
    assert m7 is not None
    assert m1 is not None
    caller = lead(MOF_LEAD, ids["MOF"])
    done = await nudges.snooze(session, caller=caller, task_id=m7, span=Span.DEADLINE,
                               today=WED, now=NOW)  # fmt: skip
    assert done == nudges.Snoozed("M-7", date(2027, 2, 11))  # nudged again on its due day
    refused = await nudges.snooze(session, caller=caller, task_id=m1, span=Span.DEADLINE,
                                  today=WED, now=NOW)  # fmt: skip
    assert refused is nudges.SnoozeRefusal.NOT_USEFUL
    other = lead(MOH_LEAD, ids["MOH"])
    try:
        await nudges.snooze(session, caller=other, task_id=m7, span=Span.ONE, today=WED, now=NOW)
    except PermissionError:
        pass
    else:
        raise AssertionError("a lead of another agency snoozed MOF's task")


async def test_nothing_is_planned_outside_the_window_or_on_a_day_off(
    session: AsyncSession,
) -> None:
    await _morning(session)
    assert await plan(session, WED, time(8, 29)) == 0
    assert await plan(session, WED, time(20, 0)) == 0
    assert await plan(session, date(2027, 1, 30)) == 0  # Saturday
    assert await plan(session, date(2027, 2, 5)) == 0  # Tết
    assert await outbox(session) == {}
    assert await plan(session, WED, time(19, 59)) == 4


async def test_a_long_list_is_cut_to_telegrams_limits(session: AsyncSession) -> None:
    ids = await build(session)
    for i in range(120):
        task = Task(code=f"LONG-{i:03d}-" + "X" * 50, title="Tiêu đề rất dài " * 20,
                           lead_agency_id=ids["MOF"], deadline=WED)  # fmt: skip
        session.add(task)
    await session.flush()
    await plan(session, WED)
    row = (await outbox(session))[f"nudge:{MOF_LEAD}:{WED.isoformat()}"]
    assert utf16_len(plain(row.text)) <= 4096
    assert utf16_len(row.text) <= 4096
    assert "… và 100 nhiệm vụ khác" in plain(row.text) or "nhiệm vụ khác" in plain(row.text)
    assert row.keyboard is not None
    assert sum(len(r) for r in row.keyboard) <= 100
    assert all(len(r) <= 8 for r in row.keyboard)
    assert "120 nhiệm vụ cần lưu ý" in plain(row.text)
