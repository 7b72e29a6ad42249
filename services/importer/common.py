"""What the importer's steps share: the record shape, the columns, errors and the report."""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from functools import cache
from typing import cast

Progress = Callable[[int, int], None] | None
Record = dict[str, object]

ROW_KEY = "_row"  # a record's spreadsheet row number (header = row 1 when it is the first row)
COLUMNS = (
    "code",
    "title",
    "agency",
    "deadline",
    "status",
    "completed_on",
    "program",
    "source",
    "coordinating",
    "progress",
    "notes",
    "program_code",  # the program's short code (NQ57) beside its name in "program"
)
REQUIRED = ("code", "title", "agency")
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
LIMITS = {
    "code": 64,
    "title": 2000,
    "program": 200,
    "program_code": 16,
    "source": 2000,
    "notes": 2000,
}
TICK = 1000  # rows between progress calls


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's rows from sheet row 1, about how many, and a fresh pass over one column."""

    rows: Iterator[Sequence[object]]
    estimate: int
    column: Callable[[int], Iterator[object]] | None = None  # 0-based position -> its cells


class ImportFileError(Exception):
    """The file as a whole cannot be imported; msg_id and params go to the i18n catalog."""

    def __init__(self, msg_id: str, **params: object) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params: dict[str, object] = params


class Records:
    """A file's records, with what its header said about the columns."""

    # `labels` maps each column the header has to its text there (errors name columns as the
    # file does); the columns it lacks keep their stored values. `ignored` holds the header
    # cells that name no column, so a misspelt header shows before anything is written.
    # `estimate` is the expected number of rows, for progress. Records read from an iterator
    # (a sheet streamed from the file) can be iterated once: `materialized()` keeps a list.

    def __init__(
        self,
        records: Iterable[Record] = (),
        labels: Mapping[str, str] | None = None,
        ignored: Sequence[str] = (),
        *,
        estimate: int | None = None,
    ) -> None:
        self._records = records
        self._once = isinstance(records, Iterator)
        self._read = False
        self.labels = dict(labels or {})
        self.ignored = tuple(ignored)
        sized = len(records) if isinstance(records, Sized) else 0
        self.estimate = sized if estimate is None else estimate

    def __iter__(self) -> Iterator[Record]:
        if self._once and self._read:
            raise RuntimeError("these records stream from the file and were read already")
        self._read = True
        return iter(self._records)

    def materialized(self) -> Records:
        """The records in a list, for callers that read them more than once."""
        listed = list(self)
        return Records(listed, self.labels, self.ignored, estimate=len(listed))


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What a file may hold before it is refused unread; far beyond any real register."""

    max_rows: int = 300_000
    max_columns: int = 200
    max_unpacked_mb: int = 500  # an xlsx's parts once unzipped, and the grid calamine allocates
    memory_mb: int = 1024  # address space a child reader may add (chat uploads)
    timeout: float = 120.0  # seconds a child reader may take (chat uploads)

    @property
    def max_unpacked(self) -> int:
        """max_unpacked_mb in bytes."""
        return self.max_unpacked_mb << 20


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell (or row): 1-based spreadsheet row, the column as the file names it, why."""

    row: int
    column: str  # the file's header text; "" for the whole row or a column the file lacks
    msg_id: str
    params: dict[str, str] = field(default_factory=dict)
    key: str = ""  # the canonical column ("completed_on"), "" for the whole row


@dataclass(frozen=True, slots=True)
class ChatUpdate:
    """A field changed in chat that the file would change (services/importer/chat.py): the
    task's code, the field and both values, as the audit trail names and writes them."""

    code: str
    field: str
    chat: str | None
    file: str | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did, or would do in a dry run; all counts are 0 when a row is bad."""

    created: int
    updated: int
    unchanged: int
    errors: tuple[RowError, ...]
    dry_run: bool
    total_rows: int
    kept: tuple[str, ...] = ()  # optional columns the file lacks: stored values untouched
    ignored: tuple[str, ...] = ()  # header cells that name no column, as the file spells them
    # Units and programs the import creates, as "Tên (MÃ)": a dry run lists them first.
    new_agencies: tuple[str, ...] = ()
    new_programs: tuple[str, ...] = ()
    # The file's tasks as stored when checked (their code keys and versions): pass it back as
    # import_tasks(expect_fingerprint=...) to write only if none of them changed since.
    # Set by a dry run, and by a write given expect_fingerprint.
    fingerprint: str = field(default="", compare=False)
    stale: bool = False  # one of the file's tasks changed since the check: nothing written
    # Fields changed in chat since the previous import that the file would change: the first
    # of them by code, how many, and whether the file's values replace them (else kept).
    chat_updates: tuple[ChatUpdate, ...] = ()
    chat_update_count: int = 0
    overwrite_chat_updates: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stale


def trim_heap() -> bool:
    """Hand the pages malloc holds free back to the system; False where there is no
    malloc_trim (glibc's)."""
    # calamine's grid of a big sheet is freed once its rows are read, in many small blocks
    # between ones still in use: glibc keeps those pages, and Python never reuses them for
    # its objects (it allocates them in arenas of its own), so they would stay in the
    # import's memory until the end (about 40 MiB of a 100,000-row file).
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return cast(Callable[[int], int], ctypes.CDLL(None).malloc_trim)
    except (AttributeError, OSError):  # not glibc
        return None
