"""A fake clock walks 90 days across Tết 2027; every message is checked against a hand-written
sequence.

The committee (tests/services/nudge_world.py): MOF has lead Lan (2001) and a group, MOH lead
Hải (2002, who reads English) and no group, Hà Nội (HN) nobody; two admins. Default ladder:
7, 3, 1 working days before the due day, the due day, every 3 working days overdue, escalated
from the 3rd overdue nudge. Admins made Saturday 20 February a working day and Friday
5 March a day off. Tết 2027 is off from Thursday 4 to Wednesday 10 February.

Tasks: NV-A (MOF) due Monday 8 February, mùng 3 Tết, so nudged as due Wednesday 3 February;
its deadline is moved to 15 March after the 25 February nudge (the overdue count starts
again, escalations keep their numbers). NV-B (MOF) due Saturday 16 January, done after its
first overdue nudge. NV-C (MOH) due Friday 12 February, snoozed "until the deadline" on
27 January; Hải mutes all nudges for 7 days on 20 February; done after 1 March. NV-D (HN)
due Monday 1 March: nobody to remind, so the admins' summary. Lan's private chat refuses
the nudges of 15 and 18 February (403), and accepts again on 22 February.

Each line: day, recipient, then each task line in the message's order: code, days left (+)
or late (-) or due today (=0), and "#n" for the n-th escalation.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import nudges
from services.access import COMMAND_LINE
from services.nudge_settings import set_day
from services.nudges import Span
from storage.models import Outbox, OutboxStatus, Task
from tests.services.nudge_world import (
    MOF_LEAD,
    MOH_LEAD,
    NOW,
    SETTINGS_ADMIN,
    add_task,
    build,
    lead,
    plan,
)

EXPECTED = """
2027-01-06 nudge:2001 NV-B+10
2027-01-12 nudge:2001 NV-B+4
2027-01-14 nudge:2001 NV-B+2
2027-01-15 nudge:2001 NV-B+1
2027-01-20 nudge:2001 NV-B-4
2027-01-25 nudge:2001 NV-A+14
2027-01-27 nudge:2002 NV-C+16
2027-01-29 nudge:2001 NV-A+10
2027-02-02 nudge:2001 NV-A+6
2027-02-03 nudge:2001 NV-A+5
2027-02-12 nudge:2002 NV-C=0
2027-02-15 nudge:2001 NV-A-7
2027-02-17 nudge:2002 NV-C-5
2027-02-18 nudge:2001 NV-A-10
2027-02-18 group:-1001 @Lan NV-A-10
2027-02-18 admins lead-blocked:2001
2027-02-19 admins summary NV-D+10
2027-02-20 nudge:2002 NV-C-8
2027-02-22 nudge:2001 NV-A-14
2027-02-22 group:-1001 @Lan NV-A-14 NV-A-14#1
2027-02-22 admins summary NV-A-14#1
2027-02-24 admins summary NV-C-12#1 NV-D+5
2027-02-25 nudge:2001 NV-A-17
2027-02-25 group:-1001 NV-A-17#2
2027-02-25 admins summary NV-A-17#2
2027-02-26 admins summary NV-D+3
2027-03-01 nudge:2002 NV-C-17
2027-03-01 admins summary NV-C-17#2 NV-D=0
2027-03-03 nudge:2001 NV-A+12
2027-03-04 admins summary NV-D-3
2027-03-10 nudge:2001 NV-A+5
2027-03-10 admins summary NV-D-9
2027-03-12 nudge:2001 NV-A+3
2027-03-15 nudge:2001 NV-A=0
2027-03-15 admins summary NV-D-14#1 NV-D-14
2027-03-18 nudge:2001 NV-A-3
2027-03-18 admins summary NV-D-17#2 NV-D-17
2027-03-23 nudge:2001 NV-A-8
2027-03-23 admins summary NV-D-22#3 NV-D-22
2027-03-26 nudge:2001 NV-A-11
2027-03-26 group:-1001 NV-A-11#3
2027-03-26 admins summary NV-D-25#4 NV-A-11#3 NV-D-25
2027-03-31 nudge:2001 NV-A-16
2027-03-31 group:-1001 NV-A-16#4
2027-03-31 admins summary NV-D-30#5 NV-A-16#4 NV-D-30
"""

FIRST, DAYS = date(2027, 1, 4), 90
REFUSED = {f"nudge:{MOF_LEAD}:2027-02-15", f"nudge:{MOF_LEAD}:2027-02-18"}  # 403 from Telegram
_CODE = re.compile(r"NV-[A-D]")
_LINE = [  # (pattern, entry) in the order they are tried, Vietnamese and English
    (re.compile(r"quá hạn (\d+) ngày \(báo cáo lần (\d+)\)|(\d+) days? late \(report (\d+)\)"),
     "-{0}#{1}"),
    (re.compile(r"đã quá hạn (\d+) ngày|(\d+) days? late"), "-{0}"),
    (re.compile(r"còn (\d+) ngày|(\d+) days? left"), "+{0}"),
    (re.compile(r"đến hạn hôm nay|due today"), "=0"),
]  # fmt: skip


def entries(text: str) -> list[str]:
    """The tasks a message lists, line by line, as EXPECTED writes them."""
    out = ["@Lan"] if f'tg://user?id={MOF_LEAD}">Lan</a>' in text else []
    for line in text.splitlines():
        code = _CODE.search(line)
        if code is None:
            continue
        for pattern, entry in _LINE:
            found = pattern.search(line)
            if found:
                numbers = [g for g in found.groups() if g is not None]
                out.append(code[0] + entry.format(*numbers))
                break
    return out


def describe(day: date, rows: list[Outbox]) -> list[str]:
    """The day's new messages as EXPECTED lines (the two admins' copies as one line)."""
    lines: list[str] = []
    by_admin: dict[int, list[str]] = {}
    order = ("nudge", "group", "summary", "lead-blocked")
    for row in sorted(rows, key=lambda r: (order.index(r.key.split(":")[0]), r.key)):
        kind = row.key.split(":")[0]
        if kind == "summary":
            by_admin.setdefault(row.chat_id, []).append(" ".join(["summary", *entries(row.text)]))
        elif kind == "lead-blocked":
            by_admin.setdefault(row.chat_id, []).append(f"lead-blocked:{row.key.split(':')[1]}")
        else:
            who = row.key.rsplit(":", 1)[0]
            lines.append(" ".join([day.isoformat(), who, *entries(row.text)]))
    copies = list(by_admin.values())
    assert all(c == copies[0] for c in copies), copies  # every admin is told the same
    if copies:
        assert len(copies) == 2  # DONDOC_ADMINS and the member admin
        lines += [f"{day.isoformat()} admins {line}" for line in sorted(copies[0], reverse=True)]
    return lines


async def _task_id(session: AsyncSession, code: str) -> int:
    found = await session.scalar(select(Task.id).where(Task.code == code))
    assert found is not None
    return found


async def _after(session: AsyncSession, day: date, ids: dict[str, int]) -> None:
    """What happens after the morning's nudges: the sender, the leads, the secretariat."""
    for key in REFUSED:
        await session.execute(
            update(Outbox).where(Outbox.key == key).values(status=OutboxStatus.BLOCKED.value)
        )
    await session.execute(
        update(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.SENT.value)
    )
    done = {date(2027, 1, 20): "NV-B", date(2027, 3, 1): "NV-C", date(2027, 3, 31): "NV-A"}
    if day in done:
        await session.execute(
            update(Task).where(Task.code == done[day]).values(status="done", completed_on=day)
        )
    if day == date(2027, 1, 27):
        snoozed = await nudges.snooze(
            session,
            caller=lead(MOH_LEAD, ids["MOH"]),
            task_id=await _task_id(session, "NV-C"),
            span=Span.DEADLINE,
            today=day,
            now=NOW,
        )
        assert snoozed == nudges.Snoozed("NV-C", date(2027, 2, 11))
    if day == date(2027, 2, 20):
        await nudges.mute(session, caller=lead(MOH_LEAD, ids["MOH"]), days=7, today=day, now=NOW)
    if day == date(2027, 2, 25):  # an extension approved
        await session.execute(
            update(Task).where(Task.code == "NV-A").values(deadline=date(2027, 3, 15))
        )


