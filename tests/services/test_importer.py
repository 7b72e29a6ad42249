"""The spreadsheet import: reading, every row error, all-or-nothing and idempotent upserts."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import (
    COLUMNS,
    ImportFileError,
    ImportReport,
    RowError,
    import_tasks,
    parse_progress,
    read_rows,
)
from storage.models import Agency, Program, Task, task_coordinators
from tests.sessions import ACTOR, NOW, savepoints

HEADER = [
    "Mã",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì",
    "Hạn",
    "Trạng thái",
    "Ngày hoàn thành",
    "Chương trình",
    "Nguồn",
    "Phối hợp",
    "Tiến độ",
    "Ghi chú",
    "Mã chương trình",
]
GOOD = ["T1", "Số hóa hồ sơ", "MOF", "31/03/2025", "mới", "", "", "", "", "", "", ""]
COLUMN = {name: i for i, name in enumerate(COLUMNS)}
LABEL = dict(zip(COLUMNS, HEADER, strict=True))

Cells = Sequence[object]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def csv_bytes(rows: Sequence[Cells], *, delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def xlsx_bytes(rows: Sequence[Cells], edit: Callable[[Worksheet], None] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(list(row))
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_value(data: bytes, cell: str, value: str, kind: str = "str") -> bytes:
    """Give a formula cell the cached value Excel would have saved (openpyxl writes none)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'<c r="{cell}"><f>(.*?)</f><v ?/>'
                repl = rf'<c r="{cell}" t="{kind}"><f>\1</f><v>{value}</v>'
                body = re.sub(pattern, repl, body.decode()).encode()
            target.writestr(item, body)
    return out.getvalue()


def with_shared_strings(data: bytes, rich: str = "") -> bytes:
    """Move text cells into a shared-string table, as Excel saves them (openpyxl inlines)."""
    # A cell whose text is `rich` becomes rich-text runs plus a phonetic guide to skip.
    strings: list[str] = []

    def share(cell: re.Match[str]) -> str:
        text = cell[3]
        if text == rich:
            # Excel marks a run's edge spaces xml:space="preserve"; without it XML drops them.
            strings.append(f'<r><t xml:space="preserve">{text[:3]}</t></r>'
                           f"<r><rPr><b/></rPr><t>{text[3:]}</t></r>"
                           '<rPh sb="0" eb="1"><t>phonetic</t></rPh>')  # fmt: skip
        else:
            strings.append(f"<t>{text}</t>")
        return f'<c r="{cell[1]}"{cell[2]} t="s"><v>{len(strings) - 1}</v></c>'

    inline = re.compile(r'<c r="(\w+)"([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>')
    parts = dict(_members(data))
    parts["xl/worksheets/sheet1.xml"] = inline.sub(share, parts["xl/worksheets/sheet1.xml"])
    items = "".join(f"<si>{s}</si>" for s in strings)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{items}</sst>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        "</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        "</Relationships>",
        f'<Relationship Id="rIdS" Type="{SST_REL}" Target="sharedStrings.xml"/></Relationships>',
    )
    return _zip(parts)


def _members(data: bytes) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name).decode()


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def row(**cells: str) -> list[object]:
    """GOOD with some columns replaced."""
    values: list[object] = list(GOOD)
    for column, value in cells.items():
        values[COLUMN[column]] = value
    return values


def bad(**cells: str) -> list[object]:
    """A second row, T2, with some columns replaced."""
    return row(**({"code": "T2"} | cells))


def error(row: int, column: str, msg_id: str, params: dict[str, str] | None = None) -> RowError:
    """An error in a HEADER column, which it names as the file's header does."""
    return RowError(row, LABEL[column], msg_id, params or {}, column)


async def run(
    session: AsyncSession,
    data: bytes,
    name: str = "tasks.csv",
    *,
    dry_run: bool = False,
    now: datetime = NOW,
) -> ImportReport:
    rows = read_rows(data, name)
    return await import_tasks(savepoints(session), rows, dry_run=dry_run, actor=ACTOR, now=now)


