"""The real Application on a fresh SQLite file, talking to the in-process fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.context import DondocApp
from bot.settings import load_settings
from fakeapi import updates
from fakeapi.inprocess import ApiCall, FakeBotAPI
from storage.models import Agency, Program, Task

ADMIN, VIEWER, STRANGER = 1001, 1002, 1003
GROUP = -100123
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # 09:00 in Hanoi
TODAY = date(2026, 11, 25)


@dataclass
class Bot:
    """The application under test and the fake API it talks to."""

    app: DondocApp
    api: FakeBotAPI

    async def send(self, update: dict[str, Any]) -> list[str]:
        """Process one update; return the texts the bot sent or edited in reply."""
        seen = len(self.api.calls)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return [
            str(c.params.get("text", ""))
            for c in self.api.calls[seen:]
            if c.method in ("sendMessage", "editMessageText")
        ]

    async def say(
        self, text: str, *, chat_id: int = GROUP, user_id: int = VIEWER, lang: str | None = "vi"
    ) -> list[str]:
        """Send a text message as a user would; return the bot's answers."""
        return await self.send(
            updates.text_message(text, chat_id=chat_id, user_id=user_id, lang=lang)
        )

    def callback_answers(self, since: int) -> list[ApiCall]:
        """answerCallbackQuery calls made after the first `since` calls."""
        return [c for c in self.api.calls[since:] if c.method == "answerCallbackQuery"]

    def last_markup(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard of the last message that had one."""
        for call in reversed(self.api.calls):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                return list(markup["inline_keyboard"])
        return []

    async def press(
        self, label_part: str, *, user_id: int = VIEWER, chat_id: int = GROUP, lang: str = "vi"
    ) -> list[str]:
        """Press the button whose label contains `label_part` on the last keyboard."""
        for row in self.last_markup():
            for button in row:
                if label_part in button["text"]:
                    return await self.send(
                        updates.callback(
                            button["callback_data"], chat_id=chat_id, user_id=user_id, lang=lang
                        )
                    )
        raise AssertionError(f"no button with {label_part!r}: {self.last_markup()}")


@contextlib.asynccontextmanager
async def running(database: Path, *, now: datetime = NOW) -> AsyncIterator[Bot]:
    """A bot process on the SQLite file `database` (two may share one), its clock at `now`."""
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{database}",
        admins=frozenset({ADMIN}),
        telegram_bot_token="123:TEST",
    )
    api = FakeBotAPI()
    app = build_application(
        settings, request=api, clock=FixedClock(settings.tz, now), rate_limit=False
    )
    no_network_in_transactions(app, api)
    async with opened(app):
        yield Bot(app, api)
    assert api.violations == []


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    """A fresh bot with an admin, an unregistered group and no tasks."""
    async with running(tmp_path / "bot.db") as fresh:
        yield fresh


def no_network_in_transactions(app: DondocApp, api: FakeBotAPI) -> None:
    """Fail any Bot API call made while the app holds a database connection.

    Updates are processed one at a time here, so a checked-out connection is the
    current handler's: a Telegram call then would keep its transaction open meanwhile.
    """
    pool = app.bot_data.deps.sessions.kw["bind"].sync_engine.pool

    def refuse(method: str) -> str | None:
        out = pool.checkedout()
        return f"{method} with {out} database connection(s) checked out" if out else None

    api.refuse_when = refuse


async def add_tasks(
    bot: Bot,
    rows: list[tuple[str, str, date | None, str, date | None]],
    program: str | None = None,
) -> None:
    """Insert tasks (code, agency code, deadline, status, completed_on) straight into the DB."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ids = dict((await session.execute(select(Agency.code, Agency.id))).all())
        program_id = None
        if program:
            prog = Program(code=program, name=program)
            session.add(prog)
            await session.flush()
            program_id = prog.id
        session.add_all(
            Task(
                code=code,
                title=f"Nhiệm vụ {code}",
                lead_agency_id=ids[agency],
                deadline=deadline,
                status=status,
                completed_on=completed,
                program_id=program_id,
            )
            for code, agency, deadline, status, completed in rows
        )


def reply_before_record(
    monkeypatch: pytest.MonkeyPatch,
    prompts: Any,
    reply: Callable[[int], Coroutine[Any, Any, list[str]]],
) -> list[asyncio.Task[list[str]]]:
    """Make `reply(message_id)` reach the bot while it is still recording its question as
    message `message_id` (`prompts.sent_as`, patched): the reply looks, finds no question
    yet, and must look again. Holds the reply's task once the question has been asked."""
    record = prompts.sent_as
    replies: list[asyncio.Task[list[str]]] = []

    async def reply_first(session: Any, **kwargs: Any) -> None:
        replies.append(asyncio.create_task(reply(kwargs["message_id"])))
        await asyncio.sleep(0.3)  # the reply looks, finds no question yet, looks again
        assert not replies[0].done()
        await record(session, **kwargs)

    monkeypatch.setattr(prompts, "sent_as", reply_first)
    return replies
