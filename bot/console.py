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
from bot.demo_roles import CONSOLE_USER, attachment, switch_role
from bot.settings import Settings
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from rendering.text import plain, render
from services import importer
from services.audit import Actor, EventSource

SENDING = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto"}
FILES = ("/photo", "/file")  # the demo's pretend attachments


class Console:
    """Turns typed lines into updates and prints what the bot sends back.

    A line typed after the bot asked for a reply (ForceReply: a note, say) is sent as that
    reply, as a phone would. In the demo, `/as …` switches who types (bot/demo_roles.py) and
    `/photo`, `/file` pretend to send one.
    """

    def __init__(self, app: DondocApp, fake: FakeBotAPI, lang: str, *, demo: bool = False) -> None:
        self.app, self.fake, self.lang, self.demo = app, fake, lang, demo
        self.user_id = CONSOLE_USER  # who types, in their private chat with the bot
        self.buttons: list[tuple[str, dict[str, Any]]] = []  # (callback data, bot message)
        self.asked: dict[str, Any] | None = None  # the bot's message awaiting a reply

    async def handle(self, line: str) -> list[str]:
        """Process one typed line; return the bot's answers as terminal text."""
        seen = len(self.fake.calls)
        line = line.strip()
        word = line.split(maxsplit=1)[0] if line else ""
        if self.demo and word == "/as":
            user_id, said = await switch_role(self.app, line, self.lang)
            if user_id is not None:
                self.user_id, self.buttons, self.asked = user_id, [], None
            return [said]
        asked, self.asked = self.asked, None
        update = self._update_for(line, word, replying=asked is not None)
        if isinstance(update, str):
            return [update]
        if asked is not None and (not word.startswith("/") or word in FILES):
            update = updates.replying(update, asked)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self._print_new(seen)

    def _update_for(self, line: str, word: str, *, replying: bool) -> dict[str, Any] | str:
        """The update a typed line makes (a press, a file, a message), or what to print."""
        user = self.user_id
        if self.demo and word in FILES:
            made = attachment(self.fake, line, user)
            return made or plain(render(self.lang, "demo-photo-usage"))
        if line.isdigit() and not replying:  # while a reply is awaited, a number is text
            if not 1 <= int(line) <= len(self.buttons):
                return plain(render(self.lang, "console-no-button", number=int(line)))
            data, bot_message = self.buttons[int(line) - 1]
            return updates.callback(data, message=bot_message, user_id=user, lang=self.lang)
        return updates.text_message(line, chat_id=user, user_id=user, lang=self.lang)

    def _print_new(self, seen: int) -> list[str]:
        lines: list[str] = []
        for call in self.fake.calls[seen:]:
            if call.method not in SENDING:
                continue
            lines.append(plain(str(call.params.get("text") or call.params.get("caption") or "")))
            lines += self._buttons_of(call.params)
            if "force_reply" in str(call.params.get("reply_markup")) and call.ok:
                self.asked = call.result  # the next line typed answers it
        return lines

    def _buttons_of(self, params: dict[str, Any]) -> list[str]:
        markup = params.get("reply_markup")
        rows = (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []
        if not rows:
            return []
        bot_message = updates.bot_message(
            str(params.get("text", "")), chat_id=self.user_id, message_id=params.get("message_id")
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
            await _loop(Console(app, fake, settings.language, demo=demo))
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
    if console.demo:
        _write(plain(render(console.lang, "demo-roles")))
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