async def stored(session: AsyncSession) -> dict[str, dict[str, Any]]:
    """Every task as plain values, with agency and program codes (no ORM identity map)."""
    query = (
        select(Task.__table__, Agency.code.label("lead"), Program.code.label("program_code"))
        .join(Agency, Agency.id == Task.lead_agency_id)
        .outerjoin(Program, Program.id == Task.program_id)
    )
    tasks = {r.code: dict(r._mapping) for r in await session.execute(query)}
    pairs = select(Task.code, Agency.code).join(
        task_coordinators, task_coordinators.c.task_id == Task.id
    )
    pairs = pairs.join(Agency, Agency.id == task_coordinators.c.agency_id)
    for code in tasks.values():
        code["coordinating"] = set()
    for task_code, agency_code in await session.execute(pairs):
        tasks[task_code]["coordinating"].add(agency_code)
    return tasks


async def count(session: AsyncSession, table: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


# --- good files ---------------------------------------------------------------------------


async def test_good_csv_imports_every_column(session: AsyncSession) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["T1", "Một", "MOF", "2025-03-31", "Đang thực hiện", "", "Nghị quyết 57", "NQ57",
             "BCA; Bo Y te", "50%", "ghi chú"],
            ["T2", "Hai", "Bo Y te", "31/12/2025", "hoàn thành", "15/12/2025", "nghi quyet 57",
             "", "", "", ""],
            ["T3", "Ba", "Ministry of Justice", "", "mới", "", "", "", "", "", ""],
            ["T4", "Bốn", "Bình Thuận", "1/2/2026", "chưa triển khai", "", "", "", "", "7", ""],
        ]
    )  # fmt: skip

    report = await run(session, data)

    assert report == ImportReport(
        4, 0, 0, (), dry_run=False, total_rows=4, new_programs=("Nghị quyết 57 (NQ57)",)
    )
    tasks = await stored(session)
    one, two, three, four = (tasks[c] for c in ("T1", "T2", "T3", "T4"))
    assert (one["lead"], one["deadline"], one["status"], one["progress"]) == (
        "MOF", date(2025, 3, 31), "in_progress", 50
    )  # fmt: skip
    assert (one["program_code"], one["source"], one["notes"]) == (
        "NQ57",  # made from the name, as committees shorten it
        "NQ57",
        "ghi chú",
    )
    assert one["coordinating"] == {"MPS", "MOH"}
    assert (two["lead"], two["status"], two["completed_on"], two["progress"]) == (
        "MOH", "done", date(2025, 12, 15), 100
    )  # fmt: skip
    assert two["program_id"] == one["program_id"]  # "nghi quyet 57" is the same program
    assert (three["lead"], three["deadline"], three["status"], three["progress"]) == (
        "MOJ", None, "open", 0
    )  # fmt: skip
    assert (four["lead"], four["deadline"], four["progress"]) == ("LDG", date(2026, 2, 1), 7)
    assert {t["version"] for t in tasks.values()} == {1}
    assert await count(session, Program) == 1


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), ("\t", False), (",", True)])
async def test_csv_dialects(session: AsyncSession, delimiter: str, bom: bool) -> None:
    data = csv_bytes([HEADER, GOOD], delimiter=delimiter, bom=bom)
    assert (await run(session, data)).created == 1


