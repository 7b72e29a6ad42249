"""Excel workbooks through calamine, plus what calamine leaves out: active tab, error cells,
formulas saved without their result."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import IO
from xml.etree import ElementTree

from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

from services.importer.cells import MERGED, UNEVALUATED
from services.importer.common import ImportFileError, Record, Sheet
from services.importer.refs import column_index

Value = int | float | str | bool | time | date | datetime | timedelta  # what calamine gives
Errors = dict[int, list[tuple[int, str]]]  # 0-based row -> [(0-based column, "#N/A")]
Spans = dict[int, list[tuple[int, int]]]  # 0-based row -> [(first, last 0-based column)]
CHUNK = 1 << 20  # bytes of sheet XML scanned at a time
MAX_MERGED_ROWS = 1_000_000  # rows below the first of every merged range, summed

_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b[^>]*?\bt=["']e["'][^>]*>""")
_ERROR_TEXT = re.compile(  # an optional <f>ormula, then the cached <v>alue
    rb"""(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b.*?</(?:\w+:)?f>)?\s*<(?:\w+:)?v>([^<]*)<""", re.S
)
_REF = re.compile(rb"""\br=["']([A-Z]+)(\d+)["']""")
# A formula cell with no cached <v>alue (or an empty one): <c r="D2"><f>DATE(…)</f><v/></c>
_UNEVALUATED_CELL = re.compile(
    rb"""<(?:\w+:)?c\b[^>]*>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*"""
    rb"""(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"""
)


def sheets(data: bytes) -> Iterator[Sheet]:
    """Each worksheet's rows, the active one first (the one the secretariat last looked at)."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # not a zip, not a workbook, broken XML: many exception types
        raise ImportFileError("import-file-unreadable") from exc
    parts, active = _parts(data)
    tabs = book.sheet_names
    first = [tabs[active]] if 0 <= active < len(tabs) else []
    worksheets = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    for name in dict.fromkeys([*first, *worksheets]):
        if name not in worksheets:  # an active chart sheet
            continue
        try:
            sheet = book.get_sheet_by_name(name)  # calamine parses the whole sheet here
            errors = _errors(data, parts.get(name))
        except Exception as exc:  # a corrupt sheet, a shared string that is not there...
            raise ImportFileError("import-file-unreadable") from exc
        estimate = sheet.end[0] + 1 if sheet.end else 0
        yield Sheet(_rows(sheet, errors), estimate, _column_of(sheet))


def _column_of(sheet: CalamineSheet) -> Callable[[int], Iterator[object]]:
    """A fresh pass over one column of the sheet, from row 1."""

    def column(pos: int) -> Iterator[object]:
        if sheet.start is None:
            return iter(())
        return (row[pos] if pos < len(row) else "" for row in sheet.iter_rows())

    return column


def _rows(sheet: CalamineSheet, errors: Errors) -> Iterator[Sequence[object]]:
    """The sheet's rows from row 1: calamine pads the empty rows above the data."""
    if sheet.start is None or sheet.end is None:  # an empty sheet, where iter_rows() would panic
        return iter(())
    rows = sheet.iter_rows()
    merged = _merged_below(sheet, sheet.end[0])
    return _patched(rows, errors, merged, sheet.start[1]) if errors or merged else rows


def _merged_below(sheet: CalamineSheet, last_row: int) -> Spans:
    """The cells of merged ranges below their first row, which Excel leaves empty."""
    ranges = sheet.merged_cell_ranges or ()
    # Excel's merged ranges never overlap, so they span at most the sheet's rows x columns;
    # ranges that claim more are forged, and lose their hint rather than stall the import.
    spanned = sum(max(min(bottom, last_row) - top, 0) for (top, _), (bottom, _) in ranges)
    if spanned > MAX_MERGED_ROWS:
        return {}
    spans: Spans = {}
    for (top, first), (bottom, last) in ranges:
        for row in range(top + 1, min(bottom, last_row) + 1):
            spans.setdefault(row, []).append((first, last))
    return spans


def _patched(
    rows: Iterator[list[Value]], errors: Errors, merged: Spans, left: int
) -> Iterator[list[Value]]:
    """Rows with their error cells' text and merged-cell marks (an empty required cell there
    gets a hint); calamine's rows begin at the sheet's first column."""
    for number, cells in enumerate(rows):
        for first, last in merged.get(number, ()):
            for column in range(max(first - left, 0), min(last - left + 1, len(cells))):
                if cells[column] == "":
                    cells[column] = MERGED
        for column, text in errors.get(number, ()):
            if 0 <= column - left < len(cells):
                cells[column - left] = text
        yield cells


