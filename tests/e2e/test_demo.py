"""The README's first command: `dondoc demo` answers on demo data with no token, no network."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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
    assert "Tổng số:" in out
    assert "[1] " in out  # the near tie offered numbered buttons ...
    assert "(DN)" in out  # ... and pressing [1] answered for Da Nang
    assert "Nhiệm vụ quá hạn" in out
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # the throwaway database is gone