async def test_good_xlsx_with_date_cells_title_row_and_extra_columns(
    session: AsyncSession,
) -> None:
    def percent(sheet: Worksheet) -> None:
        sheet["K4"].number_format = "0%"

    data = xlsx_bytes(
        [
            ["DANH SÁCH NHIỆM VỤ NĂM 2025"],  # a title above the header
            ["STT", *HEADER, "Người nhập"],
            [1, 101, "Một", "BTC", date(2025, 3, 31), "Đã hoàn thành",
             date(2025, 3, 1), None, None, "Tư pháp", None, None, None, "Lan"],
            [2, "T2", "Hai", "tinh lam dong", "30/06/2025", "đang triển khai", None, None, None,
             None, 0.25, None, None],
        ],
        percent,
    )  # fmt: skip

    report = await run(session, data, "Nhiệm vụ.XLSX")

    assert (report.created, report.errors, report.total_rows) == (2, (), 2)
    tasks = await stored(session)
    assert tasks["101"]["deadline"] == date(2025, 3, 31)
    assert tasks["101"]["completed_on"] == date(2025, 3, 1)
    assert (tasks["101"]["lead"], tasks["101"]["coordinating"]) == ("MOF", {"MOJ"})
    assert (tasks["T2"]["lead"], tasks["T2"]["status"], tasks["T2"]["progress"]) == (
        "LDG", "in_progress", 25
    )  # fmt: skip


# --- bad rows -----------------------------------------------------------------------------

BAD_ROWS = [
    (bad(title="  "), "title", "import-err-required", {"column": "title"}),
    (bad(code="X" * 65), "code", "import-err-too-long", {"column": "code", "limit": "64"}),
    (bad(agency="Atlantis"), "agency", "import-err-unknown-agency", {"value": "Atlantis"}),
    (
        bad(coordinating="MOH; Bộ Công"),
        "coordinating",
        "import-err-ambiguous-agency",
        {
            "value": "Bộ Công",
            "candidates": "Bộ Công an (MPS), Bộ Công Thương (MOIT), "
            "Bộ Khoa học và Công nghệ (MOST)",
        },
    ),
    (bad(deadline="31/02/2025"), "deadline", "import-err-bad-date", {"value": "31/02/2025"}),
    (bad(deadline="45747"), "deadline", "import-err-bad-date", {"value": "45747"}),
    (bad(status="tạm dừng"), "status", "import-err-bad-status", {"value": "tạm dừng"}),
    (bad(status="xong"), "completed_on", "import-err-completed-required", {}),
    (bad(completed_on="2025-01-02"), "completed_on", "import-err-completed-not-done", {}),
    (bad(progress="101%"), "progress", "import-err-bad-progress", {"value": "101%"}),
    (bad(code="T1"), "code", "import-err-duplicate-code", {"value": "T1", "first_row": "2"}),
    (bad(code="t1"), "code", "import-err-duplicate-code", {"value": "t1", "first_row": "2"}),
]


@pytest.mark.parametrize(
    ("cells", "column", "msg_id", "params"), BAD_ROWS, ids=[case[2][11:] for case in BAD_ROWS]
)
async def test_bad_row_is_reported_with_row_and_column(
    session: AsyncSession, cells: Cells, column: str, msg_id: str, params: dict[str, str]
) -> None:
    report = await run(session, csv_bytes([HEADER, GOOD, cells]))

    assert report.errors == (error(3, column, msg_id, params),)
    assert (report.ok, report.created, report.total_rows) == (False, 0, 2)


async def test_any_bad_row_writes_nothing_and_lists_every_bad_row(session: AsyncSession) -> None:
    rows: list[Cells] = [
        HEADER,
        row(code="A", program="Đề án 06"),
        row(code="B", agency=""),
        row(code="C"),
        [""] * len(HEADER),  # blank rows are skipped but keep the numbering
        row(code="D", status="??", progress="x"),
    ]

    report = await run(session, csv_bytes(rows))

    assert [(e.row, e.key, e.msg_id) for e in report.errors] == [
        (3, "agency", "import-err-required"),
        (6, "status", "import-err-bad-status"),
        (6, "progress", "import-err-bad-progress"),
    ]
    assert (await count(session, Task), await count(session, Program)) == (0, 0)


# --- re-import, edits, dry run ------------------------------------------------------------

