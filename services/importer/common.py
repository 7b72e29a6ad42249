"""What the importer's steps share: the record shape, the columns, errors and the report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

Progress = Callable[[int, int], None] | None
Record = dict[str, object]
Sheet = tuple[Iterator[Sequence[object]], int]  # rows from sheet row 1, and about how many

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
)
REQUIRED = ("code", "title", "agency")
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
LIMITS = {"code": 64, "title": 2000, "program": 64, "source": 2000, "notes": 2000}
TICK = 1000  # rows between progress calls


class ImportFileError(Exception):
    """The file as a whole cannot be imported; msg_id and params go to the i18n catalog."""

    def __init__(self, msg_id: str, **params: object) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params: dict[str, object] = params


class Records(list[Record]):
    """A file's records, with what its header said about the columns."""

    # `labels` maps each column the header has to its text there (errors name columns as the
    # file does); the columns it lacks keep their stored values. `ignored` holds the header
    # cells that name no column, so a misspelt header shows before anything is written.

    def __init__(
        self,
        records: Iterable[Record] = (),
        labels: Mapping[str, str] | None = None,
        ignored: Sequence[str] = (),
    ) -> None:
        super().__init__(records)
        self.labels = dict(labels or {})
        self.ignored = tuple(ignored)


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell (or row): 1-based spreadsheet row, the column as the file names it, why."""

    row: int
    column: str  # the file's header text; "" for the whole row or a column the file lacks
    msg_id: str
    params: dict[str, str] = field(default_factory=dict)
    key: str = ""  # the canonical column ("completed_on"), "" for the whole row


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
    # The file's tasks as stored when checked (their code keys and versions): pass it back as
    # import_tasks(expect_fingerprint=...) to write only if none of them changed since.
    # Set by a dry run, and by a write given expect_fingerprint.
    fingerprint: str = field(default="", compare=False)
    stale: bool = False  # one of the file's tasks changed since the check: nothing written

    @property
    def ok(self) -> bool:
        return not self.errors and not self.stale
