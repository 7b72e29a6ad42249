"""Every row checked before anything is written: cells, agencies, programs, duplicate codes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from services.importer.cells import (
    BadCell,
    Claim,
    Unevaluated,
    clip,
    contradiction,
    limited,
    parse_code,
    parse_date,
    parse_progress,
    parse_status,
    required,
    status_claim,
    text_of,
)
from services.importer.common import REQUIRED, ROW_KEY, TICK, RowError, trim_heap
from services.importer.lookups import Lookups, Parser, memoised
from services.importer.packed import Packed
from storage.models import Status, code_key

T = TypeVar("T")
DONE = Status.DONE.value
SHARED = 10_000  # distinct repeated values remembered (sources, notes, coordinator sets)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A validated row; an agency or `program` is an existing id or the key of one to create."""

    row: int
    code: str
    key: str  # storage.models.code_key(code): how the database tells tasks apart
    title: str
    agency: int | str
    deadline: date | None
    status: str
    completed_on: date | None
    program: int | str | None
    source: str
    coordinating: frozenset[int | str]
    progress: int | None  # None: the file leaves it empty, so 100 when done, else 0
    notes: str


PACKED_DATES = ("deadline", "completed_on")
PACKED_SHARED = ("title", "status", "source", "coordinating", "notes")

# What a new task gets for a column the file lacks (a stored task keeps its own value).
DEFAULTS: dict[str, Any] = {
    "deadline": None,
    "status": Status.OPEN.value,
    "completed_on": None,
    "program": None,
    "source": "",
    "coordinating": frozenset(),
    "progress": None,
    "notes": "",
}


