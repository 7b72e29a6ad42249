"""Hostile spreadsheets are refused in one line before calamine parses a byte of them, with
memory flat; honest but unusual XML still reads."""

from __future__ import annotations

import io
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import pytest

from services.importer import ImportFileError, ReadLimits, read_rows, xlsx
from services.importer.refs import column_letters
from tests.services.hostile_files import (
    HEADER,
    MB,
    STYLES,
    Body,
    Style,
    far_cell,
    inline_text,
    long_string,
    lying_sizes,
    padded_sheet,
    row,
    shared_sheet,
    sheet,
    strings_part,
    task,
    text,
    workbook,
    zeros,
    zipped,
)

FEW_ROWS = ReadLimits(max_rows=100)
SMALL = ReadLimits(max_unpacked_mb=4)


@dataclass(frozen=True)
class Hostile:
    """A generated hostile file, what it is refused with, and under which limits."""

    build: Callable[[], bytes]
    msg_id: str
    params: dict[str, object] = field(default_factory=dict)  # checked when given
    limits: ReadLimits = field(default_factory=ReadLimits)


def header_and(*rows: str, dimension: str | None = None) -> bytes:
    """A workbook whose sheet has the header row, then these rows."""
    return workbook(sheet([row(1, HEADER), *rows], dimension=dimension))


def far_cell_sheet(ref: str) -> bytes:
    """The sheet part of far_cell(ref) alone."""
    with zipfile.ZipFile(io.BytesIO(far_cell(ref))) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def preceded(junk: bytes) -> bytes:
    """A far cell's sheet part after bytes that calamine skips before the root element."""
    return workbook(junk + far_cell_sheet("XFD1048576"))


def raw(rows: str) -> bytes:
    """A workbook whose sheet data is the header, then `rows` written by hand."""
    return workbook(sheet([row(1, HEADER), rows]))


def wide_row(first: int, last: int, *, refs: bool = True) -> str:
    """Row 1 with a cell in every column first..last (0-based)."""
    cells = [(f"{column_letters(c)}1" if refs else None, c) for c in range(first, last + 1)]
    return row(1, cells)


def many_rows(count: int, style: Style) -> bytes:
    """A header and count - 1 task rows, written in `style`."""
    rows = [
        row(n, task(n) if style.refs else [(None, f"T{n}")], style) for n in range(2, count + 1)
    ]
    return workbook(sheet([row(1, HEADER, style), *rows], style=style))


def merged(count: int) -> bytes:
    """A sheet with `count` merged ranges."""
    ranges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (n, n) for n in range(1, count + 1))
    body = sheet([row(1, HEADER)]).replace(b"</worksheet>", b"")
    return workbook(
        [body, b'<mergeCells count="%d">' % count, ranges, b"</mergeCells></worksheet>"]
    )


