"""An xlsx's records stream from calamine's grid, once, without a second copy of the sheet;
every check reads the file in chunks and does not depend on where a chunk ends."""

from __future__ import annotations

import io
import platform
import sys
import tracemalloc

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.importer import ImportFileError, ReadLimits, Records, read_rows, xlsx, xlsx_guard
from services.importer.common import trim_heap
from tests.services.hostile_files import (
    HEADER,
    MB,
    STYLES,
    far_cell,
    row,
    sheet,
    task,
    workbook,
)
from tests.services.test_importer import with_cached_value


def register(rows: int, progress: list[object] | None = None) -> bytes:
    book = Workbook()
    tab = book.active
    assert isinstance(tab, Worksheet)
    tab.append(["Mã", "Tên nhiệm vụ", "Cơ quan chủ trì", "Tiến độ", "Ghi chú"])
    for n in range(rows):
        done = progress[n] if progress else n % 101
        tab.append([f"T{n:06}", f"Nhiệm vụ số {n} về chuyển đổi số", "MOF", done, "ghi chú"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_records_stream_once() -> None:
    records = read_rows(register(3), "r.xlsx")

    assert records.labels == {
        "code": "Mã", "title": "Tên nhiệm vụ", "agency": "Cơ quan chủ trì",
        "progress": "Tiến độ", "notes": "Ghi chú",
    }  # fmt: skip
    assert records.estimate == 4
    assert [r["code"] for r in records] == ["T000000", "T000001", "T000002"]
    with pytest.raises(RuntimeError):
        list(records)


def test_materialized_records_read_again() -> None:
    records = read_rows(register(2), "r.xlsx").materialized()

    assert list(records) == list(records)
    assert records.estimate == 2


def test_streaming_holds_one_row_at_a_time() -> None:
    # A list of 20,000 records would take megabytes; streamed, the Python side holds one
    # row at a time (calamine's grid is Rust memory, not counted here).
    data = register(20_000)
    records = read_rows(data, "r.xlsx")
    tracemalloc.start()
    try:
        count = sum(1 for _ in records)
        _, streamed = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        listed = list(read_rows(data, "r.xlsx"))
        _, kept = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == len(listed) == 20_000
    assert streamed < MB < 10 * MB < kept


def test_records_streaming_from_the_last_sheet_hold_no_copy_of_the_file() -> None:
    # The caller can drop its bytes: while the rows are validated only calamine's grid stays.
    data = register(3)
    before = sys.getrefcount(data)
    records = read_rows(data, "r.xlsx")

    assert sys.getrefcount(data) == before
    assert len(list(records)) == 3


def test_freed_memory_goes_back_where_malloc_can_trim() -> None:
    assert trim_heap() is (platform.libc_ver()[0] == "glibc")


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([0.5, 0.25, 1, 0], ["50%", "25%", "100%", "0%"]),
        ([50, 0.5, 0.25], [50, 0.5, 0.25]),  # 50 rules percentages out: the pass stops there
        ([1, 0, 1], [1, 0, 1]),
    ],
)
def test_progress_as_percentages_is_decided_before_streaming(
    values: list[object], shown: list[object]
) -> None:
    records = read_rows(register(len(values), values), "r.xlsx")

    assert [r["progress"] for r in records] == shown


@pytest.mark.parametrize("chunk", [40, 333])
def test_error_cells_are_found_across_chunks(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(xlsx, "CHUNK", chunk)
    book = Workbook()
    tab = book.active
    assert isinstance(tab, Worksheet)
    tab.append(["Mã", "Tên nhiệm vụ", "Cơ quan chủ trì", "Ghi chú"])
    for n in range(2, 40):
        tab.append([f"T{n}", "Một", "MOF", f"=VLOOKUP(A{n},X!A:B,2,0)" if n % 7 else "=1+1"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    for n in range(2, 40, 7):
        data = with_cached_value(data, f"D{n}", "#N/A", kind="e")

    notes = [r["notes"] for r in read_rows(data, "e.xlsx")]

    assert notes[0::7] == ["#N/A"] * 6
    assert all(
        note == "" and type(note).__name__ == "Unevaluated"
        for n, note in enumerate(notes)
        if n % 7
    )


@pytest.mark.parametrize("chunk", [16, 61])
def test_checks_do_not_depend_on_where_a_chunk_ends(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(xlsx_guard, "CHUNK", chunk)
    refused = {
        "import-file-too-many-rows": far_cell("XFD1048576", STYLES["excel"]),
        "import-file-too-many-columns": far_cell("ZZ200000", STYLES["prefixed"]),
    }
    for msg_id, data in refused.items():
        with pytest.raises(ImportFileError) as caught:
            read_rows(data, "h.xlsx")
        assert caught.value.msg_id == msg_id

    for style in STYLES.values():
        data = workbook(sheet([row(1, HEADER, style), row(2, task(2), style)], style=style))
        records = read_rows(data, "ok.xlsx", limits=ReadLimits(max_rows=2, max_columns=3))
        assert [r["code"] for r in records] == ["T2"]


def test_records_built_in_code_are_a_list() -> None:
    records = Records([{"code": "T1"}], {"code": "code"})

    assert list(records) == list(records) == [{"code": "T1"}]
    assert records.estimate == 1
