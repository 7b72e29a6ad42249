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
        ("Nghị quyết số 57", "NQ57"),  # "số" just before the last word, a number
        ("Công ty Xổ số", "CTXS"),  # "số" as the last word is a word like any other
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
     ("A" * 16, True), ("A" * 17, False), ("", False)],
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


def test_a_code_made_unique_still_fits_the_column() -> None:
    longest = "ABCDEFGHIJ123456"  # ten letters and a number: abbreviate's longest
    assert catalog.unique_code(longest, {longest.lower()}, "DV") == "ABCDEFGHIJ1234-2"
    assert catalog.unique_code("", {"DV", "dv-2"}, "DV") == "DV-3"


async def test_agency_add_gives_a_code_no_name_spells(session: AsyncSession) -> None:
    index = await load_index(session)
    # "BTC" is the Ministry of Finance's short name; "và" is never an initial.
    added = await catalog.add_agency(session, caller=ADMIN, index=index, name="Ban Thi Công")
    assert added.code == "BTC-2"
    blank = await catalog.add_agency(
        session, caller=ADMIN, index=await load_index(session), name="Và"
    )
    assert blank.code == "DV"
    longest = await catalog.add_agency(
        session,
        caller=ADMIN,
        index=await load_index(session),
        name="Kiểm toán",
        code="ktnn.2025/khu-vuc"[:16],
    )
    assert longest.code == "KTNN.2025/KHU-VU"


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


@pytest.mark.parametrize(
    ("kind", "code", "msg_id"),
    [("agency", "MOF", "code-taken"), ("agency", "K T", "agency-bad-code"),
     ("program", "MOF", "code-taken"), ("program", "Đề án", "program-bad-code")],
)  # fmt: skip
async def test_a_refused_code_is_named_in_the_refusal(
    session: AsyncSession, kind: str, code: str, msg_id: str
) -> None:
    index = await load_index(session)
    attempt = (
        catalog.add_agency(
            session, caller=ADMIN, index=index, name="Kiểm toán nhà nước", code=code
        )
        if kind == "agency"
        else catalog.set_program(session, caller=ADMIN, code=code, name="Tài chính công")
    )
    with pytest.raises(CatalogError) as refused:
        await attempt
    assert (refused.value.msg_id, refused.value.params) == (msg_id, {"code": code})


async def test_program_is_created_renamed_and_coded(session: AsyncSession) -> None:
    created = await catalog.set_program(
        session, caller=ADMIN, code="NQ57", name="Nghị quyết 57-NQ/TW"
    )
    assert (created.action, created.program.code) == ("created", "NQ57")
    renamed = await catalog.set_program(
        session, caller=ADMIN, code="nq57", name="Nghị quyết 57 của Bộ Chính trị"
    )
    assert (renamed.action, renamed.program.name) == ("renamed", "Nghị quyết 57 của Bộ Chính trị")
    unchanged = await catalog.set_program(session, caller=ADMIN, code="NQ57", name="")
    assert (unchanged.action, unchanged.program.code) == ("unchanged", "NQ57")
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
