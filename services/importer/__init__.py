"""The secretariat's task spreadsheet (.csv, .xlsx): read, validate every row, upsert in bulk."""

# read_rows (read.py, xlsx.py) turns file bytes into records; import_tasks (write.py) checks
# them all (validate.py, cells.py) and writes only when every row is good. import_tasks loads
# on first use: a chat upload is read in a child process (isolated.py) that starts faster
# without the database layer.

from typing import TYPE_CHECKING, Any

from services.importer.cells import (
    STATUS_WORDS,
    normalize_code,
    parse_date,
    parse_progress,
    parse_status,
)
from services.importer.common import (
    COLUMNS,
    LIMITS,
    OPTIONAL,
    REQUIRED,
    ROW_KEY,
    ChatUpdate,
    ImportFileError,
    ImportReport,
    Progress,
    ReadLimits,
    Record,
    Records,
    RowError,
)
from services.importer.isolated import read_rows_isolated
from services.importer.read import HEADER_NAMES, read_rows

if TYPE_CHECKING:
    from services.importer.write import import_tasks

__all__ = [
    "COLUMNS",
    "HEADER_NAMES",
    "LIMITS",
    "OPTIONAL",
    "REQUIRED",
    "ROW_KEY",
    "STATUS_WORDS",
    "ChatUpdate",
    "ImportFileError",
    "ImportReport",
    "Progress",
    "ReadLimits",
    "Record",
    "Records",
    "RowError",
    "import_tasks",
    "normalize_code",
    "parse_date",
    "parse_progress",
    "parse_status",
    "read_rows",
    "read_rows_isolated",
]


def __getattr__(name: str) -> Any:
    """import_tasks, imported when first asked for."""
    if name == "import_tasks":
        from services.importer.write import import_tasks

        return import_tasks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
