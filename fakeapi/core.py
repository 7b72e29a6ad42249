"""Telegram's side of the conversation, shared by both fake Bot APIs.

`BotAPIState.handle(method, params)` answers like Telegram and records every call;
`fakeapi.inprocess.FakeBotAPI` serves it in process, `fakeapi.standin.StandIn` over HTTP.
"""

from __future__ import annotations

import itertools
import json
import mimetypes
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fakeapi.faults import SENDS, TIMEOUT, Chaos, FloodControl
from fakeapi.rules import Rejected, check_send, format_text

__all__ = [
    "BOT_ID",
    "BOT_USER",
    "DOWNLOAD",
    "ECHO_PAGE",
    "HANG_UP",
    "TIMEOUT",
    "ApiCall",
    "BotAPIState",
    "Files",
    "StoredFile",
]

BOT_ID = 5_000_000_001
BOT_USER: dict[str, Any] = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "dondoc",
    "username": "dondoc_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MESSAGES = frozenset(("sendMessage", "sendDocument", "sendPhoto", "editMessageText"))
MESSAGES |= {"editMessageCaption", "editMessageReplyMarkup"}
ANSWERED_TRUE = frozenset(("answerCallbackQuery", "setMyDescription", "setMyShortDescription"))
ANSWERED_TRUE |= {"setWebhook", "sendChatAction", "deleteMessage", "setChatMenuButton", "close"}
ANSWERED_TRUE |= {"setMyCommands", "deleteMyCommands"}

Files = dict[str, tuple[str, bytes]]  # multipart field name -> (file name, content)

DOWNLOAD = "download"  # the "method" of a file download, for break_next
HANG_UP = 0  # a break_next status: close the connection without answering
# What a reverse proxy or a web server at the wrong address answers: HTML, not the Bot API's
# JSON, and (like nginx's and Apache's default pages) the request path, token included.
ECHO_PAGE = (
    "<html><head><title>{status} Error</title></head><body><h1>Error {status}</h1>"
    "<p>The server could not answer the request for {path}.</p></body></html>"
)


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request the bot made, with Telegram's verdict."""

    method: str
    params: dict[str, Any]
    files: Files = field(default_factory=dict)
    status: int = 200
    error: str | None = None
    at: float = 0.0  # when it arrived, on the fake's clock
    result: Any = None  # what Telegram answered (a sent message, with its message_id)

    @property
    def ok(self) -> bool:
        """Whether Telegram accepted the call (a 200 page that is not JSON is no answer)."""
        return self.status == 200 and self.error is None

    @property
    def chat_id(self) -> int | None:
        """The target chat as an int, if the call has one."""
        try:
            return int(self.params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return None

    @property
    def text(self) -> str:
        """The text or caption as sent (HTML included)."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The rows of the inline keyboard, if any."""
        markup = self.params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        return list(markup.get("inline_keyboard") or []) if isinstance(markup, dict) else []

    @property
    def callback_data(self) -> list[str]:
        """The callback data of every button, row by row."""
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]


@dataclass(frozen=True)
class StoredFile:
    """A file Telegram holds: uploaded by the bot or registered by a test."""

    file_id: str
    file_unique_id: str
    file_name: str
    file_path: str
    content: bytes

    def as_document(self) -> dict[str, Any]:
        """The Document object Telegram returns for it."""
        mime = mimetypes.guess_type(self.file_name)[0] or "application/octet-stream"
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": mime,
            "file_size": len(self.content),
        }