def duplicated() -> bytes:
    """A zip that holds the sheet part twice: calamine could read the other one."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for name, body in _members(far_cell("A5")):
            archive.writestr(name, body)
        archive.writestr("xl/worksheets/sheet1.xml", far_cell("XFD1048576"))
    return out.getvalue()


def _members(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)


def encrypted() -> bytes:
    """The sheet part flagged as encrypted."""
    data = bytearray(far_cell("A5"))
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def too_many_parts() -> bytes:
    extra: dict[str, Body] = {f"customXml/item{n}.xml": b"" for n in range(10_001)}
    return workbook(sheet([row(1, HEADER)]), extra=extra)


# Several variants of each hostile kind, built on demand: 60 files of a few KB each.
HOSTILE: dict[str, Hostile] = {
    **{
        f"cell-XFD1048576-{name}": Hostile(
            partial(far_cell, "XFD1048576", style),
            "import-file-too-many-rows",
            {"rows": 1_048_576, "limit": 300_000},
        )
        for name, style in STYLES.items()
    },
    **{
        f"cell-ZZ200000-{name}": Hostile(
            partial(far_cell, "ZZ200000", style),
            "import-file-too-many-columns",
            {"columns": 702, "limit": 200},
        )
        for name, style in STYLES.items()
    },
    # calamine places a cell by the last of two r= on its tag (and skips spaces around =).
    **{
        f"cell-second-r-{name}": Hostile(
            partial(raw, f'<row r="2"><c {attrs}><v>1</v></c></row>'),
            "import-file-too-many-rows",
            {"rows": 1_048_576},
        )
        for name, attrs in {
            "plain": 'r="B2" r="XFD1048576"',
            "spaced": 'r="B2" r = "XFD1048576"',
            "single-quotes": "r='B2' r='XFD1048576'",
            "newline": 'r="B2"\nr="XFD1048576"',
            "after-style": 's="0" r="B2" r="XFD1048576"',
        }.items()
    },
    # calamine skips bytes before the root element and reads a sheet wherever the workbook's
    # relationships point: every part is checked, whatever its first bytes or its name.
    **{
        f"cell-XFD1048576-after-{name}": Hostile(
            partial(preceded, junk), "import-file-too-many-rows", {"rows": 1_048_576}
        )
        for name, junk in {"junk": b"junk", "nul": b"\0\0", "zeros": b"0" * (300 << 10)}.items()
    },
    "cell-XFD1048576-in-an-image": Hostile(
        lambda: workbook(
            sheet([row(1, HEADER)]),
            extra={"xl/media/image1.png": far_cell_sheet("XFD1048576")},
        ),
        "import-file-too-many-rows",
    ),
    "string-count-nested": Hostile(
        lambda: workbook(
            shared_sheet(),
            extra={"xl/other.xml": b'<a><sst uniqueCount="4000000000"><si/></sst></a>'},
        ),
        "import-file-too-large",
    ),
    "rows-second-r": Hostile(
        partial(raw, '<row r="2" r="1048576"><c><v>1</v></c></row>'),
        "import-file-too-many-rows",
    ),
    "zip-bomb-sheet": Hostile(lambda: workbook(padded_sheet(20 * MB)), "import-file-zip-bomb"),
    "zip-bomb-other-part": Hostile(
        lambda: workbook(sheet([row(1, HEADER)]), extra={"xl/media/blob.bin": zeros(20 * MB)}),
        "import-file-zip-bomb",
    ),
    "zip-bomb-over-limit": Hostile(
        lambda: workbook(padded_sheet(5 * MB)), "import-file-too-large", {"size": 5}, SMALL
    ),
    "zip-bomb-many-parts": Hostile(
        lambda: workbook(
            sheet([row(1, HEADER)]), extra={f"xl/media/{n}.bin": zeros(MB) for n in range(6)}
        ),
        "import-file-too-large",
        {"size": 6, "limit": 4},
        SMALL,
    ),
    "zip-bomb-lying-size": Hostile(
        lambda: lying_sizes(workbook(padded_sheet(20 * MB)), "xl/worksheets/sheet1.xml", 1000),
        "import-file-unreadable",
    ),
    "string-3mb": Hostile(
        lambda: workbook(shared_sheet(), strings=strings_part(long_string(3 * MB))),
        "import-file-cell-too-long",
    ),
    "string-3mb-in-runs": Hostile(
        lambda: workbook(shared_sheet(), strings=strings_part(long_string(3 * MB, runs=30))),
        "import-file-cell-too-long",
        {"limit": 1024},  # KB, as the message says it
    ),
    "string-3mb-prefixed": Hostile(
        lambda: workbook(
            shared_sheet(), strings=strings_part(long_string(3 * MB, prefix="x:"), prefix="x:")
        ),
        "import-file-cell-too-long",
    ),
    "string-never-closed": Hostile(
        lambda: workbook(shared_sheet(), strings=[b"<sst><si><t>", *text(3 * MB)]),
        "import-file-cell-too-long",
    ),
    "string-count-twice": Hostile(
        lambda: workbook(
            shared_sheet(),
            strings=[b'<sst uniqueCount="1" uniqueCount="4000000000"><si><t>a</t></si></sst>'],
        ),
        "import-file-too-large",
    ),
    "string-count-forged": Hostile(
        lambda: workbook(
            shared_sheet(), strings=strings_part([b"<si><t>a</t></si>"], count=4_000_000_000)
        ),
        "import-file-too-large",
    ),
    "rows-numbered": Hostile(
        lambda: many_rows(101, Style()), "import-file-too-many-rows", {"rows": 101}, FEW_ROWS
    ),
    "rows-without-r": Hostile(
        lambda: many_rows(101, Style(rows=False, refs=False)),
        "import-file-too-many-rows",
        {"rows": 101},
        FEW_ROWS,
    ),
    "rows-one-far": Hostile(
        lambda: header_and(row(101, task(101))), "import-file-too-many-rows", {}, FEW_ROWS
    ),
    "rows-declared": Hostile(
        lambda: header_and(dimension="A1:C101"), "import-file-too-many-rows", {}, FEW_ROWS
    ),
    "rows-cells-below-their-row": Hostile(
        lambda: header_and(row(2, [("A101", "T2")])), "import-file-too-many-rows", {}, FEW_ROWS
    ),
    "columns-with-r": Hostile(
        lambda: workbook(sheet([wide_row(0, 200)])),
        "import-file-too-many-columns",
        {"columns": 201},
    ),
    "columns-without-r": Hostile(
        lambda: workbook(sheet([wide_row(0, 200, refs=False)])),
        "import-file-too-many-columns",
        {"columns": 201},
    ),
    "columns-two-cells": Hostile(
        lambda: workbook(sheet([row(1, [("A1", "code"), ("GS1", "x")])])),
        "import-file-too-many-columns",
        {"columns": 201},
    ),
    "columns-declared": Hostile(
        lambda: header_and(dimension="A1:GS1"), "import-file-too-many-columns", {"columns": 201}
    ),
    "columns-shifted": Hostile(
        lambda: workbook(sheet([wide_row(1, 202)])),
        "import-file-too-many-columns",
        {"columns": 202},
    ),
    "columns-after-a-reference": Hostile(
        lambda: workbook(sheet([row(1, [("A1", "code"), ("GR1", 1), (None, 2)])])),
        "import-file-too-many-columns",
        {"columns": 201},
    ),
    "dimension-small-cell-far": Hostile(
        lambda: header_and(row(500_000, [("A500000", 1)]), dimension="A1:C3"),
        "import-file-too-many-rows",
        {"rows": 500_000},
    ),
    "dimension-whole-sheet": Hostile(
        lambda: header_and(dimension="A1:XFD1048576"),
        "import-file-too-many-rows",
        {"rows": 1_048_576},
    ),
    "grid-rows-by-columns": Hostile(
        lambda: header_and(row(250_000, [("CV250000", 1)])),
        "import-file-grid-too-large",
        {"rows": 250_000, "columns": 100, "size": 762, "limit": 500},
    ),
    "merged-ranges": Hostile(lambda: merged(100_001), "import-file-too-many-merged"),
    "inline-text-3mb": Hostile(lambda: workbook(inline_text(3 * MB)), "import-file-cell-too-long"),
    "parts-duplicated": Hostile(duplicated, "import-file-unreadable"),
    "parts-xlsb": Hostile(
        lambda: workbook(sheet([row(1, HEADER)]), extra={"xl/workbook.bin": b"\0"}),
        "import-file-unreadable",
    ),
    "parts-encrypted": Hostile(encrypted, "import-file-unreadable"),
    "parts-bzip2": Hostile(
        lambda: workbook(sheet([row(1, HEADER)]), method=zipfile.ZIP_BZIP2),
        "import-file-unreadable",
    ),
    "parts-too-many": Hostile(too_many_parts, "import-file-too-many-parts"),
    "parts-no-workbook": Hostile(
        lambda: zipped({"xl/worksheets/sheet1.xml": sheet([row(1, HEADER)])}),
        "import-file-unreadable",
    ),
}


class CalamineCalled(BaseException):
    """calamine was handed a file that the checks should have refused."""


@pytest.fixture
def no_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if calamine is asked to open the workbook."""

    class Untouchable:
        @classmethod
        def from_filelike(cls, *_: object) -> None:
            raise CalamineCalled  # not an Exception: read_rows must not turn it into an error

    monkeypatch.setattr(xlsx, "CalamineWorkbook", Untouchable)


