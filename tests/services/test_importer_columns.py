"""Import by header: a column the file lacks keeps its stored values; errors use its names."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer import OPTIONAL, RowError, import_tasks, read_rows
from storage.models import Task
from tests.services.test_importer import HEADER, count, csv_bytes, row, run, stored, xlsx_bytes
from tests.services.test_importer_csv import cp1258
from tests.sessions import ACTOR, NOW, savepoints

NARROW = ["Mã", "Tên nhiệm vụ", "Cơ quan chủ trì"]
TODAY = date(2026, 11, 25)

# Everything filled in, so that a column wrongly reset to its default shows.
FULL = [
    HEADER,
    ["A", "Một", "MOF", "31/12/2026", "hoàn thành", "01/11/2026", "NQ57", "CV 1", "MOH",
     "90", "ghi chú"],
    ["B", "Hai", "MOH", "30/06/2026", "đang thực hiện", "", "NQ57", "CV 2", "MOF; MOJ",
     "40", ""],
]  # fmt: skip


async def _load_full(session: AsyncSession) -> dict[str, dict[str, object]]:
    assert (await run(session, csv_bytes(FULL))).created == 2
    return await stored(session)


async def test_a_file_without_optional_columns_changes_nothing(session: AsyncSession) -> None:
    before = await _load_full(session)

    report = await run(session, csv_bytes([NARROW, ["A", "Một", "MOF"], ["B", "Hai", "MOH"]]))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    # The program's code goes with its name: "program" stands for both.
    assert report.kept == tuple(c for c in OPTIONAL if c != "program_code")
    assert await stored(session) == before


async def test_an_edit_in_a_narrow_file_updates_only_its_columns(session: AsyncSession) -> None:
    before = await _load_full(session)
    data = csv_bytes(
        [[*NARROW, "Hạn"], ["A", "Một (sửa)", "MOF", "15/01/2027"], ["C", "Ba", "MOJ", ""]]
    )

    report = await run(session, data)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert "deadline" not in report.kept
    after = await stored(session)
    assert (after["A"]["title"], after["A"]["deadline"], after["A"]["version"]) == (
        "Một (sửa)", date(2027, 1, 15), 2
    )  # fmt: skip
    untouched = ("status", "completed_on", "program_id", "source", "progress", "notes")
    assert {k: after["A"][k] for k in untouched} == {k: before["A"][k] for k in untouched}
    assert after["A"]["coordinating"] == {"MOH"}
    # A new task gets the defaults: no deadline means routine, open, nothing done.
    new = after["C"]
    assert (new["deadline"], new["status"], new["completed_on"], new["progress"]) == (
        None, "open", None, 0
    )  # fmt: skip
    assert (new["program_id"], new["source"], new["notes"], new["coordinating"]) == (
        None, "", "", set()
    )  # fmt: skip


async def test_done_without_a_completion_date_column_is_refused(session: AsyncSession) -> None:
    data = csv_bytes([[*NARROW, "Trạng thái"], ["A", "Một", "MOF", "hoàn thành"]])

    report = await run(session, data)

    assert report.errors == (
        RowError(2, "Trạng thái", "import-err-completed-no-column", {}, "status"),
    )
    assert await count(session, Task) == 0


async def test_a_status_file_keeps_the_stored_completion_date(session: AsyncSession) -> None:
    before = await _load_full(session)
    data = csv_bytes([[*NARROW, "Trạng thái"], ["A", "Một", "MOF", "hoàn thành"],
                      ["B", "Hai", "MOH", "đang thực hiện"]])  # fmt: skip

    report = await run(session, data)

    assert (report.errors, report.updated, report.unchanged) == ((), 0, 2)
    assert await stored(session) == before


async def test_a_status_without_completion_dates_reopens_a_task(session: AsyncSession) -> None:
    await _load_full(session)
    data = csv_bytes([[*NARROW, "Trạng thái"], ["A", "Một", "MOF", "đang thực hiện"]])

    report = await run(session, data)

    assert report.updated == 1
    assert "completed_on" not in report.kept  # a status decides the completion date too
    task = (await stored(session))["A"]
    assert (task["status"], task["completed_on"], task["progress"]) == ("in_progress", None, 90)


async def test_completion_dates_without_statuses_follow_the_stored_status(
    session: AsyncSession,
) -> None:
    await _load_full(session)
    header = [*NARROW, "Ngày hoàn thành"]
    good = csv_bytes([header, ["A", "Một", "MOF", "05/11/2026"]])
    assert (await run(session, good)).updated == 1
    assert (await stored(session))["A"]["completed_on"] == date(2026, 11, 5)

    bad = csv_bytes([header, ["A", "Một", "MOF", ""], ["B", "Hai", "MOH", "01/11/2026"],
                     ["C", "Ba", "MOJ", "01/11/2026"]])  # fmt: skip
    report = await run(session, bad)
    assert [(e.row, e.column, e.msg_id) for e in report.errors] == [
        (2, "Ngày hoàn thành", "import-err-completed-required"),
        (3, "Ngày hoàn thành", "import-err-completed-not-done"),
        (4, "Ngày hoàn thành", "import-err-completed-not-done"),
    ]


async def test_an_empty_progress_follows_the_stored_status(session: AsyncSession) -> None:
    await _load_full(session)
    data = csv_bytes([[*NARROW, "Tiến độ"], ["A", "Một", "MOF", ""], ["B", "Hai", "MOH", ""]])

    report = await run(session, data)

    assert report.updated == 2
    tasks = await stored(session)
    assert (tasks["A"]["progress"], tasks["B"]["progress"]) == (100, 0)


@pytest.mark.parametrize(
    "deadline_header",
    ["Thời hạn thực hiện", "Hạn chót", "Thời hạn hoàn thành", "Deadline (dd/mm/yyyy)"],
)
def test_deadline_headers(deadline_header: str) -> None:
    data = csv_bytes([["Mã (bắt buộc)", "Tên nhiệm vụ", "Cơ quan chủ trì", deadline_header],
                      ["T1", "Một", "MOF", "31/12/2026"]])  # fmt: skip

    records = read_rows(data, "t.csv")

    assert next(iter(records))["deadline"] == "31/12/2026"
    assert records.labels["deadline"] == deadline_header
    assert records.labels["code"] == "Mã (bắt buộc)"


def test_unused_and_ambiguous_headers_are_listed_as_ignored() -> None:
    header = ["STT", *NARROW, "Thời gian hoàn thành", "Mã", "", "Người\nnhập"]
    records = read_rows(csv_bytes([header, ["1", "T1", "Một", "MOF", "2026-01-01"]]), "t.csv")

    assert records.ignored == ("STT", "Thời gian hoàn thành", "Mã", "Người nhập")
    assert "completed_on" not in next(iter(records))


async def test_errors_name_the_column_as_the_file_does(session: AsyncSession) -> None:
    header = [*NARROW, "Deadline (dd/mm/yyyy)"]
    report = await run(session, csv_bytes([header, ["T1", "Một", "", "31/02/2026"]]))

    assert [(e.column, e.key) for e in report.errors] == [
        ("Cơ quan chủ trì", "agency"),
        ("Deadline (dd/mm/yyyy)", "deadline"),
    ]


@pytest.mark.parametrize(
    ("completed_on", "today", "errors"),
    [
        ("26/11/2026", TODAY, ["import-err-completed-future"]),
        ("25/11/2026", TODAY, []),
        ("26/11/2026", None, []),  # a caller without a clock skips the check
    ],
)
async def test_a_completion_date_after_today_is_refused(
    session: AsyncSession, completed_on: str, today: date | None, errors: list[str]
) -> None:
    data = csv_bytes([HEADER, row(status="hoàn thành", completed_on=completed_on)])

    rows = read_rows(data, "t.csv")
    report = await import_tasks(
        savepoints(session), rows, dry_run=True, actor=ACTOR, now=NOW, today=today
    )

    assert [e.msg_id for e in report.errors] == errors
    assert all(e.column == "Ngày hoàn thành" for e in report.errors)


# --- encodings and Excel cells ------------------------------------------------------------


async def test_windows_1258_csv_reads_and_resolves(session: AsyncSession) -> None:
    text = "Mã,Tên nhiệm vụ,Cơ quan chủ trì\r\nT1,Số hóa hồ sơ,Bộ Tài chính\r\nT2,Hai,Bộ Y tế\r\n"
    data = cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    records = read_rows(data, "t.csv")
    report = await import_tasks(savepoints(session), records, dry_run=False, actor=ACTOR, now=NOW)

    assert next(iter(records))["title"] == "Số hóa hồ sơ"  # composed again, as typed
    assert report.created == 2
    tasks = await stored(session)
    assert (tasks["T1"]["lead"], tasks["T2"]["lead"]) == ("MOF", "MOH")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (46387, date(2026, 12, 31)),  # a date left in General format
        (46387.0, date(2026, 12, 31)),
        (2026, None),  # a bare year is not a date in 1905
        (46387.5, None),
    ],
)
async def test_xlsx_deadline_as_a_serial_number(
    session: AsyncSession, cell: object, expected: date | None
) -> None:
    values = row()
    values[3] = cell
    report = await run(session, xlsx_bytes([HEADER, values]), "s.xlsx", dry_run=False)

    if expected is None:
        assert [e.msg_id for e in report.errors] == ["import-err-bad-date"]
    else:
        assert report.errors == ()
        assert (await stored(session))["T1"]["deadline"] == expected