THREE: list[Cells] = [
    HEADER,
    row(code="A", coordinating="BCA"),
    row(code="B", coordinating="BCA; BYT"),
    row(code="C", program="Đề án 06"),
]


async def test_reimport_changes_nothing(session: AsyncSession) -> None:
    await run(session, csv_bytes(THREE))
    before = await stored(session)

    report = await run(session, csv_bytes(THREE))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert await stored(session) == before


async def test_edited_file_updates_only_changed_rows(session: AsyncSession) -> None:
    await run(session, csv_bytes(THREE))
    before = await stored(session)
    edited: list[Cells] = [
        HEADER,
        row(code="A", coordinating="BCA", title="Tên mới"),
        row(code="B", coordinating="BCA"),  # one coordinator fewer
        row(code="C", program="de an 06"),  # the same program, spelled differently
        row(code="D"),
    ]

    report = await run(session, csv_bytes(edited), now=NOW + timedelta(hours=1))

    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    after = await stored(session)
    assert {c: after[c]["version"] for c in "ABCD"} == {"A": 2, "B": 2, "C": 1, "D": 1}
    assert after["A"]["title"] == "Tên mới"
    assert after["B"]["coordinating"] == {"MPS"}
    assert after["A"]["updated_at"] > before["A"]["updated_at"]
    assert after["A"]["created_at"] == before["A"]["created_at"]
    assert after["C"] == before["C"]


