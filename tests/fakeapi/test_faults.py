"""Telegram on a bad day: the fakes' flood control and random faults (fakeapi/faults.py)."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from fakeapi.faults import TIMEOUT, Chaos, FloodControl
from fakeapi.inprocess import FakeBotAPI
from fakeapi.parse_mode import Rejected


def _refused(flood: FloodControl, chat: int, at: float) -> bool:
    answer: Rejected | None = None
    try:
        flood.check(chat, at)
    except Rejected as exc:
        answer = exc
    if answer is None:
        return False
    assert (answer.status, answer.parameters["retry_after"] >= 1) == (429, True)
    return True


def test_thirty_messages_a_second_overall() -> None:
    flood = FloodControl()
    assert not any(_refused(flood, chat, chat / 100) for chat in range(1, 31))
    assert _refused(flood, 31, 0.5)
    assert not _refused(flood, 32, 1.015)  # the first one (at 0.01) has left the second
    assert flood.broken == {"overall": 1}


def test_a_late_judged_message_counts_where_it_arrived() -> None:
    flood = FloodControl()
    for chat in range(1, 30):
        flood.check(chat, 0.5 + chat / 100)  # 29 between 0.51 and 0.79
    assert not _refused(flood, 100, 0.0)  # arrived earlier, judged now: (0, 0.79] holds 30
    assert _refused(flood, 101, 0.2)  # any second holding it would hold 31


def test_one_message_a_second_into_a_chat_and_twenty_a_minute_into_a_group() -> None:
    flood = FloodControl()
    assert not _refused(flood, 7, 0.0)
    assert _refused(flood, 7, 0.9)
    assert not _refused(flood, 7, 1.0)
    group = -100500
    assert not any(_refused(flood, group, 2.0 + n * 1.5) for n in range(20))
    assert _refused(flood, group, 40.0)
    assert not _refused(flood, group, 62.0 + 0.001)  # the first (at 2.0) left the minute
    assert flood.broken == {"chat": 1, "group": 1}


async def test_the_in_process_fake_answers_faults_as_telegram_would() -> None:
    api = FakeBotAPI()
    bot = Bot("1:FAULTS", request=api)
    api.fail_next("sendMessage", TIMEOUT)
    with pytest.raises(TimedOut):
        await bot.send_message(1, "a")
    api.chaos = Chaos(rate=1.0, kinds=(500,))
    with pytest.raises(NetworkError):
        await bot.send_message(1, "b")
    api.chaos = Chaos(rate=1.0, kinds=(429,), retry_after=(2, 2))
    with pytest.raises(RetryAfter) as limited:
        await bot.send_message(1, "c")
    assert limited.value.retry_after.total_seconds() == 2  # type: ignore[union-attr]
    api.chaos = None
    api.refuse_chat(1)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(1, "d")
    assert (await bot.send_message(2, "e")).text == "e"
    assert [c.status for c in api.calls] == [TIMEOUT, 500, 429, 403, 200]
