"""Spreadsheet bytes into records: csv or xlsx, its header found and mapped to our columns."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from services.importer import csv_text, xlsx, xlsx_guard
from services.importer.cells import clip, text_of
from services.importer.common import (
    COLUMNS,
    REQUIRED,
    ROW_KEY,
    TICK,
    ImportFileError,
    Progress,
    ReadLimits,
    Record,
    Records,
    Sheet,
    trim_heap,
)
from services.lookup import fold

HEADER_SCAN = 10  # non-empty rows searched for the header (files often start with a title row)

_HEADERS = {
    "code": "ma;ma nhiem vu;ma so;ma nv;task code",
    "title": "ten;ten nhiem vu;nhiem vu;noi dung;noi dung nhiem vu;task",
    "agency": "co quan chu tri;don vi;don vi chu tri;chu tri;co quan;lead agency;lead",
    "deadline": "han;thoi han;han hoan thanh;thoi han hoan thanh;thoi han thuc hien;han chot;"
    "due;due date",
    "status": "trang thai;tinh trang",
    # Not "thoi gian hoan thanh": registers use it for the deadline as often as for the date
    # a task was done, so the summary lists it as ignored rather than guessing.
    "completed_on": "ngay hoan thanh;completed;completed date",
    "program": "chuong trinh;ten chuong trinh;programme;program name",
    "program_code": "ma chuong trinh;program code;programme code",
    "source": "nguon;van ban;can cu;van ban giao",
    "coordinating": "phoi hop;co quan phoi hop;don vi phoi hop;coordinators;coordinating agencies",
    "progress": "tien do;ti le;ty le;phan tram",
    "notes": "ghi chu;note",
}
HEADER_NAMES = {fold(column): column for column in COLUMNS} | {
    name: column for column, names in _HEADERS.items() for name in names.split(";")
}
_HINT = re.compile(r"\([^)]*\)")  # "Hạn (dd/mm/yyyy)": a hint on how to fill the column

READ_LIMITS = ReadLimits()
_ABSENT = object()  # a column the row is too short to have (not even an empty cell)


def read_rows(
    data: bytes, filename: str, *, progress: Progress = None, limits: ReadLimits = READ_LIMITS
) -> Records:
    """Parse a .csv or .xlsx into records keyed by canonical column (plus ROW_KEY)."""
    # Blocking and CPU-bound: async callers run it in a thread (or, for a file from a chat,
    # in a child process: isolated.py). What the file would cost is checked against `limits`
    # before it is parsed. A csv's records are read here and kept compact; an xlsx's stream
    # from calamine's grid as they are iterated, once. `progress` gets (rows read, estimated
    # rows) every TICK rows while they are read, then (records, records) at the end.
    if not data:
        raise ImportFileError("import-file-empty")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in ("csv", "xlsx"):
        raise ImportFileError("import-file-type", ext=ext)
    if len(data) > limits.max_unpacked:
        raise ImportFileError(
            "import-file-too-large", size=len(data) >> 20, limit=limits.max_unpacked_mb
        )
    if ext == "csv":
        text = csv_text.decode(data)
        with csv_text.field_limit(len(text)):
            sheet = Sheet(csv_text.rows(text, limits), text.count("\n") + 1)
            return _kept(_records_of([sheet], progress))
    xlsx_guard.check_xlsx(data, limits)
    records = _records_of(xlsx.sheets(data), progress)
    trim_heap()  # the workbook (its shared strings) and what parsing the sheet took, freed
    return records


@dataclass(frozen=True, slots=True)
class _Header:
    """The header row: its cells and the position of each column found there."""

    number: int  # its row in the sheet
    cells: Sequence[object]
    mapping: dict[int, str]

    def labels(self) -> dict[str, str]:
        """Each column's header text, as errors name it."""
        return {column: _label(self.cells[pos]) for pos, column in self.mapping.items()}

    def ignored(self) -> list[str]:
        """The header cells that name no column (or repeat one), in file order."""
        texts = (_label(c) for pos, c in enumerate(self.cells) if pos not in self.mapping)
        return list(dict.fromkeys(t for t in texts if t))


