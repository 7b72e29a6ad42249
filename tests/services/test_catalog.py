"""Agencies and programs the secretariat adds: codes, kinds, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import catalog
from services.access import Caller, NotAllowed
from services.catalog import CatalogError
from services.lookup_cache import load_index
from services.reports import register_version
from storage.models import Agency, Program, Role

ADMIN = Caller(1, 1, "private", Role.ADMIN, None, False, None, None)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Nghị quyết 57-NQ/TW", "NQ57"),
        ("Nghị quyết số 57-NQ/TW", "NQ57"),
        ("Đề án 06", "DA06"),
        ("Cải cách hành chính", "CCHC"),
        ("Kiểm toán nhà nước", "KTNN"),
        ("Bộ Khoa học và Công nghệ", "BKHCN"),
        ("Đại học Quốc gia Hà Nội", "DHQGHN"),
        ("🙂", ""),
    ],
)
def test_a_code_is_made_as_committees_shorten_names(name: str, code: str) -> None:
    assert catalog.abbreviate(name) == code


@pytest.mark.parametrize(
    ("text", "ok"),
    [("NQ57", True), ("DA06", True), ("CCHC", True), ("nq57", True), ("KH-01", True),
     ("Tư pháp", False), ("Finance", False), ("Đề án 06", False), ("57", False),
     ("A" * 17, False), ("", False)],
)  # fmt: skip
def test_what_reads_as_a_code(text: str, ok: bool) -> None:
    assert catalog.is_code(text) is ok


async def test_agency_add_makes_an_other_unit_that_lookups_find(session: AsyncSession) -> None:
    version = await register_version(session)
    index = await load_index(session)
    added = await catalog.add_agency(
        session, caller=ADMIN, index=index, name="  Kiểm toán   nhà nước "
    )
    assert (added.code, added.name_vi, added.kind) == ("KTNN", "Kiểm toán nhà nước", "other")
    assert await register_version(session) > version  # caches of names rebuild
    found = (await load_index(session)).resolve("kiem toan nha nuoc").found
    assert found is not None
    assert found.code == "KTNN"
    given = await catalog.add_agency(
        session,
        caller=ADMIN,
        index=await load_index(session),
        name="Đại học Quốc gia Hà Nội",
        code="ĐHQGHN"[1:],
    )
    assert given.code == "HQGHN"


@pytest.mark.parametrize(
    ("name", "code", "msg_id"),
    [
        ("Bảo hiểm xã hội Việt Nam", "", "agency-exists"),  # part of MOF since 2025
        ("UBND tỉnh Gia Lai", "", "agency-exists"),
        ("Kiểm toán nhà nước", "MOF", "code-taken"),
        ("Kiểm toán nhà nước", "BTC", "code-taken"),  # Finance's short name
        ("Kiểm toán nhà nước", "K T", "agency-bad-code"),
        ("   ", "", "agency-add-usage"),
    ],
)
async def test_agency_add_refuses_what_would_be_two_names_for_one(
    session: AsyncSession, name: str, code: str, msg_id: str
) -> None:
    with pytest.raises(CatalogError) as refused:
        await catalog.add_agency(
            session, caller=ADMIN, index=await load_index(session), name=name, code=code
        )
    assert refused.value.msg_id == msg_id
    assert await session.scalar(select(Agency).where(Agency.kind == "other")) is None


async def test_program_is_created_renamed_and_coded(session: AsyncSession) -> None:
    created = await catalog.set_program(
        session, caller=ADMIN, code="NQ57", name="Nghị quyết 57-NQ/TW"
    )
    assert (created.action, created.program.code) == ("created", "NQ57")
    renamed = await catalog.set_program(
        session, caller=ADMIN, code="nq57", name="Nghị quyết 57 của Bộ Chính trị"
    )
    assert (renamed.action, renamed.program.name) == ("renamed", "Nghị quyết 57 của Bộ Chính trị")
    assert (
        await catalog.set_program(session, caller=ADMIN, code="NQ57", name="")
    ).action == "unchanged"
    # A program an older import named in full gets its code.
    session.add(Program(code="Đề án 06", name="Đề án 06"))
    await session.flush()
    coded = await catalog.set_program(session, caller=ADMIN, code="DA06", name="de an 06")
    assert (coded.action, coded.program.code, coded.program.name) == ("coded", "DA06", "Đề án 06")
    codes = (await session.scalars(select(Program.code).order_by(Program.code))).all()
    assert codes == ["DA06", "NQ57"]


@pytest.mark.parametrize(
    ("code", "name", "msg_id"),
    [("MOF", "Tài chính công", "code-taken"), ("Đề án", "Đề án", "program-bad-code"),
     ("CT1", "", "program-usage")],
)  # fmt: skip
async def test_program_refusals(session: AsyncSession, code: str, name: str, msg_id: str) -> None:
    with pytest.raises(CatalogError) as refused:
        await catalog.set_program(session, caller=ADMIN, code=code, name=name)
    assert refused.value.msg_id == msg_id


@pytest.mark.parametrize("role", [Role.LEAD, Role.VIEWER, None])
async def test_only_an_admin_changes_the_catalog_even_past_the_handlers(
    session: AsyncSession, role: Role | None
) -> None:
    caller = Caller(2, -100, "supergroup", role, 1, True, None, None)
    index = await load_index(session)
    with pytest.raises(NotAllowed):
        await catalog.add_agency(session, caller=caller, index=index, name="Kiểm toán nhà nước")
    with pytest.raises(NotAllowed):
        await catalog.set_program(session, caller=caller, code="NQ57", name="Nghị quyết 57")
    assert await session.scalar(select(Program).where(Program.code == "NQ57")) is None
