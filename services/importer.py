"""The secretariat's task spreadsheet (.csv, .xlsx): read, validate every row, upsert in bulk."""

from __future__ import annotations

import asyncio
import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, TypeVar, cast
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel
from sqlalchemy import Table, bindparam, delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.agencies import Target, TargetIndex, build_index, fold
from services.reports import touch_register
from storage.models import Agency, Program, Status, Task, task_coordinators, utcnow

Progress = Callable[[int, int], None] | None
T = TypeVar("T")
Record = dict[str, object]

ROW_KEY = "_row"  # a record's spreadsheet row number (header = row 1 when it is the first row)
COLUMNS = (
    "code",
    "title",
    "agency",
    "deadline",
    "status",
    "completed_on",
    "program",
    "source",
    "coordinating",
    "progress",
    "notes",
)
REQUIRED = ("code", "title", "agency")
LIMITS = {"code": 64, "title": 2000, "program": 64, "source": 2000, "notes": 2000}
CHUNK = 5000  # rows per write batch and codes per IN list: far below PostgreSQL's 32767 binds
TICK = 1000  # rows between progress calls
ANALYZE_AFTER = 1000  # rows written before planner statistics are refreshed
HEADER_SCAN = 10  # non-empty rows searched for the header (files often start with a title row)
ECHO = 60  # longest cell text echoed back in an error

_HEADERS = {
    "code": "ma;ma nhiem vu;ma so;ma nv;task code",
    "title": "ten;ten nhiem vu;nhiem vu;noi dung;noi dung nhiem vu;task",
    "agency": "co quan chu tri;don vi;don vi chu tri;chu tri;co quan;lead agency;lead",
    "deadline": "han;thoi han;han hoan thanh;thoi han hoan thanh;due;due date",
    "status": "trang thai;tinh trang",
    "completed_on": "ngay hoan thanh;thoi gian hoan thanh;completed;completed date",
    "program": "chuong trinh;programme",
    "source": "nguon;van ban;can cu;van ban giao",
    "coordinating": "phoi hop;co quan phoi hop;don vi phoi hop;coordinators;coordinating agencies",
    "progress": "tien do;ti le;ty le;phan tram",
    "notes": "ghi chu;note",
}
HEADER_NAMES = {fold(column): column for column in COLUMNS} | {
    name: column for column, names in _HEADERS.items() for name in names.split(";")
}
_STATUSES = {
    Status.OPEN: "open;new;not started;moi;chua thuc hien;chua trien khai;chua hoan thanh",
    Status.IN_PROGRESS: "in progress;dang thuc hien;dang trien khai;dang lam",
    Status.DONE: "done;completed;hoan thanh;da hoan thanh;xong;da xong",
}
STATUS_WORDS = {word: s.value for s, words in _STATUSES.items() for word in words.split(";")}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_PERCENT = re.compile(r"(\d{1,3})(?:[.,]0+)?\s*%?")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; msg_id and params go to the i18n catalog."""

    def __init__(self, msg_id: str, **params: object) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params: dict[str, object] = params


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell (or row): 1-based spreadsheet row, canonical column or ""."""

    row: int
    column: str
    msg_id: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, or would do in a dry run; all counts are 0 when a row is bad."""

    created: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...]
    dry_run: bool
    total_rows: int

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------------------


def read_rows(data: bytes, filename: str, *, progress: Progress = None) -> list[Record]:
    """Parse a .csv or .xlsx into records keyed by canonical column (plus ROW_KEY)."""
    # Blocking and CPU-bound: async callers run it in a thread. `progress` gets (rows read,
    # estimated rows) every TICK rows, then (records, records) at the end.
    if not data:
        raise ImportFileError("import-file-empty")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "csv":
        rows, estimate = _csv_rows(data)
        return _records_of([rows], estimate, progress)
    if ext != "xlsx":
        raise ImportFileError("import-file-type", ext=ext)
    sheets, estimate = _xlsx_sheets(data)
    return _records_of(sheets, estimate, progress)


def _csv_rows(data: bytes) -> tuple[Iterator[Sequence[object]], int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("import-file-unreadable") from exc
    if "\x00" in text:  # a binary file that happens to decode
        raise ImportFileError("import-file-unreadable")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)  # Excel in a Vietnamese locale saves with ';'
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _guarded(rows), text.count("\n") + 1


def _guarded(rows: Iterator[T]) -> Iterator[T]:
    """Turn any parser failure while iterating into an unreadable-file error."""
    try:
        yield from rows
    except Exception as exc:  # corrupt sheets fail lazily, with many exception types
        raise ImportFileError("import-file-unreadable") from exc


def _records_of(
    sheets: list[Iterator[Sequence[object]]], estimate: int, progress: Progress
) -> list[Record]:
    """Records of the first sheet with a header row; file errors if none has one."""
    missing: list[str] | None = None
    for rows in sheets:
        numbered = enumerate(rows, start=1)
        header = _find_header(numbered)
        if isinstance(header, dict):
            return _records(header, numbered, estimate, progress)
        if header and (missing is None or len(header) < len(missing)):
            missing = header
    if missing:
        raise ImportFileError("import-missing-columns", columns=", ".join(missing))
    raise ImportFileError("import-file-no-header")


def _find_header(numbered: Iterator[tuple[int, Sequence[object]]]) -> dict[int, str] | list[str]:
    """The header's {position: column}; else the required columns the best row lacks."""
    best: list[str] = []
    seen = 0
    for _number, cells in numbered:
        if _blank(cells):
            continue
        mapping: dict[int, str] = {}
        for pos, cell in enumerate(cells):
            column = HEADER_NAMES.get(fold(_text(cell)))
            if column and column not in mapping.values():
                mapping[pos] = column
        lacking = [c for c in REQUIRED if c not in mapping.values()]
        if not lacking:
            return mapping
        if mapping and (not best or len(lacking) < len(best)):
            best = lacking
        seen += 1
        if seen >= HEADER_SCAN:
            break
    return best


