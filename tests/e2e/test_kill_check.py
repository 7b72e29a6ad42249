"""The kill trials' verdict (bench/kill_trials.check) on made-up outcomes: the check that
lets a duplicate pass must also fail the ones it should (no process started here)."""

from __future__ import annotations

from bench.kill_trials import LEAD_BASE, Kill, Trial, check
from fakeapi.core import ApiCall

CHAT = LEAD_BASE + 1
TEXT = "Nhắc việc"
MESSAGE = (CHAT, TEXT)


def _verdict(copies: list[float], kills: list[Kill], status: str = "sent") -> Trial:
    outcome = Trial(number=1)
    rows = [("nudge:1", CHAT, TEXT, status)]
    sent = [ApiCall("sendMessage", {"chat_id": CHAT, "text": TEXT}, at=at) for at in copies]
    check(outcome, rows, sent, kills, flood=None, leads=1)
    return outcome


def test_one_copy_and_every_row_sent_is_clean() -> None:
    outcome = _verdict([10.0], [])
    assert (outcome.problems, outcome.messages, outcome.duplicates) == ([], 1, 0)


def test_a_second_copy_after_a_kill_that_found_it_unrecorded_passes() -> None:
    outcome = _verdict([10.0, 13.0], [Kill(10.01, frozenset())])
    assert (outcome.problems, outcome.duplicates) == ([], 1)
    assert [round(lag, 3) for lag in outcome.lags] == [0.01]


def test_a_copy_reaching_the_stand_in_just_after_the_kill_counts_as_that_kills() -> None:
    # Written before the SIGKILL, timed by the stand-in a few ms after it.
    outcome = _verdict([10.0, 13.0], [Kill(9.99, frozenset()), Kill(11.0, frozenset([MESSAGE]))])
    assert outcome.problems == []


def test_a_second_copy_of_a_message_already_recorded_sent_fails() -> None:
    outcome = _verdict([10.0, 13.0], [Kill(10.01, frozenset([MESSAGE]))])
    [problem] = outcome.problems
    assert "copies at [10.0, 13.0]" in problem


def test_a_duplicate_without_a_kill_fails() -> None:
    assert _verdict([10.0, 10.5], [Kill(5.0, frozenset())]).problems != []


def test_three_copies_need_two_kills_each_before_the_next_copy() -> None:
    twice = [Kill(10.01, frozenset()), Kill(13.01, frozenset())]
    assert _verdict([10.0, 13.0, 16.0], twice).problems == []
    assert _verdict([10.0, 13.0, 16.0], twice[:1]).problems != []
    both_early = [Kill(10.01, frozenset()), Kill(10.02, frozenset())]
    assert _verdict([10.0, 13.0, 16.0], both_early).problems != []
    recorded_then = [twice[0], Kill(13.01, frozenset([MESSAGE]))]
    assert _verdict([10.0, 13.0, 16.0], recorded_then).problems != []


def test_a_row_left_pending_or_a_nudge_never_sent_fails() -> None:
    assert _verdict([10.0], [], status="pending").problems == ["nudge:1 is pending"]
    assert _verdict([], []).problems == [f"never sent: {CHAT}"]
