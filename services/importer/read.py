"""Spreadsheet bytes into records: csv or xlsx, its header found and mapped to our columns."""

from __future__ import annotations

import csv
import io
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from services.importer import xlsx
from services.importer.cells import clip, text_of
from services.importer.common import (
    COLUMNS,
    REQUIRED,
    ROW_KEY,
    TICK,
    ImportFileError,
    Progress,
    Record,
    Records,
    Sheet,
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

_FIELD_LIMIT = threading.Lock()


def read_rows(data: bytes, filename: str, *, progress: Progress = None) -> Records:
    """Parse a .csv or .xlsx into records keyed by canonical column (plus ROW_KEY)."""
    # Blocking and CPU-bound: async callers run it in a thread. `progress` gets (rows read,
    # estimated rows) every TICK rows, then (records, records) at the end.
    if not data:
        raise ImportFileError("import-file-empty")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "csv":
        text = _csv_text(data)
        with _field_limit(len(text)):
            return _records_of([_csv_sheet(text)], progress)
    if ext != "xlsx":
        raise ImportFileError("import-file-type", ext=ext)
    return xlsx.percent_as_shown(_records_of(xlsx.sheets(data), progress))


def _csv_text(data: bytes) -> str:
    if b"\x00" in data:  # a binary file, even when it happens to decode
        raise ImportFileError("import-file-unreadable")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel's "CSV (Comma delimited)" on a Vietnamese Windows writes Windows-1258, where most
    # accents are separate combining marks: NFC puts them back on their letters.
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as exc:
        raise ImportFileError("import-file-unreadable") from exc


def _csv_sheet(text: str) -> Sheet:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)  # Excel in a Vietnamese locale saves with ';'
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _guarded(rows), text.count("\n") + 1


@contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let one csv field be as long as the whole text, then restore the process-wide limit."""
    # A huge cell is a row error (too long), not an unreadable file. csv's limit is global,
    # so the lock stops two imports from restoring each other's raised limits.
    with _FIELD_LIMIT:
        limit = csv.field_size_limit()
        csv.field_size_limit(max(limit, size))
        try:
            yield
        finally:
            csv.field_size_limit(limit)


def _guarded(rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    """Turn any parser failure while iterating into an unreadable-file error."""
    try:
        yield from rows
    except csv.Error as exc:
        raise ImportFileError("import-file-unreadable") from exc


def _records_of(sheets: Iterable[Sheet], progress: Progress) -> Records:
    """Records of the first sheet with a header row; file errors if none has one."""
    missing: list[str] | None = None
    for rows, estimate in sheets:
        numbered = enumerate(rows, start=1)
        header = _find_header(numbered)
        if isinstance(header, _Header):
            return _records(header, numbered, estimate, progress)
        if header and (missing is None or len(header) < len(missing)):
            missing = header
    if missing:
        raise ImportFileError("import-missing-columns", columns=", ".join(missing))
    raise ImportFileError("import-file-no-header")


@dataclass(frozen=True, slots=True)
class _Header:
    """The header row: its cells and the position of each column found there."""

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
    for _number, cells in numbered:
        if _blank(cells):
            continue
        mapping: dict[int, str] = {}
        for pos, cell in enumerate(cells):
            column = HEADER_NAMES.get(_header_key(cell))
            if column and column not in mapping.values():
                mapping[pos] = column
        lacking = [c for c in REQUIRED if c not in mapping.values()]
        if not lacking:
            return _Header(cells, mapping)
        if mapping and (not best or len(lacking) < len(best)):
            best = lacking
        seen += 1
        if seen >= HEADER_SCAN:
            break
    return best


def _records(
    header: _Header,
    numbered: Iterator[tuple[int, Sequence[object]]],
    estimate: int,
    progress: Progress,
) -> Records:
    records = Records(labels=header.labels(), ignored=header.ignored())
    columns = header.mapping.items()
    for number, cells in numbered:
        record: Record = {col: cells[pos] for pos, col in columns if pos < len(cells)}
        if not _blank(record.values()):
            record[ROW_KEY] = number
            records.append(record)
        if progress and number % TICK == 0:
            progress(number, max(estimate, number))
    if progress:
        progress(len(records), len(records))
    return records


def _blank(cells: Iterable[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