def _records(
    header: dict[int, str],
    numbered: Iterator[tuple[int, Sequence[object]]],
    estimate: int,
    progress: Progress,
) -> list[Record]:
    records: list[Record] = []
    for number, cells in numbered:
        record: Record = {col: cells[pos] for pos, col in header.items() if pos < len(cells)}
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


# --- xlsx -----------------------------------------------------------------------------------
# openpyxl's read-only mode took 12 s for a 100k-row sheet here, plus a second full pass when
# the sheet lacks <dimension> (openpyxl's own write_only files do). Expat callbacks read the
# same cells with the same data_only meaning (formulas as their cached <v>) about 4x faster;
# openpyxl still supplies the number-format rules and the serial-date arithmetic.

_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension ref=\"[A-Z]+\d+:[A-Z]+(\d+)\"")


@dataclass(frozen=True, slots=True)
class _Book:
    """What reading a sheet needs from the rest of the workbook."""

    sheets: list[str]  # worksheet part names, the active sheet first
    strings: list[str]
    formats: dict[str, str]  # style index -> "date", "timedelta" or "percent"
    epoch: datetime


def _xlsx_sheets(data: bytes) -> tuple[list[Iterator[Sequence[object]]], int]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        book = _read_book(archive)
        with archive.open(book.sheets[0]) if book.sheets else io.BytesIO() as first:
            head = first.read(4096)  # <dimension> leads the sheet: a row count for progress
    except Exception as exc:  # zip, XML, missing parts: a corrupt file fails in many ways
        raise ImportFileError("import-file-unreadable") from exc
    dimension = _DIMENSION.search(head)
    readers: list[Iterator[Sequence[object]]] = [
        _guarded(_read_sheet(archive, name, book)) for name in book.sheets
    ]
    return readers, int(dimension[1]) if dimension else 0


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _read_book(archive: zipfile.ZipFile) -> _Book:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels if r.get("Type", "").endswith("/worksheet")
    }
    tabs = [targets.get(e.get(_REL_ID)) for e in workbook.iter() if _local(e.tag) == "sheet"]
    view = next((e for e in workbook.iter() if _local(e.tag) == "workbookView"), None)
    active = int(view.get("activeTab", "0")) if view is not None else 0
    # The active sheet first: that is the one the secretariat last looked at.
    order = [tabs[active]] if 0 <= active < len(tabs) else []
    names = [_part(t) for t in [*order, *tabs] if t]
    props = next((e for e in workbook.iter() if _local(e.tag) == "workbookPr"), None)
    mac = props is not None and props.get("date1904", "0") in ("1", "true")
    return _Book(
        list(dict.fromkeys(names)),
        _read_strings(archive),
        _read_formats(archive),
        MAC_EPOCH if mac else WINDOWS_EPOCH,
    )


