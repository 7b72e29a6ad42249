"""A small xlsx writer that streams rows into the zip: memory flat, several times openpyxl's
speed.

openpyxl's write-only mode makes a cell object per value and took about 9 s of CPU for the
1.2 million cells of a 100,000-task register (bench/bench_export.py measures it as the
floor); this writes each row's XML as one string into a deflated zip entry as it comes.
It knows only what the export needs: inline strings, numbers, dates, a few fixed styles, a
frozen header, column widths, an autofilter and the tab that opens first.

Text never becomes a formula: a cell is a formula only with an <f> element, which this never
writes, and text starting with =, +, -, @, a tab or a carriage return also gets Excel's
quote prefix, so that editing the cell in Excel keeps it text.
"""

from __future__ import annotations

import enum
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, NamedTuple
from xml.sax.saxutils import quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 of the 1900 date system (past its 1900-02-29)
FLUSH = 500  # rows joined before a write to the zip
# Deflate level: the default (6) costs twice the time for a file 10% smaller.
COMPRESSION = 1
RISKY_START = frozenset("=+-@\t\r")  # what spreadsheets read as a formula when typed


class Style(enum.IntEnum):
    """The cellXfs of STYLES, by position."""

    PLAIN = 0
    HEADER = 1  # bold, wrapped
    TEXT = 2  # quote prefix: stays text when edited
    DATE = 3
    PERCENT = 4  # 0.0%
    TITLE = 5  # bold, larger
    BOLD = 6
    BOLD_PERCENT = 7


class Styled(NamedTuple):
    """A value written with a style of its own (a header, a percentage, a total)."""

    value: str | int | float | date
    style: Style


Cell = str | int | float | date | Styled | None

_XFS = (
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"'
    ' applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
    ' applyFont="1"/>',
)
_FONT = '<font>{}<sz val="{}"/><name val="Calibri"/><family val="2"/></font>'


def styles_xml(date_format: str) -> str:
    """The stylesheet: three fonts, the two fills Excel requires, the cellXfs of Style."""
    fonts = (_FONT.format("", 11), _FONT.format("<b/>", 11), _FONT.format("<b/>", 13))
    return (
        f'{HEAD}<styleSheet xmlns="{MAIN}">'
        f'<numFmts count="2"><numFmt numFmtId="164" formatCode={quoteattr(date_format)}/>'
        '<numFmt numFmtId="165" formatCode="0.0%"/></numFmts>'
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(_XFS)}">{"".join(_XFS)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


