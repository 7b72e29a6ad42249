"""The register as a workbook: figures by agency, the overdue list, and every task in the
importer's own columns, so that the file can be edited in Excel and imported again.

Everything is read in the caller's session, which should be a snapshot
(storage.db.snapshot): the three sheets then agree with each other. Tasks are read a chunk
at a time (a primary-key range per statement, no cursor held between them) and written
into the zip as they come, in a worker thread, so memory stays flat whatever the register's
size and the event loop keeps answering meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from sqlalchemy import Executable, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import plain, render
from services import access
from services.access import Caller
from services.buckets import Summary
from services.coverage import bloc_of
from services.export.names import Names, load_names
from services.export.xlsx import Cell, Style, Styled, Workbook
from services.figures import Scope, aggregate_by_agency
from services.open_tally import NOT_DONE
from storage.bulk import among
from storage.models import Status, Task, task_coordinators

CHUNK = 5000  # tasks per statement
# The task sheet's columns (services.importer.COLUMNS, in the order a secretariat reads).
TASK_COLUMNS = (
    "code",
    "title",
    "agency",
    "coordinating",
    "deadline",
    "status",
    "completed_on",
    "progress",
    "program",
    "program_code",
    "source",
    "notes",
)
TASK_WIDTHS = (14, 60, 28, 28, 12, 16, 14, 10, 28, 12, 24, 30)
SUMMARY_HEADS = (
    "number", "code", "agency", "total", "done-on-time", "done-late", "on-schedule",
    "overdue", "routine", "completed", "rate",
)  # fmt: skip
SUMMARY_WIDTHS = (6, 10, 40, 10, 13, 13, 13, 10, 12, 13, 12)
OVERDUE_HEADS = (
    "number", "code", "overdue-task", "lead", "deadline", "days-late", "progress", "program",
)  # fmt: skip
OVERDUE_WIDTHS = (6, 14, 60, 28, 12, 10, 10, 28)
HEADER_ROW = 4  # of the summary and overdue sheets: a title and the date above it
BLOC_LABELS = {"central": "split-central", "local": "split-local", "other": "split-other"}
DATE_FORMATS = {"vi": "dd/mm/yyyy", "en": "yyyy-mm-dd"}


@dataclass(frozen=True, slots=True)
class Exported:
    """What the file holds."""

    tasks: int
    overdue: int
    summary: Summary  # the scope's figures, as /status gives them
    scope_name: str


def _t(lang: str, msg_id: str, **data: object) -> str:
    """A catalog text as a cell holds it (plain, not HTML)."""
    return plain(render(lang, msg_id, **data))


def scope_name(lang: str, names: Names, scope: Scope) -> str:
    """What the export covers, in words: the committee, an agency, a programme, or both."""
    program = names.programs.get(scope.program_id or 0)
    if scope.agency_id is None:
        return program[0] if program else _t(lang, "export-everyone")
    agency = names.agency_name(scope.agency_id)
    if program is None:
        return agency
    return _t(lang, "export-agency-in-program", agency=agency, program=program[0])


async def export_register(
    session: AsyncSession,
    out: str | IO[bytes],
    *,
    caller: Caller,
    scope: Scope,
    today: date,
    lang: str,
) -> Exported:
    """Write the workbook of `scope` as of `today` into `out` (a path or a binary file)."""
    access.require_export(caller, scope)
    names = await load_names(session, lang)
    per_agency = await aggregate_by_agency(session, today=today, scope=scope)
    title = scope_name(lang, names, scope)
    book = Workbook(out, date_format=DATE_FORMATS.get(lang, DATE_FORMATS["vi"]))
    try:
        summary = _summary_sheet(book, lang, names, per_agency, title, today)
        overdue = await _overdue_sheet(session, book, lang, names, scope, title, today)
        tasks = await _task_sheet(session, book, lang, names, scope)
        await asyncio.to_thread(book.close)
    except BaseException:
        book.abandon()
        raise
    return Exported(tasks, overdue, summary, title)


def _head(lang: str, keys: Sequence[str]) -> list[Cell]:
    return [Styled(_t(lang, f"export-head-{key}"), Style.HEADER) for key in keys]


def _figures(summary: Summary, *, bold: bool = False) -> list[Cell]:
    """Total, the five buckets, completed and the completion rate (as /status rounds it)."""
    counts = (
        summary.total,
        summary.done_on_time,
        summary.done_late,
        summary.on_schedule,
        summary.overdue,
        summary.routine,
        summary.completed,
    )
    rate = summary.completion / 100
    if bold:
        return [*(Styled(n, Style.BOLD) for n in counts), Styled(rate, Style.BOLD_PERCENT)]
    return [*counts, Styled(rate, Style.PERCENT)]


def _summary_sheet(
    book: Workbook,
    lang: str,
    names: Names,
    per_agency: dict[int, Summary],
    title: str,
    today: date,
) -> Summary:
    """One row per agency leading tasks in scope, in the committee's order; then the blocs
    and the total. The tab the file opens on."""
    sheet = book.sheet(
        _t(lang, "export-sheet-summary"), SUMMARY_WIDTHS, header_row=HEADER_ROW, active=True
    )
    sheet.add([Styled(_t(lang, "export-summary-title", scope=title), Style.TITLE)])
    sheet.add([_t(lang, "export-as-of", today=today)])
    sheet.add([])
    sheet.add(_head(lang, SUMMARY_HEADS))
    blocs: dict[str, Summary] = {}
    number = 0
    for agency_id, unit in names.agencies.items():
        summary = per_agency.get(agency_id)
        if summary is None or not summary.total:
            continue
        number += 1
        sheet.add([number, unit.code, unit.name, *_figures(summary)])
        bloc = bloc_of(unit.kind)
        blocs[bloc] = blocs.get(bloc, Summary()) + summary
    sheet.add([])
    for bloc, msg_id in BLOC_LABELS.items():
        if bloc in blocs or bloc != "other":  # "other units" only when there are some
            figures = _figures(blocs.get(bloc, Summary()))
            sheet.add([None, None, Styled(_t(lang, msg_id), Style.BOLD), *figures])
    total = sum(blocs.values(), Summary())
    label = Styled(_t(lang, "export-all-agencies"), Style.BOLD)
    sheet.add([None, None, label, *_figures(total, bold=True)])
    return total


async def _overdue_sheet(
    session: AsyncSession,
    book: Workbook,
    lang: str,
    names: Names,
    scope: Scope,
    title: str,
    today: date,
) -> int:
    """The open tasks past their deadline, most overdue first."""
    sheet = book.sheet(
        _t(lang, "export-sheet-overdue"), OVERDUE_WIDTHS, header_row=HEADER_ROW, filtered=True
    )
    sheet.add([Styled(_t(lang, "export-overdue-title", scope=title), Style.TITLE)])
    sheet.add([_t(lang, "export-as-of", today=today)])
    sheet.add([])
    sheet.add(_head(lang, OVERDUE_HEADS))
    count = 0
    async for rows in _overdue_chunks(session, scope, today):
        await asyncio.to_thread(sheet.extend, _overdue_cells(count, rows, names, today))
        count += len(rows)
    return count


def _overdue_cells(
    before: int, rows: Sequence[Any], names: Names, today: date
) -> Iterator[list[Cell]]:
    """The overdue sheet's rows, numbered on from `before`."""
    programs = names.programs
    for number, (code, title, agency_id, deadline, progress, program_id) in enumerate(
        rows, before + 1
    ):
        program = programs[program_id][0] if program_id in programs else None
        name = names.agency_name(agency_id)
        yield [number, code, title, name, deadline, (today - deadline).days, progress, program]


