"""A chat upload is read in a child process: what it reads matches read_rows, and a file that
exhausts the child's memory or time is a clean ImportFileError while this process carries on."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import struct
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.importer import ImportFileError, ReadLimits, read_rows
from services.importer.isolated import _failure, _receive, read_rows_isolated
from tests.services.hostile_files import HEADER, far_cell, row, sheet, task, workbook


def register() -> bytes:
    """A small register with every kind of cell the reader passes on."""
    book = Workbook()
    tab = book.active
    assert isinstance(tab, Worksheet)
    tab.append(["Mã", "Tên nhiệm vụ", "Cơ quan chủ trì", "Hạn", "Tiến độ", "Ghi chú"])
    tab.append(["T1", "Số hóa hồ sơ", "MOF", date(2026, 3, 31), 0.5, True])
    tab.append(
        [
            "T2",
            "Hai",
            "Bộ Y tế",
            datetime.combine(date(2026, 4, 1), time(9, 30)),
            0.25,
            time(8, 15),
        ]
    )
    tab.append(["T3", "=1+1", "MOH", "31/12/2026", 1, 7])
    tab.append(["T4", "Bốn", None, None, None, "x"])
    tab.merge_cells("C4:C5")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name"),
    [(register(), "r.xlsx"), ("Mã,Tên,Đơn vị\nT1,Một,MOF\nT2,Hai,\n".encode(), "r.csv")],
)
async def test_the_child_reads_what_read_rows_reads(data: bytes, name: str) -> None:
    calls: list[tuple[int, int]] = []

    records = await read_rows_isolated(
        data, name, limits=ReadLimits(), progress=lambda d, t: calls.append((d, t))
    )

    expected = read_rows(data, name)
    assert records.labels == expected.labels
    assert records.ignored == expected.ignored
    got, want = list(records), list(expected)
    assert got == want
    assert [type(v) for r in got for v in r.values()] == [
        type(v) for r in want for v in r.values()
    ]
    assert calls[-1] == (len(want), len(want))
    with pytest.raises(RuntimeError):  # each message is dropped once read
        list(records)


async def test_a_file_refused_in_the_child_says_why() -> None:
    with pytest.raises(ImportFileError) as caught:
        await read_rows_isolated(far_cell("XFD1048576"), "x.xlsx", limits=ReadLimits())
    assert caught.value.msg_id == "import-file-too-many-rows"
    assert caught.value.params == {"rows": 1_048_576, "limit": 300_000}


async def test_out_of_memory_in_the_child_is_a_clean_error() -> None:
    # Two cells that pass every check (200,000 rows by 10 columns), but calamine allocates
    # the grid between them, 64 MB, and the child may only add 32 MB: it aborts.
    data = workbook(sheet([row(1, HEADER), row(200_000, [("J200000", 1)])]))
    limits = ReadLimits(memory_mb=32)

    with pytest.raises(ImportFileError) as caught:
        await read_rows_isolated(data, "big.xlsx", limits=limits)
    assert (caught.value.msg_id, caught.value.params) == ("import-file-memory", {"limit": 32})

    # This process carries on, and the same limits read an ordinary file.
    ordinary = workbook(sheet([row(1, HEADER), row(2, task(2))]))
    records = await read_rows_isolated(ordinary, "ok.xlsx", limits=limits)
    assert [r["code"] for r in records] == ["T2"]


async def test_a_child_that_takes_too_long_is_stopped() -> None:
    with pytest.raises(ImportFileError) as caught:
        await read_rows_isolated(register(), "slow.xlsx", limits=ReadLimits(timeout=0.001))
    assert caught.value.msg_id == "import-file-timeout"


def frame(message: object) -> bytes:
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


HEADER_FRAME = frame({"h": {"labels": {"code": "Mã"}, "ignored": [], "estimate": 1}})


@pytest.mark.parametrize(
    "stream",
    [
        pytest.param(struct.pack(">I", 3) + b"{{{", id="not-json"),
        pytest.param(frame([1, 2]), id="not-an-object"),
        pytest.param(frame({"x": 1}), id="unknown-kind"),
        pytest.param(frame({"p": [1, 2], "e": {}}), id="two-kinds"),
        pytest.param(frame({"p": ["1", 2]}), id="bad-progress"),
        pytest.param(frame({"r": [["T1", 2]]}), id="rows-before-header"),
        pytest.param(HEADER_FRAME + frame({"r": [["T1"]]}), id="short-row"),
        pytest.param(HEADER_FRAME + frame({"r": [["T1", "2"]]}), id="row-number-not-int"),
        pytest.param(HEADER_FRAME + frame({"r": [[["T1"], 2]]}), id="list-value"),
        pytest.param(HEADER_FRAME + frame({"r": [[{"d": "2026-13-01"}, 2]]}), id="bad-date"),
        pytest.param(HEADER_FRAME + frame({"r": [[{"x": 1}, 2]]}), id="unknown-tag"),
        pytest.param(
            frame({"h": {"labels": {"password": "x"}, "ignored": [], "estimate": 1}}),
            id="unknown-column",
        ),
        pytest.param(frame({"e": {"msg_id": "start", "params": {}}}), id="foreign-message"),
        pytest.param(frame({"e": {"msg_id": "import-file-empty", "params": []}}), id="bad-params"),
        pytest.param(struct.pack(">I", 600 << 20), id="huge-frame"),
    ],
)
async def test_what_the_child_sends_is_checked(stream: bytes) -> None:
    # The child has read a hostile file, so its output is checked like any input.
    with pytest.raises(ImportFileError) as caught:
        await _receive(_reader(stream), None, ReadLimits())
    assert caught.value.msg_id == "import-file-crashed"


@pytest.mark.parametrize(
    "stream",
    [b"", b'\x00\x00\x00\x09{"p":', HEADER_FRAME + frame({"r": [["T1", 2]]})],
    ids=["nothing", "cut-short", "no-end"],
)
async def test_a_child_that_stops_mid_stream_leaves_it_to_its_exit_code(stream: bytes) -> None:
    assert await _receive(_reader(stream), None, ReadLimits()) is None


def _reader(stream: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(stream)
    reader.feed_eof()
    return reader


async def test_a_well_formed_message_stream_is_read() -> None:
    rows = [["T1", 2], [{"d": "2026-03-31"}, 3], [None, 4]]
    stream = HEADER_FRAME + frame({"r": rows}) + frame({"end": True})

    records = await _receive(_reader(stream), None, ReadLimits())

    assert records is not None
    assert list(records) == [
        {"code": "T1", "_row": 2},
        {"code": date(2026, 3, 31), "_row": 3},
        {"_row": 4},
    ]


@pytest.mark.parametrize(
    ("code", "errors", "msg_id"),
    [
        (
            -signal.SIGABRT,
            b"memory allocation of 549755813888 bytes failed\n",
            "import-file-memory",
        ),
        (3, b"", "import-file-memory"),
        (-signal.SIGKILL, b"", "import-file-memory"),
        (1, b"Traceback...\nMemoryError\n", "import-file-memory"),
        (-signal.SIGXCPU, b"", "import-file-timeout"),
        (-signal.SIGSEGV, b"", "import-file-crashed"),
        (1, b"Traceback...\nValueError\n", "import-file-crashed"),
    ],
)
def test_why_a_child_stopped(code: int, errors: bytes, msg_id: str) -> None:
    assert _failure(code, errors, ReadLimits()).msg_id == msg_id