async def test_dry_run_counts_but_writes_nothing(session: AsyncSession) -> None:
    report = await run(session, csv_bytes(THREE), dry_run=True)
    assert report == ImportReport(
        3, 0, 0, (), dry_run=True, total_rows=3, new_programs=("Đề án 06 (DA06)",)
    )
    assert (await count(session, Task), await count(session, Program)) == (0, 0)

    await run(session, csv_bytes(THREE))
    before = await stored(session)
    edited = csv_bytes([*THREE[:3], row(code="C", program="Chương trình mới")])
    report = await run(session, edited, dry_run=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert await stored(session) == before
    assert await count(session, Program) == 1


async def test_progress_reports_both_phases(session: AsyncSession) -> None:
    calls: list[tuple[int, int]] = []
    rows = read_rows(csv_bytes(THREE), "t.csv", progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)

    calls.clear()
    await import_tasks(
        savepoints(session),
        rows,
        dry_run=False,
        actor=ACTOR,
        now=NOW,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls[-1] == (6, 6)
    assert all(t == 6 and 0 <= d <= t for d, t in calls)


# --- awkward spreadsheets -----------------------------------------------------------------


async def test_formula_reads_its_cached_value(session: AsyncSession) -> None:
    data = xlsx_bytes([HEADER, row(title='="Số hóa "&"hồ sơ"')])
    report = await run(session, with_cached_value(data, "B2", "Số hóa hồ sơ"), "f.xlsx")

    assert report.created == 1
    assert (await stored(session))["T1"]["title"] == "Số hóa hồ sơ"


def prefixed(xml: str) -> str:
    """The sheet XML with every tag in an `x:` namespace prefix, as some generators write it."""
    return re.sub(r"<(/?)(\w+)(?=[\s>/])", r"<\1x:\2", xml).replace("xmlns=", "xmlns:x=")


@pytest.mark.parametrize(
    "formula",
    [
        r"<f>\1</f>",
        r'<f t="normal">\1</f>',  # a formula tag with attributes
        '<f t="dataTable" dt2D="0" dtr="0" r1="A2"/>',  # a data table's: no text, no </f>
    ],
)
@pytest.mark.parametrize("prefix", [False, True])  # <x:c><x:f>...</x:f></x:c>
async def test_formula_without_cached_value_is_a_row_error(
    session: AsyncSession, formula: str, prefix: bool
) -> None:
    # openpyxl saves formulas without results, as any program that is not Excel may.
    cells = row(title='="a"&"b"', deadline="=DATE(2026,12,31)")
    members = dict(_members(xlsx_bytes([HEADER, cells])))
    sheet = re.sub("<f>(.*?)</f>", formula, members["xl/worksheets/sheet1.xml"])
    members["xl/worksheets/sheet1.xml"] = prefixed(sheet) if prefix else sheet
    report = await run(session, _zip(members), "f.xlsx")
    assert report.errors == (
        error(2, "title", "import-err-unevaluated", {}),
        error(2, "deadline", "import-err-unevaluated", {}),
    )


@pytest.mark.parametrize("quote", ['"', "'"])  # either quote is XML; some writers use '
@pytest.mark.parametrize("pasted", [False, True])  # pasted as values: the error, no formula
async def test_formula_error_reads_as_its_text(
    session: AsyncSession, quote: str, pasted: bool
) -> None:
    data = xlsx_bytes([HEADER, row(deadline="=VLOOKUP(A2,X!A:B,2,0)")])
    members = dict(_members(with_cached_value(data, "D2", "#N/A", kind="e")))
    sheet = members["xl/worksheets/sheet1.xml"].replace('t="e"', f"t={quote}e{quote}")
    members["xl/worksheets/sheet1.xml"] = re.sub("<f>.*?</f>", "", sheet) if pasted else sheet
    report = await run(session, _zip(members), "f.xlsx")

    assert report.errors == (error(2, "deadline", "import-err-bad-date", {"value": "#N/A"}),)


@pytest.mark.parametrize(
    ("number_format", "cells", "expected"),
    [
        ("0%", [0.25, 1, 0, None], [25, 100, 0, None]),  # shown as 25%, 100%, 0%
        ("General", [60.0, 1, 100], [60, 1, 100]),
        ("General", [1, 0, 1], [1, 0, 1]),  # whole numbers: 1%, not 100%
    ],
)
def test_xlsx_progress_reads_as_shown(
    number_format: str, cells: list[object], expected: list[int | None]
) -> None:
    def formatted(sheet: Worksheet) -> None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=10, max_col=10):
            cell.number_format = number_format

    rows = [row(code=f"T{i}") for i in range(len(cells))]
    for values, progress in zip(rows, cells, strict=True):
        values[COLUMN["progress"]] = progress
    records = read_rows(xlsx_bytes([HEADER, *rows], formatted), "p.xlsx")

    assert [parse_progress(r["progress"]) for r in records] == expected


@pytest.mark.parametrize("left", [0, 2])  # data from column A, or from C
async def test_merged_cells_are_empty_below_the_first_with_a_hint(
    session: AsyncSession, left: int
) -> None:
    def merge(sheet: Worksheet) -> None:
        column = "CDE"[left]
        sheet.merge_cells(f"{column}2:{column}3")

    pad: list[object] = [None] * left
    rows = [[*pad, *r] for r in (HEADER, row(code="A"), row(code="B", agency=""))]
    data = xlsx_bytes(rows, merge)
    report = await run(session, data, "m.xlsx")

    params = {"column": "agency"}
    assert report.errors == (error(3, "agency", "import-err-required-merged", params),)


async def test_csv_cell_beyond_the_csv_field_limit_is_a_row_error(
    session: AsyncSession,
) -> None:
    limit = csv.field_size_limit()
    report = await run(session, csv_bytes([HEADER, row(title="x" * (limit + 1))]))

    assert report.errors == (
        error(2, "title", "import-err-too-long", {"column": "title", "limit": "2000"}),
    )
    assert csv.field_size_limit() == limit  # raised while reading only


async def test_huge_cells_hit_the_limits_and_echo_short_values(session: AsyncSession) -> None:
    huge = "x" * 100_000
    data = xlsx_bytes([HEADER, row(title=huge, notes=huge, agency=huge)])
    report = await run(session, data, "h.xlsx")

    assert [(e.key, e.msg_id) for e in report.errors] == [
        ("title", "import-err-too-long"),
        ("agency", "import-err-unknown-agency"),
        ("notes", "import-err-too-long"),
    ]
    assert report.errors[0].params == {"column": "title", "limit": "2000"}
    assert len(report.errors[1].params["value"]) <= 60


@pytest.mark.parametrize(
    ("data", "name", "msg_id"),
    [
        (b"", "tasks.xlsx", "import-file-empty"),
        (b"code,title\n", "tasks.txt", "import-file-type"),
        (b"code,title\n", "tasks", "import-file-type"),
        (bytes(range(256)) * 4, "tasks.xlsx", "import-file-unreadable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "tasks.xlsx", "import-file-unreadable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "tasks.csv", "import-file-unreadable"),
        (b"PK\x03\x04" + bytes(100), "tasks.xlsx", "import-file-unreadable"),
        (b"\n \n", "tasks.csv", "import-file-no-header"),
        (b"foo,bar\n1,2\n", "tasks.csv", "import-file-no-header"),
    ],
)
def test_bad_files_are_refused(data: bytes, name: str, msg_id: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(data, name)
    assert caught.value.msg_id == msg_id


CELLS: list[object] = [
    7,
    -2.5,
    1e-07,
    True,
    date(2025, 3, 31),
    datetime.combine(date(2025, 3, 31), time(14, 30)),
    time(9, 15),
    "Số hóa & <hồ sơ>",
    "  giữ khoảng trắng  ",
    "#N/A",  # an error cell, which calamine alone would read as empty
    "=1+1",  # no cached value: empty, as openpyxl's data_only mode reads it
]


def as_imported(value: object) -> object:
    """openpyxl's value as the import sees it: "" for empty, a date for a whole-day date."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time():
        return value.date()
    return value


def test_xlsx_cells_read_like_openpyxl() -> None:
    rows: list[list[object]] = [["code", "title", "agency", "notes"]]
    rows += [[f"T{i}", "t", "MOF", value] for i, value in enumerate(CELLS)]
    data = xlsx_bytes(rows)

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = [r[3] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert [r.get("notes") for r in read_rows(data, "t.xlsx")] == [
        as_imported(v) for v in expected
    ]


def test_xlsx_shared_and_rich_strings() -> None:
    data = with_shared_strings(
        xlsx_bytes([["Mã", "Tên", "Đơn vị"], ["T1", "Số hóa", "MOF"]]), "Số hóa"
    )
    assert list(read_rows(data, "t.xlsx")) == [
        {"code": "T1", "title": "Số hóa", "agency": "MOF", "_row": 2}
    ]


def test_xlsx_rows_keep_their_numbers_across_gaps() -> None:
    def gap(sheet: Worksheet) -> None:
        sheet["A9"], sheet["B9"], sheet["C9"] = "T9", "chín", "MOF"

    records = read_rows(xlsx_bytes([HEADER, GOOD], gap), "t.xlsx")
    assert [r["_row"] for r in records] == [2, 9]


def test_xlsx_rows_keep_their_numbers_below_empty_rows_and_columns() -> None:
    def shifted(sheet: Worksheet) -> None:
        sheet.move_range("A1:K2", rows=3, cols=2)

    records = read_rows(xlsx_bytes([HEADER, GOOD], shifted), "t.xlsx")
    assert [(r["_row"], r["code"], r["agency"]) for r in records] == [(5, "T1", "MOF")]


def test_xlsx_reads_the_active_sheet_first_and_1904_dates() -> None:
    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    older = book.active  # last year's register, still a register: only the tab decides
    assert isinstance(older, Worksheet)
    older.append(HEADER)
    older.append(["T0", "Cũ", "MOF", date(2024, 3, 31)])
    tasks = book.create_sheet("Nhiệm vụ")
    tasks.append(HEADER)
    tasks.append(["T1", "Một", "MOF", date(2025, 3, 31)])
    book.active = tasks
    out = io.BytesIO()
    book.save(out)

    first = next(iter(read_rows(out.getvalue(), "t.xlsx")))
    assert (first["code"], first["deadline"]) == ("T1", date(2025, 3, 31))


def test_xlsx_with_a_chart_as_the_active_sheet_reads_the_register() -> None:
    book = Workbook()
    tasks = book.active
    assert isinstance(tasks, Worksheet)
    tasks.append(HEADER)
    tasks.append(["T1", "Một", "MOF", date(2025, 3, 31)])
    book.create_chartsheet("Biểu đồ")
    book.active = 1
    out = io.BytesIO()
    book.save(out)

    assert [r["code"] for r in read_rows(out.getvalue(), "t.xlsx")] == ["T1"]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels"])
def test_xlsx_whose_workbook_xml_python_refuses_is_unreadable(part: str) -> None:
    # An undeclared prefix: calamine reads past it, but ElementTree refuses the part, so the
    # sheets' error cells could not be checked (an unevaluated formula would read as empty).
    book = Workbook()
    first = book.active
    assert isinstance(first, Worksheet)
    for sheet, code in ((first, "T1"), (book.create_sheet("Khác"), "T2")):
        sheet.append(HEADER)
        sheet.append([code, "Một", "MOF", date(2025, 3, 31)])
    out = io.BytesIO()
    book.save(out)
    members = dict(_members(out.getvalue()))
    members[part] = re.sub("(<[^?][^>]*>)", r"\1<q:stray/>", members[part], count=1)
    assert [r["code"] for r in read_rows(out.getvalue(), "t.xlsx")] == ["T1"]  # as saved
    with pytest.raises(ImportFileError) as caught:
        read_rows(_zip(members), "t.xlsx")
    assert caught.value.msg_id == "import-file-unreadable"


@pytest.mark.parametrize(
    "parts",
    [
        {"word/document.xml": "<w:document/>"},  # a zip, but a .docx
        {"sheet": "<worksheet><sheetData><row r='1'><c r='A1'><v>7</v>"},  # truncated
        {"sheet": "<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99</v></c></row>"},
    ],
)
def test_corrupt_xlsx_is_unreadable(parts: dict[str, str]) -> None:
    members = dict(_members(xlsx_bytes([HEADER, GOOD])))
    if "sheet" in parts:
        members["xl/worksheets/sheet1.xml"] = parts["sheet"]
    else:
        members = parts
    with pytest.raises(ImportFileError) as caught:
        read_rows(_zip(members), "t.xlsx")
    assert caught.value.msg_id == "import-file-unreadable"


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(csv_bytes([["Mã", "Hạn", "Trạng thái"], ["T1", "", ""]]), "t.csv")
    assert caught.value.msg_id == "import-missing-columns"
    assert caught.value.params == {"columns": "title, agency"}


def test_the_header_is_looked_for_in_the_first_ten_filled_rows() -> None:
    titles = [[f"Dòng tiêu đề {n}"] for n in range(1, 10)]  # nine title rows, a blank one
    found = read_rows(csv_bytes([*titles, [], HEADER, GOOD]), "t.csv")
    assert [r["code"] for r in found] == ["T1"]
    with pytest.raises(ImportFileError) as caught:  # a tenth title row: too far down
        read_rows(csv_bytes([*titles, ["Dòng tiêu đề 10"], HEADER, GOOD]), "t.csv")
    assert caught.value.msg_id == "import-file-no-header"


def test_empty_xlsx_has_no_header() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(xlsx_bytes([]), "t.xlsx")
    assert caught.value.msg_id == "import-file-no-header"


def test_unknown_extension_is_named() -> None:
    with pytest.raises(ImportFileError) as caught:
        read_rows(b"x", "tasks.XLS")
    assert caught.value.params == {"ext": "xls"}