def _header_key(cell: object) -> str:
    """A header cell as looked up in HEADER_NAMES: folded, without a "(...)" hint."""
    return fold(_HINT.sub(" ", text_of(cell)))


def _label(cell: object) -> str:
    """A header cell's text on one line, short enough to quote."""
    return clip(" ".join(text_of(cell).split()))


def _find_header(numbered: Iterator[tuple[int, Sequence[object]]]) -> _Header | list[str]:
    """The header row; else the required columns the best row lacks."""
    best: list[str] = []
    seen = 0
    for number, cells in numbered:
        if _blank(cells):
            continue
        mapping: dict[int, str] = {}
        for pos, cell in enumerate(cells):
            column = HEADER_NAMES.get(_header_key(cell))
            if column and column not in mapping.values():
                mapping[pos] = column
        lacking = [c for c in REQUIRED if c not in mapping.values()]
        if not lacking:
            return _Header(number, cells, mapping)
        if mapping and (not best or len(lacking) < len(best)):
            best = lacking
        seen += 1
        if seen >= HEADER_SCAN:
            break
    return best


def _records_of(sheets: Iterable[Sheet], progress: Progress) -> Records:
    """Records of the first sheet with a header row; file errors if none has one."""
    missing: list[str] | None = None
    for sheet in sheets:
        numbered = enumerate(sheet.rows, start=1)
        header = _find_header(numbered)
        if isinstance(header, _Header):
            percent = _percent(sheet, header)
            records = _records(header, numbered, sheet.estimate, progress, percent=percent)
            return Records(records, header.labels(), header.ignored(), estimate=sheet.estimate)
        if header and (missing is None or len(header) < len(missing)):
            missing = header
    if missing:
        raise ImportFileError("import-missing-columns", columns=", ".join(missing))
    raise ImportFileError("import-file-no-header")


def _percent(sheet: Sheet, header: _Header) -> bool:
    """Whether the progress column holds Excel percentages, read in a pass of its own."""
    pos = next((p for p, column in header.mapping.items() if column == "progress"), None)
    if pos is None or sheet.column is None:
        return False
    return xlsx.percent_column(itertools.islice(sheet.column(pos), header.number, None))


def _records(
    header: _Header,
    numbered: Iterator[tuple[int, Sequence[object]]],
    estimate: int,
    progress: Progress,
    *,
    percent: bool,
) -> Iterator[Record]:
    """The header's columns of each non-blank row, as they are read."""
    columns = header.mapping.items()
    count = 0
    for number, cells in numbered:
        record: Record = {col: cells[pos] for pos, col in columns if pos < len(cells)}
        if not _blank(record.values()):
            record[ROW_KEY] = number
            if percent:
                xlsx.show_percent(record)
            count += 1
            yield record
        if progress and number % TICK == 0:
            progress(number, max(estimate, number))
    if progress:
        progress(count, count)


def _kept(records: Records) -> Records:
    """The records read at once and kept as tuples: a dict per row would take five times as
    much memory."""
    columns = (*records.labels, ROW_KEY)
    rows = [tuple(record.get(column, _ABSENT) for column in columns) for record in records]
    return Records(_Rows(columns, rows), records.labels, records.ignored, estimate=len(rows))


@dataclass(frozen=True, slots=True)
class _Rows:
    """Records kept as tuples, given as dicts each time they are iterated."""

    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]

    def __iter__(self) -> Iterator[Record]:
        columns = self.columns
        for row in self.rows:
            yield {c: v for c, v in zip(columns, row, strict=True) if v is not _ABSENT}

    def __len__(self) -> int:
        return len(self.rows)


def _blank(cells: Iterable[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
