"""The committees' status words and programme codes in an import."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import ImportReport, import_tasks, parse_status, read_rows
from storage.models import Program, Task
from tests.sessions import ACTOR, NOW, savepoints

TODAY = date(2026, 12, 2)


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


async def run(session: AsyncSession, rows: Sequence[Sequence[str]]) -> ImportReport:
    records = read_rows(csv_bytes(rows), "words.csv")
    return await import_tasks(
        savepoints(session), records, dry_run=False, today=TODAY, actor=ACTOR, now=NOW
    )


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Hoàn thành đúng hạn", "done"),
        ("hoàn thành quá hạn", "done"),
        ("Hoàn thành chậm", "done"),
        ("Đang thực hiện trong hạn", "in_progress"),
        ("đang thực hiện quá hạn", "in_progress"),
        ("Thường xuyên", "in_progress"),
        ("Chưa thực hiện", "open"),
        ("Quá hạn", "open"),
        ("completed on time", "done"),
        ("completed late", "done"),
        ("on schedule", "in_progress"),
        ("routine", "in_progress"),
        ("not started", "open"),
    ],
)
def test_the_committees_words_are_statuses(word: str, status: str) -> None:
    assert parse_status(word) == status


HEADER = ["Mã", "Tên", "Cơ quan chủ trì", "Thời hạn", "Trạng thái", "Ngày hoàn thành"]


async def test_words_that_agree_with_the_dates_import(session: AsyncSession) -> None:
    report = await run(
        session,
        [
            HEADER,
            ["W1", "a", "MOF", "30/11/2026", "Hoàn thành đúng hạn", "28/11/2026"],
            ["W2", "b", "MOF", "30/6/2026", "Hoàn thành quá hạn", "15/7/2026"],
            ["W3", "c", "MOF", "31/12/2026", "Đang thực hiện trong hạn", ""],
            ["W4", "d", "MOF", "30/9/2026", "Đang thực hiện quá hạn", ""],
            ["W5", "e", "MOF", "", "Thường xuyên", ""],
            ["W6", "f", "MOF", "02/12/2026", "Đang thực hiện trong hạn", ""],  # due today
            ["W7", "g", "MOF", "", "Hoàn thành đúng hạn", "28/11/2026"],  # no deadline: no harm
            ["W8", "h", "MOF", "30/11/2026", "Hoàn thành đúng hạn", "30/11/2026"],  # on the day
        ],
    )
    assert (report.errors, report.created) == ((), 8)
    statuses = dict((await session.execute(select(Task.code, Task.status))).all())
    assert statuses == {
        "W1": "done", "W2": "done", "W3": "in_progress", "W4": "in_progress",
        "W5": "in_progress", "W6": "in_progress", "W7": "done", "W8": "done",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "msg_id"),
    [
        (["31/12/2026", "Đang thực hiện quá hạn", ""], "import-err-claim-overdue"),
        (["02/12/2026", "Quá hạn", ""], "import-err-claim-overdue"),  # due today: not yet
        (["30/9/2026", "Đang thực hiện trong hạn", ""], "import-err-claim-in-time"),
        (["30/6/2026", "Hoàn thành đúng hạn", "15/7/2026"], "import-err-claim-on-time"),
        (["30/6/2026", "Hoàn thành quá hạn", "30/6/2026"], "import-err-claim-late"),
        (["31/12/2026", "Thường xuyên", ""], "import-err-claim-routine"),
        (["", "Đang thực hiện quá hạn", ""], "import-err-claim-no-deadline"),
    ],
)
async def test_a_word_that_contradicts_the_dates_is_reported_not_reinterpreted(
    session: AsyncSession, cells: list[str], msg_id: str
) -> None:
    report = await run(session, [HEADER, ["X1", "x", "MOF", *cells]])
    [error] = report.errors
    assert (error.row, error.column, error.msg_id) == (2, "Trạng thái", msg_id)
    assert error.params["value"] == cells[1]
    assert await session.scalar(select(Task.code)) is None


async def test_a_contradiction_names_the_dates_as_the_register_writes_them(
    session: AsyncSession,
) -> None:
    report = await run(
        session,
        [
            HEADER,
            ["X1", "x", "MOF", "30/6/2026", "Hoàn thành đúng hạn", "15/7/2026"],
            ["X2", "y", "MOF", "", "Quá hạn", ""],
        ],
    )
    assert [e.params for e in report.errors] == [
        {"value": "Hoàn thành đúng hạn", "deadline": "30/06/2026", "completed_on": "15/07/2026"},
        {"value": "Quá hạn", "deadline": "", "completed_on": ""},
    ]


async def test_a_word_is_not_checked_against_a_deadline_the_file_lacks(
    session: AsyncSession,
) -> None:
    report = await run(
        session, [["Mã", "Tên", "Cơ quan", "Trạng thái"], ["Y", "y", "MOF", "Quá hạn"]]
    )
    assert report.errors == ()


PROGRAM = ["code", "title", "agency", "program", "program_code"]


async def programs(session: AsyncSession) -> dict[str, str]:
    return dict((await session.execute(select(Program.code, Program.name))).all())


async def test_programme_codes_from_the_column_the_cell_or_the_name(
    session: AsyncSession,
) -> None:
    report = await run(
        session,
        [
            PROGRAM,
            ["P1", "a", "MOF", "Nghị quyết 57-NQ/TW", "NQ57"],
            ["P2", "b", "MOF", "Nghị quyết 57-NQ/TW", ""],  # the same program, by name
            ["P3", "c", "MOF", "", "nq57"],  # and by code
            ["P4", "d", "MOF", "DA06", ""],  # a code in the program cell
            ["P5", "e", "MOF", "Cải cách hành chính", ""],  # only a name: CCHC made from it
            ["P6", "f", "MOF", "", ""],
        ],
    )
    assert report.errors == ()
    assert report.new_programs == (
        "Nghị quyết 57-NQ/TW (NQ57)",
        "DA06 (DA06)",
        "Cải cách hành chính (CCHC)",
    )
    assert await programs(session) == {
        "NQ57": "Nghị quyết 57-NQ/TW",
        "DA06": "DA06",
        "CCHC": "Cải cách hành chính",
    }
    query = select(Task.code, Program.code).join(Program, Program.id == Task.program_id)
    assert dict((await session.execute(query)).all()) == {
        "P1": "NQ57", "P2": "NQ57", "P3": "NQ57", "P4": "DA06", "P5": "CCHC",
    }  # fmt: skip
    again = await run(session, [PROGRAM, ["P2", "b", "MOF", "", "NQ57"]])
    assert (again.errors, again.unchanged, again.new_programs) == ((), 1, ())


async def test_programme_code_errors(session: AsyncSession) -> None:
    await run(session, [PROGRAM, ["P1", "a", "MOF", "Nghị quyết 57-NQ/TW", "NQ57"]])
    await run(session, [PROGRAM, ["P2", "a", "MOF", "Đề án 06", "DA06"]])
    report = await run(
        session,
        [
            PROGRAM,
            ["E1", "x", "MOF", "Đề án 06", "NQ57"],  # two programs in one row
            ["E2", "x", "MOF", "Nghị quyết 57-NQ/TW", "NQ-57"],  # the name has another code
            ["E3", "x", "MOF", "Mới", "Mã mới"],  # not a code
            ["E4", "x", "MOF", "Tài chính công", "MOF"],  # an agency's code
        ],
    )
    assert [(e.row, e.key, e.msg_id) for e in report.errors] == [
        (2, "program_code", "import-err-program-mismatch"),
        (3, "program_code", "import-err-program-has-code"),
        (4, "program_code", "import-err-bad-program-code"),
        (5, "program_code", "import-err-program-code-taken"),
    ]
