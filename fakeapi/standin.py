"""A Bot API stand-in over HTTP on 127.0.0.1, for end-to-end runs of `dondoc run`.

Point the bot at it with TELEGRAM_API_BASE_URL=<base_url> and TELEGRAM_API_BASE_FILE_URL=
<base_file_url>. Stdlib only; answers and validation come from `BotAPIState`, as in FakeBotAPI.
Run `python -m fakeapi.standin --port 8081` to serve one by hand and watch the calls.
"""

from __future__ import annotations

import argparse
import contextlib
import email.policy
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote

from fakeapi.core import DOWNLOAD, HANG_UP, TIMEOUT, ApiCall, BotAPIState, Files
from fakeapi.faults import SENDS, FloodControl

log = logging.getLogger(__name__)

API_PATH = re.compile(r"/bot(?P<token>\d+:[\w-]+)/(?P<method>\w+)/?")
STATS_PATH = "/_stats"  # not the Bot API: the stand-in's own counts (bench/bench_drain.py)
FILE_PATH = re.compile(r"/file/bot(?P<token>\d+:[\w-]+)/(?P<path>.+)")
# Form and multipart values are all strings; these fields carry JSON (numbers, booleans,
# objects), as PTB's RequestParameter.json_value encodes them. Everything else stays a string.
JSON_FIELDS = frozenset(("chat_id", "message_id", "from_chat_id", "user_id", "offset", "limit"))
JSON_FIELDS |= {"timeout", "reply_markup", "reply_parameters", "link_preview_options", "scope"}
JSON_FIELDS |= {"entities", "caption_entities", "commands", "allowed_updates", "show_alert"}
JSON_FIELDS |= {"cache_time", "drop_pending_updates", "disable_notification", "protect_content"}
JSON_FIELDS |= {"message_thread_id", "reply_to_message_id", "menu_button", "max_connections"}