def _part(target: str) -> str:
    """A relationship target as a zip member name (targets are relative to xl/)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _read_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    table = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(_runs(item)) for item in table]


def _runs(item: ElementTree.Element) -> Iterator[str]:
    """The text of a shared string: plain <t> or rich-text runs, without phonetic guides."""
    for child in item:
        local = _local(child.tag)
        if local == "t":
            yield child.text or ""
        elif local == "r":
            yield from (t.text or "" for t in child if _local(t.tag) == "t")


def _read_formats(archive: zipfile.ZipFile) -> dict[str, str]:
    if "xl/styles.xml" not in archive.namelist():
        return {}
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    custom = {
        int(e.get("numFmtId", "0")): e.get("formatCode", "")
        for e in styles.iter()
        if _local(e.tag) == "numFmt"
    }
    xfs: Iterable[ElementTree.Element] = next(
        (e for e in styles if _local(e.tag) == "cellXfs"), []
    )
    formats: dict[str, str] = {}
    for index, xf in enumerate(xfs):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "")
        if is_timedelta_format(code):
            formats[str(index)] = "timedelta"
        elif is_date_format(code):
            formats[str(index)] = "date"
        elif "%" in code:
            formats[str(index)] = "percent"
    return formats


def _read_sheet(archive: zipfile.ZipFile, name: str, book: _Book) -> Iterator[list[object]]:
    """A sheet's rows as lists of cell values; missing rows come back empty."""
    reader = _SheetReader(book)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
            yield from reader.take()
        parser.Parse(b"", True)
    yield from reader.take()


class _SheetReader:
    """Expat callbacks turning <row>/<c> elements into lists of values."""

    def __init__(self, book: _Book) -> None:
        self.book = book
        self.ready: list[list[object]] = []
        self.row: list[object] = []
        self.number = 0  # the last row number seen
        self.column = 0
        self.kind, self.style = "n", ""
        self.text: list[str] = []
        self.collect = self.phonetic = False
        self.cell_tag = self.value_tag = self.text_tag = self.row_tag = self.phonetic_tag = ""

    def take(self) -> list[list[object]]:
        ready, self.ready = self.ready, []
        return ready

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == self.cell_tag:
            ref = attrs.get("r")
            self.column = _column_of(ref) if ref else self.column + 1
            self.kind, self.style = attrs.get("t", "n"), attrs.get("s", "")
            self.text = []
        elif name == self.value_tag or name == self.text_tag:
            self.collect = True
        elif name == self.row_tag:
            ref = attrs.get("r")
            number = int(ref) if ref else self.number + 1
            self.ready.extend([] for _ in range(self.number + 1, number))
            self.number, self.row, self.column = number, [], 0
        elif name == self.phonetic_tag:
            self.phonetic = True
        elif not self.cell_tag:  # the root element tells the namespace (main or strict)
            ns = name.rpartition("}")[0]
            prefix = f"{ns}}}" if ns else ""
            self.cell_tag, self.value_tag, self.text_tag = f"{prefix}c", f"{prefix}v", f"{prefix}t"
            self.row_tag, self.phonetic_tag = f"{prefix}row", f"{prefix}rPh"

    def end(self, name: str) -> None:
        if name == self.cell_tag:
            if self.text:
                self.row.extend([None] * (self.column - 1 - len(self.row)))
                self.row.append(self.value("".join(self.text)))
        elif name == self.value_tag or name == self.text_tag:
            self.collect = False
        elif name == self.row_tag:
            self.ready.append(self.row)
        elif name == self.phonetic_tag:
            self.phonetic = False

    def chars(self, data: str) -> None:
        if self.collect and not self.phonetic:
            self.text.append(data)

    def value(self, text: str) -> object:
        """A cell's value as openpyxl's data_only mode gives it."""
        kind = self.kind
        if kind == "s":
            return self.book.strings[int(text)]
        if kind == "b":
            return text == "1"
        if kind == "d":
            return datetime.fromisoformat(text)
        if kind != "n":  # str (a formula's cached text), inlineStr, e (#N/A...)
            return text
        number = float(text) if "." in text or "e" in text or "E" in text else int(text)
        form = self.book.formats.get(self.style)
        if form is None:
            return number
        if form == "percent":  # a cell showing "50%" holds 0.5: keep what people see
            return f"{number * 100:g}%"
        try:
            return cast(object, from_excel(number, self.book.epoch, form == "timedelta"))
        except (OverflowError, ValueError):
            return "#VALUE!"


