"""A csv file's bytes as rows: the encoding told apart from damage, unclosed quotes caught."""

from __future__ import annotations

import csv
import io
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from services.importer.cells import clip
from services.importer.common import ImportFileError, ReadLimits

# What Windows-1258 Vietnamese has and Latin-1 text has not: ă đ ơ ư, and the tone marks that
# Excel writes as separate combining characters.
_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u0300\u0301\u0303\u0309\u0323]")
VIETNAMESE_SHARE = 0.25  # of the non-ASCII characters, at least

_FIELD_LIMIT = threading.Lock()


def decode(data: bytes) -> str:
    """The text of a csv file: UTF-8, or Windows-1258 when that is plausibly what it is."""
    if b"\x00" in data:  # a binary file, even when it happens to decode
        raise ImportFileError("import-file-unreadable")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    # Excel's "CSV (Comma delimited)" on a Vietnamese Windows writes Windows-1258, where most
    # accents are separate combining marks: NFC puts them back on their letters. A UTF-8 file
    # with a damaged byte is not that: read as Windows-1258 it would be stored garbled.
    text = _windows_1258(data)
    if text is not None:
        return text
    start = data.rfind(b"\n", 0, bad) + 1
    end = data.find(b"\n", bad)
    line = data[start : end if end >= 0 else len(data)]
    try:
        sample = line.decode("cp1258")
    except UnicodeDecodeError:
        sample = line.decode("utf-8", "replace")
    sample = clip(" ".join(unicodedata.normalize("NFC", sample).split()))
    number = data.count(b"\n", 0, bad) + 1
    raise ImportFileError("import-file-bad-encoding", line=number, sample=sample)


def _windows_1258(data: bytes) -> str | None:
    """The text as Windows-1258 if UTF-8 fails more often than it works and the text reads as
    Vietnamese; None otherwise."""
    try:
        text = data.decode("cp1258")  # undefined bytes (0x81, 0x8A...) fail here
    except UnicodeDecodeError:
        return None
    utf8 = data.decode("utf-8", "replace")
    invalid = utf8.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(utf8) - len(utf8.encode("ascii", "ignore")) - utf8.count("\ufffd")
    if invalid <= valid:
        return None
    foreign = len(text) - len(text.encode("ascii", "ignore"))
    vietnamese = len(_VIETNAMESE.findall(text))
    if not vietnamese or vietnamese < VIETNAMESE_SHARE * foreign:
        return None
    return unicodedata.normalize("NFC", text)


@contextmanager
def field_limit(size: int) -> Iterator[None]:
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


class _Lines:
    """The text's lines for csv.reader, keeping those of the record being read."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.taken: list[str] = []
        self.number = 0  # lines read so far
        self.left = len(text)  # characters not read yet

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.taken.append(line)
        self.number += 1
        self.left -= len(line)
        return line


def rows(text: str, limits: ReadLimits) -> Iterator[list[str]]:
    """The csv records, refusing a quote left open (call inside field_limit)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)  # Excel in a Vietnamese locale saves with ';'
    shape = max(first.count(delimiter), 2)  # a row's delimiters; a header has 3 columns
    lines = _Lines(text)
    count = 0
    try:
        for cells in csv.reader(lines, delimiter=delimiter):
            taken, lines.taken = lines.taken, []
            if _quote_left_open(taken, delimiter, shape, at_end=not lines.left):
                raise ImportFileError(
                    "import-file-unclosed-quote", line=lines.number - len(taken) + 1
                )
            count += 1
            if count > limits.max_rows:
                raise ImportFileError(
                    "import-file-too-many-rows", rows=count, limit=limits.max_rows
                )
            if len(cells) > limits.max_columns:
                raise ImportFileError(
                    "import-file-too-many-columns", columns=len(cells), limit=limits.max_columns
                )
            yield cells
    except csv.Error as exc:
        raise ImportFileError("import-file-unreadable") from exc


def _quote_left_open(lines: list[str], delimiter: str, shape: int, *, at_end: bool) -> bool:
    """Whether a quoted cell of this record swallowed the rows after it: csv keeps such a
    cell without a word, to the next quote in the file or to its end."""
    if at_end and _open_quote(lines, delimiter):
        return True
    if len(lines) < 2:
        return False
    # Inside the cell: the lines after the first, the last one up to the quote that closed it.
    inside = [*lines[1:-1], _before_closing_quote(lines[-1])]
    return any(line.count(delimiter) >= shape for line in inside)


def _before_closing_quote(line: str) -> str:
    """The start of a quoted cell's last line, up to its closing quote."""
    pos = line.find('"')
    while pos >= 0 and line[pos + 1 : pos + 2] == '"':  # an escaped quote
        pos = line.find('"', pos + 2)
    return line if pos < 0 else line[:pos]


def _open_quote(lines: list[str], delimiter: str) -> bool:
    """Whether the record's text ends inside a quoted cell."""
    quoted, at_start = False, True
    text = "".join(lines)
    pos = 0
    while pos < len(text):
        char = text[pos]
        if quoted and char == '"':
            if text[pos + 1 : pos + 2] == '"':
                pos += 1  # an escaped quote
            else:
                quoted = False
        elif at_start and char == '"':
            quoted = True
        at_start = not quoted and char in (delimiter, "\n", "\r")
        pos += 1
    return quoted
