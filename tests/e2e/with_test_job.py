"""`python -m tests.e2e.with_test_job ARGS…`: the `dondoc` command with one more job,
`e2e-greet`, registered (what a module of jobs/ does when it is loaded)."""

from __future__ import annotations

import sys
from datetime import datetime

from bot.__main__ import main
from bot.context import Deps
from jobs.registry import JOBS
from rendering.text import Html
from services.outbox import enqueue
from tests.jobs.outbox_kit import MorningJob

CHATS = (601, 602, -100603)  # two leads and a group


class E2EGreet(MorningJob):
    """MorningJob greeting three chats, each under its own key."""

    async def plan(self, deps: Deps, local_now: datetime) -> int:
        queued = 0
        async with deps.sessions.begin() as session:
            for chat in CHATS:
                queued += await enqueue(
                    session,
                    key=f"{self.name}:{chat}:{local_now.date()}",
                    chat_id=chat,
                    text=Html(f"<b>Chào</b> {chat} {local_now:%Y-%m-%d %H:%M}"),
                    now=deps.clock.now(),
                )
        return queued


if __name__ == "__main__":
    JOBS["e2e-greet"] = E2EGreet(name="e2e-greet").job()
    sys.exit(main(sys.argv[1:]))
