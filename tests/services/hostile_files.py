"""Spreadsheets built byte by byte: hostile ones (a few KB that would unpack or allocate
gigabytes) and odd but honest ones, written with zipfile so that memory stays flat."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MB = 1 << 20

Body = bytes | Iterable[bytes]  # a part's content, or its chunks (never all in memory)


def workbook(
    sheet: Body,
    *,
    strings: Body | None = None,
    extra: dict[str, Body] | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An xlsx with one sheet (and shared strings, and other parts, if given)."""
    overrides = f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts: dict[str, Body] = {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{BOOK_TYPE}"/>'
            f"{overrides}</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">{rels}'
            "</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    parts.update(extra or {})
    return zipped(parts, method=method)


def zipped(parts: dict[str, Body], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of these parts, each written chunk by chunk."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            with archive.open(info, "w", force_zip64=False) as part:
                for chunk in [body] if isinstance(body, bytes) else body:
                    part.write(chunk)
    return out.getvalue()


@dataclass(frozen=True)
class Style:
    """How a program might write the sheet's XML: all of these are valid OOXML."""

    prefix: str = ""  # "x:" for a namespace prefix on every tag
    quote: str = '"'
    space: str = " "  # between a tag's name and its first attribute
    refs: bool = True  # cells carry r="A1"
    rows: bool = True  # rows carry r="1"
    lower: bool = False  # r="a1"
    zeros: bool = False  # r="A0001"
    style_first: bool = False  # <c s="0" r="A1">

    def ref(self, ref: str) -> str:
        """A reference as this style writes it."""
        letters = ref.rstrip("0123456789")
        number = ref[len(letters) :]
        letters = letters.lower() if self.lower else letters
        return letters + (number.zfill(8) if self.zeros else number)


STYLES = {
    "excel": Style(),
    "prefixed": Style(prefix="x:"),
    "single-quotes": Style(quote="'"),
    "newline-after-name": Style(space="\n"),
    "lowercase-refs": Style(lower=True),
    "leading-zeros": Style(zeros=True),
    "style-attribute-first": Style(style_first=True),
    "rows-without-r": Style(rows=False),
}


def sheet(rows: Iterable[str], *, style: Style = Style(), dimension: str | None = None) -> bytes:
    """A worksheet part around rows already written by row()."""
    p = style.prefix
    xmlns = f'xmlns:x="{MAIN}"' if p else f'xmlns="{MAIN}"'
    q = style.quote
    dim = f"<{p}dimension ref={q}{dimension}{q}/>" if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}<{p}sheetData>'
    return (head + "".join(rows) + f"</{p}sheetData></{p}worksheet>").encode()


def row(
    number: int | None, cells: Iterable[tuple[str | None, object]], style: Style = Style()
) -> str:
    """A <row> of (reference or None, value) cells: text inline, numbers as <v>."""
    p, q, sp = style.prefix, style.quote, style.space
    attrs = f"{sp}r={q}{number}{q}" if number is not None and style.rows else ""
    body = []
    for ref, value in cells:
        r = f"r={q}{style.ref(ref)}{q}" if ref is not None and style.refs else ""
        first = f"s={q}0{q}" if style.style_first else ""
        both = " ".join(a for a in (first, r) if a)
        attributes = f"{sp}{both}" if both else ""
        if isinstance(value, str):
            text = f"<{p}is><{p}t>{value}</{p}t></{p}is>"
            body.append(f"<{p}c{attributes} t={q}inlineStr{q}>{text}</{p}c>")
        else:
            body.append(f"<{p}c{attributes}><{p}v>{value}</{p}v></{p}c>")
    return f"<{p}row{attrs}>{''.join(body)}</{p}row>"


HEADER = [("A1", "code"), ("B1", "title"), ("C1", "agency")]


def task(number: int) -> list[tuple[str | None, object]]:
    """A good task row's cells at sheet row `number`."""
    return [(f"A{number}", f"T{number}"), (f"B{number}", "Số hóa"), (f"C{number}", "MOF")]


def far_cell(ref: str, style: Style = Style()) -> bytes:
    """A register whose one extra cell sits at `ref` (XFD1048576: 5 KB, 512 GB for calamine)."""
    number = int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = [row(1, HEADER, style), row(2, task(2), style), row(number, [(ref, 1)], style)]
    return workbook(sheet(rows, style=style))


def zeros(size: int, chunk: int = MB) -> Iterator[bytes]:
    """`size` bytes of "0", a chunk at a time: packs about 1000:1."""
    for start in range(0, size, chunk):
        yield b"0" * min(chunk, size - start)


def text(size: int, chunk: int = MB) -> Iterator[bytes]:
    """`size` bytes of text that packs about 100:1, under the zip-bomb ratio (a long cell
    typed in Excel, not a bomb)."""
    noise = random.Random(size)
    for start in range(0, size, chunk):
        length = min(chunk, size - start)
        yield b"".join(
            b"0" * 399 + bytes([noise.randrange(97, 123)]) for _ in range(length // 400)
        ) + b"0" * (length % 400)


def padded_sheet(size: int) -> Iterator[bytes]:
    """A valid sheet part padded with an XML comment to `size` bytes."""
    yield f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield row(1, HEADER).encode()
    yield b"<!--"
    yield from zeros(size)
    yield b"--></sheetData></worksheet>"


def lying_sizes(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size recorded as `size` (local and central)."""
    # zipfile reads the directory; the local header's copy is patched too, as a forger would.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    out = bytearray(data)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        length = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + length]) == name.encode():
            struct.pack_into("<I", out, pos + 24, size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def strings_part(
    items: Iterable[bytes], *, count: int | None = None, prefix: str = ""
) -> Iterator[bytes]:
    """A shared-strings part around <si> elements already written."""
    p = prefix
    xmlns = f'xmlns:x="{MAIN}"' if p else f'xmlns="{MAIN}"'
    unique = f' uniqueCount="{count}"' if count is not None else ""
    yield f'<?xml version="1.0"?><{p}sst {xmlns}{unique}>'.encode()
    yield from items
    yield f"</{p}sst>".encode()


def long_string(size: int, *, runs: int = 1, prefix: str = "") -> Iterator[bytes]:
    """One <si> of `size` bytes of text, split in `runs` rich-text runs."""
    p = prefix
    yield f"<{p}si>".encode()
    for _ in range(runs):
        yield f"<{p}r><{p}t>".encode()
        yield from text(size // runs)
        yield f"</{p}t></{p}r>".encode()
    yield f"</{p}si>".encode()


def shared_sheet() -> bytes:
    """A sheet whose header cells are shared strings 0, 1 and 2."""
    cells = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABC"))
    data = f'<sheetData><row r="1">{cells}</row></sheetData>'
    return f'<worksheet xmlns="{MAIN}">{data}</worksheet>'.encode()


def inline_text(size: int) -> Iterator[bytes]:
    """A sheet whose one cell holds `size` bytes of inline text."""
    yield f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
    yield b'<c r="A1" t="inlineStr"><is><t>'
    yield from text(size)
    yield b"</t></is></c></row></sheetData></worksheet>"
