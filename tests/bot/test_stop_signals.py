"""`dondoc run`'s stop signals (bot/serve.py): the first asks for a clean stop, a second one
takes its default action, as Ctrl+C twice does for a shutdown that hangs."""

from __future__ import annotations

import asyncio
import os
import signal

from bot.serve import STOP_SIGNALS, _stop_on_signals


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
