"""An xlsx checked before calamine reads a byte of it: its zip parts, their real unpacked sizes,
the grid each sheet spans and its longest texts (a 5 KB file once took the bot down)."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from collections.abc import Iterator

from services.importer.common import ImportFileError, ReadLimits
from services.importer.xml_scan import Grid, Strings

MAX_PARTS = 10_000  # zip members; a workbook has a few dozen
MAX_DIRECTORY = 4 << 20  # bytes of the zip's central directory
MAX_RATIO = 200  # unpacked / packed size of a part above RATIO_FLOOR; sheets pack about 12:1
RATIO_FLOOR = 1 << 20
CHUNK = 1 << 20  # unpacked bytes checked at a time
_END = b"PK\x05\x06"  # end of central directory record
_LOCAL = b"PK\x03\x04"  # local file header


def check_xlsx(data: bytes, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts, sheets or strings would make calamine allocate too much."""
    parts = _parts(data)
    names = [part.filename for part in parts]
    # calamine reads a zip with xl/workbook.xml as xlsx; an xlsb or a duplicated part name
    # could make it read other bytes than the ones checked here.
    if len(set(names)) != len(names) or "xl/workbook.xml" not in names:
        raise ImportFileError("import-file-unreadable")
    if "xl/workbook.bin" in names:
        raise ImportFileError("import-file-unreadable")
    declared = sum(part.file_size for part in parts)
    if declared > limits.max_unpacked:
        raise ImportFileError(
            "import-file-too-large", size=declared >> 20, limit=limits.max_unpacked_mb
        )
    for part in parts:
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ImportFileError("import-file-zip-bomb", ratio=ratio, limit=MAX_RATIO)
    for part in parts:
        _scan(data, part, limits)


def _parts(data: bytes) -> list[zipfile.ZipInfo]:
    """The zip's members, after checking how many the archive says it has."""
    end = data.rfind(_END, max(0, len(data) - (1 << 16) - 22))
    if end < 0 or len(data) < end + 22:
        raise ImportFileError("import-file-unreadable")
    # zipfile reads every directory entry up front: count them before it does.
    entries, directory = struct.unpack("<HI", data[end + 10 : end + 16])
    if entries > MAX_PARTS or directory > MAX_DIRECTORY:
        raise ImportFileError("import-file-too-many-parts", count=entries, limit=MAX_PARTS)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ImportFileError("import-file-unreadable") from exc
    if len(parts) > MAX_PARTS:
        raise ImportFileError("import-file-too-many-parts", count=len(parts), limit=MAX_PARTS)
    return parts


def _scan(data: bytes, part: zipfile.ZipInfo, limits: ReadLimits) -> None:
    """Unpack one part chunk by chunk through the grid and string checks."""
    # Every part, whatever its name or first bytes: calamine reads a sheet from wherever the
    # workbook's relationships point, skips bytes before the root element, and takes a
    # shared-string count from an <sst> tag anywhere in its part.
    chunks = _unpacked(data, part)
    first = next(chunks, b"")
    looks_like_xml = first.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    grid, strings = Grid(limits, text=looks_like_xml), Strings(limits)
    for chunk in itertools.chain([first], chunks):
        grid.feed(chunk)
        strings.feed(chunk)


def _unpacked(data: bytes, part: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, inflated here from the packed data: a size in the zip's directory can
    lie, and what is unpacked beyond it refuses the file."""
    if part.flag_bits & 0x1:  # encrypted
        raise ImportFileError("import-file-unreadable")
    start = _data_start(data, part)
    packed = memoryview(data)[start : start + part.compress_size]
    if len(packed) < part.compress_size:
        raise ImportFileError("import-file-unreadable")
    if part.compress_type == zipfile.ZIP_STORED:
        chunks: Iterator[bytes] = (
            bytes(packed[i : i + CHUNK]) for i in range(0, len(packed), CHUNK)
        )
    elif part.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflated(packed)
    else:  # Excel writes only these two; calamine may read others we cannot check
        raise ImportFileError("import-file-unreadable")
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > part.file_size:
            raise ImportFileError("import-file-unreadable")
        yield chunk
    if size != part.file_size:
        raise ImportFileError("import-file-unreadable")


def _inflated(packed: memoryview) -> Iterator[bytes]:
    """Raw deflate data, unpacked at most CHUNK bytes at a time."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for i in range(0, len(packed), CHUNK >> 2):
            pending = bytes(packed[i : i + (CHUNK >> 2)])
            while pending and not inflater.eof:
                chunk = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                if chunk:
                    yield chunk
    except zlib.error as exc:
        raise ImportFileError("import-file-unreadable") from exc
    if not inflater.eof:
        raise ImportFileError("import-file-unreadable")


def _data_start(data: bytes, part: zipfile.ZipInfo) -> int:
    """Where a part's packed bytes begin, after its local header."""
    offset = part.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or not header.startswith(_LOCAL):
        raise ImportFileError("import-file-unreadable")
    name, extra = struct.unpack("<HH", header[26:30])
    return int(offset + 30 + name + extra)