class BotAPIState:
    """Telegram's side: messages, files, queued updates, injected failures (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Condition()  # StandIn waits on it for calls and updates
        self._calls: list[ApiCall] = []
        self._failures: defaultdict[str, list[Rejected]] = defaultdict(list)
        self._broken: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        self._files: dict[str, StoredFile] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self.clock: Callable[[], float] = time.monotonic  # stamps each call (ApiCall.at)
        self.flood: FloodControl | None = None  # set it to enforce Telegram's limits
        self.chaos: Chaos | None = None  # set it to fail messages at random
        self._refused_chats: dict[int, Rejected] = {}

    @property
    def calls(self) -> list[ApiCall]:
        """Every call so far, oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Accepted sends and edits, optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.method in MESSAGES and c.ok and (chat_id is None or c.chat_id == chat_id)
        ]

    def last_text(self, chat_id: int | None = None) -> str:
        """The text of the last accepted message sent or edited."""
        texts = [c.text for c in self.sent(chat_id) if c.text]
        if not texts:
            raise AssertionError(f"nothing sent; calls: {[c.method for c in self.calls]}")
        return texts[-1]

    def errors(self) -> list[ApiCall]:
        """Calls Telegram refused."""
        return [c for c in self.calls if not c.ok]

    def clear(self) -> None:
        """Forget recorded calls and pending or standing failures."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._broken.clear()
            self._refused_chats.clear()

    def fail_next(
        self, method: str, status: int = 429, retry_after: int = 3, description: str = ""
    ) -> None:
        """Make the next call of `method` fail, by default with a flood-wait 429; status
        TIMEOUT: no answer at all (the message is not delivered)."""
        params = {"retry_after": retry_after} if status == 429 else {}
        text = description or _DEFAULT_ERRORS.get(status, "Bad Request")
        with self._lock:
            self._failures[method].append(Rejected(text.format(retry_after), status, params))

    def refuse_chat(self, chat_id: int, status: int = 403, description: str = "") -> None:
        """Refuse every message to `chat_id` from now on: by default as a user who blocked
        the bot (403); 400 with "Bad Request: chat not found" for a chat that is gone."""
        text = description or _DEFAULT_ERRORS.get(status, "Bad Request")
        with self._lock:
            self._refused_chats[chat_id] = Rejected(text, status)

    def break_next(self, method: str, status: int = 502, page: str = ECHO_PAGE) -> None:
        """Make the next call of `method` (or the next DOWNLOAD) answer `page` instead of
        JSON, with "{path}" in it replaced by the request path as sent (token included);
        status HANG_UP closes the connection without any answer."""
        with self._lock:
            self._broken[method].append((status, page))

    def answer_broken(
        self, method: str, params: dict[str, Any], path: str, files: Files | None = None
    ) -> tuple[int, bytes] | None:
        """The page queued by break_next for this call, if any; the call is recorded."""
        with self._lock:
            if not self._broken.get(method):
                return None
            status, page = self._broken[method].pop(0)
            call = ApiCall(method, params, files or {}, status, "not the Bot API", self.clock())
            self._record(call)
        body = page.replace("{status}", str(status)).replace("{path}", path)
        return status, body.encode()

    def migrate_next(self, method: str, new_chat_id: int) -> None:
        """Make the next call of `method` answer that the group became a supergroup."""
        text = "Bad Request: group chat was upgraded to a supergroup chat"
        with self._lock:
            self._failures[method].append(Rejected(text, 400, {"migrate_to_chat_id": new_chat_id}))

    def add_file(self, content: bytes, file_name: str) -> tuple[str, str]:
        """Register a file users could send; return its (file_id, file_unique_id)."""
        with self._lock:
            number = next(self._file_ids)
            suffix = PurePosixPath(file_name).suffix
            suffix = suffix if suffix.isascii() and suffix[1:].isalnum() else ""
            stored = StoredFile(
                f"fake-file-{number}",
                f"fake-unique-{number}",
                file_name,
                f"documents/file_{number}{suffix}",  # relative, as Telegram gives it
                content,
            )
            self._files[stored.file_id] = stored
        return stored.file_id, stored.file_unique_id

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates, assigning its update_id."""
        with self._lock:
            update_id = next(self._update_ids)
            self._updates.append({**update, "update_id": update_id})
            self._lock.notify_all()
        return update_id

    def has_updates(self, offset: int) -> bool:
        """Whether getUpdates with this offset would return something now."""
        with self._lock:
            return any(u["update_id"] >= offset for u in self._updates)

    def cut_off(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer a long poll that a newer getUpdates ended, as Telegram does (409)."""
        rejected = Rejected(_DEFAULT_ERRORS[CONFLICT], CONFLICT)
        with self._lock:
            self._record(ApiCall("getUpdates", params, {}, CONFLICT, rejected.description))
        return CONFLICT, rejected.body()

    def download(self, url: str) -> tuple[int, bytes]:
        """Serve a file by its path, or by a download URL ending in it."""
        with self._lock:
            for stored in self._files.values():
                if url == stored.file_path or url.endswith("/" + stored.file_path):
                    return 200, stored.content
        return 404, json.dumps(Rejected("Not Found", 404).body()).encode()

    def handle(
        self,
        method: str,
        params: dict[str, Any],
        files: Files | None = None,
        at: float | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call as Telegram would; record it (as arrived `at`: now
        unless the caller took the time when the request came in)."""
        with self._lock:
            at = self.clock() if at is None else at
            try:
                if self._failures.get(method):
                    raise self._failures[method].pop(0)
                if method in SENDS and self.chaos is not None and (fault := self.chaos.draw()):
                    raise fault
                if method in SENDS and self._refused_chats.get(_chat_id(params)):
                    raise self._refused_chats[_chat_id(params)]
                check_send(method, params)
                if method in SENDS and self.flood is not None:
                    self.flood.check(_chat_id(params), at)
                result = self._answer(method, params, files or {})
            except Rejected as exc:
                error = ApiCall(method, params, files or {}, exc.status, exc.description, at)
                self._record(error)
                return exc.status, exc.body()
            self._record(ApiCall(method, params, files or {}, at=at, result=result))
            return 200, {"ok": True, "result": result}

    def _record(self, call: ApiCall) -> None:
        self._calls.append(call)
        self._lock.notify_all()

    def _answer(self, method: str, params: dict[str, Any], files: Files) -> Any:
        if method in MESSAGES:
            return self._message(method, params, files)
        if method in ANSWERED_TRUE:
            return True
        if method == "getMe":
            return dict(BOT_USER)
        if method == "getUpdates":
            return self._take_updates(params)
        if method == "getFile":
            return self._file(params)
        if method == "deleteWebhook":
            if params.get("drop_pending_updates"):
                self._updates.clear()
            return True
        raise Rejected(f"Not Found: method {method} is not faked", 404)

    def _message(self, method: str, params: dict[str, Any], files: Files) -> Any:
        if params.get("inline_message_id"):
            return True  # edits of inline-mode messages answer True
        chat_id, now = _chat_id(params), int(time.time())
        message: dict[str, Any] = {"chat": _chat(chat_id), "from": BOT_USER, "date": now}
        if method.startswith("edit"):
            if not params.get("message_id"):
                raise Rejected("Bad Request: message identifier is not specified")
            message |= {"message_id": int(params["message_id"]), "edit_date": now}
        else:
            message["message_id"] = next(self._message_ids)
        for key, entities in (("text", "entities"), ("caption", "caption_entities")):
            if params.get(key):
                parsed = format_text(params, key)  # Telegram returns the text without markup
                message[key] = parsed.text
                if parsed.entities:
                    message[entities] = parsed.entities
        if method == "sendDocument":
            message["document"] = self._upload(params, files, "document").as_document()
        elif method == "sendPhoto":
            photo = self._upload(params, files, "photo").as_document()
            message["photo"] = [{**photo, "width": 800, "height": 600}]
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # only inline keyboards come back on the message
        return message

    def _upload(self, params: dict[str, Any], files: Files, key: str) -> StoredFile:
        if key in files:
            file_name, content = files[key]
            file_id, _ = self.add_file(content, file_name)
            return self._files[file_id]
        if str(params.get(key)) in self._files:
            return self._files[str(params[key])]
        raise Rejected("Bad Request: wrong file identifier/HTTP URL specified")

    def _file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise Rejected("Bad Request: invalid file_id")
        document = stored.as_document()
        return {k: document[k] for k in ("file_id", "file_unique_id", "file_size")} | {
            "file_path": stored.file_path
        }

    def _take_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]  # confirmed
        return self._updates[:limit]


CONFLICT = 409

_DEFAULT_ERRORS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    # A second long poll on the bot (or getUpdates while a webhook is set): dondoc run
    # stops on it with one line (bot/serve.py).
    CONFLICT: "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running",
    429: "Too Many Requests: retry after {}",
    500: "Internal Server Error",
    TIMEOUT: "fake-only: no answer (timed out)",
}


def _chat_id(params: dict[str, Any]) -> int:
    if params.get("chat_id") in (None, ""):
        raise Rejected("Bad Request: chat_id is empty")
    try:
        return int(params["chat_id"])
    except ValueError:
        raise Rejected("Bad Request: chat not found") from None  # "@name": no channels here


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "User"}
    kind = "supergroup" if chat_id < -1_000_000_000_000 else "group"  # supergroups are -100…
    return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