def percent_column(values: Iterable[object]) -> bool:
    """Whether a progress column holds percentages typed as Excel shows them (0.5 as "50%")."""
    # calamine gives values without their number format. A column whose numbers all lie in
    # [0, 1], one at least a fraction, is taken as percentages: a plain 0-100 column nearly
    # always has a value above 1 (and the pass stops there), and one of only 0 and 1 means
    # 0% and 1% as typed.
    fraction = False
    for value in values:
        if (n := _number(value)) is not None:
            if not 0 <= n <= 1:
                return False
            fraction = fraction or not n.is_integer()
    return fraction


def show_percent(record: Record) -> None:
    """The record's progress as the percentage Excel shows."""
    if (n := _number(record.get("progress"))) is not None:
        record["progress"] = f"{n * 100:g}%"


def _number(value: object) -> float | None:
    """A numeric cell's value; None for text, booleans and empty cells."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _parts(data: bytes) -> tuple[dict[str, str], int]:
    """Each sheet's zip member by sheet name, and the active tab's index."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception as exc:
        # Malformed workbook parts (the guard has refused anything that is not an xlsx):
        # calamine may read past them, but the sheets' error cells and formulas saved
        # without a result could not be checked, and would import as empty cells.
        raise ImportFileError("import-file-unreadable") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts: dict[str, str] = {}
    for sheet in (e for e in book.iter() if _local(e.tag) == "sheet"):
        # r:id, in the transitional or the strict namespace
        rel = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if target := targets.get(rel):
            parts[sheet.get("name", "")] = _member(target)
    view = next((e for e in book.iter() if _local(e.tag) == "workbookView"), None)
    active = view.get("activeTab", "0") if view is not None else "0"
    return parts, int(active) if active.isdigit() else 0


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _member(target: str) -> str:
    """A relationship target as a zip member name (targets are relative to xl/)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _errors(data: bytes, member: str | None) -> Errors:
    """A sheet's error cells (#N/A, #REF!...) and formulas saved without a result, both of
    which calamine reads as empty cells."""
    # Empty would import a broken VLOOKUP as "no deadline"; the text (or the UNEVALUATED
    # mark) makes it a row error. The sheet is read in chunks, cut before a cell's start.
    if not member:
        return {}
    errors: Errors = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with archive.open(member) as stream:
            if not _has_mark(stream, (b't="e"', b"t='e'", b"<f>", b"<f ", b":f>", b":f ")):
                return {}
        with archive.open(member) as stream:
            carry = b""
            while chunk := stream.read(CHUNK):
                body = carry + chunk
                cut = max(body.rfind(b"<c "), body.rfind(b"<c>"), body.rfind(b":c "))
                if cut <= 0 and len(body) < 8 * CHUNK:
                    carry = body
                    continue
                cut = cut if cut > 0 else len(body)
                _cell_errors(body[:cut], errors)
                carry = body[cut:]
            _cell_errors(carry, errors)
    return errors


def _cell_errors(body: bytes, errors: Errors) -> None:
    """Add the error and unevaluated cells of whole cells' XML."""
    for cell in _UNEVALUATED_CELL.finditer(body):
        if ref := _REF.search(cell[0]):
            row, column = int(ref[2]) - 1, column_index(ref[1])
            errors.setdefault(row, []).append((column, UNEVALUATED))
    for cell in _ERROR_CELL.finditer(body):
        ref = _REF.search(cell[0])
        text = None if cell[0].endswith(b"/>") else _ERROR_TEXT.match(body, cell.end())
        if ref and text:
            row, column = int(ref[2]) - 1, column_index(ref[1])
            errors.setdefault(row, []).append((column, text[1].decode(errors="replace")))


def _has_mark(stream: IO[bytes], marks: Sequence[bytes]) -> bool:
    """Whether any mark occurs, read in chunks: most sheets have no error or formula cell."""
    tail = b""
    while chunk := stream.read(1 << 20):
        window = tail + chunk
        if any(mark in window for mark in marks):  # a plain search is 10x a regex here
            return True
        tail = chunk[-8:]
    return False