_OVERDUE = (Task.code, Task.title, Task.lead_agency_id, Task.deadline, Task.progress)


async def _overdue_chunks(
    session: AsyncSession, scope: Scope, today: date
) -> AsyncIterator[Sequence[Any]]:
    """Overdue tasks by (deadline, code), a chunk at a time (the open-deadline index)."""
    where = [*scope.where(), NOT_DONE, Task.deadline < today]
    after: tuple[date, str] | None = None
    while True:
        query = select(*_OVERDUE, Task.program_id).where(*where)
        if after is not None:
            query = query.where(tuple_(Task.deadline, Task.code) > tuple_(*after))
        rows = await _all(session, query.order_by(Task.deadline, Task.code).limit(CHUNK))
        if not rows:
            return
        yield rows
        after = (rows[-1].deadline, rows[-1].code)


_TASK = (
    Task.id,
    Task.code,
    Task.title,
    Task.lead_agency_id,
    Task.deadline,
    Task.status,
    Task.completed_on,
    Task.progress,
    Task.program_id,
    Task.source,
    Task.notes,
)


async def _task_sheet(
    session: AsyncSession, book: Workbook, lang: str, names: Names, scope: Scope
) -> int:
    """Every task in scope, in the order they were added (the register's own order), under
    headers the importer reads back as its columns."""
    sheet = book.sheet(_t(lang, "export-sheet-tasks"), TASK_WIDTHS, filtered=True)
    sheet.add([Styled(_t(lang, f"export-col-{c}"), Style.HEADER) for c in TASK_COLUMNS])
    words = {s.value: _t(lang, f"export-status-{s.value}") for s in Status}
    count = 0
    async for rows, coordinators in _task_chunks(session, scope):
        cells = _task_cells(rows, coordinators, names, words)
        await asyncio.to_thread(sheet.extend, cells)
        count += len(rows)
    return count


