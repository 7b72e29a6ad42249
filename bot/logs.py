"""Logging and output: no bot token anywhere dondoc writes, no traceback for a failed start."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

MASK = "<token>"
# The colon of a token, as written or percent-encoded by a URL (PTB quotes file download
# paths, httpx may quote API paths; a proxy's error page may quote them once more: %253A).
_COLON = r"(?::|%(?:25)?3[aA])"
# A bot token: the bot's numeric id, a colon, then 35 URL-safe characters. It appears in
# request URLs (httpx), in error pages that echo the path, and in PTB's own messages.
_TOKEN_SHAPE = rf"\d{{5,}}{_COLON}[A-Za-z0-9_-]{{30,}}"
MIN_SECRET = 8  # a shorter secret alone would mask ordinary words; the whole token still is


class Redactor:
    """Masks every bot token: anything token-shaped, and the configured one exactly."""

    def __init__(self) -> None:
        self._pattern = re.compile(_TOKEN_SHAPE)

    def add_token(self, token: str) -> None:
        """Mask this token too (raw or percent-encoded, and its secret part on its own)."""
        bot_id, colon, secret = token.strip().partition(":")
        if not colon or not secret:
            return
        # Any case: PTB capitalizes error descriptions ("Bad Request: x" -> "X"), which lowers
        # the rest, and a lowercased secret is still most of the secret.
        exact = [rf"(?i:{re.escape(bot_id)}{_COLON}{re.escape(secret)})"]
        if len(secret) >= MIN_SECRET:
            exact.append(rf"(?i:{re.escape(secret)})")
        self._pattern = re.compile("|".join([*exact, self._pattern.pattern]))

    def add_secret(self, secret: str) -> None:
        """Mask this exact string too (the webhook's secret token)."""
        if len(secret) >= MIN_SECRET:
            self._pattern = re.compile(f"{re.escape(secret)}|{self._pattern.pattern}")

    def reset(self) -> None:
        """Forget configured tokens (tests)."""
        self._pattern = re.compile(_TOKEN_SHAPE)

    def __call__(self, text: str) -> str:
        return self._pattern.sub(MASK, text)


redact = Redactor()  # one per process: every output path below consults it


def install_token(token: str) -> None:
    """Teach the redactor the configured token, at start, before anything can print it."""
    redact.add_token(token)


def install_secret(secret: str) -> None:
    """Teach the redactor another secret (the webhook's), at start."""
    redact.add_secret(secret)


class RedactToken(logging.Filter):
    """Blank out the token in a record's message, its traceback and its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> None:
    """Mask the token in place; formatters then print the masked copies as they are."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging reports it later, as it always does
        return
    masked = redact(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


class QuietBootstrapAbort(logging.Filter):
    """PTB logs a traceback when its start-up call fails; `dondoc` explains it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno >= logging.ERROR
            and "Aborting" in str(record.msg)
            and "Bootstrap" in str(record.args)
        )


class QuietInvalidJson(logging.Filter):
    """PTB dumps a non-JSON answer (an HTML error page) with a traceback, then raises; the
    raised error is what dondoc reports, so the dump would only add lines (and the page)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Can not load invalid JSON data")


def configure_logging() -> None:
    """INFO for dondoc, WARNING for chatty libraries, and the token redacted everywhere."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL (with the token) at INFO; alembic narrates each migration.
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("telegram.ext").addFilter(QuietBootstrapAbort())
    for handler in logging.getLogger().handlers:
        for kind in (RedactToken, QuietInvalidJson):
            if not any(isinstance(f, kind) for f in handler.filters):
                handler.addFilter(kind())
    _redact_at_creation()
    if not getattr(threading.excepthook, "quiet", False):
        threading.excepthook = quiet_closed_loop(threading.excepthook)


ThreadHook = Callable[[threading.ExceptHookArgs], object]


def quiet_closed_loop(previous: ThreadHook) -> ThreadHook:
    """Drop aiosqlite's "Event loop is closed" from its worker thread, pass on the rest.

    After a failed connect (a missing directory) aiosqlite queues a stop whose answer its
    thread may deliver after asyncio.run has closed the loop; the thread then dies with a
    traceback that would follow dondoc's one-line error. Nothing is lost: there was no
    connection to close (https://github.com/omnilib/aiosqlite/issues/241).
    """

    def hook(args: threading.ExceptHookArgs) -> None:
        thread_name = args.thread.name if args.thread is not None else ""
        if not (
            "_connection_worker_thread" in thread_name
            and isinstance(args.exc_value, RuntimeError)
            and str(args.exc_value) == "Event loop is closed"
        ):
            previous(args)

    hook.quiet = True  # type: ignore[attr-defined]
    return hook


def _redact_at_creation() -> None:
    # Handler filters only guard the handlers present now; masking at record creation also
    # covers handlers added later and loggers that do not propagate to the root.
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts", False):
        return

    def make(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        redact_record(record)
        return record

    make.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)


class RedactingStream(io.TextIOBase):
    """A text stream that masks the token in each line before passing it on.

    Lines are held until their newline (or a flush), so a token written in pieces, as
    print() and traceback printing do, is still seen whole.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self.inner = inner
        self._pending = ""

    def write(self, text: str) -> int:
        """Pass on every complete line, masked; keep the rest for later."""
        head, newline, self._pending = (self._pending + text).rpartition("\n")
        if newline:
            self.inner.write(redact(head + newline))
        return len(text)

    def flush(self) -> None:
        """Pass on a partial line too (a prompt), masked."""
        if self._pending:
            pending, self._pending = self._pending, ""
            self.inner.write(redact(pending))
        self.inner.flush()

    def writable(self) -> bool:
        """Always."""
        return True

    def fileno(self) -> int:
        """The wrapped stream's descriptor."""
        return self.inner.fileno()

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal."""
        return self.inner.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return self.inner.encoding


@contextlib.contextmanager
def redacted_output() -> Iterator[None]:
    """Route stdout and stderr through the redactor (tracebacks, warnings, prints, logs)."""
    saved = sys.stdout, sys.stderr
    sys.stdout = RedactingStream(saved[0])
    sys.stderr = RedactingStream(saved[1])
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to save
                stream.flush()
        sys.stdout, sys.stderr = saved