@dataclass(slots=True)
class _Checker:
    """Validates rows one by one, keeping every error and the first row of each code."""

    lookups: Lookups
    labels: Mapping[str, str]  # the file's columns and their header text
    today: date | None
    errors: list[RowError] = field(default_factory=list)
    first_rows: dict[str, int] = field(default_factory=dict)
    parsers: tuple[tuple[str, Parser], ...] = field(init=False)
    program: Parser = field(init=False)  # (code, name) -> lookups.program(code, name)
    claim: Parser = field(init=False)  # status_claim, once per distinct cell
    # One object per repeated value kept in memory: a register repeats its titles (a row
    # per agency of a task), sources, notes and sets of coordinators on thousands of rows
    # (a bounded memo, so unique texts cost no more than they must).
    shared: dict[object, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lookups = self.lookups
        parsers = (
            ("code", parse_code),
            ("title", lambda v: self._share(required("title", v))),
            ("agency", memoised(lookups.lead)),
            ("deadline", memoised(parse_date)),
            ("status", memoised(parse_status)),
            ("completed_on", memoised(parse_date)),
            ("program", lambda v: limited("program", v)),
            ("program_code", memoised(lookups.program_code)),
            ("source", lambda v: self._share(limited("source", v))),
            ("coordinating", memoised(lookups.coordinating)),
            ("progress", memoised(parse_progress)),
            ("notes", lambda v: self._share(limited("notes", v))),
        )
        # Memoised too: folding a name costs more than the rest of a row's checks.
        self.program = memoised(lambda pair: lookups.program(*cast(tuple[str, str], pair)))
        self.claim = memoised(status_claim)
        # Required columns are always there (read_rows refuses a header without them).
        self.parsers = tuple((c, p) for c, p in parsers if c in self.labels or c in REQUIRED)

    def check(self, record: Mapping[str, object], row: int) -> TaskRow | None:
        """The validated task, or None after recording the row's errors."""
        found = len(self.errors)
        values: dict[str, Any] = {}
        for column, parse in self.parsers:
            value = record.get(column)
            if isinstance(value, Unevaluated):
                self.error(row, column, "import-err-unevaluated")
                continue
            try:
                values[column] = parse(value)
            except BadCell as bad:
                self.error(row, column, bad.msg_id, bad.params)
        self._program(values, row)
        self._claim(record.get("status"), values, row)
        key = code_key(values["code"]) if "code" in values else ""
        self._completion(values, row)
        self._duplicate(values, key, row)
        if len(self.errors) > found:
            return None
        values = DEFAULTS | values
        if values["agency"] in values["coordinating"]:  # the lead does not coordinate itself
            values["coordinating"] = self._share(values["coordinating"] - {values["agency"]})
        return TaskRow(row=row, key=key, **values)

    def _share(self, value: T) -> T:
        if len(self.shared) < SHARED:
            return cast(T, self.shared.setdefault(value, value))
        return cast(T, self.shared.get(value, value))

    def error(
        self, row: int, column: str, msg_id: str, params: dict[str, str] | None = None
    ) -> None:
        """Record an error, naming the column as the file's header does."""
        label = self.labels.get(column, "")
        self.errors.append(RowError(row, label, msg_id, params or {}, column))

    def _completion(self, values: dict[str, Any], row: int) -> None:
        """The completion date against the row's status, and never after today."""
        # A status the file lacks is checked against the stored one, when writing.
        if "completed_on" in self.labels and "completed_on" not in values:
            return  # a bad date, already reported
        completed = values.get("completed_on")
        status = values.get("status")  # None: no status column, or a bad status
        if status == DONE and completed is None:
            if "completed_on" in self.labels:  # else the stored date may do: see write.py
                self.error(row, "completed_on", "import-err-completed-required")
        elif status is not None and status != DONE and completed is not None:
            self.error(row, "completed_on", "import-err-completed-not-done")
        elif completed is not None and self.today is not None and completed > self.today:
            self.error(row, "completed_on", "import-err-completed-future")

    def _program(self, values: dict[str, Any], row: int) -> None:
        """The program that the row's program and program_code cells name together."""
        has_code, has_name = "program_code" in self.labels, "program" in self.labels
        if not (has_code or has_name):
            return
        code, name = values.pop("program_code", None), values.pop("program", None)
        if (has_code and code is None) or (has_name and name is None):
            return  # a bad cell, already reported
        try:
            values["program"] = self.program((code or "", name or ""))
        except BadCell as bad:
            self.error(row, "program_code" if has_code else "program", bad.msg_id, bad.params)

    def _claim(self, cell: object, values: dict[str, Any], row: int) -> None:
        """A status word that says more than the status must agree with the row's dates."""
        claim = cast(Claim | None, self.claim(cell)) if "status" in values else None
        if claim is None or "deadline" not in self.labels or "deadline" not in values:
            return  # no claim, a bad cell, or no deadline in the file to check it against
        deadline, completed = values["deadline"], values.get("completed_on")
        msg_id = contradiction(claim, deadline=deadline, completed_on=completed, today=self.today)
        if msg_id is not None:
            params = {"value": clip(text_of(cell)), "deadline": _day(deadline)}
            params["completed_on"] = _day(completed)
            self.error(row, "status", msg_id, params)

    def _duplicate(self, values: dict[str, Any], key: str, row: int) -> None:
        """A code already seen on an earlier row, in any letter case or composition."""
        # The database keeps one task per code_key: D-1 and d-1 are the same task.
        if "code" in values:
            first = self.first_rows.setdefault(key, row)
            if first != row:
                params = {"value": clip(values["code"]), "first_row": str(first)}
                self.error(row, "code", "import-err-duplicate-code", params)


def _day(value: date | None) -> str:
    """A date as the register writes it, for an error's text."""
    return value.strftime("%d/%m/%Y") if value else ""


async def validate(
    records: Iterable[Mapping[str, object]],
    lookups: Lookups,
    tick: Callable[[int], None] | None,
    *,
    labels: Mapping[str, str],
    today: date | None,
) -> tuple[list[TaskRow], list[RowError], int]:
    """The valid rows as tasks (defaults for the columns not in `labels`), every error, and
    how many records there were; reads `records` once, keeping none of them."""
    checker = _Checker(lookups, labels, today)
    tasks = Packed(TaskRow, dates=PACKED_DATES, shared=PACKED_SHARED)
    done = 0
    for done, record in enumerate(records, start=1):
        row = record.get(ROW_KEY)
        task = checker.check(record, row if isinstance(row, int) else done + 1)
        if checker.errors:
            tasks.clear()  # with any bad row nothing is written: only errors matter now
        elif task is not None:
            tasks.append(task)
        if done % TICK == 0:
            if tick:
                tick(done)
            await asyncio.sleep(0)  # a big import must not stall the bot's other chats
    # The records are read to their end: a sheet streamed from calamine is freed now, and
    # its pages go back before the rows are unpacked.
    trim_heap()
    return tasks.unpack(), checker.errors, done
