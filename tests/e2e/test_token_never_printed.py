"""No output of a failing dondoc ever carries the bot token, in any encoding.

Each scenario breaks something the way a careless set-up does (a proxy's error page that
echoes the request path, HTML where JSON belongs, a dropped connection) and reads everything
the process wrote. Start-up failures end the process, so each costs one start; the failures
of a running bot share one process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.logs import redact
from fakeapi import updates
from fakeapi.core import DOWNLOAD, ECHO_PAGE, HANG_UP, ApiCall
from fakeapi.standin import StandIn
from rendering.text import plain, render

# Not the usual shape (a short id and a 15-character secret): only the exact configured
# token installed into the redactor at start can mask it.
TOKEN = "4242:short-Secret_x9"
SHAPED = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # what @BotFather hands out
ADMIN = 7001
MASK = "<token>"
REGISTER = "code,title,agency\nS-1,Số hóa hồ sơ,MOF\n".encode()
JSON_ECHO = '{"ok": false, "error_code": 400, "description": "Bad Request: proxy refused {path}"}'


def leaks(output: str, token: str = TOKEN) -> list[str]:
    """Every form of the token in the output: raw, percent-encoded (%3A, %3a), the secret
    alone; in any case, since PTB capitalizes error descriptions (lowering the rest)."""
    bot_id, _, secret = token.partition(":")
    forms = (token, f"{bot_id}%3A{secret}", f"{bot_id}%3a{secret}", secret)
    return [form for form in forms if form.lower() in output.lower()]


def _env(tmp_path: Path, token: str, api_url: str, file_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": api_url,
        "TELEGRAM_API_BASE_FILE_URL": file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'leak.db'}",
        "DONDOC_ADMINS": str(ADMIN),
        "DONDOC_LANGUAGE": "en",
    }


def _dondoc(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("token", "status", "json_description"),
    [(TOKEN, 502, None), (SHAPED, 200, None), (TOKEN, 404, None), (TOKEN, 401, "Unauthorized")],
    ids=["5xx-echo-page", "200-html-usual-token", "404-html", "401"],
)  # fmt: skip
def test_a_failed_start_is_one_line_without_the_token(
    tmp_path: Path, token: str, status: int, json_description: str | None
) -> None:
    with StandIn() as standin:
        if json_description is None:
            standin.break_next("getMe", status)  # an HTML page that echoes /bot<token>/getMe
        else:
            standin.fail_next("getMe", status, description=json_description)
        env = _env(tmp_path, token, standin.base_url, standin.base_file_url)
        done = _dondoc("run", env=env, cwd=tmp_path)
    assert [c.method for c in standin.calls] == ["getMe"]
    output = done.stdout + done.stderr
    assert leaks(output, token) == []
    assert done.returncode == 2, output
    if json_description is None:  # HTML: the address is wrong, whatever the status says
        expected = render("en", "startup-api-not-json", url=standin.base_url, status=status)
    else:
        expected = render("en", "startup-token-rejected")
    assert done.stderr.splitlines() == [f"dondoc: {plain(expected)}"]


def test_an_unreachable_api_named_with_the_token_in_its_address(tmp_path: Path) -> None:
    # An operator pasted the whole method URL, token included, as the base address.
    url = f"http://127.0.0.1:9/bot{TOKEN}/"  # the discard port: the connection is refused
    done = _dondoc("run", env=_env(tmp_path, TOKEN, url, url), cwd=tmp_path)
    output = done.stdout + done.stderr
    assert leaks(output) == []
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"dondoc: TELEGRAM_API_BASE_URL: cannot reach http://127.0.0.1:9/bot{MASK}/"
        " (httpx.ConnectError: All connection attempts failed)"
    ]


def _start(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """`python -m bot run`, its output (stdout and stderr together) on a pipe."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env, cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


async def _wait(standin: StandIn, predicate: Callable[[ApiCall], bool], since: int) -> ApiCall:
    return await asyncio.to_thread(standin.wait_for, predicate, 30.0, since=since)


def _called(method: str, status: int) -> Callable[[ApiCall], bool]:
    return lambda call: call.method == method and call.status == status


def _sent(text: str) -> Callable[[ApiCall], bool]:
    return lambda call: call.method == "sendMessage" and call.ok and text in plain(call.text)


APOLOGY = plain(render("en", "error-internal"))
NO_HEADER = plain(render("en", "import-file-no-header"))
NOT_FETCHED = plain(render("en", "import-download-failed", name="register.csv"))