# Characters XML 1.0 cannot hold (and a carriage return, which XML readers turn into a line
# feed) are written as Excel writes them, _xHHHH_; an underscore that would read as the
# start of such an escape is itself escaped (_x005F_), so "_x0041_" stays "_x0041_".
_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SPECIAL = re.compile(r"[&<>_\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _escape_char(match: re.Match[str]) -> str:
    return f"_x{ord(match[0]):04X}_"


def xml_text(text: str) -> str:
    """Text as the content of a <t> element: read back as exactly `text`."""
    if _SPECIAL.search(text) is None:  # nearly every cell
        return text
    text = _ESCAPE.sub(_escape_char, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def column_letter(index: int) -> str:
    """A 0-based column as Excel names it (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(ref: str, value: str, style: Style = Style.PLAIN) -> str:
    if style is Style.PLAIN and value[0] in RISKY_START:
        style = Style.TEXT
    s = f' s="{int(style)}"' if style else ""
    text = xml_text(value)
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _date(ref: str, value: date, style: Style = Style.DATE) -> str:
    return f'<c r="{ref}" s="{int(style)}"><v>{(value - EXCEL_EPOCH).days}</v></c>'


def _number(ref: str, value: float, style: Style = Style.PLAIN) -> str:
    s = f' s="{int(style)}"' if style else ""
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


def _cell(ref: str, value: Cell) -> str:
    """One <c> element, of any value (the plain types go straight to their writer)."""
    if isinstance(value, Styled):
        value, style = value
        if isinstance(value, date):
            return _date(ref, value, style)
        return _text(ref, value, style) if isinstance(value, str) else _number(ref, value, style)
    if isinstance(value, date):  # a datetime: its day
        return _date(ref, value)
    raise TypeError(f"cannot write {type(value).__name__} to a cell")


# Each row's cells are written by their exact type, the hot path of a large export.
_WRITERS: dict[type, Callable[[str, Any], str]] = {
    str: _text,
    int: _number,
    float: _number,
    date: _date,
}


@dataclass(slots=True)
class Sheet:
    """A worksheet being written: rows go straight into its zip entry."""

    name: str
    stream: IO[bytes]
    columns: int
    filtered: bool
    rows: int = 0
    _letters: list[str] = field(default_factory=list)
    _pending: list[str] = field(default_factory=list)

    def add(self, cells: Sequence[Cell]) -> None:
        """Append one row (None or "": an empty cell)."""
        self.rows += 1
        number = self.rows
        letters = self._letters
        while len(letters) < len(cells):
            letters.append(column_letter(len(letters)))
        writers = _WRITERS
        parts = [
            writers.get(type(v), _cell)(f"{letter}{number}", v)
            for letter, v in zip(letters, cells, strict=False)
            if v is not None and v != ""
        ]
        self._pending.append(f'<row r="{number}">{"".join(parts)}</row>')
        if len(self._pending) >= FLUSH:
            self._flush()

    def extend(self, rows: Iterable[Sequence[Cell]]) -> None:
        """Append rows."""
        for cells in rows:
            self.add(cells)

    def _flush(self) -> None:
        self.stream.write("".join(self._pending).encode())
        self._pending.clear()

    def close(self, header_row: int) -> str:
        """End the sheet; the autofilter's range ("" when none), for the workbook."""
        self._flush()
        self.stream.write(b"</sheetData>")
        ref = ""
        if self.filtered and self.rows >= header_row and self.columns:
            ref = f"A{header_row}:{column_letter(self.columns - 1)}{self.rows}"
            self.stream.write(f'<autoFilter ref="{ref}"/>'.encode())
        self.stream.write(b"</worksheet>")
        self.stream.close()
        return ref


@dataclass(frozen=True, slots=True)
class _Written:
    name: str
    filter_ref: str


class Workbook:
    """An xlsx written sheet after sheet into `out` (a path or a binary file)."""

    def __init__(self, out: str | IO[bytes], *, date_format: str = "dd/mm/yyyy") -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)
        self._date_format = date_format
        self._sheets: list[_Written] = []
        self._active = 0
        self._open: tuple[Sheet, int] | None = None

    def sheet(
        self,
        name: str,
        widths: Sequence[float],
        *,
        header_row: int = 1,
        active: bool = False,
        filtered: bool = False,
    ) -> Sheet:
        """Start the next sheet (the one before is ended): columns of these widths, rows
        down to `header_row` frozen; `active`: the tab the file opens on."""
        self._end_sheet()
        number = len(self._sheets) + 1
        if active:
            self._active = number - 1
        stream = self._zip.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
        selected = ' tabSelected="1"' if active else ""
        top = f"A{header_row + 1}"
        pane = (
            f'<pane ySplit="{header_row}" topLeftCell="{top}" activePane="bottomLeft"'
            f' state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        )
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        cols = f"<cols>{cols}</cols>" if cols else ""  # <cols> may not be empty
        stream.write(
            f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><sheetViews>'
            f'<sheetView workbookViewId="0"{selected}>{pane}</sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>'.encode()
        )
        sheet = Sheet(name, stream, len(widths), filtered)
        self._open = (sheet, header_row)
        return sheet

    def _end_sheet(self) -> None:
        if self._open is not None:
            sheet, header_row = self._open
            self._open = None
            self._sheets.append(_Written(sheet.name, sheet.close(header_row)))

    def close(self) -> None:
        """End the last sheet and write the workbook's own parts."""
        self._end_sheet()
        count = len(self._sheets)
        parts = {
            "[Content_Types].xml": _content_types(count),
            "_rels/.rels": _relationships([("rId1", RELS + "/officeDocument", "xl/workbook.xml")]),
            "xl/workbook.xml": self._workbook_xml(),
            "xl/_rels/workbook.xml.rels": _relationships(
                [
                    (f"rId{i}", RELS + "/worksheet", f"worksheets/sheet{i}.xml")
                    for i in range(1, count + 1)
                ]
                + [(f"rId{count + 1}", RELS + "/styles", "styles.xml")]
            ),
            "xl/styles.xml": styles_xml(self._date_format),
        }
        for name, xml in parts.items():
            self._zip.writestr(name, xml)
        self._zip.close()

    def abandon(self) -> None:
        """Close the zip after a failure (what it holds is no workbook)."""
        if self._open is not None:
            self._open[0].stream.close()
            self._open = None
        self._zip.close()

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self._sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{xml_text(_quoted(s.name))}!{_absolute(s.filter_ref)}</definedName>"
            for i, s in enumerate(self._sheets)
            if s.filter_ref
        )
        defined = f"<definedNames>{names}</definedNames>" if names else ""
        return (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
            f'<bookViews><workbookView activeTab="{self._active}"/></bookViews>'
            f"<sheets>{sheets}</sheets>{defined}</workbook>"
        )


def _quoted(sheet: str) -> str:
    """A sheet name as a formula names it: 'Nhiệm vụ' (quotes doubled inside)."""
    return "'" + sheet.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:L9 -> $A$1:$L$9."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
        for i in range(1, sheets + 1)
    )
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _relationships(rels: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'{HEAD}<Relationships xmlns="{PACKAGE_RELS}">{body}</Relationships>'
