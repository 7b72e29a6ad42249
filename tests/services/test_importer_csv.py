"""Damaged csv files are refused with the line to fix: a quote left open, bytes that are
neither UTF-8 nor Vietnamese Windows-1258."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import ImportFileError, import_tasks, read_rows
from services.importer.csv_text import decode
from tests.sessions import ACTOR, NOW, savepoints

TONES = "\u0300\u0301\u0303\u0309\u0323"  # the tone marks Windows-1258 keeps apart
HEADER = "Mã,Tên nhiệm vụ,Cơ quan chủ trì\n"


def cp1258(text: str) -> bytes:
    """Text as Excel's "CSV (Comma delimited)" saves it on a Vietnamese Windows."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:  # "ộ": the letter "ô", then a combining dot below
            marks = unicodedata.normalize("NFD", char)
            tone = "".join(m for m in marks if m in TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in TONES))
            out += (base + tone).encode("cp1258")
    return out


def refused(data: bytes) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_rows(data, "t.csv")
    return caught.value


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The issue's case: the title's quote swallows the next rows up to the next quote.
        (HEADER + 'T1,"Thêm mới,MOF\nT2,thêm mới 1,MOF\nT3,"Ba",MOF\nT4,Bốn,MOF\n', 2),
        # Still open at the end of the file, after a good row.
        (HEADER + 'T1,Một,MOF\nT2,"Hai,MOF\nT3,Ba,MOF\n', 3),
        (HEADER + 'T1,Một,MOF\nT2,"Hai', 3),
        # Semicolons (Excel in a Vietnamese locale), and a quote in the code column.
        (HEADER.replace(",", ";") + '"T1;Một;MOF\nT2;Hai;MOF\n', 2),
        # Windows line ends; the open quote on the fourth line.
        (HEADER.replace("\n", "\r\n") + 'T1,Một,MOF\r\nT2,Hai,MOF\r\nT3,"Ba,MOF\r\n', 4),
    ],
)
def test_a_quote_left_open_is_refused_naming_its_line(text: str, line: int) -> None:
    error = refused(text.encode())

    assert (error.msg_id, error.params) == ("import-file-unclosed-quote", {"line": line})


@pytest.mark.parametrize(
    "text",
    [
        HEADER + 'T1,"Dòng một\nDòng hai, ba",MOF\nT2,Hai,MOF\n',  # a cell on two lines
        HEADER + '"T1","Nhiệm vụ ""A"", phối hợp",MOF\n',  # escaped quotes
        HEADER + 'T1,Màn hình 5" mới,MOF\n',  # a quote inside a cell that is not quoted
        HEADER + 'T1,"Bước 1\nBước 2\nBước 3",MOF',  # a multi-line cell closed at the end
    ],
)
def test_quotes_that_close_read_as_written(text: str) -> None:
    records = list(read_rows(text.encode(), "t.csv"))

    assert records[0]["agency"] == "MOF"
    assert [r["code"] for r in records][:1] == ["T1"]


async def test_the_issue_file_no_longer_stores_a_swallowed_title(session: AsyncSession) -> None:
    data = (HEADER + 'T1,"Thêm mới,MOF\nT2,thêm mới 1,MOF\nT3,"Ba",MOF\n').encode()

    with pytest.raises(ImportFileError):
        await import_tasks(
            savepoints(session), read_rows(data, "t.csv"), dry_run=True, actor=ACTOR, now=NOW
        )


def test_windows_1258_still_reads() -> None:
    text = HEADER + "T1,Số hóa hồ sơ,Bộ Tài chính\nT2,Bốn,MOF\nT3,Đào tạo kỹ năng số,Bộ Y tế\n"

    assert decode(cp1258(text)) == text


@pytest.mark.parametrize(
    ("data", "line", "sample"),
    [
        # UTF-8 with one damaged byte: read as Windows-1258 every accent would be garbled.
        (
            (HEADER + "T1,Một,MOF\n").encode() + b"T2,H\xf4 s\xc6\xa1,MOF\n",
            3,
            "T2,Hô sÆ¡,MOF",
        ),
        (
            (HEADER + "T1,Số hóa,MOF\nT2,Hai,MOF\n").encode().replace(b"\xe1\xbb\x91", b"\xff"),
            2,
            "",
        ),
        # Latin-1 (French): no Vietnamese letter or tone mark in it.
        ("code,title,agency\nT1,Hôpital français,MOF\n".encode("cp1252"), 2, ""),
        # Bytes Windows-1258 does not define.
        (b"code,title,agency\nT1,\x81\x8a\x8d,MOF\n", 2, ""),
    ],
    ids=["utf8-one-bad-byte", "utf8-bad-byte-line-2", "latin-1", "undefined-bytes"],
)
def test_bytes_neither_utf8_nor_vietnamese_are_refused(
    data: bytes, line: int, sample: str
) -> None:
    error = refused(data)

    assert error.msg_id == "import-file-bad-encoding"
    assert error.params["line"] == line
    assert sample in str(error.params["sample"])
