"""The register as a workbook: export, import the same file (0 changes), edit one cell
(only that changes), the summary's figures are /status's, and no cell is a formula."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import plain, render
from services import export, reports
from services.access import COMMAND_LINE, NotAllowed
from services.buckets import Summary
from services.export import register
from services.export.names import load_names
from services.figures import EVERYONE, Scope
from services.importer import ImportFileError, ImportReport, import_tasks, read_rows
from services.importer.read import HEADER_NAMES, _header_key
from storage.models import Agency, Program, Role, Task, TaskEvent
from tests.services.test_access import _caller
from tests.services.test_importer import csv_bytes
from tests.sessions import ACTOR, NOW, savepoints

TODAY = date(2026, 11, 25)
DAY = timedelta(days=1)
HYPERLINK = '=HYPERLINK("http://x","y")'
HEADER = [
    "code", "title", "agency", "deadline", "status", "completed_on", "program",
    "program_code", "source", "coordinating", "progress", "notes",
]  # fmt: skip
# A register with every kind of value the importer takes: names, codes and aliases of
# agencies, a new unit, programmes by name and code, each bucket, text that looks like a
# formula or a number, line breaks, markup and Excel's own escapes.
ROWS = [
    ["NQ57-001", "Số hóa hồ sơ", "Bộ Tài chính", "2026-12-31", "đang thực hiện", "",
     "Nghị quyết 57-NQ/TW", "NQ57", "Kế hoạch 01/KH-BCĐ", "MOH; Bộ Công an", "40", ""],
    ["NQ57-002", "Báo cáo quý", "MOH", "2026-10-01", "hoàn thành", "2026-09-30",
     "Nghị quyết 57-NQ/TW", "NQ57", "", "", "", "Đã gửi\nbản cứng"],
    ["NQ57-003", "Triển khai muộn", "Hà Nội", "2026-06-30", "done", "2026-07-15",
     "", "NQ57", "", "", "100", ""],
    ["DA06-001", "Kết nối dữ liệu dân cư", "MPS", "2026-03-01", "open", "",
     "Đề án 06", "", "", "MOF", "10", ""],
    ["DA06-002", "Quá hạn đã lâu", "Lâm Đồng", "2025-01-15", "in_progress", "",
     "Đề án 06", "", "", "", "55", ""],
    ["CCHC-1", "Rà soát thủ tục thường xuyên", "Bộ Tài chính", "", "đang thực hiện", "",
     "", "", "", "", "0", ""],
    ["-1", HYPERLINK, "Kiểm toán nhà nước", "2026-11-24", "open", "",
     "", "", "=1+1", "", "0", "@ghi chú"],
    ["+84", "-giảm 10% chi phí", "MOF", "2026-11-25", "open", "", "", "", "", "", "5",
     "a_x0041_b & <b>đậm</b>"],
    ["0012", "2026", "MOF", "2027-01-01", "open", "", "", "", "", "", "", "#N/A"],
    ["DA06-003", "Cùng hạn", "MPS", "2026-03-01", "open", "", "Đề án 06", "", "", "", "", ""],
    ["DA06-000", "Cùng hạn, mã trước", "MOF", "2026-03-01", "open", "", "DA06", "", "", "",
     "", ""],
]  # fmt: skip


async def _import(session: AsyncSession, data: bytes, name: str) -> ImportReport:
    report = await import_tasks(
        savepoints(session),
        read_rows(data, name),
        dry_run=False,
        actor=ACTOR,
        now=NOW,
        today=TODAY,
        add_agencies=True,
    )
    assert report.ok, report.errors
    return report


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three tasks a statement: every export here reads several chunks."""
    monkeypatch.setattr(register, "CHUNK", 3)


@pytest.fixture
async def seeded(session: AsyncSession) -> AsyncSession:
    report = await _import(session, csv_bytes([HEADER, *ROWS]), "so-theo-doi.csv")
    assert report.created == len(ROWS)
    return session


async def _export(
    session: AsyncSession, *, scope: Scope = EVERYONE, lang: str = "vi"
) -> tuple[bytes, export.Exported]:
    out = io.BytesIO()
    done = await export.export_register(
        session, out, caller=COMMAND_LINE, scope=scope, today=TODAY, lang=lang
    )
    return out.getvalue(), done


def _sheet(data: bytes, index: int) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).worksheets[index]
    assert isinstance(sheet, Worksheet)
    return sheet


def _values(sheet: Worksheet) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_importing_the_export_changes_nothing(seeded: AsyncSession, lang: str) -> None:
    data, done = await _export(seeded, lang=lang)
    events = await seeded.scalar(select(func.count()).select_from(TaskEvent))

    report = await _import(seeded, data, "export.xlsx")

    assert (report.created, report.updated, report.unchanged) == (0, 0, len(ROWS))
    assert (report.kept, report.ignored) == ((), ())  # every column read, no header left over
    assert report.new_agencies == report.new_programs == ()
    assert await seeded.scalar(select(func.count()).select_from(TaskEvent)) == events
    assert (done.tasks, done.overdue) == (len(ROWS), 5)


