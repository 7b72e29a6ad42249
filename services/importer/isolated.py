"""A chat upload read in a child process under hard limits: a file that still exhausts memory
or time (past every check in read_rows) ends the child, never the bot."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import deque
from dataclasses import asdict
from pathlib import Path

from services.importer import frames
from services.importer.child import EXIT_MEMORY
from services.importer.common import ImportFileError, Progress, ReadLimits, Records

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
    module = "services.importer.child"
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
    batches: deque[bytes] = deque()
    received = 0
    header: frames.Header | None = None
    while True:
        try:
            size = frames.FRAME.unpack(await stdout.readexactly(frames.FRAME.size))[0]
            received += size
            if (
                size > frames.MAX_FRAME or received > limits.max_unpacked
            ):  # what this process holds
                raise ImportFileError("import-file-crashed")
            frame = await stdout.readexactly(size)
        except asyncio.IncompleteReadError:
            return None
        kind, body = ("r", None) if frame.startswith(b'{"r":') else frames.message(frame)
        if kind == "p":
            done, total = frames.ints(body, 2)
            if progress:
                progress(done, total)
        elif kind == "e":
            raise frames.reported(body)
        elif kind == "h" and header is None:
            header = frames.header(body)
        elif kind == "r" and header is not None:
            frames.check_rows(frame, len(header.columns))
            batches.append(frame)
        elif kind == "end" and header is not None:
            rows = iter(frames.Frames(header.columns, batches))  # read once, as it is dropped
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