def _task_cells(
    rows: Sequence[Any],
    coordinators: dict[int, list[int]],
    names: Names,
    words: dict[str, str],
) -> Iterator[list[Cell]]:
    """Tasks as the importer reads them back: empty text as an empty cell, dates as dates,
    progress as a number."""
    agencies, programs = names.agency_cells, names.program_cells
    for task_id, code, title, agency_id, deadline, status, completed_on, progress, *rest in rows:
        program_id, source, notes = rest
        coordinating = coordinators.get(task_id)
        # In the committee's order (agency ids follow it), as the file had them or not.
        listed = "; ".join(agencies[a] for a in sorted(coordinating)) if coordinating else None
        program, program_code = programs.get(program_id, (None, None))
        yield [
            code,
            title,
            agencies[agency_id],
            listed,
            deadline,
            words.get(status, status),
            completed_on,
            progress,
            program,
            program_code,
            source,
            notes,
        ]


async def _task_chunks(
    session: AsyncSession, scope: Scope
) -> AsyncIterator[tuple[Sequence[Any], dict[int, list[int]]]]:
    """Tasks by id, a chunk at a time, with each one's coordinating agencies."""
    dialect = session.get_bind().dialect.name
    last = 0
    while True:
        query = select(*_TASK).where(*scope.where(), Task.id > last)
        rows = await _all(session, query.order_by(Task.id).limit(CHUNK))
        if not rows:
            return
        ids = [row[0] for row in rows]
        coordinators: dict[int, list[int]] = {}
        pairs = select(task_coordinators.c.task_id, task_coordinators.c.agency_id).where(
            among(task_coordinators.c.task_id, ids, dialect)
        )
        for task_id, agency_id in await _all(session, pairs):
            coordinators.setdefault(task_id, []).append(agency_id)
        yield rows, coordinators
        last = ids[-1]


async def _all(session: AsyncSession, query: Executable) -> Sequence[Any]:
    """The rows of a Core query on the session's connection (in its transaction): the ORM
    session's result handling would cost more than the query here."""
    connection = await session.connection()
    rows: Sequence[Any] = (await connection.execute(query)).all()
    return rows