class StandIn(BotAPIState):
    """The Bot API on a free loopback port; a context manager, safe to use from any thread."""

    def __init__(self, port: int = 0, *, max_poll: float = 1.0, one_poller: bool = False) -> None:
        super().__init__()
        self.port, self.max_poll = port, max_poll  # long polls capped to keep tests fast
        # As Telegram: a getUpdates that arrives while another one waits ends the waiting
        # one with 409 Conflict ("terminated by other getUpdates request").
        self.one_poller = one_poller
        self._polls = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._closing = False

    @property
    def base_url(self) -> str:
        """The `base_url` for `telegram.Bot` (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The `base_file_url` for `telegram.Bot`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> StandIn:
        """Listen and serve in a background thread."""
        self._closing = False
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.standin = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="standin")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release waiting long polls, stop serving and close the socket."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()  # joins the request threads
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_for(
        self, predicate: Callable[[ApiCall], bool], timeout: float = 10.0, *, since: int = 0
    ) -> ApiCall:
        """Block until a call (from index `since` on) matches; raise TimeoutError if none does."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for call in self._calls[since:]:
                    if predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [f"{c.method} {c.status}" for c in self._calls[since:]]
                    raise TimeoutError(f"no matching call within {timeout} s; saw {seen}")
                self._lock.wait(remaining)

    def wait_until(
        self, condition: Callable[[list[ApiCall]], bool], timeout: float = 10.0
    ) -> None:
        """Block until `condition(calls)` holds; raise TimeoutError if it does not in time."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not condition(self._calls):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"not within {timeout} s: {condition.__doc__}")
                self._lock.wait(remaining)

    def stats(self) -> dict[str, Any]:
        """What `GET /_stats` answers: calls, accepted messages and when the first and the
        last arrived (time.monotonic, the same clock in every process), 429s given."""
        sent = [c.at for c in self.sent() if c.method in SENDS]
        flood = self.flood
        return {
            "calls": len(self.calls),
            "sent": len(sent),
            "first": min(sent, default=None),
            "last": max(sent, default=None),
            "refused": flood.refused if flood else 0,
            "broken": dict(flood.broken) if flood else {},
        }

    def wait_updates(self, offset: int, timeout: float) -> bool:
        """Hold a getUpdates long poll until an update arrives, the timeout, or stop();
        False when a newer long poll cut this one off (one_poller)."""
        with self._lock:
            self._polls += 1
            mine = self._polls
            self._lock.notify_all()

            def cut_off() -> bool:
                return self.one_poller and self._polls != mine

            self._lock.wait_for(
                lambda: self._closing or self.has_updates(offset) or cut_off(), timeout
            )
            return not cut_off()


class _Server(ThreadingHTTPServer):
    standin: StandIn
    block_on_close = True  # server_close() waits for the request threads: nothing leaks

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hung up mid-request (an abandoned long poll): nothing to report."""
        log.debug("connection from %s dropped", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 30  # an idle connection must not hold stop() forever

    def do_GET(self) -> None:
        """Serve a file download or a Bot API call with query parameters."""
        self._serve()

    def do_POST(self) -> None:
        """Serve a Bot API call."""
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the default access log would print the bot token in every path."""

    def _serve(self) -> None:
        try:
            status, body, content_type = self._answer()
        except Exception:
            log.exception("stand-in failed to answer %s", self.command)
            status, body, content_type = 500, b'{"ok": false, "error_code": 500}', "json"
        if status == HANG_UP:
            self.close_connection = True  # the client sees the connection close, no answer
            return
        try:
            self.send_response(status)
            self.send_header("Content-Type", _CONTENT_TYPES[content_type])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("client went away before the answer (an abandoned long poll)")

    def _answer(self) -> tuple[int, bytes, str]:
        arrived = self.server.standin.clock()  # before reading and parsing: its arrival
        raw_path, _, query = self.path.partition("?")
        path, standin = unquote(raw_path), self.server.standin  # httpx sends ":" as %3A
        if file := FILE_PATH.fullmatch(path):
            broken = standin.answer_broken(DOWNLOAD, {"file_path": file["path"]}, self.path)
            if broken is not None:
                return *broken, "html"
            status, content = standin.download(file["path"])
            return status, content, "octet-stream" if status == 200 else "json"
        if path == STATS_PATH:
            return 200, json.dumps(standin.stats()).encode(), "json"
        api = API_PATH.fullmatch(path)
        if api is None:
            return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}', "json"
        params, files = self._params(query)
        broken = standin.answer_broken(api["method"], params, self.path, files)
        if broken is not None:
            return *broken, "html"
        if api["method"] == "getUpdates":
            wait = min(float(params.get("timeout") or 0), standin.max_poll)
            if not standin.wait_updates(int(params.get("offset") or 0), wait):
                status, body = standin.cut_off(params)
                return status, json.dumps(body).encode(), "json"
        status, body = standin.handle(api["method"], params, files, arrived)
        log.info("%s %s -> %s", api["method"], _summary(params), status)
        if status == TIMEOUT:  # the client sees the connection drop, with no answer
            return HANG_UP, b"", "json"
        return status, json.dumps(body).encode(), "json"

    def _params(self, query: str) -> tuple[dict[str, Any], Files]:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            return dict(json.loads(body or b"{}")), {}
        if content_type.startswith("multipart/form-data"):
            return _multipart(content_type, body)
        pairs = parse_qsl(query, keep_blank_values=True)
        pairs += parse_qsl(body.decode(), keep_blank_values=True)
        return {key: _decode(key, value) for key, value in pairs}, {}


_CONTENT_TYPES = {
    "json": "application/json",
    "octet-stream": "application/octet-stream",
    "html": "text/html; charset=utf-8",
}


def _decode(key: str, value: str) -> Any:
    if key not in JSON_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], Files]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: dict[str, Any] = {}
    files: Files = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)  # form-data parts are never nested multiparts
        file_name = part.get_filename()
        if file_name is None:
            params[name] = _decode(name, payload.decode())
        else:  # httpx sends UTF-8 file names raw; the parser keeps them surrogate-escaped
            files[name] = (file_name.encode("utf-8", "surrogateescape").decode(), payload)
    return params, files


def _summary(params: dict[str, Any]) -> str:
    if "secret_token" in params:  # setWebhook's: a secret, even in the stand-in's log
        params = {**params, "secret_token": "<secret>"}
    text = json.dumps(params, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:199] + "…"


def main(argv: list[str] | None = None) -> int:
    """Serve a stand-in until Ctrl+C, logging every call."""
    parser = argparse.ArgumentParser(prog="python -m fakeapi.standin", description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument(
        "--limits",
        action="store_true",
        help="answer 429 to messages over Telegram's limits (GET /_stats counts them)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log every call")
    args = parser.parse_args(argv)
    level = logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(message)s")
    with StandIn(args.port) as standin:
        standin.flood = FloodControl() if args.limits else None
        sys.stdout.write(
            f"TELEGRAM_API_BASE_URL={standin.base_url}\n"
            f"TELEGRAM_API_BASE_FILE_URL={standin.base_file_url}\n"
        )
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
