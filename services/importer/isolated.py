"""A chat upload read in a child process under hard limits: a file that still exhausts memory
or time (past every check in read_rows) ends the child, never the bot."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO

from services.importer.cells import MERGED, UNEVALUATED, MergedCell, Unevaluated
from services.importer.common import (
    COLUMNS,
    ROW_KEY,
    ImportFileError,
    Progress,
    ReadLimits,
    Record,
    Records,
)
from services.importer.read import read_rows

BATCH_ROWS = 1000  # rows per message from the child, or fewer when their text is long
MAX_FRAME = 256 << 20  # bytes in one message
EXIT_MEMORY = 3  # the child's exit code after a MemoryError it could not report
_FRAME = struct.Struct(">I")  # each message: its length, then that much JSON
_ROOT = Path(__file__).resolve().parents[2]  # where `services` is importable from
_STDERR_KEPT = 4096


async def read_rows_isolated(
    data: bytes, filename: str, *, limits: ReadLimits, progress: Progress = None
) -> Records:
    """read_rows in a child process: at most limits.memory_mb more memory, limits.timeout
    seconds; a crash, an abort or a timeout there is an ImportFileError here."""
    proc = await asyncio.create_subprocess_exec(
        *_command(filename, limits),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=_ROOT,
        env=_environment(),
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stderr is not None
    stderr = asyncio.create_task(_tail(proc.stderr))
    sending = asyncio.create_task(_send(proc.stdin, data))
    try:
        async with asyncio.timeout(limits.timeout):
            received = await _receive(proc.stdout, progress, limits)
            code = await proc.wait()
    except TimeoutError:
        raise ImportFileError("import-file-timeout", seconds=round(limits.timeout)) from None
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        errors = await stderr
    if received is None:
        raise _failure(code, errors, limits)
    return received


def _command(filename: str, limits: ReadLimits) -> list[str]:
    # -B: the child may not write files (bytecode caches included); -s: no user site.
    module = "services.importer.isolated"
    return [sys.executable, "-B", "-s", "-m", module, filename, json.dumps(asdict(limits))]


def _environment() -> dict[str, str]:
    """The child's environment: the parent's import path, no secrets (tokens, database)."""
    paths = [_ROOT, *(Path(p) for p in sys.path if p)]
    env = {
        "PYTHONPATH": os.pathsep.join(str(p) for p in dict.fromkeys(paths)),
        "MALLOC_ARENA_MAX": "2",  # address space for one thread's heap, not 64 MB per core
        "LANG": "C.UTF-8",
    }
    if "PATH" in os.environ:
        env["PATH"] = os.environ["PATH"]
    return env


async def _send(stdin: asyncio.StreamWriter, data: bytes) -> None:
    """The file to the child's stdin; a child that stopped reading has already failed."""
    try:
        stdin.write(data)
        await stdin.drain()
        stdin.close()
        await stdin.wait_closed()
    except (BrokenPipeError, ConnectionResetError):
        pass


async def _tail(stream: asyncio.StreamReader) -> bytes:
    """The end of the child's stderr (calamine's 'memory allocation failed', a traceback)."""
    kept = b""
    while chunk := await stream.read(1 << 16):
        kept = (kept + chunk)[-_STDERR_KEPT:]
    return kept


async def _receive(
    stdout: asyncio.StreamReader, progress: Progress, limits: ReadLimits
) -> Records | None:
    """The child's messages until its records end; None if it stopped without a word."""
    frames: deque[bytes] = deque()
    received = 0
    header: _Header | None = None
    while True:
        try:
            size = _FRAME.unpack(await stdout.readexactly(_FRAME.size))[0]
            received += size
            if size > MAX_FRAME or received > limits.max_unpacked:  # what this process holds
                raise ImportFileError("import-file-crashed")
            frame = await stdout.readexactly(size)
        except asyncio.IncompleteReadError:
            return None
        kind, body = ("r", None) if frame.startswith(b'{"r":') else _message(frame)
        if kind == "p":
            done, total = _ints(body, 2)
            if progress:
                progress(done, total)
        elif kind == "e":
            raise _reported(body)
        elif kind == "h" and header is None:
            header = _header(body)
        elif kind == "r" and header is not None:
            _check_rows(frame, len(header.columns))
            frames.append(frame)
        elif kind == "end" and header is not None:
            rows = _Frames(header.columns, frames)
            return Records(rows, header.labels, header.ignored, estimate=header.estimate)
        else:
            raise ImportFileError("import-file-crashed")


