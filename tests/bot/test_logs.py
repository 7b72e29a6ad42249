"""Log lines never carry the bot token, not even inside a traceback."""

from __future__ import annotations

import io
import logging
import sys
import threading
import traceback
from collections.abc import Iterator

import pytest

from bot.logs import (
    MASK,
    QuietInvalidJson,
    RedactingStream,
    Redactor,
    RedactToken,
    configure_logging,
    install_token,
    quiet_closed_loop,
    redact,
    redacted_output,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _formatted(record: logging.LogRecord) -> str:
    RedactToken().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_token_in_a_url_is_redacted() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None
    )
    assert _formatted(record) == "POST https://x/bot<token>/getMe"


def test_token_in_a_traceback_is_redacted() -> None:
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected")
    except RuntimeError:
        record = logging.LogRecord(
            "telegram", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    text = _formatted(record)
    assert "The token `<token>` was rejected" in text
    assert TOKEN.split(":")[1] not in text


# --- d: every encoding, the configured token, every output path ---

ODD = "4242:short-Secret_x9"  # a configured token @BotFather would not issue: no usual shape


@pytest.fixture
def redactor() -> Iterator[Redactor]:
    """The process-wide redactor, taught nothing beyond the usual shape; reset after."""
    redact.reset()
    yield redact
    redact.reset()


@pytest.mark.parametrize("colon", [":", "%3A", "%3a", "%253A"])
def test_a_token_shaped_string_is_masked_in_any_url_encoding(colon: str) -> None:
    bot_id, _, secret = TOKEN.partition(":")
    text = f"GET /file/bot{bot_id}{colon}{secret}/documents/file_1.csv"
    assert redact(text) == f"GET /file/bot{MASK}/documents/file_1.csv"


def test_the_configured_token_is_masked_whatever_its_shape(redactor: Redactor) -> None:
    bot_id, _, secret = ODD.partition(":")
    text = f"{ODD} {bot_id}%3a{secret} {secret} {ODD.lower()} {ODD.capitalize()}"
    assert redactor(text) == text  # not the usual shape: unknown until installed
    install_token(ODD)
    assert redactor(text) == " ".join([MASK] * 5)
    assert redactor(f"bot {bot_id} says hi") == f"bot {bot_id} says hi"  # the id is public


def test_a_short_secret_alone_is_left_but_the_whole_token_masked(redactor: Redactor) -> None:
    install_token("77:abc")
    assert redactor("77:abc and abc and 77%3Aabc") == f"{MASK} and abc and {MASK}"


def test_the_stream_masks_a_token_written_in_pieces(redactor: Redactor) -> None:
    install_token(ODD)
    inner = io.StringIO()
    stream = RedactingStream(inner)
    print("token=" + ODD[:4], ODD[4:], sep="", file=stream)  # three writes, one line
    stream.write("prompt> ")
    assert inner.getvalue() == f"token={MASK}\n"  # the prompt waits for its line to end…
    stream.flush()
    assert inner.getvalue() == f"token={MASK}\nprompt> "  # …or for a flush


def test_redacted_output_covers_prints_and_tracebacks_then_restores(
    redactor: Redactor, capsys: pytest.CaptureFixture[str]
) -> None:
    install_token(ODD)
    before = sys.stdout, sys.stderr
    with redacted_output():
        sys.stdout.write(f"result for {ODD}\n")
        try:
            raise RuntimeError(f"request to /bot{ODD}/getMe failed")
        except RuntimeError:
            traceback.print_exc()
    assert (sys.stdout, sys.stderr) == before
    out, err = capsys.readouterr()
    assert out == f"result for {MASK}\n"
    assert f"RuntimeError: request to /bot{MASK}/getMe failed" in err
    assert "short-Secret" not in out + err


def test_records_are_masked_for_handlers_added_after_set_up(redactor: Redactor) -> None:
    install_token(ODD)
    configure_logging()
    late = logging.getLogger("d.late")  # its own handler, not propagating to the root's
    late.propagate = False
    sink = io.StringIO()
    late.addHandler(logging.StreamHandler(sink))
    try:
        try:
            raise ValueError(f"/bot{ODD}/getFile")
        except ValueError:
            late.exception("download of %s failed", f"/file/bot{ODD}/a.csv")
    finally:
        late.handlers.clear()
    text = sink.getvalue()
    assert f"download of /file/bot{MASK}/a.csv failed" in text
    assert f"ValueError: /bot{MASK}/getFile" in text
    assert "short-Secret" not in text


def test_ptb_dump_of_a_page_that_is_not_json_is_dropped() -> None:
    page = logging.LogRecord(
        "telegram.request.BaseRequest", logging.ERROR, __file__, 1,
        'Can not load invalid JSON data: "%s"', ("<html>…</html>",), None,
    )  # fmt: skip
    assert not QuietInvalidJson().filter(page)
    other = logging.LogRecord("telegram", logging.ERROR, __file__, 1, "other", (), None)
    assert QuietInvalidJson().filter(other)


def _thread_failure(name: str, exc: BaseException) -> threading.ExceptHookArgs:
    thread = threading.Thread(name=name)
    return threading.ExceptHookArgs([type(exc), exc, None, thread])


def test_aiosqlite_closed_loop_report_after_a_failed_open_is_dropped() -> None:
    seen: list[threading.ExceptHookArgs] = []
    hook = quiet_closed_loop(seen.append)
    worker = "Thread-3 (_connection_worker_thread)"
    hook(_thread_failure(worker, RuntimeError("Event loop is closed")))
    assert seen == []
    other = [
        _thread_failure(worker, RuntimeError("database disk image is malformed")),
        _thread_failure("Thread-4 (poller)", RuntimeError("Event loop is closed")),
    ]
    for args in other:
        hook(args)
    assert seen == other
