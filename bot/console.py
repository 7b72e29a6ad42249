"""`dondoc demo` and `dondoc console`: the real application, a terminal instead of Telegram."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application, opened
from bot.context import DondocApp
from bot.demo import demo_csv
from bot.settings import Settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from rendering.text import plain, render
from services import importer
from services.audit import Actor, EventSource

CONSOLE_USER = 10_000_001  # the person at the terminal, an admin in a private chat
SENDING = {"sendMessage", "editMessageText", "sendDocument"}


class Console:
    """Turns typed lines into updates and prints what the bot sends back."""

    def __init__(self, app: DondocApp, fake: FakeBotAPI, lang: str) -> None:
        self.app, self.fake, self.lang = app, fake, lang
        self.buttons: list[tuple[str, dict[str, Any]]] = []  # (callback data, bot message)

    async def handle(self, line: str) -> list[str]:
        """Process one typed line; return the bot's answers as terminal text."""
        seen = len(self.fake.calls)
        line = line.strip()
        if line.isdigit() and not 1 <= int(line) <= len(self.buttons):
            return [plain(render(self.lang, "console-no-button", number=int(line)))]
        update = self._update_for(line)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self._print_new(seen)

    def _update_for(self, line: str) -> dict[str, Any]:
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            data, bot_message = self.buttons[int(line) - 1]
            return updates.callback(
                data, message=bot_message, user_id=CONSOLE_USER, lang=self.lang
            )
        return updates.text_message(
            line, chat_id=CONSOLE_USER, user_id=CONSOLE_USER, lang=self.lang
        )

    def _print_new(self, seen: int) -> list[str]:
        lines: list[str] = []
        for call in self.fake.calls[seen:]:
            if call.method not in SENDING:
                continue
            lines.append(plain(str(call.params.get("text") or call.params.get("caption") or "")))
            lines += self._buttons_of(call.params)
        return lines

    def _buttons_of(self, params: dict[str, Any]) -> list[str]:
        markup = params.get("reply_markup")
        rows = (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []
        if not rows:
            return []
        bot_message = updates.bot_message(
            str(params.get("text", "")), chat_id=CONSOLE_USER, message_id=params.get("message_id")
        )
        self.buttons = []
        shown = []
        for row in rows:
            labels = []
            for button in row:
                self.buttons.append((button["callback_data"], bot_message))
                labels.append(f"[{len(self.buttons)}] {button['text']}")
            shown.append("   ".join(labels))
        return shown


async def run_console(settings: Settings, *, demo: bool) -> int:
    """Open the prompt; in demo mode on a throwaway database filled with demo tasks."""
    with tempfile.TemporaryDirectory(prefix="dondoc-demo-") as tmp:
        if demo:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}"
            settings = settings.model_copy(update={"database_url": url})
        settings = settings.model_copy(update={"admins": settings.admins | {CONSOLE_USER}})
        fake = FakeBotAPI()
        app = build_application(settings, request=fake, rate_limit=False)
        async with opened(app):
            if demo:
                await _load_demo(app)
            await _loop(Console(app, fake, settings.language))
    return 0


async def _load_demo(app: DondocApp) -> None:
    deps = app.bot_data.deps
    rows = importer.read_rows(demo_csv(deps.clock.today()), "demo.csv")
    actor = Actor(None, "demo.csv", EventSource.CLI)
    await importer.import_tasks(
        deps.sessions,
        rows,
        dry_run=False,
        actor=actor,
        now=deps.clock.now(),
        today=deps.clock.today(),
    )


async def _loop(console: Console) -> None:
    _write(plain(render(console.lang, "console-banner")))
    while True:
        _write("> ", end="")
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line or line.strip() in ("/quit", "/exit"):
            return
        if line.strip():
            _write("\n".join(await console.handle(line)) + "\n")


def _write(text: str, end: str = "\n") -> None:
    sys.stdout.write(text + end)
    sys.stdout.flush()
