"""The child process that reads a chat upload: `python -m services.importer.child FILENAME
LIMITS` reads the file on stdin under hard limits and writes its records to stdout."""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import IO

from services.importer import frames
from services.importer.common import ROW_KEY, ImportFileError, ReadLimits, Records
from services.importer.read import read_rows

EXIT_MEMORY = 3  # the exit code after a MemoryError that could not be reported


def main() -> None:
    """Read the file on stdin, send its records to stdout as length-prefixed JSON."""
    filename, limits = sys.argv[1], ReadLimits(**json.loads(sys.argv[2]))
    _confine(limits)
    out = sys.stdout.buffer
    try:
        data = sys.stdin.buffer.read()
        records = read_rows(
            data, filename, limits=limits, progress=lambda d, t: frames.write(out, p=[d, t])
        )
        del data
        _stream(out, records)
    except ImportFileError as exc:
        frames.write(out, e={"msg_id": exc.msg_id, "params": exc.params})
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
    frames.write(out, h=header | {"estimate": records.estimate})
    batch: list[list[object]] = []
    for record in records:
        batch.append(frames.row_of(record, columns))
        if len(batch) >= frames.BATCH_ROWS:
            frames.write_rows(out, batch)
            batch = []
    if batch:
        frames.write_rows(out, batch)
    frames.write(out, end=True)


if __name__ == "__main__":
    main()
