"""The README's first command: `dondoc demo` answers on demo data with no token, no network."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot.demo import demo_rows
from services.buckets import Bucket, bucket_of
from services.importer import parse_status

pytestmark = pytest.mark.e2e  # starts dondoc as a process: `-m "not e2e"` skips it


def _expected_mof(today: date) -> Counter[Bucket]:
    """MOF's buckets counted row by row from the demo register, not through SQL."""
    counts: Counter[Bucket] = Counter()
    for row in demo_rows(today):
        if row["agency"] == "MOF":
            deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
            completed = date.fromisoformat(row["completed_on"]) if row["completed_on"] else None
            done = parse_status(row["status"]) == "done"
            counts[
                bucket_of(done=done, deadline=deadline, completed_on=completed, today=today)
            ] += 1
    return counts


def _reported_day(out: str) -> date:
    """The day the demo's /status MOF reports for, as it prints it: the demo's own "today"
    (computing it here could give another day if the test runs across midnight)."""
    title = out[out.index("Bộ Tài chính (MOF)") :].split("\n", 1)[0]
    # Vietnamese dates as Decree 30/2020 writes them: 05/02/2026 but 05/7/2026.
    found = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", title)
    assert found is not None, title
    day, month, year = (int(part) for part in found.groups())
    return date(year, month, day)


def test_demo_answers_status_mof_and_presses_a_button(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:9/unreachable"  # proves no network is used
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="/status MOF\n/status Quang\n1\n/overdue\n/quit\n",
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Bộ Tài chính (MOF)" in out
    mof = _expected_mof(_reported_day(out))
    assert f"Tổng số: {sum(mof.values())} nhiệm vụ" in out
    assert f"trong đó hoàn thành đúng hạn {mof[Bucket.DONE_ON_TIME]}, " in out
    assert f"hoàn thành quá hạn {mof[Bucket.DONE_LATE]}\n" in out
    assert f"Đang thực hiện trong hạn: {mof[Bucket.ON_SCHEDULE]} (" in out
    assert f"Quá hạn, chưa hoàn thành: {mof[Bucket.OVERDUE]} (" in out
    assert f"Nhiệm vụ thường xuyên: {mof[Bucket.ROUTINE]} (" in out
    assert "[1] Tỉnh Quảng Ninh" in out  # the near tie offered numbered buttons ...
    assert "Tỉnh Quảng Ninh (QNH)" in out  # ... and pressing [1] answered for Quảng Ninh
    assert "Nhiệm vụ quá hạn" in out
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # the throwaway database is gone


def test_a_lead_marks_a_task_done_in_the_demo(tmp_path: Path) -> None:
    """README: `/as lead MOF`, `/mytasks`, then 1 (the first task), 1 (Done), 1 (today)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="/as lead MOF\n/mytasks\n1\n1\n1\n/quit\n",
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "/as lead MOF" in out  # the demo says how to switch roles
    assert "Bạn đang là đầu mối của Bộ Tài chính (MOF)" in out
    assert "[1] ✅ Hoàn thành" in out
    assert re.search(r"✅ Đã ghi nhận \S+ hoàn thành ngày", out), out[-2000:]
    assert "Traceback" not in done.stderr
