"""An import never guesses an agency: the names of issue 8, as a register writes them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import ImportReport, RowError, import_tasks, read_rows
from storage.models import Agency, AgencyKind, Task
from tests.sessions import ACTOR, NOW, savepoints

# What registers write, and the agency each one is: exact after folding case, diacritics and
# the words that only say what kind of body it is.
EXPECTED = [
    ("Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", "MND"),  # transferred to Defence, not TP HCM
    ("Bảo hiểm xã hội Việt Nam", "MOF"),
    ("BHXH", "MOF"),
    ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", "MOF"),
    ("Ban Tôn giáo Chính phủ", "MERA"),
    ("Ủy ban nhân dân tỉnh Gia Lai", "GLI"),
    ("UBND tỉnh Bình Định", "GLI"),  # merged into Gia Lai on 1 July 2025
    ("BR-VT", "HCM"),
    ("TP.HCM", "HCM"),
    ("UBND TP Hà Nội", "HN"),
    ("uy ban nhan dan thanh pho ho chi minh", "HCM"),
    ("Bộ KH&CN", "MOST"),
    ("Bộ Kế hoạch và Đầu tư", "MOF"),
    ("QNI", "QNG"),
    ("Tỉnh Quảng Ngãi", "QNG"),
    ("bo tai chinh", "MOF"),
]
# Names that are no agency of the 56: refused, with the near names when there are any.
REFUSED = [
    ("Đại học Quốc gia Hà Nội", "import-err-unknown-agency", None),
    ("Học viện Chính trị quốc gia Hồ Chí Minh", "import-err-unknown-agency", None),
    ("Kiểm toán nhà nước", "import-err-unknown-agency", None),
    ("Bộ Tài chánh", "import-err-ambiguous-agency", "Bộ Tài chính (MOF)"),
    # A chat would answer these two (a person sees the answer there); a file never guesses.
    ("Vũng Tàu", "import-err-ambiguous-agency", "Thành phố Hồ Chí Minh (HCM)"),
    ("tài chín", "import-err-ambiguous-agency", "Bộ Tài chính (MOF)"),
    (
        "Quảng",
        "import-err-ambiguous-agency",
        "Tỉnh Quảng Ninh (QNH), Tỉnh Quảng Trị (QTI), Tỉnh Quảng Ngãi (QNG)",
    ),
]
HEADER = ["code", "title", "agency"]


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


async def leads(session: AsyncSession) -> dict[str, str]:
    query = select(Task.code, Agency.code).join(Agency, Agency.id == Task.lead_agency_id)
    return dict((await session.execute(query)).all())


async def run(
    session: AsyncSession,
    rows: Sequence[Sequence[str]],
    *,
    dry_run: bool = False,
    add_agencies: bool = False,
) -> ImportReport:
    records = read_rows(csv_bytes([HEADER, *rows]), "names.csv")
    return await import_tasks(
        savepoints(session),
        records,
        dry_run=dry_run,
        add_agencies=add_agencies,
        actor=ACTOR,
        now=NOW,
    )


async def test_every_name_of_the_issue_imports_as_its_agency(session: AsyncSession) -> None:
    rows = [[f"N{n}", "Nhiệm vụ", name] for n, (name, _code) in enumerate(EXPECTED)]
    report = await run(session, rows)
    assert report.errors == ()
    assert await leads(session) == {f"N{n}": code for n, (_name, code) in enumerate(EXPECTED)}


async def test_a_name_that_is_no_agency_is_refused_with_the_candidates(
    session: AsyncSession,
) -> None:
    rows = [[f"R{n}", "Nhiệm vụ", name] for n, (name, _m, _c) in enumerate(REFUSED)]
    report = await run(session, [["OK", "Nhiệm vụ", "MOF"], *rows])
    expected = []
    for n, (name, msg_id, candidates) in enumerate(REFUSED):
        params = {"value": name} | ({"candidates": candidates} if candidates else {})
        expected.append(RowError(n + 3, "agency", msg_id, params, "agency"))
    assert report.errors == tuple(expected)
    assert await leads(session) == {}  # all or nothing: not even the good row


async def test_coordinating_agencies_are_matched_exactly_too(session: AsyncSession) -> None:
    records = read_rows(
        csv_bytes(
            [[*HEADER, "coordinating"], ["C1", "x", "MOF", "BHXH; Đại học Quốc gia Hà Nội"]]
        ),
        "c.csv",
    )
    report = await import_tasks(savepoints(session), records, dry_run=False, actor=ACTOR, now=NOW)
    assert [(e.key, e.msg_id) for e in report.errors] == [
        ("coordinating", "import-err-unknown-agency")
    ]


async def test_add_agencies_lists_new_units_in_the_dry_run_then_adds_them(
    session: AsyncSession,
) -> None:
    rows = [
        ["U1", "Kiểm toán", "Kiểm toán nhà nước"],
        ["U2", "Đào tạo", "Đại học Quốc gia Hà Nội"],
        ["U3", "Kiểm toán lại", "kiem toan nha nuoc"],  # the same unit, spelt otherwise
        ["U4", "Ngân sách", "MOF"],
    ]
    dry = await run(session, rows, dry_run=True, add_agencies=True)
    assert dry.errors == ()
    assert dry.new_agencies == ("Kiểm toán nhà nước (KTNN)", "Đại học Quốc gia Hà Nội (DHQGHN)")
    assert await session.scalar(select(Agency).where(Agency.code == "KTNN")) is None

    report = await run(session, rows, add_agencies=True)
    assert (report.created, report.new_agencies) == (4, dry.new_agencies)
    added = (await session.scalars(select(Agency).where(Agency.kind == "other"))).all()
    assert {(a.code, a.name_vi, a.kind) for a in added} == {
        ("KTNN", "Kiểm toán nhà nước", AgencyKind.OTHER.value),
        ("DHQGHN", "Đại học Quốc gia Hà Nội", AgencyKind.OTHER.value),
    }
    assert await leads(session) == {"U1": "KTNN", "U2": "DHQGHN", "U3": "KTNN", "U4": "MOF"}
    again = await run(session, rows)  # now they are agencies like any other
    assert (again.errors, again.unchanged) == ((), 4)


async def test_add_agencies_never_turns_a_misspelling_into_a_unit(session: AsyncSession) -> None:
    report = await run(session, [["T1", "x", "Bộ Tài chánh"]], add_agencies=True)
    assert [e.msg_id for e in report.errors] == ["import-err-ambiguous-agency"]
    assert report.new_agencies == ()


async def test_a_new_units_code_is_no_agencys_alias(session: AsyncSession) -> None:
    # "Ban Tổ chức Cục" would be BTCC; "Bộ Tư Cục" would be BTC, Finance's short name.
    report = await run(session, [["T1", "x", "Bộ Tư Cục"]], add_agencies=True)
    assert report.new_agencies == ("Bộ Tư Cục (BTC-2)",)


@pytest.mark.parametrize("name", ["🙂", "---"])
async def test_a_name_without_letters_is_never_a_new_unit(
    session: AsyncSession, name: str
) -> None:
    report = await run(session, [["T1", "x", name]], add_agencies=True)
    assert [e.msg_id for e in report.errors] == ["import-err-unknown-agency"]