async def test_ninety_days_across_tet_2027(session: AsyncSession) -> None:
    ids = await build(session)
    await set_day(session, caller=COMMAND_LINE, day=date(2027, 2, 20), working=True, now=NOW)
    await set_day(session, caller=COMMAND_LINE, day=date(2027, 3, 5), working=False, now=NOW)
    for code, agency, deadline in [
        ("NV-A", "MOF", date(2027, 2, 8)),
        ("NV-B", "MOF", date(2027, 1, 16)),
        ("NV-C", "MOH", date(2027, 2, 12)),
        ("NV-D", "HN", date(2027, 3, 1)),
    ]:
        await add_task(session, code, ids[agency], deadline)
    seen: list[str] = []
    last_id = 0
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        queued = await plan(session, day)
        # A catch-up later the same day (a restart, `dondoc run-job`) queues nothing more.
        assert await plan(session, day, time(16, 0)) == 0
        rows = list(await session.scalars(select(Outbox).where(Outbox.id > last_id)))
        assert len(rows) == queued
        last_id = max([last_id, *(r.id for r in rows)])
        seen += describe(day, rows)
        await _after(session, day, ids)
    assert "\n".join(seen) == EXPECTED.strip()
    assert SETTINGS_ADMIN in {r.chat_id for r in await session.scalars(select(Outbox))}
