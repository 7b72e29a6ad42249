"""The Bot API faked at PTB's transport seam, in process: tests, `dondoc console`, `demo`.

Use it as `ApplicationBuilder().request(fake).get_updates_request(fake)`; it answers like
Telegram (validating with `fakeapi.rules`) and records every call in `fake.calls`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from fakeapi.core import (
    BOT_ID,
    BOT_USER,
    DOWNLOAD,
    HANG_UP,
    TIMEOUT,
    ApiCall,
    BotAPIState,
    Files,
)

__all__ = ["BOT_ID", "BOT_USER", "ApiCall", "BotAPIState", "FakeBotAPI"]

MAX_POLL = 1.0  # seconds a getUpdates long poll may wait here, whatever the bot asks for


class FakeBotAPI(BotAPIState, BaseRequest):
    """PTB's transport answered in process: `ApplicationBuilder().request(fake)`.

    `refuse_when`, if set, is asked before every call: a reason it returns fails the call
    and is kept in `violations` (tests use it to catch Telegram calls made while the bot
    holds a database connection).
    """

    def __init__(self) -> None:
        super().__init__()
        self.refuse_when: Callable[[str], str | None] | None = None
        self.violations: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        """No network, so any finite default will do."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer a Bot API POST, or a file download (PTB's only GET)."""
        api_method = DOWNLOAD if method == "GET" else url.rsplit("/", 1)[-1]
        refusal = self.refuse_when(api_method) if self.refuse_when else None
        if refusal is not None:
            self.violations.append(refusal)
            return 500, json.dumps(
                {"ok": False, "error_code": 500, "description": refusal}
            ).encode()
        params = dict(request_data.parameters) if request_data else {}
        params = {"file_path": url} if method == "GET" else params
        uploads = _uploads(request_data)
        broken = self.answer_broken(api_method, params, url, uploads)
        if broken is not None and broken[0] == HANG_UP:
            raise ConnectionResetError("the server closed the connection without answering")
        if broken is not None:
            return broken
        if method == "GET":
            return self.download(url)
        if api_method == "getUpdates":
            await self._long_poll(int(str(params.get("offset") or 0)), params.get("timeout"))
        status, body = self.handle(api_method, params, uploads)
        if status == TIMEOUT:
            raise TimedOut("fake-only: no answer within the timeout")
        return status, json.dumps(body).encode()

    async def _long_poll(self, offset: int, wait: object) -> None:
        # Without a wait, run_polling on this fake would spin at full speed. Updates may be
        # pushed from any thread, so poll the state rather than wait on an asyncio.Event.
        deadline = time.monotonic() + min(float(str(wait or 0)), MAX_POLL)
        while not self.has_updates(offset) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


def _uploads(request_data: RequestData | None) -> Files:
    if request_data is None or not request_data.contains_files:
        return {}
    files: Files = {}
    for name, (file_name, content, _mime) in request_data.multipart_data.items():
        files[name] = (file_name, content if isinstance(content, bytes) else content.read())
    return files
