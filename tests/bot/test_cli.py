"""The `dondoc` command line: import, status --json, settings errors."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.__main__ import main
from bot.clock import Clock
from bot.settings import load_settings
from storage.migrate import alembic_config
from storage.seed import seed_agencies

HEADER = ["code", "title", "agency", "deadline", "status", "completed_on", "program"]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh database in a scratch working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    for name in ("DONDOC_ADMINS", "DONDOC_LANGUAGE", "DONDOC_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def _known_register(today: date) -> list[list[str]]:
    """3 done on time, 2 done late, 4 on schedule (1 next year), 2 overdue, 1 routine; and 1
    cancelled, outside the total."""

    def d(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    nxt = date(today.year + 1, 1, 15).isoformat()
    return [
        ["K1", "a", "MOF", d(-10), "done", d(-11), "NQ57"],
        ["K2", "b", "Bộ Tài chính", d(-10), "hoàn thành", d(-10), "NQ57"],
        ["K3", "c", "HN", d(5), "done", d(-1), ""],
        ["K4", "d", "binh thuan", d(-10), "done", d(-5), ""],
        ["K5", "e", "MOH", d(-30), "đã hoàn thành", d(-1), "NQ57"],
        ["K6", "f", "MOH", d(0), "open", "", ""],
        ["K7", "g", "MOH", d(1), "đang thực hiện", "", ""],
        ["K8", "h", "HN", d(2), "in_progress", "", ""],
        ["K9", "i", "HN", nxt, "open", "", ""],
        ["K10", "j", "MOF", d(-1), "open", "", "NQ57"],
        ["K11", "k", "HN", d(-100), "chưa thực hiện", "", ""],
        ["K12", "l", "MOF", "", "in_progress", "", ""],
        ["K13", "m", "MOF", d(-20), "đã hủy", "", "NQ57"],
    ]


def _status_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main(["status", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_then_status_reproduces_every_count(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = Clock(load_settings().tz).today()
    if today.month == 12 and today.day > 29:  # "next year" rows would fall inside the window
        pytest.skip("known register assumes a few days left in the year")
    path = _write(env / "known.csv", _known_register(today))
    assert main(["import", str(path)]) == 0
    assert "13" in capsys.readouterr().out
    assert _status_json(capsys) == {
        "total": 12,
        "done_on_time": 3,
        "done_late": 2,
        "on_schedule": 4,
        "overdue": 2,
        "routine": 1,
        "due_by_year_end": 3,
        "cancelled": 1,
    }
    mof = _status_json(capsys, "MOF")
    assert mof == {
        "total": 4,
        "done_on_time": 2,
        "done_late": 0,
        "on_schedule": 0,
        "overdue": 1,
        "routine": 1,
        "due_by_year_end": 0,
        "cancelled": 1,
    }
    assert _status_json(capsys, "--program", "NQ57")["total"] == 4  # type: ignore[index]
    by_agency = _status_json(capsys, "--by", "agency")
    assert isinstance(by_agency, list)
    assert len(by_agency) == 56
    assert sum(row["total"] for row in by_agency) == 12
    assert next(r for r in by_agency if r["agency"] == "LDG")["done_late"] == 1


def _committee_register(today: date) -> list[list[str]]:
    """The report of the brief: 1,287 tasks, 601 done (51 late), 404 on schedule (368 due by
    31 December), 104 overdue, 178 routine; spread over the 56 agencies."""
    codes = [a.code for a in seed_agencies()]

    def d(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    year_end, next_year = date(today.year, 12, 31).isoformat(), f"{today.year + 1}-06-30"
    kinds = (
        [(d(-10), "done", d(-11))] * 550
        + [(d(-10), "đã hoàn thành", d(-2))] * 51
        + [(year_end, "đang thực hiện", "")] * 368
        + [(next_year, "open", "")] * 36
        + [(d(-3), "chưa thực hiện", "")] * 104
        + [("", "in_progress", "")] * 178
    )
    return [
        [f"R57-{n:04d}", f"Nhiệm vụ {n}", codes[n % len(codes)], deadline, status, done, ""]
        for n, (deadline, status, done) in enumerate(kinds, 1)
    ]


def test_committee_register_reproduces_the_report(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = Clock(load_settings().tz).today()
    assert main(["import", str(_write(env / "r57.csv", _committee_register(today)))]) == 0
    assert _status_json(capsys) == {
        "total": 1287,
        "done_on_time": 550,
        "done_late": 51,
        "on_schedule": 404,
        "overdue": 104,
        "routine": 178,
        "due_by_year_end": 368,
        "cancelled": 0,
    }
    by_agency = _status_json(capsys, "--by", "agency")
    assert isinstance(by_agency, list)
    assert sum(row["overdue"] for row in by_agency) == 104
    assert main(["status"]) == 0
    text = capsys.readouterr().out
    assert "Tổng số: 1.287 nhiệm vụ" in text
    assert "✅ Đã hoàn thành: 601 (46,7%), trong đó hoàn thành đúng hạn 550, " in text
    assert "⚠️ Quá hạn, chưa hoàn thành: 104 (8,1%)" in text
    # DESIGN.md's sentence, as the committees write it.
    assert (
        "📅 Trong 404 nhiệm vụ đang thực hiện trong hạn, có 368 nhiệm vụ phải hoàn thành "
        f"trước ngày 31/12/{today.year}; cùng với 104 nhiệm vụ quá hạn, năm {today.year} còn "
        "472 nhiệm vụ phải hoàn thành." in text
    )


def test_text_status_is_titled_as_the_bot_titles_it(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = Clock(load_settings().tz).today()
    assert main(["import", str(_write(env / "known.csv", _known_register(today)))]) == 0
    capsys.readouterr()
    assert main(["status", "bo tai chinh"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Bộ Tài chính (MOF) — ")
    assert lines[1].startswith("Số liệu cập nhật đến ")  # the import just made
    assert lines[2] == "Tổng số: 4 nhiệm vụ"
    assert any(line.startswith("• K10 [MOF]") for line in lines)  # its overdue task is listed
    assert "🚫 Đã hủy (không tính vào tổng số): 1 nhiệm vụ" in lines  # K13, listed nowhere
    assert not any("K13" in line for line in lines)
    assert main(["status", "NQ57", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("NQ57 — as of ")
    assert main(["status", "MOF", "--program", "NQ57"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Bộ Tài chính (MOF) — NQ57, tính đến ngày ")
    assert lines[2] == "Tổng số: 3 nhiệm vụ"


def test_reimport_is_unchanged_and_dry_run_writes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = Clock(load_settings().tz).today()
    path = _write(env / "known.csv", _known_register(today))
    assert main(["import", "--dry-run", str(path)]) == 0
    progress = capsys.readouterr().err.splitlines()
    assert "known.csv: đã đọc 100%" in progress
    assert "known.csv: đã kiểm tra 100%" in progress  # checked, not imported
    assert _status_json(capsys)["total"] == 0  # type: ignore[index]
    assert main(["import", str(path)]) == 0
    assert "known.csv: đã xử lý 100%" in capsys.readouterr().err.splitlines()
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "giữ nguyên 13" in out


def test_import_names_missing_and_ignored_columns_and_refuses_future_completion(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    narrow = env / "narrow.csv"
    narrow.write_text("code,title,agency,STT\nN1,a,MOF,1\n", encoding="utf-8")
    assert main(["import", str(narrow)]) == 0
    out = capsys.readouterr().out
    assert "Tệp không có cột: thời hạn, trạng thái" in out
    assert "Bỏ qua cột không dùng: STT." in out
    tomorrow = Clock(load_settings().tz).today() + timedelta(days=1)
    future = _write(env / "future.csv", [["F1", "a", "MOF", "", "done", tomorrow.isoformat(), ""]])
    assert main(["import", str(future)]) == 1
    assert (
        "• Dòng 2, cột completed_on: ngày hoàn thành sau ngày hôm nay" in capsys.readouterr().out
    )


def test_bad_rows_are_all_listed_and_nothing_is_written(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ["B1", "ok", "MOF", "2026-01-01", "open", "", ""],
        ["B2", "", "MOF", "2026-01-01", "open", "", ""],
        ["B3", "x", "Atlantis", "31/02/2026", "open", "", ""],
    ]
    path = _write(env / "bad.csv", rows)
    assert main(["import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Dòng 3" in out
    assert "Dòng 4" in out
    assert "Atlantis" in out
    assert _status_json(capsys)["total"] == 0  # type: ignore[index]


def test_unknown_query_is_an_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "xyzzy"]) == 1
    assert "“xyzzy”. Danh sách mã cơ quan: dondoc status --by agency" in capsys.readouterr().err
    assert main(["status", "khoa hoc cong nghe"]) == 1  # two agencies fit: name them
    assert "MOST (Bộ Khoa học và Công nghệ); VAST (" in capsys.readouterr().err


def test_missing_file_is_a_usage_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(env / "nope.xlsx")]) == 2
    assert "không đọc được tệp" in capsys.readouterr().err


def test_two_programs_are_refused(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["P1", "a", "MOF", "", "open", "", "NQ57"], ["P2", "b", "MOF", "", "open", "", "DA06"]]
    assert main(["import", str(_write(env / "two.csv", rows))]) == 0
    capsys.readouterr()
    assert main(["status", "NQ57", "--program", "DA06"]) == 2
    assert "Chỉ chọn được một chương trình: “NQ57”" in capsys.readouterr().err


def _dondoc(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_bad_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "DONDOC_TIMEZONE": "Mars/Base", "PYTHONWARNINGS": "ignore"}
    done = _dondoc("status", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "dondoc: DONDOC_TIMEZONE: unknown time zone 'Mars/Base'"
    ]


def test_run_without_token_says_so(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = _dondoc("run", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_unreachable_bot_api_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "DONDOC_LANGUAGE": "en"}
    env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:9/bot"  # the discard port: nothing listens
    done = _dondoc("run", env=env, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "dondoc: TELEGRAM_API_BASE_URL: cannot reach http://127.0.0.1:9/bot"
        " (httpx.ConnectError: All connection attempts failed)"
    ]


class _Unauthorized(BaseHTTPRequestHandler):
    """A Bot API server that rejects every token, as Telegram does a revoked one."""

    def do_POST(self) -> None:
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "DONDOC_LANGUAGE": "vi"}
    env["TELEGRAM_API_BASE_URL"] = f"http://127.0.0.1:{server.server_port}/bot"
    try:
        done = _dondoc("run", env=env, cwd=tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "dondoc: TELEGRAM_BOT_TOKEN: Bot API không chấp nhận token"
        " (vui lòng kiểm tra token do @BotFather cấp)"
    ]


def test_closed_output_pipe_ends_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "status", "--by", "agency"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has read enough
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert stderr == ""


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": "sqlite+aiosqlite:////nonexistent/dir/x.db"}
    env["DONDOC_LANGUAGE"] = "vi"
    done = _dondoc("status", env=env, cwd=tmp_path)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("dondoc: DATABASE_URL: không mở được cơ sở dữ liệu (")
    assert "Traceback" not in done.stderr


def test_status_by_programme_code_and_add_agencies(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = Clock(load_settings().tz).today()
    rows = [
        ["P1", "a", "MOF", (today - timedelta(days=3)).isoformat(), "Quá hạn", "",
         "Nghị quyết 57-NQ/TW"],
        ["P2", "b", "Kiểm toán nhà nước", "", "Thường xuyên", "", "Đề án 06"],
    ]  # fmt: skip
    path = _write(env / "units.csv", rows)
    assert main(["import", str(path)]) == 1  # an unknown agency is a row error ...
    assert "không có cơ quan “Kiểm toán nhà nước” trong danh sách" in capsys.readouterr().out
    assert main(["import", "--dry-run", "--add-agencies", str(path)]) == 0  # ... listed first
    out = capsys.readouterr().out
    assert "Sẽ thêm 1 đơn vị mới vào nhóm “Đơn vị khác”: Kiểm toán nhà nước (KTNN)." in out
    assert "Chương trình mới: Nghị quyết 57-NQ/TW (NQ57); Đề án 06 (DA06)." in out
    assert main(["import", "--add-agencies", str(path)]) == 0
    capsys.readouterr()
    assert _status_json(capsys, "--program", "NQ57")["overdue"] == 1  # type: ignore[index]
    assert _status_json(capsys, "KTNN")["routine"] == 1  # type: ignore[index]
    assert main(["status", "--program", "DA06"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Đề án 06 (DA06) — tính đến ngày ")
    assert "Đơn vị khác (1 đơn vị): 1 nhiệm vụ;" in text
    assert main(["status", "Bình Thuận"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "Tỉnh Lâm Đồng (LDG) — gồm tỉnh Bình Thuận cũ (hợp nhất từ 01/7/2025)"


def test_db_upgrade_migrates_and_seeds_then_finds_nothing_to_do(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The README's `dondoc db upgrade`, for deployments that migrate before starting the bot.
    for said in ("đã cập nhật", "không có gì phải làm"):
        assert main(["db", "upgrade"]) == 0
        err = capsys.readouterr().err
        assert err.count("\n") == 1  # one line, whether it did work or not
        assert said in err
        with sqlite3.connect(env / "cli.db") as conn:
            agencies = conn.execute("SELECT COUNT(*) FROM agency").fetchone()[0]
            [head] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert agencies == len(seed_agencies())
        assert head[0] == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_import_loads_neither_ptb_nor_alembic(tmp_path: Path) -> None:
    # A smaller, faster `dondoc import`: the bot's libraries load only for the bot, Alembic
    # only when the database is behind head.
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'lean.db'}"}
    assert _dondoc("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    _write(tmp_path / "one.csv", [["L1", "a", "MOF", "", "open", "", ""]])
    script = (
        "import sys; from bot.__main__ import main; code = main(['import', 'one.csv']);"
        "print(code, sorted({m.split('.')[0] for m in sys.modules}"
        " & {'telegram', 'alembic', 'apscheduler', 'handlers', 'asyncpg'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
