"""`dondoc run` as a process against the HTTP stand-in, killed with SIGKILL at random points
of a morning's nudges and started again (bench/kill_trials.py runs 100 of these trials and
prints the figures): every nudge arrives, and a nudge arrives twice only when the kill fell
between Telegram taking it and the commit of that outcome."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.kill_trials import run_trials

pytestmark = pytest.mark.e2e  # starts dondoc as a process: `-m "not e2e"` skips it

TRIALS, LEADS = 20, 12


def _problems(results: list) -> list[str]:  # type: ignore[type-arg]
    return [f"trial {r.number}: {p}" for r in results for p in r.problems]


def test_killed_at_random_and_restarted_every_nudge_arrives_once() -> None:
    results = run_trials(TRIALS, leads=LEADS, seed=20261202)
    assert _problems(results) == []
    phases = Counter(phase for r in results for phase in r.kills)
    assert sum(phases.values()) >= TRIALS  # one kill a trial at least, some two
    assert phases["sending"] >= TRIALS // 2  # most of them while the nudges go out
    assert all(r.messages >= LEADS for r in results)
    # Each duplicate is the message Telegram took just before a kill, so one per kill at most.
    assert sum(r.duplicates for r in results) <= sum(phases.values())


def test_a_fifth_of_the_messages_failing_loses_and_repeats_nothing() -> None:
    # 429 with retry_after, 500, or the connection dropped without an answer; and
    # Telegram's limits enforced: any message over 30 a second or one a second a chat fails.
    results = run_trials(2, leads=30, seed=7, faults=0.2, kills=False)
    assert _problems(results) == []
    assert sum(r.faults for r in results) >= 6  # 20 % of 60 and more (retries draw again)
    assert [r.duplicates for r in results] == [0, 0]
    assert [r.messages for r in results] == [30, 30]