def _column_of(ref: str) -> int:
    """The 1-based column of a cell reference like "AB12"."""
    return _column_number(ref.rstrip("0123456789"))


@lru_cache(maxsize=1024)
def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


# --- validating ---------------------------------------------------------------------------


class _Bad(Exception):
    """A cell's value is invalid; carries the row-level msg_id and its params."""

    def __init__(self, msg_id: str, **params: str) -> None:
        super().__init__(msg_id)
        self.msg_id, self.params = msg_id, params


@dataclass(frozen=True, slots=True)
class _Task:
    """A validated row; `program` is an existing id or the name of a program to create."""

    row: int
    code: str
    title: str
    agency: int
    deadline: date | None
    status: str
    completed_on: date | None
    program: int | str | None
    source: str
    coordinating: frozenset[int]
    progress: int
    notes: str


def _text(value: object) -> str:
    """A cell as stripped text, as the secretariat sees it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _clip(text: str) -> str:
    return text if len(text) <= ECHO else text[: ECHO - 1] + "…"


def _limited(column: str, value: object) -> str:
    text = _text(value)
    if len(text) > LIMITS[column]:
        raise _Bad("import-err-too-long", column=column, limit=str(LIMITS[column]))
    return text


def _required(column: str, value: object) -> str:
    text = _limited(column, value) if column in LIMITS else _text(value)
    if not text:
        raise _Bad("import-err-required", column=column)
    return text


def parse_date(value: object) -> date | None:
    """An Excel date cell, YYYY-MM-DD, D/M/YYYY (also with '.' or '-'), or empty for none."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    # Only text can be a date: a bare number (an Excel serial in a csv) is ambiguous.
    iso = _ISO_DATE.fullmatch(text) if isinstance(value, str) else None
    vn = _VN_DATE.fullmatch(text) if isinstance(value, str) else None
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if vn:
            return date(int(vn[3]), int(vn[2]), int(vn[1]))
    except ValueError:
        pass
    raise _Bad("import-err-bad-date", value=_clip(text))


def parse_status(value: object) -> str:
    """open / in_progress / done from English or Vietnamese words; empty means open."""
    text = _text(value)
    status = STATUS_WORDS.get(fold(text)) if text else Status.OPEN.value
    if status is None:
        raise _Bad("import-err-bad-status", value=_clip(text))
    return status


def parse_progress(value: object) -> int | None:
    """A whole percentage 0-100 ("50", "50%", 50.0); None when empty."""
    text = _text(value)
    if not text:
        return None
    match = None if isinstance(value, bool) else _PERCENT.fullmatch(text)
    if match is None or int(match[1]) > 100:
        raise _Bad("import-err-bad-progress", value=_clip(text))
    return int(match[1])


Parser = Callable[[object], object]


def _memoised(parse: Parser) -> Parser:
    """Parse each distinct cell once: dates, statuses and agencies repeat on every row."""
    memo: dict[tuple[type, object], object] = {}

    def parse_once(value: object) -> object:
        key = (type(value), value)  # True == 1 == 1.0, but they are different cells
        if key not in memo:
            try:
                memo[key] = parse(value)
            except _Bad as bad:
                memo[key] = bad
        found = memo[key]
        if isinstance(found, _Bad):
            raise _Bad(found.msg_id, **found.params)  # a fresh one: tracebacks would pile up
        return found

    return parse_once


