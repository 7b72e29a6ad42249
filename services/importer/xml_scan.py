"""An xlsx part's XML checked one chunk at a time before calamine reads it: where its cells
would sit, how long its texts run, how many shared strings it declares. Memory stays flat."""

from __future__ import annotations

import re
from operator import itemgetter

from services.importer.common import ImportFileError, ReadLimits
from services.importer.refs import column_index, stray

CELL_BYTES = 32  # calamine holds rows x columns values of 32 bytes each (measured)
STRING_BYTES = 24  # and reserves one string per shared string the part declares
MAX_TEXT = 1 << 20  # bytes of XML in one text: Excel holds at most 32,767 characters a cell
MAX_TAG = 1 << 20  # bytes in one tag: no spreadsheet program writes longer ones
MAX_MERGES = 100_000  # merged ranges in a sheet

_REFS = re.compile(rb'<c r="([A-Za-z]+)(\d+)"')  # how Excel writes a cell's reference
_ODD_CELL = re.compile(rb'<c(?! r="[A-Za-z]+\d+")')
_ROW_REFS = re.compile(rb'<row r="(\d+)"')
# A second r= on a tag (or r= written with spaces) is a chunk for the tag-by-tag pass.
_SPACED = re.compile(rb"r\s+=")
_PREFIXED = re.compile(rb":(?:c[\s>/]|row\b)")  # <x:c>, <x:row>: namespaced cells
_CELL_OR_ROW = re.compile(rb"<(?:[\w.-]+:)?(?:row|c)[\s/>]")
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(["'])(.*?)\1""", re.S)
_REF = re.compile(rb"\s*([A-Za-z]+)(\d+)\s*")
_DIMENSION = re.compile(rb"""<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)""")
_UNIQUE = re.compile(rb"""uniqueCount\s*=\s*["']\s*(\d+)""")
_SI = re.compile(rb"<(/?)(?:[\w.-]+:)?si(?=[\s/>])")
_AFTER_NAME = (b">", b" ", b"/", b"\t", b"\n", b"\r")


_first, _second = itemgetter(0), itemgetter(1)


class Grid:
    """Where a part's cells would sit in calamine's grid, refused as soon as it is too big."""

    # calamine allocates (last row - first row + 1) x (last column - first column + 1) values.
    # A <row> or <c> without r= sits right after the previous one, so positions are counted,
    # not only read. Most files write r= first on every tag: a chunk like that is checked
    # with byte counts and a few regex searches; any other goes through tag by tag.

    def __init__(self, limits: ReadLimits, *, text: bool = True) -> None:
        self.limits = limits
        self.text_runs = text  # a binary part (an image) may run long without a '<'
        self.row = -1  # 0-based row of the current <row>
        self.col = -1  # 0-based column of its last cell
        self.last_row = -1
        self.first_col = self.last_col = -1
        self.merges = 0
        self.carry = b""  # an unfinished tag at the end of the last chunk
        self.text = 0  # bytes since the last '<'
        self.declared = False

    def feed(self, chunk: bytes) -> None:
        """Check the next piece of the part."""
        if self.text_runs:
            self._text_run(chunk)
        start = 0
        if self.carry:  # finish the tag cut at the end of the last chunk, on its own
            close = chunk.find(b">")
            self.carry += chunk if close < 0 else chunk[: close + 1]
            if len(self.carry) > MAX_TAG:
                self._overlong()
            if close < 0:
                return
            tag, self.carry, start = self.carry, b"", close + 1
            self._scan(tag, 0, len(tag))
        end = len(chunk)
        cut = chunk.rfind(b"<", start)
        if cut >= 0 and chunk.find(b">", cut) < 0:
            self.carry, end = chunk[cut:], cut
        self._scan(chunk, start, end)

    def _overlong(self) -> None:
        """A tag longer than MAX_TAG: refused if it is a cell or a row, else let go (a '<'
        in an image's bytes)."""
        if _CELL_OR_ROW.match(self.carry):
            raise ImportFileError("import-file-unreadable")
        self.carry = b""

    def _scan(self, buf: bytes, start: int, end: int) -> None:
        """Check buf[start:end], which holds whole tags (copying 1 MB chunks is not free)."""
        if not self.declared:
            self._dimension(buf[start:end])
        if buf.find(b"mergeCell", start, end) >= 0:
            self.merges += buf.count(b"mergeCell ", start, end)
            self.merges += buf.count(b"mergeCell/", start, end)
        if self.merges > MAX_MERGES:
            raise ImportFileError(
                "import-file-too-many-merged", count=self.merges, limit=MAX_MERGES
            )
        if not self._fast(buf, start, end):
            self._slow(buf, start, end)

    def _text_run(self, chunk: bytes) -> None:
        """Refuse a text that runs on for more than MAX_TEXT bytes (a 2 GB cell)."""
        first = chunk.find(b"<")
        self.text += len(chunk) if first < 0 else first
        if self.text > MAX_TEXT:
            raise ImportFileError("import-file-cell-too-long", limit=MAX_TEXT >> 10)
        if first >= 0:
            self.text = len(chunk) - chunk.rfind(b"<") - 1

    def _dimension(self, buf: bytes) -> None:
        """The sheet's declared range (<dimension ref="A1:K100"/>) against the limits."""
        if found := _DIMENSION.search(buf):
            self.declared = True
            refs = [_REF.fullmatch(part) for part in found[1].split(b":")]
            if all(refs) and len(refs) <= 2:
                rows = [int(ref[2]) for ref in refs if ref]
                cols = [column_index(ref[1]) for ref in refs if ref]
                self._check(max(rows), max(cols) - min(cols) + 1)
        elif b"sheetData" in buf:
            self.declared = True  # no <dimension> before the cells: nothing declared

    def _fast(self, buf: bytes, start: int, end: int) -> bool:
        """Check a chunk whose cell and row tags all start with r="...", which is how Excel,
        LibreOffice and openpyxl write them, with a few passes over its bytes; False, with
        nothing placed, for any other chunk."""
        rows = buf.count(b'<row r="', start, end)
        if (
            rows != buf.count(b"<row", start, end)  # also <rowBreaks>: a rare chunk
            or buf.count(b"r=", start, end) != rows + buf.count(b'<c r="', start, end)
            or _SPACED.search(buf, start, end)
            or _PREFIXED.search(buf, start, end)
        ):
            return False
        last = buf.rfind(b'<c r="', start, end)
        ref = _REFS.match(buf, last, end) if last >= 0 else None
        if ref:  # rows come in order: the last cell is the bottom one...
            self.last_row = max(self.last_row, int(ref[2]) - 1)
        # ...unless a search finds one below it or outside the columns seen so far.
        search = stray(self.last_row + 1, self.first_col, self.last_col)
        found = search.search(buf, start, end)
        if found and (
            found["odd"] is not None or _ODD_CELL.search(buf, found.start(), end) is not None
        ):
            return False  # a cell tag without r= first (or <cols>, <cfRule>: rare chunks)
        if found:
            self._exact(buf, start, end)
        self._check(self.last_row + 1, self._width())
        # Where a later cell without r= would go: after the last row's last cell.
        row = buf.rfind(b'<row r="', start, end)
        if row >= 0 and (number := _ROW_REFS.match(buf, row, end)):
            self.row = int(number[1]) - 1
        if row > last:
            self.col = -1
        elif ref:
            self.col = column_index(ref[1])
        return True

    def _exact(self, buf: bytes, start: int, end: int) -> None:
        """Place every cell by its reference."""
        refs = _REFS.findall(buf, start, end)
        if refs:
            columns = [column_index(letters) for letters in set(map(_first, refs))]
            rows = max(map(int, map(_second, refs)))
            self._place(rows - 1, min(columns), max(columns))

    def _slow(self, buf: bytes, start: int, end: int) -> None:
        """Tag by tag, as calamine walks them."""
        # A tag may repeat r= (calamine keeps the last on a cell, the first on a row): every
        # value counts, so the grid holds the cell wherever calamine puts it.
        for tag in _TAG.finditer(buf, start, end):
            refs = [found[2] for found in _R.finditer(tag[2])]
            if tag[1] == b"row":
                numbers = [int(ref) for ref in refs if ref.strip().isdigit()]
                self.row = max(numbers) - 1 if numbers else self.row + 1
                self.col = -1
                continue
            cells = [cell for ref in refs if (cell := _REF.fullmatch(ref))]
            if cells:
                columns = [column_index(cell[1]) for cell in cells]
                self._place(max(int(cell[2]) for cell in cells) - 1, min(columns), max(columns))
                self.col = max(columns)
            else:  # no reference (or one calamine refuses): right after the previous cell
                self.col += 1
                self._place(self.row, self.col)

    def _place(self, row: int, col: int, last_col: int | None = None) -> None:
        """A cell at (row, col), 0-based, or cells up to last_col: the grid grows to hold it."""
        self.last_row = max(self.last_row, row)
        self.first_col = col if self.first_col < 0 else min(self.first_col, col)
        self.last_col = max(self.last_col, col if last_col is None else last_col)
        self._check(self.last_row + 1, self._width())

    def _width(self) -> int:
        return self.last_col - self.first_col + 1 if self.last_col >= 0 else 0

    def _check(self, rows: int, width: int) -> None:
        """Refuse a grid beyond the limits (rows counted from row 1, as the sheet shows)."""
        limits = self.limits
        if rows > limits.max_rows:
            raise ImportFileError("import-file-too-many-rows", rows=rows, limit=limits.max_rows)
        if width > limits.max_columns:
            raise ImportFileError(
                "import-file-too-many-columns", columns=width, limit=limits.max_columns
            )
        size = rows * width * CELL_BYTES
        if size > limits.max_unpacked:
            raise ImportFileError(
                "import-file-grid-too-large",
                rows=rows,
                columns=width,
                size=size >> 20,
                limit=limits.max_unpacked_mb,
            )


class Strings:
    """A part's shared strings: how many it declares and how long each one runs."""

    # calamine reserves room for the declared uniqueCount before reading a string, and holds
    # each string whole: a forged count or a 2 GB string is refused here instead.

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.offset = 0  # bytes of the part before the current chunk
        self.opened = -1  # offset of the <si> being read, -1 outside one
        self.tail = b""  # the end of the last chunk, for an attribute cut in two

    def feed(self, chunk: bytes) -> None:
        """Check the next piece of the part."""
        self._declared(self.tail + chunk)
        self.tail = chunk[-256:]
        if b":si" in chunk:  # a namespace prefix: rare, and slower to find
            spans = [(bool(m[1]), m.start()) for m in _SI.finditer(chunk)]
        else:
            spans = self._plain(chunk)
        for closing, pos in spans:
            if self.opened >= 0:
                self._check(self.offset + pos - self.opened)
            self.opened = -1 if closing else self.offset + pos
        self.offset += len(chunk)
        if self.opened >= 0:
            self._check(self.offset - self.opened)

    @staticmethod
    def _plain(chunk: bytes) -> list[tuple[bool, int]]:
        """Where <si> elements open and close, without a namespace prefix (the usual case)."""
        marks: list[tuple[bool, int]] = []
        for closing, mark in ((False, b"<si"), (True, b"</si")):
            pos = chunk.find(mark)
            while pos >= 0:
                end = pos + len(mark)
                if chunk[end : end + 1] in _AFTER_NAME:
                    marks.append((closing, pos))
                pos = chunk.find(mark, pos + 1)
        return sorted(marks, key=lambda mark: mark[1])

    def _declared(self, window: bytes) -> None:
        """The count calamine reserves room for: every uniqueCount= seen counts (a tag that
        repeats the attribute, a count in the text), the largest one decides."""
        counts = [int(found[1]) for found in _UNIQUE.finditer(window)]
        if counts:
            size = max(counts) * STRING_BYTES
            if size > self.limits.max_unpacked:
                raise ImportFileError(
                    "import-file-too-large", size=size >> 20, limit=self.limits.max_unpacked_mb
                )

    def _check(self, span: int) -> None:
        if span > MAX_TEXT:
            raise ImportFileError("import-file-cell-too-long", limit=MAX_TEXT >> 10)
