"""A small committee for the nudge tests: three agencies, their leads and groups, admins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.nudges import queue_daily_nudges
from services.access import Caller
from storage.models import Agency, Chat, Member, Outbox, Role, Task

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SETTINGS_ADMIN, ADMIN = 9000, 9001
MOF_LEAD, MOH_LEAD, MOF_LEAD_2 = 2001, 2002, 2003
MOF_GROUP = -1001
ADMINS = frozenset({SETTINGS_ADMIN})
AT = time(8, 30)


def local(day: date, at: time = AT) -> datetime:
    return datetime.combine(day, at, tzinfo=TZ)


async def agency_ids(session: AsyncSession) -> dict[str, int]:
    return dict((await session.execute(select(Agency.code, Agency.id))).all())


async def build(session: AsyncSession) -> dict[str, int]:
    """MOF: a lead and a group; MOH: a lead, no group; HN: nobody. One member admin."""
    ids = await agency_ids(session)
    session.add_all(
        [
            Member(user_id=MOF_LEAD, role=Role.LEAD.value, agency_id=ids["MOF"], name="Lan"),
            Member(
                user_id=MOH_LEAD,
                role=Role.LEAD.value,
                agency_id=ids["MOH"],
                name="Hải",
                language="en",
            ),
            Member(user_id=ADMIN, role=Role.ADMIN.value, name="Văn phòng"),
            Chat(id=MOF_GROUP, title="MOF", registered_by=ADMIN, agency_id=ids["MOF"]),
        ]
    )
    await session.flush()
    return ids


async def add_task(
    session: AsyncSession, code: str, agency: int, deadline: date, status: str = "open"
) -> int:
    task = Task(code=code, title=f"Nhiệm vụ {code}", lead_agency_id=agency, deadline=deadline,
                status=status)  # fmt: skip
    session.add(task)
    await session.flush()
    return task.id


async def plan(session: AsyncSession, day: date, at: time = AT) -> int:
    return await queue_daily_nudges(
        session, local_now=local(day, at), admins=ADMINS, default_lang="vi"
    )


async def outbox(session: AsyncSession) -> dict[str, Outbox]:
    rows = (await session.scalars(select(Outbox).order_by(Outbox.id))).all()
    return {row.key: row for row in rows}


async def mark(session: AsyncSession, key: str, status: str) -> None:
    """What the sender does to a row once Telegram answered."""
    await session.execute(update(Outbox).where(Outbox.key == key).values(status=status))


def lead(user_id: int, agency: int) -> Caller:
    return Caller(
        user_id=user_id,
        chat_id=user_id,
        chat_type="private",
        role=Role.LEAD,
        agency_id=agency,
        chat_registered=False,
        language=None,
        telegram_language=None,
    )


NOW = datetime(2027, 1, 27, 1, 30, tzinfo=UTC)