@dataclass(slots=True)
class _Lookups:
    """Agencies and programs as the file names them."""

    index: TargetIndex
    agency_ids: dict[str, int]
    programs: dict[str, int]  # folded code and folded name -> id
    new_programs: dict[str, str] = field(default_factory=dict)  # folded -> name to create
    agency: Parser = field(init=False)

    def __post_init__(self) -> None:
        self.agency = _memoised(self._agency)

    def _agency(self, value: object) -> int:
        text = _text(value)
        lookup = self.index.resolve(text)
        if lookup.found is not None:
            return self.agency_ids[lookup.found.code]
        if lookup.candidates:
            codes = ", ".join(t.code for t in lookup.candidates[:3])
            raise _Bad("import-err-ambiguous-agency", value=_clip(text), candidates=codes)
        raise _Bad("import-err-unknown-agency", value=_clip(text))

    def lead(self, value: object) -> object:
        """The lead agency's id."""
        return self.agency(_required("agency", value))

    def coordinating(self, value: object) -> frozenset[object]:
        """The agencies of a ';'-separated cell."""
        return frozenset(self.agency(part) for part in _split(_text(value)))

    def program(self, value: object) -> int | str | None:
        """An existing program's id, or the name of one to create (first spelling wins)."""
        text = _limited("program", value)
        if not text:
            return None
        key = fold(text) or text
        return self.programs.get(key) or self.new_programs.setdefault(key, text)


async def _load_lookups(session: AsyncSession) -> _Lookups:
    agencies = (await session.execute(select(Agency))).scalars().all()
    targets = (
        Target("agency", a.code, a.name_vi, a.name_en, tuple(_split(a.aliases)), a.kind)
        for a in agencies
    )
    programs: dict[str, int] = {}
    for pid, code, name in await session.execute(select(Program.id, Program.code, Program.name)):
        programs.setdefault(fold(code) or code, pid)
        programs.setdefault(fold(name) or name, pid)
    return _Lookups(build_index(targets, ()), {a.code: a.id for a in agencies}, programs)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", cell) if part.strip()]


@dataclass(slots=True)
class _Checker:
    """Validates rows one by one, keeping every error and the first row of each code."""

    lookups: _Lookups
    errors: list[RowError] = field(default_factory=list)
    first_rows: dict[str, int] = field(default_factory=dict)
    parsers: tuple[tuple[str, Parser], ...] = field(init=False)

    def __post_init__(self) -> None:
        lookups = self.lookups
        self.parsers = (
            ("code", lambda v: _required("code", v)),
            ("title", lambda v: _required("title", v)),
            ("agency", _memoised(lookups.lead)),
            ("deadline", _memoised(parse_date)),
            ("status", _memoised(parse_status)),
            ("completed_on", _memoised(parse_date)),
            ("program", _memoised(lookups.program)),
            ("source", lambda v: _limited("source", v)),
            ("coordinating", _memoised(lookups.coordinating)),
            ("progress", _memoised(parse_progress)),
            ("notes", lambda v: _limited("notes", v)),
        )

    def check(self, record: Mapping[str, object], row: int) -> _Task | None:
        """The validated task, or None after recording the row's errors."""
        found = len(self.errors)
        values: dict[str, Any] = {}
        for column, parse in self.parsers:
            try:
                values[column] = parse(record.get(column))
            except _Bad as bad:
                self.errors.append(RowError(row, column, bad.msg_id, bad.params))
        self._cross_check(values, row)
        if len(self.errors) > found:
            return None
        values["coordinating"] -= {values["agency"]}  # the lead does not coordinate itself
        return _Task(row=row, **values)

    def _cross_check(self, values: dict[str, Any], row: int) -> None:
        """Completion date against status, default progress, duplicate codes."""
        done = values.get("status") == Status.DONE.value
        if "status" in values and "completed_on" in values:
            if done and values["completed_on"] is None:
                self.errors.append(RowError(row, "completed_on", "import-err-completed-required"))
            elif not done and values["completed_on"] is not None:
                self.errors.append(RowError(row, "completed_on", "import-err-completed-not-done"))
        if values.get("progress", 0) is None:
            values["progress"] = 100 if done else 0
        if "code" in values:
            first = self.first_rows.setdefault(values["code"], row)
            if first != row:
                params = {"value": _clip(values["code"]), "first_row": str(first)}
                self.errors.append(RowError(row, "code", "import-err-duplicate-code", params))