def _edit(data: bytes, sheet_name: str, cell: str, value: str | int | date) -> bytes:
    """The file after a secretariat changed one cell in Excel (openpyxl saves it again)."""
    book = load_workbook(io.BytesIO(data))
    book[sheet_name][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("cell", "value", "field", "new"),
    [
        ("B3", "Báo cáo quý IV", "title", "Báo cáo quý IV"),
        ("E2", date(2027, 1, 31), "deadline", date(2027, 1, 31)),
        ("H2", 60, "progress", 60),
    ],
)
async def test_an_edited_cell_is_the_only_change(
    seeded: AsyncSession, cell: str, value: str | int | date, field: str, new: object
) -> None:
    data, _done = await _export(seeded)
    events = await seeded.scalar(select(func.max(TaskEvent.id)))

    report = await _import(seeded, _edit(data, "Nhiệm vụ", cell, value), "edited.xlsx")

    assert (report.created, report.updated, report.unchanged) == (0, 1, len(ROWS) - 1)
    changed = await seeded.execute(
        select(TaskEvent.task_id, TaskEvent.field).where(TaskEvent.id > events)
    )
    [(task_id, changed_field)] = changed.all()
    assert changed_field == field
    assert await seeded.scalar(select(getattr(Task, field)).where(Task.id == task_id)) == new


async def test_dates_are_dates_and_numbers_are_numbers(seeded: AsyncSession) -> None:
    data, _done = await _export(seeded)
    tasks = _sheet(data, 2)
    first = [c for c in next(tasks.iter_rows(min_row=2, max_row=2)) if isinstance(c, Cell)]

    assert first[4].is_date
    assert first[4].number_format == "dd/mm/yyyy"
    assert first[7].data_type == "n"
    assert first[7].value == 40
    coordinating = "Bộ Công an; Bộ Y tế"  # in the committee's order
    assert [c.value for c in first[:4]] == [
        "NQ57-001",
        "Số hóa hồ sơ",
        "Bộ Tài chính",
        coordinating,
    ]
    codes = [r[0] for r in _values(tasks)[1:]]
    assert codes == [r[0] for r in ROWS]  # the register's own order, codes as text


def test_every_task_header_is_read_back_as_its_column() -> None:
    for lang in ("vi", "en"):
        for column in export.TASK_COLUMNS:
            header = plain(render(lang, f"export-col-{column}"))
            assert HEADER_NAMES.get(_header_key(header)) == column, (lang, header)


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_status_words_and_names_read_back(seeded: AsyncSession, lang: str) -> None:
    data, _done = await _export(seeded, lang=lang)
    rows = _values(_sheet(data, 2))[1:]
    by_code = {r[0]: r for r in rows}

    names = await load_names(seeded, lang)
    assert all(cell != names.agencies[aid].code for aid, cell in names.agency_cells.items())
    mof = "Bộ Tài chính" if lang == "vi" else "Ministry of Finance"
    assert by_code["CCHC-1"][2] == mof
    assert by_code["DA06-001"][3] == mof
    words = {"vi": "đang thực hiện", "en": "in progress"}
    assert by_code["CCHC-1"][5] == words[lang]
    assert by_code["NQ57-003"][8:10] == ["Nghị quyết 57-NQ/TW", "NQ57"]


