"""The bot's CPU between jobs, beside a bare PTB polling bot, against the HTTP stand-in.

    python -m bench.idle_cpu --seconds 60

Starts `dondoc run` (a fresh SQLite database, the scheduler leader, the outbox sender) and,
after it, a bare PTB Application that only polls, each as a process against its own
stand-in that holds long polls as Telegram does; waits until each polls, then reads the
process's CPU time (/proc/<pid>/stat) over `--seconds` of idleness. Printed: CPU seconds and
percent of one core for each, and the Bot API calls each made meanwhile.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fakeapi.standin import StandIn

TOKEN = "123456:IDLE-bench"
HZ = os.sysconf("SC_CLK_TCK")
BARE = """
import os
from telegram.ext import ApplicationBuilder
app = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
       .base_url(os.environ["TELEGRAM_API_BASE_URL"]).build())
app.run_polling()
"""


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def measure(command: list[str], env: dict[str, str], seconds: float) -> tuple[float, int]:
    """CPU seconds and Bot API calls of `command` over `seconds` once it polls."""
    with StandIn(max_poll=10.0) as standin:
        full = {**env, "TELEGRAM_API_BASE_URL": standin.base_url}
        process = subprocess.Popen(
            command, env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            standin.wait_for(lambda call: call.method == "getUpdates", 60.0)
            time.sleep(5)  # start-up work (migrations, catch-up) is not idleness
            calls, cpu = len(standin.calls), cpu_seconds(process.pid)
            time.sleep(seconds)
            return cpu_seconds(process.pid) - cpu, len(standin.calls) - calls
        finally:
            process.terminate()
            process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    seconds = parser.parse_args().seconds
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/idle.db",
            "DONDOC_ADMINS": "1",
        }
        results = {
            "dondoc run": measure([sys.executable, "-m", "bot", "run"], env, seconds),
            "bare PTB polling": measure([sys.executable, "-c", BARE], env, seconds),
        }
    for name, (cpu, calls) in results.items():
        print(
            f"{name}: {cpu:.2f} s CPU in {seconds:.0f} s ({cpu / seconds * 100:.2f} % of a core),"
            f" {calls} Bot API calls"
        )


if __name__ == "__main__":
    main()