async def _validate(
    records: Sequence[Mapping[str, object]], lookups: _Lookups, progress: Progress, total: int
) -> tuple[list[_Task], list[RowError]]:
    checker = _Checker(lookups)
    tasks: list[_Task] = []
    for done, record in enumerate(records, start=1):
        row = record.get(ROW_KEY)
        task = checker.check(record, row if isinstance(row, int) else done + 1)
        if task is not None:
            tasks.append(task)
        if done % TICK == 0:
            if progress:
                progress(done, total)
            await asyncio.sleep(0)  # a big import must not stall the bot's other chats
    return tasks, checker.errors


# --- writing ------------------------------------------------------------------------------

_TASK = cast(Table, Task.__table__)
_COORD = task_coordinators
_FIELDS = (  # compared with the database, in _Task.values() order
    "title",
    "lead_agency_id",
    "deadline",
    "status",
    "completed_on",
    "program_id",
    "source",
    "progress",
    "notes",
)
_INSERTED = ("code", *_FIELDS, "created_at", "updated_at", "version")
# Core updates skip the mapper's version_id_col, so the bump is explicit; the other SET
# columns come from the executemany parameters named after them.
_UPDATE = update(_TASK).where(_TASK.c.id == bindparam("b_id")).values(version=_TASK.c.version + 1)


@dataclass(frozen=True, slots=True)
class _Stored:
    """A task already in the database, as far as the import compares it."""

    id: int
    fields: tuple[object, ...]
    coordinating: frozenset[int]


def _values(task: _Task, program_ids: Mapping[str, int]) -> tuple[object, ...]:
    """The task's _FIELDS values; a program still to create maps through program_ids."""
    program = task.program
    if isinstance(program, str):
        program = program_ids.get(program, program)
    return (
        task.title,
        task.agency,
        task.deadline,
        task.status,
        task.completed_on,
        program,
        task.source,
        task.progress,
        task.notes,
    )


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _load_stored(session: AsyncSession, codes: Sequence[str]) -> dict[str, _Stored]:
    """The file's tasks already stored, with their coordinating agencies."""
    wanted = set(codes)
    # A big file is most of the table: one scan beats tens of thousands of IN parameters.
    where = [] if len(codes) > CHUNK else [_TASK.c.code.in_(codes)]
    query = select(_TASK.c.code, _TASK.c.id, *(_TASK.c[f] for f in _FIELDS)).where(*where)
    fields = {c: (i, tuple(v)) for c, i, *v in await session.execute(query) if c in wanted}
    pairs = (
        select(_TASK.c.code, _COORD.c.agency_id)
        .join(_COORD, _COORD.c.task_id == _TASK.c.id)
        .where(*where)
    )
    coordinating: dict[str, set[int]] = {}
    for code, agency_id in await session.execute(pairs):
        coordinating.setdefault(code, set()).add(int(agency_id))
    return {
        code: _Stored(ident, values, frozenset(coordinating.get(code, ())))
        for code, (ident, values) in fields.items()
    }