def _failure(code: int, errors: bytes, limits: ReadLimits) -> ImportFileError:
    """Why the child stopped without a word: memory, CPU time, or a crash."""
    out_of_memory = b"memory allocation of" in errors or b"MemoryError" in errors
    if code in (EXIT_MEMORY, -signal.SIGKILL) or out_of_memory:
        return ImportFileError("import-file-memory", limit=limits.memory_mb)
    if code == -signal.SIGXCPU:
        return ImportFileError("import-file-timeout", seconds=round(limits.timeout))
    return ImportFileError("import-file-crashed")


# --- what the child sends, checked: the child read a hostile file and is not trusted ---


def _message(frame: bytes) -> tuple[str, object]:
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


def _ints(value: object, count: int) -> list[int]:
    if not isinstance(value, list) or len(value) != count:
        raise ImportFileError("import-file-crashed")
    if not all(type(v) is int for v in value):
        raise ImportFileError("import-file-crashed")
    return value


def _reported(error: object) -> ImportFileError:
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
class _Header:
    labels: dict[str, str]
    ignored: list[str]
    estimate: int

    @property
    def columns(self) -> tuple[str, ...]:
        """The order of a row's values: the file's columns, then its row number."""
        return (*self.labels, ROW_KEY)


def _header(header: object) -> _Header:
    if not isinstance(header, dict):
        raise ImportFileError("import-file-crashed")
    labels, ignored, estimate = header.get("labels"), header.get("ignored"), header.get("estimate")
    if not isinstance(labels, dict) or not all(
        k in COLUMNS and isinstance(v, str) for k, v in labels.items()
    ):
        raise ImportFileError("import-file-crashed")
    if not isinstance(ignored, list) or not all(isinstance(v, str) for v in ignored):
        raise ImportFileError("import-file-crashed")
    if type(estimate) is not int:
        raise ImportFileError("import-file-crashed")
    return _Header(labels, ignored, estimate)


def _check_rows(frame: bytes, width: int) -> None:
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


class _Frames:
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


# --- value encoding: JSON, with tags for what JSON has no type for ---


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


# --- the child ---


def main() -> None:
    """Read the file on stdin, send its records to stdout as length-prefixed JSON."""
    filename, limits = sys.argv[1], ReadLimits(**json.loads(sys.argv[2]))
    _confine(limits)
    out = sys.stdout.buffer
    try:
        data = sys.stdin.buffer.read()
        records = read_rows(
            data, filename, limits=limits, progress=lambda d, t: _write(out, p=[d, t])
        )
        del data
        _stream(out, records)
    except ImportFileError as exc:
        _write(out, e={"msg_id": exc.msg_id, "params": exc.params})
    except MemoryError:
        os._exit(EXIT_MEMORY)
    out.flush()


def _confine(limits: ReadLimits) -> None:
    """Hard limits on this process: address space, CPU time, no files, no core dumps."""
    page = os.sysconf("SC_PAGE_SIZE")
    try:
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * page
    except OSError:  # not Linux: the wall-clock timeout still holds
        used = None
    if used is not None:
        space = used + (limits.memory_mb << 20)
        resource.setrlimit(resource.RLIMIT_AS, (space, space))
    seconds = int(limits.timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _stream(out: IO[bytes], records: Records) -> None:
    """The header, then the records in batches of rows (values in the header's order)."""
    columns = (*records.labels, ROW_KEY)
    header = {"labels": records.labels, "ignored": list(records.ignored)}
    _write(out, h=header | {"estimate": records.estimate})
    batch: list[list[object]] = []
    for record in records:
        row = list(map(record.get, columns))
        if not set(map(type, row)) <= _PLAIN:  # a date, a merged or unevaluated cell...
            row = [v if type(v) in _PLAIN else _encoded(v) for v in row]
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            _write_rows(out, batch)
            batch = []
    if batch:
        _write_rows(out, batch)
    _write(out, end=True)


def _write_rows(out: IO[bytes], batch: list[list[object]]) -> None:
    """A batch of rows, halved until its message is under MAX_FRAME (long texts)."""
    frame = _dumps({"r": batch})
    if len(frame) > MAX_FRAME // 2 and len(batch) > 1:
        half = len(batch) // 2
        _write_rows(out, batch[:half])
        _write_rows(out, batch[half:])
        return
    out.write(_FRAME.pack(len(frame)) + frame)


def _dumps(message: object) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def _write(out: IO[bytes], **message: object) -> None:
    frame = _dumps(message)
    out.write(_FRAME.pack(len(frame)) + frame)
    out.flush()


if __name__ == "__main__":
    main()
