"""`python -m bench.shifted ARGS…`: the `dondoc` command on a shifted wall clock.

    SHIFTED_CLOCK="2027-03-02T08:31:00+07:00@<time.time() when that was now>"

Kill trials and two-process runs (bench/kill_trials.py, tests/e2e/test_kill.py) need the
morning's nudge window open whatever the hour of the run, and time that goes on across a
restart: every process given the same value reads the same shifted clock. Only
bot/clock.Clock reads the wall clock, so it is the one thing moved.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from bot import clock
from bot.__main__ import main

VARIABLE = "SHIFTED_CLOCK"


def shifted(at: datetime, epoch: float) -> str:
    """The SHIFTED_CLOCK value that makes `at` the time at `epoch` (time.time())."""
    return f"{at.isoformat()}@{epoch!r}"


def install(value: str) -> None:
    """Make Clock.now read the shifted time."""
    at, _, epoch = value.rpartition("@")
    offset = datetime.fromisoformat(at) - datetime.fromtimestamp(float(epoch), UTC)

    def now(self: clock.Clock) -> datetime:
        return datetime.now(UTC) + offset

    clock.Clock.now = now  # type: ignore[method-assign]


if __name__ == "__main__":
    install(os.environ[VARIABLE])
    sys.exit(main(sys.argv[1:]))
