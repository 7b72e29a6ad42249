"""Seed data: the 56 agencies, their former and short names, and the QNG code."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.lookup import keys_of
from storage.models import Agency, Task
from storage.seed import RENAMED_CODES, former_units, seed_agencies, sync_agencies


def test_former_and_short_names_belong_to_seeded_agencies() -> None:
    codes = {a.code for a in seed_agencies()}
    assert {unit.code for unit in former_units()} <= codes
    aliases = {a.code: a.aliases.split(";") for a in seed_agencies()}
    for unit in former_units():
        assert set(unit.names) <= set(aliases[unit.code]), unit.former_vi


def test_the_2025_absorptions_and_mergers_are_listed_with_their_dates() -> None:
    units = {(u.code, u.former_vi): u.since for u in former_units()}
    assert units[("MOF", "Bảo hiểm xã hội Việt Nam")] == date(2025, 3, 1)
    assert units[("MOF", "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp")] == date(2025, 3, 1)
    assert units[("MERA", "Ban Tôn giáo Chính phủ")] == date(2025, 3, 1)
    assert units[("MND", "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh")] == date(2025, 3, 1)
    assert units[("LDG", "tỉnh Bình Thuận cũ")] == date(2025, 7, 1)
    # Every province name that agencies.csv lists beside a new province is a former unit.
    merged = [u for u in former_units() if u.since == date(2025, 7, 1)]
    assert len(merged) == 29


def test_no_name_is_two_agencies() -> None:
    # An exact key shared by two agencies would make both imports and chats ambiguous.
    owners: dict[str, set[str]] = defaultdict(set)
    for agency in seed_agencies():
        for name in (agency.code, agency.name_vi, agency.name_en, *agency.aliases.split(";")):
            for key in keys_of(name):
                owners[key].add(agency.code)
    shared = {key: codes for key, codes in owners.items() if len(codes) > 1}
    assert shared == {}


def test_quang_ngai_is_qng_and_answers_to_qni() -> None:
    quang_ngai = next(a for a in seed_agencies() if a.name_vi == "Tỉnh Quảng Ngãi")
    assert quang_ngai.code == "QNG"
    assert "QNI" in quang_ngai.aliases.split(";")
    assert RENAMED_CODES == {"QNI": "QNG"}


async def test_an_old_qni_row_is_renamed_in_place(session: AsyncSession) -> None:
    # A database seeded before the rename: the same row, with its tasks, becomes QNG.
    await session.execute(update(Agency).where(Agency.code == "QNG").values(code="QNI"))
    old = await session.scalar(select(Agency).where(Agency.code == "QNI"))
    assert old is not None
    session.add(Task(code="Q1", title="x", lead_agency_id=old.id, status="open"))
    await session.flush()
    assert await sync_agencies(session) >= 1
    agencies = (
        await session.scalars(select(Agency).where(Agency.name_vi.like("%Quảng Ngãi")))
    ).all()
    assert [(a.id, a.code) for a in agencies] == [(old.id, "QNG")]
    assert await sync_agencies(session) == 0
