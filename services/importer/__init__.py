"""The secretariat's task spreadsheet (.csv, .xlsx): read, validate every row, upsert in bulk."""

# read_rows (read.py, xlsx.py) turns file bytes into records; import_tasks (write.py) checks
# them all (validate.py, cells.py) and writes only when every row is good.

from services.importer.cells import STATUS_WORDS, parse_date, parse_progress, parse_status
from services.importer.common import (
    COLUMNS,
    LIMITS,
    OPTIONAL,
    REQUIRED,
    ROW_KEY,
    ImportFileError,
    ImportReport,
    Progress,
    Record,
    Records,
    RowError,
)
from services.importer.read import HEADER_NAMES, read_rows
from services.importer.write import import_tasks

__all__ = [
    "COLUMNS",
    "HEADER_NAMES",
    "LIMITS",
    "OPTIONAL",
    "REQUIRED",
    "ROW_KEY",
    "STATUS_WORDS",
    "ImportFileError",
    "ImportReport",
    "Progress",
    "Record",
    "Records",
    "RowError",
    "import_tasks",
    "parse_date",
    "parse_progress",
    "parse_status",
    "read_rows",
]