def _formulas(data: bytes) -> list[str]:
    """Sheet parts holding a formula element."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f" in archive.read(name)
        ]


async def test_a_formula_title_opens_as_text(seeded: AsyncSession) -> None:
    data, _done = await _export(seeded)
    tasks = _sheet(data, 2)
    row = next(r for r in tasks.iter_rows() if r[0].value == "-1")

    assert (row[1].value, row[1].data_type, row[1].quotePrefix) == (HYPERLINK, "s", True)
    assert (row[0].data_type, row[0].quotePrefix) == ("s", True)  # "-1" stays the text -1
    assert (row[10].value, row[11].value) == ("=1+1", "@ghi chú")
    assert _formulas(data) == []
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells = calamine.get_sheet_by_index(2).to_python()
    assert next(r for r in cells if r[0] == "-1")[1] == HYPERLINK


async def test_the_summary_is_status_figures_in_the_committees_order(
    seeded: AsyncSession,
) -> None:
    data, done = await _export(seeded)
    rows = _values(_sheet(data, 0))
    header = rows.index(next(r for r in rows if r[0] == "STT"))
    lines = [r for r in rows[header + 1 :] if isinstance(r[0], int)]

    per_agency = await reports.summarize_by_agency(seeded, today=TODAY)
    agencies = await reports.list_agencies(seeded)
    expected = [a for a in agencies if a.id in per_agency]
    assert [r[1] for r in lines] == [a.code for a in expected]  # seed order, then new units
    for line, agency in zip(lines, expected, strict=True):
        summary = per_agency[agency.id]
        assert line[3:10] == [*_counts(summary)]
        assert line[10] == pytest.approx(summary.completion / 100)
    total = await reports.summarize(seeded, today=TODAY)
    assert rows[-1][3:10] == [*_counts(total)]
    assert done.summary.total == total.total == len(ROWS)
    committee = await reports.committee_report(seeded, today=TODAY)
    central = next(r for r in rows if r[2] == plain(render("vi", "split-central")))
    assert central[3] == committee.central.total


def _counts(summary: Summary) -> Iterator[int]:
    yield summary.total
    yield from (summary.done_on_time, summary.done_late, summary.on_schedule)
    yield from (summary.overdue, summary.routine, summary.completed)


async def test_the_overdue_sheet_lists_them_most_overdue_first(seeded: AsyncSession) -> None:
    data, done = await _export(seeded)
    rows = _values(_sheet(data, 1))
    listed = [r for r in rows[4:] if r[0] is not None]

    # Three a chunk: the second begins between two tasks of the same deadline.
    assert [r[1] for r in listed] == ["DA06-002", "DA06-000", "DA06-001", "DA06-003", "-1"]
    assert [r[5] for r in listed] == [(TODAY - date(2025, 1, 15)).days, 269, 269, 269, 1]
    assert done.overdue == len(listed)


async def test_only_the_task_sheet_is_ever_imported(seeded: AsyncSession) -> None:
    data, _done = await _export(seeded)
    book = load_workbook(io.BytesIO(data))
    book.active = 1  # saved while looking at the overdue list: read first by the importer
    out = io.BytesIO()
    book.save(out)
    assert len(list(read_rows(out.getvalue(), "x.xlsx"))) == len(ROWS)

    del book["Nhiệm vụ"]
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportFileError):
        read_rows(out.getvalue(), "x.xlsx")


async def test_an_agency_or_programme_scope(seeded: AsyncSession) -> None:
    mof = await seeded.scalar(select(Agency.id).where(Agency.code == "MOF"))
    nq57 = await seeded.scalar(select(Program.id).where(Program.code == "NQ57"))

    data, done = await _export(seeded, scope=Scope(agency_id=mof))
    assert [r[0] for r in _values(_sheet(data, 2))[1:]] == [
        "NQ57-001",
        "CCHC-1",
        "+84",
        "0012",
        "DA06-000",
    ]
    assert done.scope_name == "Bộ Tài chính"
    data, done = await _export(seeded, scope=Scope(program_id=nq57))
    assert done.tasks == 3
    assert done.scope_name == "Nghị quyết 57-NQ/TW"
    summary = _values(_sheet(data, 0))
    assert summary[0][0] == "Tổng hợp tình hình thực hiện nhiệm vụ — Nghị quyết 57-NQ/TW"
    report = await _import(seeded, data, "nq57.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


async def test_an_empty_register_exports_headers_and_zeros(session: AsyncSession) -> None:
    data, done = await _export(session)
    assert (done.tasks, done.overdue, done.summary) == (0, 0, Summary())
    assert _values(_sheet(data, 2)) == [
        [plain(render("vi", f"export-col-{c}")) for c in export.TASK_COLUMNS]
    ]


async def test_only_admins_and_a_leads_own_agency(seeded: AsyncSession) -> None:
    mof = await seeded.scalar(select(Agency.id).where(Agency.code == "MOF"))
    assert mof is not None
    lead = _caller(role=Role.LEAD, agency_id=mof)
    out = io.BytesIO()
    options: dict[str, Any] = {"today": TODAY, "lang": "vi"}

    await export.export_register(seeded, out, caller=lead, scope=Scope(agency_id=mof), **options)
    for caller, scope in [
        (lead, EVERYONE),
        (lead, Scope(agency_id=mof + 1)),
        (_caller(role=Role.VIEWER), EVERYONE),
        (_caller(), EVERYONE),
    ]:
        with pytest.raises(NotAllowed):
            await export.export_register(
                seeded, io.BytesIO(), caller=caller, scope=scope, **options
            )


async def test_a_cancelled_task_is_exported_as_cancelled_and_read_back_unchanged(
    seeded: AsyncSession,
) -> None:
    # Withdrawn long past its deadline: neither overdue nor in the summary, but exported.
    withdrawn = ["HUY-1", "Nhiệm vụ đã rút", "MOF", "2025-02-01", "đã hủy", "", "", "", "",
                 "", "", ""]  # fmt: skip
    await _import(seeded, csv_bytes([HEADER, withdrawn]), "rut.csv")
    data, done = await _export(seeded)
    assert (done.tasks, done.overdue, done.summary.total) == (len(ROWS) + 1, 5, len(ROWS))
    _header, *tasks = _values(_sheet(data, 2))
    assert [row for row in tasks if row[0] == "HUY-1" and "đã hủy" in row] != []
    report = await _import(seeded, data, "export.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(ROWS) + 1)
