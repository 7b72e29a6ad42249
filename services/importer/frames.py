"""The messages from the child that reads a chat upload: length-prefixed JSON, cell values
that JSON has no type for tagged, everything checked on arrival (the child read a hostile file
and is not trusted)."""

from __future__ import annotations

import json
import struct
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO

from services.importer.cells import MERGED, UNEVALUATED, MergedCell, Unevaluated
from services.importer.common import COLUMNS, ROW_KEY, ImportFileError, Record

BATCH_ROWS = 1000  # rows per message, or fewer when their text is long
MAX_FRAME = 256 << 20  # bytes in one message
FRAME = struct.Struct(">I")  # each message: its length, then that much JSON


def message(frame: bytes) -> tuple[str, object]:
    """A message's kind and body: {"p": [done, total]}, {"e": error}, {"h": header},
    {"r": rows} or {"end": true}."""
    try:
        message = json.loads(frame)
    except ValueError as exc:
        raise ImportFileError("import-file-crashed") from exc
    if not isinstance(message, dict) or len(message) != 1:
        raise ImportFileError("import-file-crashed")
    ((kind, body),) = message.items()
    return str(kind), body


def ints(value: object, count: int) -> list[int]:
    """A list of `count` integers, checked."""
    if not isinstance(value, list) or len(value) != count:
        raise ImportFileError("import-file-crashed")
    if not all(type(v) is int for v in value):
        raise ImportFileError("import-file-crashed")
    return value


def reported(error: object) -> ImportFileError:
    """The child's ImportFileError, if it is one this side knows how to say."""
    if not isinstance(error, dict) or not isinstance(error.get("msg_id"), str):
        return ImportFileError("import-file-crashed")
    params = error.get("params")
    if not error["msg_id"].startswith("import-") or not isinstance(params, dict):
        return ImportFileError("import-file-crashed")
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in params.values()):
        return ImportFileError("import-file-crashed")
    return ImportFileError(error["msg_id"], **{str(k): v for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class Header:
    """What the child found in the file's header row, and how many rows it expects."""

    labels: dict[str, str]
    ignored: list[str]
    estimate: int

    @property
    def columns(self) -> tuple[str, ...]:
        """The order of a row's values: the file's columns, then its row number."""
        return (*self.labels, ROW_KEY)


def header(body: object) -> Header:
    """The header message, checked."""
    if not isinstance(body, dict):
        raise ImportFileError("import-file-crashed")
    labels, ignored, estimate = body.get("labels"), body.get("ignored"), body.get("estimate")
    if not isinstance(labels, dict) or not all(
        k in COLUMNS and isinstance(v, str) for k, v in labels.items()
    ):
        raise ImportFileError("import-file-crashed")
    if not isinstance(ignored, list) or not all(isinstance(v, str) for v in ignored):
        raise ImportFileError("import-file-crashed")
    if type(estimate) is not int:
        raise ImportFileError("import-file-crashed")
    return Header(labels, ignored, estimate)


def check_rows(frame: bytes, width: int) -> None:
    """A batch of rows, decoded once to check it: width values of the types a cell has,
    the row number last."""
    rows = _rows_of(frame)
    if type(rows) is not list:
        raise ImportFileError("import-file-crashed")
    for row in rows:
        if type(row) is not list or len(row) != width or type(row[-1]) is not int:
            raise ImportFileError("import-file-crashed")
        if not set(map(type, row)) <= _VALUES:  # no list, no object left untagged
            raise ImportFileError("import-file-crashed")


def _rows_of(frame: bytes) -> object:
    """The rows of a {"r": rows} message, tagged values decoded."""
    try:
        message = json.loads(frame, object_hook=_tagged)
    except ValueError as exc:  # JSONDecodeError, and a bad date in a tag
        raise ImportFileError("import-file-crashed") from exc
    if type(message) is not dict or message.keys() != {"r"}:
        raise ImportFileError("import-file-crashed")
    return message["r"]


class Frames:
    """The records as the child sent them, decoded a message at a time as they are read."""

    def __init__(self, columns: tuple[str, ...], frames: deque[bytes]) -> None:
        self.columns = columns
        self.frames = frames

    def __iter__(self) -> Iterator[Record]:
        columns = self.columns
        while self.frames:
            rows = _rows_of(self.frames.popleft())
            assert isinstance(rows, list)  # checked when it arrived
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                yield {c: v for c, v in record.items() if v is not None} if None in row else record


# --- values ---


def _encoded(value: object) -> object:
    if isinstance(value, MergedCell):
        return {"m": 1}
    if isinstance(value, Unevaluated):
        return {"u": 1}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"td": value.total_seconds()}
    return str(value)


def _tagged(value: dict[str, object]) -> object:
    """A JSON object as json.loads meets it: a tagged value, or the message around rows."""
    if len(value) != 1:
        raise ImportFileError("import-file-crashed")
    ((tag, inner),) = value.items()
    if tag == "r":
        return value
    decode = _TAGS.get(tag)
    if decode is None:
        raise ImportFileError("import-file-crashed")
    try:
        return decode(inner)
    except (ValueError, TypeError) as exc:
        raise ImportFileError("import-file-crashed") from exc


def _merged(_: object) -> object:
    return MERGED


def _unevaluated(_: object) -> object:
    return UNEVALUATED


def _seconds(value: object) -> timedelta:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(value)
    return timedelta(seconds=value)


def _iso(parse: Callable[[str], object]) -> Callable[[object], object]:
    """A parser of ISO text that refuses anything else."""

    def parsed(value: object) -> object:
        if not isinstance(value, str):
            raise TypeError(value)
        return parse(value)

    return parsed


_PLAIN = {str, int, float, bool, type(None)}  # what JSON carries as it is
_VALUES = _PLAIN | {MergedCell, Unevaluated, datetime, date, time, timedelta}
_TAGS: dict[str, Callable[[object], object]] = {
    "m": _merged,
    "u": _unevaluated,
    "dt": _iso(datetime.fromisoformat),
    "d": _iso(date.fromisoformat),
    "t": _iso(time.fromisoformat),
    "td": _seconds,
}


# --- writing (in the child) ---


def write(out: IO[bytes], **body: object) -> None:
    """One message, sent at once (progress, the header, an error, the end)."""
    frame = _dumps(body)
    out.write(FRAME.pack(len(frame)) + frame)
    out.flush()


def write_rows(out: IO[bytes], batch: list[list[object]]) -> None:
    """A batch of rows, halved until its message is under MAX_FRAME (long texts)."""
    frame = _dumps({"r": batch})
    if len(frame) > MAX_FRAME // 2 and len(batch) > 1:
        half = len(batch) // 2
        write_rows(out, batch[:half])
        write_rows(out, batch[half:])
        return
    out.write(FRAME.pack(len(frame)) + frame)


def row_of(record: Record, columns: tuple[str, ...]) -> list[object]:
    """A record's values in the header's order, tagged where JSON needs it."""
    row = list(map(record.get, columns))
    if not set(map(type, row)) <= _PLAIN:  # a date, a merged or unevaluated cell...
        row = [v if type(v) in _PLAIN else _encoded(v) for v in row]
    return row


def _dumps(message: object) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