async def _ids_of(session: AsyncSession, codes: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        query = select(_TASK.c.code, _TASK.c.id).where(_TASK.c.code.in_(chunk))
        ids.update((await session.execute(query)).all())
    return ids


async def _bulk_insert(
    session: AsyncSession, table: Table, columns: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """Insert many rows: COPY on PostgreSQL (several times faster), executemany elsewhere."""
    if not rows:
        return
    conn = await session.connection()
    if conn.dialect.driver == "asyncpg":
        raw = await conn.get_raw_connection()
        copy = raw.driver_connection.copy_records_to_table  # type: ignore[union-attr]
        await copy(table.name, records=rows, columns=columns)
        return
    await conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


async def _create_programs(session: AsyncSession, names: Iterable[str]) -> dict[str, int]:
    """Insert the programs the file names for the first time; their ids by name."""
    rows = [{"code": name, "name": name} for name in names]
    if not rows:
        return {}
    program = cast(Table, Program.__table__)
    result = await session.execute(insert(program).returning(program.c.code, program.c.id), rows)
    ids: dict[str, int] = dict(result.all())
    return ids


async def _insert(
    session: AsyncSession, tasks: Sequence[_Task], program_ids: Mapping[str, int], now: datetime
) -> None:
    """Insert new tasks, then their coordinating agencies."""
    rows = [(t.code, *_values(t, program_ids), now, now, 1) for t in tasks]
    await _bulk_insert(session, _TASK, _INSERTED, rows)
    linked = [t for t in tasks if t.coordinating]
    ids = await _ids_of(session, [t.code for t in linked])
    pairs = [(ids[t.code], a) for t in linked for a in t.coordinating]
    await _bulk_insert(session, _COORD, ("task_id", "agency_id"), pairs)


async def _update(
    session: AsyncSession,
    tasks: Sequence[_Task],
    stored: Mapping[str, _Stored],
    program_ids: Mapping[str, int],
    now: datetime,
) -> None:
    """Rewrite changed tasks (version + 1) and replace changed coordinator sets."""
    rows = [
        {"b_id": stored[t.code].id, **dict(zip(_FIELDS, _values(t, program_ids), strict=True))}
        | {"updated_at": now}
        for t in tasks
    ]
    await session.execute(_UPDATE, rows)
    moved = [t for t in tasks if t.coordinating != stored[t.code].coordinating]
    if moved:
        ids = [stored[t.code].id for t in moved]
        await session.execute(delete(_COORD).where(_COORD.c.task_id.in_(ids)))
        pairs = [(stored[t.code].id, a) for t in moved for a in t.coordinating]
        await _bulk_insert(session, _COORD, ("task_id", "agency_id"), pairs)


async def import_tasks(
    session: AsyncSession,
    rows: Iterable[Mapping[str, object]],
    *,
    dry_run: bool,
    progress: Progress = None,
) -> ImportReport:
    """Validate every row, then (unless dry_run) create new tasks and update changed ones."""
    # All or nothing: with any bad row nothing is written, not even new programs; the caller
    # owns the transaction. progress(done, total) counts to twice the row count: validated
    # rows first (every TICK), then written rows (every CHUNK); a dry run or a failed check
    # jumps to (total, total).
    records = list(rows)
    total = 2 * len(records)
    lookups = await _load_lookups(session)
    tasks, errors = await _validate(records, lookups, progress, total)
    if errors:
        if progress:
            progress(total, total)
        return ImportReport(0, 0, 0, tuple(errors), dry_run, len(records))
    stored = await _load_stored(session, [t.code for t in tasks])
    new = [t for t in tasks if t.code not in stored]
    changed = [t for t in tasks if t.code in stored and _differs(t, stored[t.code])]
    if not dry_run and (new or changed):
        await _write(session, new, changed, stored, lookups, progress, total)
        await touch_register(session)  # cached report figures are now stale
        if len(new) + len(changed) >= ANALYZE_AFTER:
            # Fresh planner statistics after a bulk load keep report queries on their indexes.
            await session.execute(text("ANALYZE task"))
    if progress:
        progress(total, total)
    unchanged = len(tasks) - len(new) - len(changed)
    return ImportReport(len(new), len(changed), unchanged, (), dry_run, len(records))


def _differs(task: _Task, stored: _Stored) -> bool:
    # A program still to create is a name, never equal to a stored id.
    return _values(task, {}) != stored.fields or task.coordinating != stored.coordinating


async def _write(
    session: AsyncSession,
    new: list[_Task],
    changed: list[_Task],
    stored: Mapping[str, _Stored],
    lookups: _Lookups,
    progress: Progress,
    total: int,
) -> None:
    now = utcnow()
    program_ids = await _create_programs(session, lookups.new_programs.values())
    done = total // 2
    for chunk in _chunks(new):
        await _insert(session, chunk, program_ids, now)
        done += len(chunk)
        if progress:
            progress(done, total)
    for chunk in _chunks(changed):
        await _update(session, chunk, stored, program_ids, now)
        done += len(chunk)
        if progress:
            progress(done, total)
