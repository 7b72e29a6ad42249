"""The sending budget shared by answers and the outbox sender (bot/ratelimit.py)."""

from __future__ import annotations

import itertools
from typing import Any

from telegram.ext import AIORateLimiter

from bot.clock import VirtualTime
from bot.ratelimit import Budget, InteractiveLimiter, Limits


async def _fill(budget: Budget, chat: int, count: int, *, background: bool) -> list[float]:
    times = []
    for _ in range(count):
        await budget.acquire(chat, background=background)
        times.append(budget.ticker.monotonic())
    return times


async def test_the_sender_spaces_its_messages_at_its_share() -> None:
    budget = Budget(VirtualTime())
    times = []
    for chat in range(1, 57):
        await budget.acquire(chat, background=True)
        times.append(budget.ticker.monotonic())
    assert times[27] - times[0] < 1.0 <= times[28] - times[0]  # 28 in a second, not 30
    gaps = {round(b - a, 4) for a, b in itertools.pairwise(times)}
    assert gaps == {round(1 / 28, 4)}  # evenly, never in a burst


async def test_answers_go_at_once_while_the_sender_uses_its_whole_share() -> None:
    budget = Budget(VirtualTime())
    for chat in range(1, 29):  # the sender's 28 in the last second
        budget.take(chat, background=True)
    assert budget.delay(99, background=True) > 0  # the sender waits
    assert budget.delay(500, background=False) == 0  # an answer does not
    budget.take(500, background=False)
    budget.take(501, background=False)
    assert budget.delay(502, background=False) > 0  # Telegram's 30 a second, all told


async def test_answers_push_the_sender_back() -> None:
    budget = Budget(VirtualTime())
    for chat in range(1, 11):
        budget.take(-chat, background=False)  # 10 answers this second
    await budget.ticker.sleep(0.5)
    sent = await _fill(budget, 1000, 1, background=True)
    assert sent == [0.5]
    for chat in range(2000, 2017):
        budget.take(chat, background=True)  # 10 + 18 = 28
    assert budget.delay(3000, background=True) > 0.4  # until the answers' second ends


async def test_a_group_keeps_room_for_answers() -> None:
    limits = Limits()
    budget = Budget(VirtualTime())
    group = -100500
    sent = await _fill(budget, group, limits.group - limits.group_reserve, background=True)
    assert sent[-1] - sent[0] < 60
    assert budget.delay(group, background=True) > 30  # 18 a minute for the sender
    assert budget.delay(group, background=False) == 0  # an answer there still goes
    assert budget.cooling()[group] > 30


async def test_one_chat_gets_an_outbox_message_every_chat_gap() -> None:
    budget = Budget(VirtualTime())
    sent = await _fill(budget, 42, 3, background=True)
    assert [round(t, 3) for t in sent] == [0.0, 1.25, 2.5]


async def test_a_pause_holds_the_sender_only() -> None:
    budget = Budget(VirtualTime())
    budget.pause(5)
    assert 4.9 < budget.paused_for() <= 5
    assert budget.delay(1, background=True) >= 5
    assert budget.delay(1, background=False) == 0


async def test_the_interactive_limiter_counts_messages_in_the_budget() -> None:
    budget = Budget(VirtualTime())
    limiter = InteractiveLimiter(budget, AIORateLimiter(max_retries=0))
    await limiter.initialize()

    async def call(*_args: Any, **_kwargs: Any) -> bool:
        return True

    await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": -7}, None)
    await limiter.process_request(call, (), {}, "answerCallbackQuery", {}, None)
    await limiter.process_request(call, (), {}, "sendChatAction", {"chat_id": 5}, None)
    await limiter.shutdown()
    assert budget.cooling() == {-7: 1.25}  # the message counts; the rest is not a message


async def test_a_late_sender_makes_up_at_twice_its_pace_at_most() -> None:
    budget = Budget(VirtualTime())
    interval = 1 / Limits().background_rate
    await budget.acquire(1, background=True)
    await budget.ticker.sleep(0.09)  # the loop was busy: 2.5 messages late
    times = []
    for chat in range(2, 8):
        await budget.acquire(chat, background=True)
        times.append(budget.ticker.monotonic())
    gaps = [round(b - a, 4) for a, b in itertools.pairwise([0.09, *times])]
    assert gaps[0] == 0  # the first late one goes at once
    assert all(gap >= round(interval / 2, 4) for gap in gaps[1:])
    assert times[-1] < 0.09 + 5 * interval  # made up for some of the delay


async def test_making_up_for_a_delay_stops_at_the_per_second_cap() -> None:
    budget = Budget(VirtualTime())
    interval = 1 / Limits().background_rate
    times = []
    for chat in range(1, 200):
        if chat == 60:
            await budget.ticker.sleep(0.09)  # a busy loop, once, in a full second
        await budget.acquire(chat, background=True)
        times.append(budget.ticker.monotonic())
    gaps = [round(b - a, 4) for a, b in itertools.pairwise(times)]
    # The late message's catch-up fills the sliding second to the cap; from then on the
    # pace is even again. Were the catch-up owed still, each following second would repeat
    # the delay and the quicker run after it, the sliding second full to the last message.
    assert min(gaps[58:70]) < round(interval, 4)  # made up for some of it, once
    assert set(gaps[70 + 28 :]) == {round(interval, 4)}