@pytest.mark.usefixtures("no_calamine")
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_xlsx_is_refused_before_parsing(name: str) -> None:
    case = HOSTILE[name]
    data = case.build()
    assert len(data) < 2 * MB  # a small upload...

    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as caught:
            read_rows(data, "hostile.xlsx", limits=case.limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.msg_id == case.msg_id
    assert caught.value.params.items() >= case.params.items()
    assert peak < 16 * MB  # ...that never costs more than a few chunks of memory


def test_the_hostile_set_covers_every_kind() -> None:
    kinds = {name.split("-")[0] for name in HOSTILE}
    assert kinds == {"cell", "zip", "string", "rows", "columns", "dimension", "grid"} | {
        "merged",
        "inline",
        "parts",
    }
    assert len(HOSTILE) >= 60


@pytest.mark.parametrize("style", STYLES.values(), ids=STYLES.keys())
def test_unusual_but_valid_xml_still_reads(style: Style) -> None:
    # Prefixed tags, single quotes, lowercase or zero-padded references, rows without r=:
    # the checks follow calamine's placement, so an honest file in any of them reads.
    data = workbook(
        sheet([row(1, HEADER, style), row(2, task(2), style), row(3, task(3), style)], style=style)
    )

    records = list(read_rows(data, "odd.xlsx"))

    assert [(r["code"], r["agency"]) for r in records] == [("T2", "MOF"), ("T3", "MOF")]


def test_cells_without_references_are_placed_after_the_previous_one() -> None:
    # r-less cells follow the last cell; r-less rows follow the last row (calamine's rule).
    cells = [(None, "code"), (None, "title"), ("E1", "agency"), (None, "deadline")]
    data = workbook(
        sheet(
            [
                row(None, cells, Style(rows=False)),
                row(None, [(None, "T1"), (None, "Một"), ("E2", "MOF")], Style(rows=False)),
            ]
        )
    )

    records = read_rows(data, "r.xlsx", limits=ReadLimits(max_columns=6))
    assert list(records.labels) == ["code", "title", "agency", "deadline"]
    assert [(r["code"], r["agency"]) for r in records] == [("T1", "MOF")]

    with pytest.raises(ImportFileError) as caught:
        read_rows(data, "r.xlsx", limits=ReadLimits(max_columns=5))
    assert caught.value.params == {"columns": 6, "limit": 5}  # A to F: "deadline" is in F


def test_a_register_at_the_limits_is_read() -> None:
    rows = [row(n, task(n)) for n in range(2, 101)]
    data = workbook(sheet([row(1, HEADER), *rows], dimension="A1:C100"))

    assert len(list(read_rows(data, "full.xlsx", limits=FEW_ROWS))) == 99


def test_csv_beyond_the_limits_is_refused() -> None:
    rows = "\n".join(f"T{n},Một,MOF" for n in range(150))
    with pytest.raises(ImportFileError) as caught:
        read_rows(f"code,title,agency\n{rows}\n".encode(), "t.csv", limits=FEW_ROWS)
    assert (caught.value.msg_id, caught.value.params) == (
        "import-file-too-many-rows",
        {"rows": 101, "limit": 100},
    )

    wide = ",".join(f"c{n}" for n in range(201))
    with pytest.raises(ImportFileError) as caught:
        read_rows(f"code,title,agency,{wide}\n".encode(), "t.csv")
    assert caught.value.msg_id == "import-file-too-many-columns"

    with pytest.raises(ImportFileError) as caught:
        read_rows(b"code,title,agency\n" + b"T,t,MOF\n" * (600_000), "t.csv", limits=SMALL)
    assert caught.value.msg_id == "import-file-too-large"