def _import(standin: StandIn) -> int:
    """The admin sends the register captioned /import; return the call index before it."""
    since = len(standin.calls)
    file_id, _ = standin.add_file(REGISTER, "register.csv")
    standin.push_update(
        updates.document(
            file_id, "register.csv", caption="/import", chat_id=ADMIN, user_id=ADMIN, lang="en"
        )
    )
    return since


def _status(standin: StandIn) -> int:
    since = len(standin.calls)
    standin.push_update(updates.command("/status", chat_id=ADMIN, user_id=ADMIN, lang="en"))
    return since


async def test_a_running_bot_never_prints_the_token(tmp_path: Path) -> None:
    """Ten failures of the Bot API while the bot runs; the bot survives them all."""
    with StandIn() as standin:
        env = _env(tmp_path, TOKEN, standin.base_url, standin.base_file_url)
        process = _start(env, tmp_path)
        try:
            await _wait(standin, lambda call: call.method == "getUpdates", 0)

            # Polling: a proxy's 502 page echoing the path, then a dropped connection.
            for status in (502, HANG_UP):
                since = len(standin.calls)
                standin.break_next("getUpdates", status)
                await _wait(standin, _called("getUpdates", status), since)
                await _wait(standin, _called("getUpdates", 200), since)

            # /import: getFile fails; then the download (its path quoted: %3A) fails three
            # ways; then it answers 200 with an HTML page instead of the file.
            standin.break_next("getFile", 502)
            await _wait(standin, _called("getFile", 502), _import(standin))
            for status in (500, HANG_UP):
                standin.break_next(DOWNLOAD, status)
                await _wait(standin, _called(DOWNLOAD, status), _import(standin))
            standin.break_next(DOWNLOAD, 404)  # InvalidToken: logged, and the admin told
            await _wait(standin, _sent(NOT_FETCHED), _import(standin))
            standin.break_next(DOWNLOAD, 200)  # the page is read as the register
            await _wait(standin, _sent(NO_HEADER), _import(standin))

            # Replies: a 502 page, a 200 page (a traceback and an apology), a JSON error
            # whose description echoes the path (a traceback and an apology).
            standin.break_next("sendMessage", 502)
            await _wait(standin, _called("sendMessage", 502), _status(standin))
            for status, page in ((200, ECHO_PAGE), (400, JSON_ECHO)):
                standin.break_next("sendMessage", status, page)
                await _wait(standin, _sent(APOLOGY), _status(standin))

            # Still answering after all that.
            await _wait(standin, _sent("Task progress summary"), _status(standin))
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.to_thread(process.communicate, timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=10)
    assert leaks(output) == [], output
    assert process.returncode == 0, output
    assert output.count(MASK) >= 6, output  # the six echoed paths reached the log, masked


@pytest.fixture
def forget_token() -> Iterator[None]:
    """main() teaches this process's redactor the token; forget it after the test."""
    yield
    redact.reset()


@pytest.mark.usefixtures("forget_token")
def test_failing_import_and_status_never_print_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Three CLI failures that echo what the operator gave them, which holds the token
    (in process: every byte written to the descriptors 1 and 2 is captured)."""
    monkeypatch.chdir(tmp_path)
    env = _env(tmp_path, TOKEN, "http://127.0.0.1:9/bot", "http://127.0.0.1:9/file/bot")
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DONDOC_LANGUAGE"):
        monkeypatch.setenv(name, env[name])
    bot_id, _, secret = TOKEN.partition(":")
    register = tmp_path / "pasted.csv"
    register.write_text(
        "code,title,agency\n"
        f"P-1,a,{TOKEN}\n"  # the token pasted into a cell: the error row quotes the cell
        f"P-2,b,{bot_id}%3a{secret}\n"
        f"P-3,c,{secret.upper()}\n",
        encoding="utf-8",
    )
    outputs = []
    for args, code in (
        (["import", str(register)], 1),
        (["status", f"{bot_id}%3A{secret}"], 1),  # "no agency matches …" quotes the query
        (["import", str(tmp_path / f"{TOKEN}.xlsx")], 2),  # "cannot read …" quotes the path
    ):
        assert main(args) == code
        output = "".join(capfd.readouterr())
        assert output.count(MASK) >= (3 if args[0] == "import" and code == 1 else 1), output
        outputs.append(output)
    assert leaks("\n".join(outputs)) == []
