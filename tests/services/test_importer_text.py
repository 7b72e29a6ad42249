"""Cell text is NFC; codes lose invisible characters and refuse control ones; a code or title
of invisible characters only, twins after normalization, and dates outside 1950-2200 are row
errors."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import normalize_code, parse_date
from services.importer.cells import STATUS_WORDS, BadCell
from storage.models import Status
from tests.services.test_importer import HEADER, csv_bytes, error, row, run, stored, xlsx_bytes


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("NQ57-001", "NQ57-001"),
        ("NQ57\u200b-001", "NQ57-001"),  # zero-width space
        ("\ufeffNQ57-001", "NQ57-001"),  # BOM left by a text editor
        ("NQ57\u00ad-001", "NQ57-001"),  # soft hyphen
        ("\u202eNQ57-001\u202c", "NQ57-001"),  # right-to-left override
        ("\u2066NQ57-001\u2069", "NQ57-001"),  # isolate
        ("N\u200dQ\u200c5\u20607-001\u200e\u200f", "NQ57-001"),  # joiners, word joiner, marks
        (nfd("ĐA06-Ộ1"), "ĐA06-Ộ1"),  # decomposed, as a Mac types it
        ("  T1  ", "T1"),
        ("", ""),
    ],
)
def test_codes_are_normalized(typed: str, code: str) -> None:
    assert normalize_code(typed) == code
    assert unicodedata.is_normalized("NFC", normalize_code(typed))


@pytest.mark.parametrize(
    ("typed", "msg_id"),
    [
        ("T1\nT2", "import-err-code-control"),
        ("T1\tT2", "import-err-code-control"),
        ("T\r1", "import-err-code-control"),
        ("T\x001", "import-err-code-control"),
        ("T\x851", "import-err-code-control"),  # C1 next line
        ("T\u20281", "import-err-code-control"),  # line separator
        ("\u200b", "import-err-invisible"),
        ("\u202e\u200d\ufeff", "import-err-invisible"),
    ],
)
def test_codes_with_control_or_only_invisible_characters_are_refused(
    typed: str, msg_id: str
) -> None:
    with pytest.raises(BadCell) as caught:
        normalize_code(typed)
    assert caught.value.msg_id == msg_id


async def test_codes_are_stored_normalized_and_text_as_nfc(session: AsyncSession) -> None:
    title = "Số hóa hồ sơ, kết quả giải quyết thủ tục"
    data = csv_bytes([HEADER, row(code="\u200bT1\u202c", title=nfd(title), notes=nfd("ghi chú"))])

    report = await run(session, data)

    assert report.errors == ()
    task = (await stored(session))["T1"]
    assert (task["title"], task["notes"]) == (title, "ghi chú")


@pytest.mark.parametrize(
    ("cells", "column", "msg_id", "params"),
    [
        ({"code": "T\n2"}, "code", "import-err-code-control", {}),
        ({"code": "\u200b\u200d"}, "code", "import-err-invisible", {"column": "code"}),
        ({"title": "\u200b"}, "title", "import-err-invisible", {"column": "title"}),
        ({"title": "\u2066\u2069 \u200e"}, "title", "import-err-invisible", {"column": "title"}),
        ({"code": "t1"}, "code", "import-err-duplicate-code", {"value": "t1", "first_row": "2"}),
        (
            {"code": "T\u200b1"},
            "code",
            "import-err-duplicate-code",
            {"value": "T1", "first_row": "2"},
        ),
    ],
    ids=["newline", "invisible-code", "invisible-title", "bidi-title", "case-twin", "zwsp-twin"],
)
async def test_bad_codes_and_titles_are_row_errors(
    session: AsyncSession, cells: dict[str, str], column: str, msg_id: str, params: dict[str, str]
) -> None:
    data = csv_bytes([HEADER, row(code="T1"), row(**({"code": "T2"} | cells))])

    report = await run(session, data)

    assert report.errors == (error(3, column, msg_id, params),)
    assert await stored(session) == {}


async def test_nfc_and_nfd_twins_are_one_code(session: AsyncSession) -> None:
    code = "ĐA-Ộ1"
    data = csv_bytes([HEADER, row(code=code), row(code=nfd(code)), row(code=code.lower())])

    report = await run(session, data)

    params = {"value": code, "first_row": "2"}
    assert report.errors == (
        error(3, "code", "import-err-duplicate-code", params),
        error(4, "code", "import-err-duplicate-code", params | {"value": code.lower()}),
    )


def test_status_words_name_the_stored_statuses() -> None:
    assert set(STATUS_WORDS.values()) == {s.value for s in Status}


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1950-01-01", date(1950, 1, 1)),
        ("31/12/2200", date(2200, 12, 31)),
        (date(2026, 3, 31), date(2026, 3, 31)),
        (datetime.combine(date(1999, 1, 2), time(8)), date(1999, 1, 2)),
    ],
)
def test_dates_within_1950_and_2200_are_read(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "echo"),
    [
        ("1949-12-31", "1949-12-31"),
        ("01/01/2201", "01/01/2201"),
        ("1/1/1025", "1/1/1025"),  # a typo for 2025
        (date(1900, 1, 5), "1900-01-05"),  # a small number formatted as a date
        (datetime.combine(date(9999, 12, 31), time()), "9999-12-31"),
    ],
)
def test_dates_outside_1950_and_2200_are_refused(value: object, echo: str) -> None:
    with pytest.raises(BadCell) as caught:
        parse_date(value)
    assert caught.value.msg_id == "import-err-date-range"
    assert caught.value.params == {"value": echo, "first": "1950", "last": "2200"}


async def test_deadline_and_completion_outside_the_range_are_row_errors(
    session: AsyncSession,
) -> None:
    cells = row(deadline="12/05/2205", status="hoàn thành", completed_on="1930-01-01")
    xlsx_cell = row(code="T2")
    xlsx_cell[3] = date(1901, 1, 1)
    data = xlsx_bytes([HEADER, cells, xlsx_cell])

    report = await run(session, data, "d.xlsx")

    params = {"first": "1950", "last": "2200"}
    assert report.errors == (
        error(2, "deadline", "import-err-date-range", params | {"value": "12/05/2205"}),
        error(2, "completed_on", "import-err-date-range", params | {"value": "1930-01-01"}),
        error(3, "deadline", "import-err-date-range", params | {"value": "1901-01-01"}),
    )
