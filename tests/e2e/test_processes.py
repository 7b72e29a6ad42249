"""More than one process: `dondoc run --webhook` as a process behind its secret token, a
second poller told why it cannot poll, a second process on one SQLite file that does not
schedule."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeapi import updates
from fakeapi.standin import StandIn
from tests.e2e.conftest import ADMIN, STRANGER, TOKEN

pytestmark = pytest.mark.e2e  # starts dondoc as a process: `-m "not e2e"` skips it

SECRET = "webhook-secret-0123456789abcdef"
MARKER = "body-that-must-never-be-logged"
CONFLICT_LINE = (
    "dondoc: cannot poll: another process is already polling this bot (Telegram answered "
    "409 Conflict); run one polling process, or several with `dondoc run --webhook`"
)
WAIT = 30.0  # a generous bound for the process to do something, never a measure


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Dondoc:
    """`python -m bot run …` against the stand-in; `output()` stops it and returns its log."""

    def __init__(self, standin: StandIn, database: Path, *args: str, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            env={
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": standin.base_url,
                "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
                "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
                "DONDOC_ADMINS": str(ADMIN),
                "DONDOC_LANGUAGE": "en",
                **env,
            },
            cwd=database.parent,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=WAIT)
        return out

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=WAIT)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def webhook(standin: StandIn, tmp_path: Path) -> Iterator[tuple[Dondoc, str]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = Dondoc(
        standin,
        tmp_path / "web.db",
        "--webhook",
        DONDOC_WEBHOOK_URL=url,
        DONDOC_WEBHOOK_LISTEN="127.0.0.1",
        DONDOC_WEBHOOK_PORT=str(port),
        DONDOC_WEBHOOK_SECRET=SECRET,
    )
    yield bot, url
    bot.kill()


def _until_listening(url: str) -> None:
    """PTB registers the webhook (setWebhook) just before its server listens."""
    port = int(url.split(":")[2].split("/")[0])
    deadline = time.monotonic() + WAIT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
            return
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_webhook_server_takes_updates_with_the_secret_and_refuses_the_rest(
    standin: StandIn, webhook: tuple[Dondoc, str]
) -> None:
    bot, url = webhook
    registered = standin.wait_for(lambda c: c.method == "setWebhook", WAIT)
    assert registered.params["url"] == url
    assert registered.params["secret_token"] == SECRET
    assert not [c for c in standin.calls if c.method == "getUpdates"]  # no polling at all
    _until_listening(url)

    since = len(standin.calls)
    status = _post(url, updates.command("/status", chat_id=STRANGER, user_id=STRANGER), SECRET)
    assert status == 200
    standin.wait_for(lambda c: c.ok and c.chat_id == STRANGER and c.text != "", WAIT, since=since)

    forged = updates.message(MARKER, chat_id=STRANGER, user_id=STRANGER)
    assert _post(url, forged, None) == 403
    assert _post(url, forged, "wrong-secret-0123456789") == 403
    assert _post(url, forged, "") == 403

    log = bot.output()
    refusals = [line for line in log.splitlines() if "webhook: refused a request" in line]
    assert len(refusals) == 3, log
    assert "did not include the secret token" in refusals[0]
    assert "wrong secret token" in refusals[1]
    assert MARKER not in log  # neither a refused body nor an accepted one
    assert "wrong-secret-0123456789" not in log
    assert SECRET not in log
    assert "Traceback" not in log
    assert len(standin.sent(STRANGER)) == 1  # the refused updates were never handled
    # A process that stops leaves the webhook registered for the others behind the balancer.
    assert not [c for c in standin.calls if c.method == "deleteWebhook"]


def test_a_second_poller_says_in_one_line_why_it_cannot_poll(
    standin: StandIn, tmp_path: Path
) -> None:
    standin.fail_next("getUpdates", 409)  # what Telegram answers when another process polls
    bot = Dondoc(standin, tmp_path / "poll.db")
    try:
        code = bot.process.wait(timeout=WAIT)
        log = bot.output()
    finally:
        bot.kill()
    assert code == 1, log
    lines = [line for line in log.splitlines() if "409" in line or "Conflict" in line]
    assert lines == [CONFLICT_LINE], log
    assert "Traceback" not in log


def test_of_two_real_pollers_the_one_telegram_cuts_off_stops_with_that_line(
    tmp_path: Path,
) -> None:
    with StandIn(one_poller=True) as standin:
        first = Dondoc(standin, tmp_path / "first.db")
        second: Dondoc | None = None
        try:
            standin.wait_for(lambda c: c.method == "getUpdates", WAIT)
            second = Dondoc(standin, tmp_path / "second.db")
            standin.wait_for(lambda c: c.method == "getUpdates" and c.status == 409, WAIT)
            stopped = _first_to_exit(first, second)
            running = second if stopped is first else first
            assert running.process.poll() is None  # the other one keeps polling
            logs = stopped.output(), running.output()
        finally:
            first.kill()
            if second is not None:
                second.kill()
    assert stopped.process.returncode == 1, logs[0]
    assert [line for line in logs[0].splitlines() if "409" in line] == [CONFLICT_LINE], logs[0]
    assert "409" not in logs[1]


def _first_to_exit(*bots: Dondoc) -> Dondoc:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for bot in bots:
            if bot.process.poll() is not None:
                return bot
        time.sleep(0.05)
    raise TimeoutError("neither poller stopped")


def test_a_second_process_on_one_sqlite_file_does_not_start_its_scheduler(
    standin: StandIn, tmp_path: Path
) -> None:
    database = tmp_path / "one.db"
    first = Dondoc(standin, database)
    second: Dondoc | None = None
    try:
        standin.wait_for(lambda c: c.method == "getUpdates", WAIT)  # the first one is up
        port = _free_port()
        second = Dondoc(
            standin,
            database,
            "--webhook",
            DONDOC_WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram",
            DONDOC_WEBHOOK_PORT=str(port),
            DONDOC_WEBHOOK_SECRET=SECRET,
        )
        standin.wait_for(lambda c: c.method == "setWebhook", WAIT)  # after its post_init
        second_log = second.output()
        first_log = first.output()
    finally:
        first.kill()
        if second is not None:
            second.kill()
    assert "scheduler: this process runs the scheduled jobs" in first_log
    refusals = [line for line in second_log.splitlines() if "scheduler not started" in line]
    assert len(refusals) == 1, second_log
    assert "SQLite means one process" in refusals[0]
    assert "runs the scheduled jobs" not in second_log


def test_a_lone_process_runs_the_scheduler(standin: StandIn, tmp_path: Path) -> None:
    bot = Dondoc(standin, tmp_path / "lone.db")
    try:
        standin.wait_for(lambda c: c.method == "getUpdates", WAIT)
        log = bot.output()
    finally:
        bot.kill()
    assert "scheduler: this process runs the scheduled jobs" in log
    assert bot.process.returncode == 0, log


@pytest.mark.parametrize(
    "moment",
    ["setMyCommands", "deleteWebhook", "getUpdates"],  # post_init, polling's start, running
)
def test_sigterm_at_any_moment_of_the_start_stops_cleanly(
    standin: StandIn, tmp_path: Path, moment: str
) -> None:
    # PTB's own run_polling, stopped while it started the updater, ended in "Event loop
    # stopped before Future completed" and exit 1 (seen in the kill trials).
    bot = Dondoc(standin, tmp_path / "term.db")
    try:
        standin.wait_for(lambda c: c.method == moment, WAIT)
        log = bot.output()  # SIGTERM at once, as a supervisor stopping a fresh deploy would
    finally:
        bot.kill()
    assert bot.process.returncode == 0, log
    assert "Traceback" not in log
    assert "destroyed but it is pending" not in log


def test_sigterm_while_the_webhook_registers_stops_cleanly(
    standin: StandIn, webhook: tuple[Dondoc, str]
) -> None:
    bot, _ = webhook
    standin.wait_for(lambda c: c.method == "setWebhook", WAIT)
    log = bot.output()
    assert bot.process.returncode == 0, log
    assert "Traceback" not in log
    assert "destroyed but it is pending" not in log
