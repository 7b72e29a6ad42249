"""`dondoc export FILE`: the workbook, its one-line summary, scopes, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from bot.clock import Clock
from bot.settings import load_settings
from tests.bot.test_cli import _known_register, _status_json, _write, env

__all__ = ["env"]  # the fixture, used by name


@pytest.fixture
def register(env: Path) -> Path:
    today = Clock(load_settings().tz).today()
    assert main(["import", str(_write(env / "known.csv", _known_register(today)))]) == 0
    return env


def _rows(path: Path, sheet: int) -> list[tuple[object, ...]]:
    return list(load_workbook(path).worksheets[sheet].iter_rows(values_only=True))


def test_export_then_import_changes_nothing(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["export", "so-theo-doi.xlsx"]) == 0
    said = capsys.readouterr().out.strip().splitlines()
    # 13 tasks: K13 is cancelled, exported as such (and outside the summary's total).
    assert said == ["Đã xuất 13 nhiệm vụ (2 quá hạn) ra tệp so-theo-doi.xlsx"]
    assert [p.name for p in register.iterdir() if p.name.endswith(".part")] == []

    assert main(["import", "--dry-run", "so-theo-doi.xlsx"]) == 0
    assert "cập nhật 0, giữ nguyên 13" in capsys.readouterr().out


def test_the_summary_total_is_status_json(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _status_json(capsys)
    assert isinstance(expected, dict)
    assert main(["export", "x.xlsx"]) == 0
    total = _rows(register / "x.xlsx", 0)[-1]
    buckets = ("done_on_time", "done_late", "on_schedule", "overdue", "routine")
    assert total[2:9] == ("Tổng cộng", expected["total"], *(expected[b] for b in buckets))


def test_an_agency_and_a_programme_in_english(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["export", "mof.xlsx", "--agency", "bo tai chinh", "--program", "NQ57"]) == 0
    assert main(["export", "mof-en.xlsx", "--agency", "MOF", "--lang", "en"]) == 0
    assert "Exported 5 tasks (1 overdue) to mof-en.xlsx" in capsys.readouterr().out
    codes = [row[0] for row in _rows(register / "mof.xlsx", 2)[1:]]
    assert codes == ["K1", "K2", "K10", "K13"]
    header = _rows(register / "mof-en.xlsx", 2)[0]
    assert header[:3] == ("Task code", "Title", "Lead agency")


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["x.csv"], 2, "không có đuôi .xlsx"),
        (["x.xlsx", "--agency", "NQ57"], 1, "“NQ57” không phải là cơ quan"),
        (["x.xlsx", "--program", "MOF"], 1, "“MOF” không phải là chương trình"),
        (["x.xlsx", "--agency", "Bộ Không Có"], 1, "Không tìm thấy"),
        (["missing/x.xlsx"], 1, "không ghi được tệp missing/x.xlsx"),
    ],
)
def test_what_it_refuses(
    register: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, says: str
) -> None:
    capsys.readouterr()
    assert main(["export", *args]) == code
    assert says in capsys.readouterr().err
    assert not (register / "x.xlsx").exists()


def test_a_failed_export_keeps_the_file_it_would_replace(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (register / "x.xlsx").write_bytes(b"the earlier export")

    async def broken(_session: object, out: str, **_kwargs: object) -> None:
        Path(out).touch()  # noqa: ASYNC240  a test's stand-in: one tiny write
        raise RuntimeError("the database went away")

    monkeypatch.setattr("services.export.export_register", broken)
    assert main(["export", "x.xlsx"]) == 1
    assert (register / "x.xlsx").read_bytes() == b"the earlier export"
    assert [p.name for p in register.iterdir() if p.name.endswith(".part")] == []
