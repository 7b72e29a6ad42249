"""`dondoc run`'s life cycle and stop signals (bot/serve.py): the first signal asks for a
clean stop, at any step of the start-up; a second one takes its default action, as Ctrl+C
twice does for a shutdown that hangs. (tests/e2e/test_processes.py does it to the process.)"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.serve import STOP_SIGNALS, _stop_on_signals, serve


async def test_the_first_signal_asks_for_a_stop_and_gives_the_signals_back() -> None:
    before = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    stop = _stop_on_signals()
    try:
        assert not stop.is_set()
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL  # the loop's handler
        os.kill(os.getpid(), signal.SIGTERM)
        async with asyncio.timeout(5):
            await stop.wait()
        # A second SIGTERM would now end the process at once (its default action).
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
            signal.signal(sig, before[sig])


class FakeUpdater:
    def __init__(self, steps: list[str]) -> None:
        self.steps, self.running = steps, False

    async def start(self) -> None:
        self.steps.append("updates")
        self.running = True

    async def stop(self) -> None:
        self.steps.append("updater.stop")
        self.running = False


class FakeApp:
    """What `serve` drives of a PTB Application, each step recorded; the stop signal (or
    an error) comes while the step `during` runs."""

    def __init__(self, signal_event: asyncio.Event, during: str, *, fails: bool = False) -> None:
        self.steps: list[str] = []
        self.signal_event, self.during, self.fails = signal_event, during, fails
        self.running = False
        self.updater = FakeUpdater(self.steps)
        self.post_stop = None

    def _arrives(self, name: str) -> None:
        if name == self.during and self.fails:
            raise RuntimeError(name)
        if name == self.during:
            self.signal_event.set()

    async def start_updates(self) -> None:
        await self.updater.start()
        self._arrives("updates")

    async def initialize(self) -> None:
        self.steps.append("initialize")
        self._arrives("initialize")

    async def post_init(self, app: object) -> None:
        self.steps.append("post_init")
        self._arrives("post_init")

    async def start(self) -> None:
        self.steps.append("start")
        self.running = True
        self._arrives("start")

    async def stop(self) -> None:
        self.steps.append("stop")
        self.running = False

    async def shutdown(self) -> None:
        self.steps.append("shutdown")

    async def post_shutdown(self, app: object) -> None:
        self.steps.append("post_shutdown")


@pytest.mark.parametrize(
    ("during", "expected"),
    [
        ("initialize", ["initialize", "shutdown", "post_shutdown"]),
        ("post_init", ["initialize", "post_init", "shutdown", "post_shutdown"]),
        (
            "updates",
            ["initialize", "post_init", "updates", "updater.stop", "shutdown", "post_shutdown"],
        ),
        (
            "start",
            [
                "initialize",
                "post_init",
                "updates",
                "start",
                "updater.stop",
                "stop",
                "shutdown",
                "post_shutdown",
            ],
        ),
    ],
)
async def test_a_signal_during_start_up_ends_the_step_skips_the_rest_and_shuts_down(
    during: str, expected: list[str]
) -> None:
    stop = asyncio.Event()
    app = FakeApp(stop, during)
    await serve(app, stop, app.start_updates)  # type: ignore[arg-type]
    assert app.steps == expected


async def test_a_failing_step_still_shuts_down_then_raises() -> None:
    stop = asyncio.Event()
    app = FakeApp(stop, "post_init", fails=True)
    with pytest.raises(RuntimeError, match="post_init"):
        await serve(app, stop, app.start_updates)  # type: ignore[arg-type]
    assert app.steps == ["initialize", "post_init", "shutdown", "post_shutdown"]
