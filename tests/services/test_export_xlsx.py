"""The export's xlsx writer: what Excel, openpyxl and calamine read back from its cells."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineWorkbook

from services.export.xlsx import Cell, Style, Styled, Workbook, column_letter

# Text a spreadsheet would evaluate when typed, and a code that merely looks negative: all
# written as text with Excel's quote prefix, their value unchanged (no apostrophe added,
# which programs reading the file would see as part of the text).
RISKY = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=1+1"]
PLAIN = ["Số hóa hồ sơ", "1-2", "a=b", " -1", "#N/A", "TRUE", "2026"]
# Text XML cannot hold as such, and Excel's own escapes written as text.
ODD = ["a\r\nb", "a\x01b\x1fc", "a_x0041_b", "_x005F_", "<b>&amp;</b>", "  pad  ", "tab\tin"]


def _book(rows: Sequence[Sequence[Cell]], **sheet: bool) -> bytes:
    out = io.BytesIO()
    book = Workbook(out)
    book.sheet("Tóm tắt", [10]).add(["first sheet"])
    target = book.sheet("Nhiệm vụ", [20, 20, 20], **sheet)
    target.extend(rows)
    book.close()
    return out.getvalue()


def _openpyxl(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data))["Nhiệm vụ"]
    assert isinstance(sheet, Worksheet)
    return sheet


def _calamine(data: bytes) -> list[list[object]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(1)
    return [list(row) for row in sheet.to_python()]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    data = _book([[text] for text in RISKY + PLAIN])
    cells = [row[0] for row in _openpyxl(data).iter_rows()]

    assert [c.data_type for c in cells[: len(RISKY)]] == ["s"] * len(RISKY)
    assert [c.quotePrefix for c in cells] == [True] * len(RISKY) + [False] * len(PLAIN)
    assert [r[0] for r in _calamine(data)] == RISKY + PLAIN
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    assert b"<f" not in sheet  # no cell anywhere is a formula
    assert cells[0].value == RISKY[0]  # openpyxl reads a string, not a formula


def test_odd_text_reads_back_exactly() -> None:
    data = _book([[text] for text in ODD])
    assert [r[0] for r in _calamine(data)] == ODD


def test_dates_numbers_and_styles() -> None:
    rows: list[list[Cell]] = [
        [Styled("Mã", Style.HEADER), Styled("Hạn", Style.HEADER), Styled("Tỷ lệ", Style.HEADER)],
        ["T1", date(2026, 12, 31), Styled(0.429, Style.PERCENT)],
        ["", date(1950, 1, 1), 40],
    ]
    data = _book(rows, filtered=True, active=True)
    sheet = _openpyxl(data)

    assert sheet["A1"].font.b
    assert sheet["B2"].is_date
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0.429, "0.0%")
    assert (sheet["C3"].value, sheet["C3"].data_type) == (40, "n")
    assert sheet["A3"].value is None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert load_workbook(io.BytesIO(data)).active.title == "Nhiệm vụ"  # type: ignore[union-attr]
    assert _calamine(data)[1][:2] == ["T1", date(2026, 12, 31)]


def test_only_cell_values_it_knows() -> None:
    book = Workbook(io.BytesIO())
    sheet = book.sheet("x", [10])
    with pytest.raises(TypeError):
        sheet.add([True])
    book.abandon()


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ")])
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters
