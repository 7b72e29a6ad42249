"""`dondoc jobs`, `dondoc run-job NAME [--at]` (against the HTTP stand-in), `dondoc outbox`."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from fakeapi.standin import StandIn
from jobs.registry import JOBS
from rendering.text import Html
from services.outbox import enqueue
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from tests.bot.conftest import TOKEN
from tests.jobs.outbox_kit import MorningJob

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, cli_env: Path) -> Path:
    """The command line's environment (tests/bot/conftest.py), in English."""
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    return cli_env


@pytest.fixture
def greet() -> Iterator[MorningJob]:
    job = MorningJob()
    JOBS[job.name] = job.job()
    yield job
    del JOBS[job.name]


def _queue(database: Path, rows: list[tuple[str, int]]) -> None:
    """Messages already in the outbox (key, chat id), as a job of a crashed run left them."""

    async def run() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{database}")
        try:
            await upgrade(engine)
            async with make_sessions(engine).begin() as session:
                for key, chat in rows:
                    text = Html(f"<b>{key}</b>")
                    await enqueue(session, key=key, chat_id=chat, text=text, now=_now())
        finally:
            await engine.dispose()

    asyncio.run(run())


def _now() -> datetime:
    return datetime.now(UTC)


def test_jobs_lists_each_job_with_its_next_run(
    env: Path, greet: MorningJob, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jobs"]) == 0
    (line,) = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("greet\t")]
    _name, when, zone = line.split("\t")
    assert zone == "Asia/Ho_Chi_Minh"
    local = datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=HANOI)
    assert local.strftime("%H:%M") == "08:30"
    assert timedelta(0) < local - datetime.now(UTC) <= timedelta(days=1)


def test_jobs_says_when_none_is_registered(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("jobs.runner.JOBS", {})
    assert main(["jobs"]) == 0
    assert capsys.readouterr().err.strip() == "No jobs are registered."


def test_run_job_plans_as_of_the_given_time_then_sends_everything_pending(
    env: Path, standin: StandIn, greet: MorningJob, capsys: pytest.CaptureFixture[str]
) -> None:
    _queue(env, [("left:1", 501), ("left:2", -100777), ("left:3", 502)])
    standin.refuse_chat(502)  # that lead blocked the bot
    assert main(["run-job", "greet", "--at", "2026-12-05 08:30"]) == 0
    assert [run.isoformat() for run in greet.runs] == ["2026-12-05T08:30:00+07:00"]
    sent = {(c.chat_id, c.text) for c in standin.sent()}
    assert sent == {
        (42, "Chào buổi sáng 2026-12-05"),
        (501, "<b>left:1</b>"),
        (-100777, "<b>left:2</b>"),
    }
    assert len(standin.sent()) == 3  # each once
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert said == "greet: queued 1; outbox: sent 3, failed 0, blocked 1, still pending 0"

    # Run again as of the same time: the plan queues nothing new, nothing is sent again.
    assert main(["run-job", "greet", "--at", "2026-12-05 08:30"]) == 0
    assert len(standin.sent()) == 3
    assert capsys.readouterr().err.strip().endswith("queued 0; outbox: sent 0, failed 0, "
                                                     "blocked 0, still pending 0")  # fmt: skip

    assert main(["outbox", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["key"] for r in rows] == ["left:1", "left:2", "left:3", "greet:42:2026-12-05"]
    for row in rows:
        assert {"key", "chat_id", "status", "attempts", "error", "created_at", "sent_at"} <= set(
            row
        )
        assert ISO.fullmatch(row["created_at"])
    by_key = {r["key"]: r for r in rows}
    assert by_key["left:3"]["status"] == "blocked"
    assert by_key["left:3"]["error"] == "Forbidden: bot was blocked by the user"
    assert by_key["left:3"]["sent_at"] is None
    assert by_key["left:1"]["status"] == "sent"
    assert ISO.fullmatch(by_key["left:1"]["sent_at"])
    assert (by_key["left:1"]["chat_id"], by_key["left:1"]["attempts"]) == (501, 1)

    assert main(["outbox", "--status", "blocked", "--json"]) == 0
    assert [r["key"] for r in json.loads(capsys.readouterr().out)] == ["left:3"]
    assert main(["outbox", "--status", "blocked"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split("\t")[:5] == [str(by_key["left:3"]["id"]), "blocked", "502", "left:3", "1"]
    assert line.endswith("Forbidden: bot was blocked by the user")


def test_run_job_with_an_unknown_name_says_so_in_one_line(
    env: Path, greet: MorningJob, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run-job", "nudgez"]) == 2
    err = capsys.readouterr().err
    known = "digest, greet, nudges, snapshot"  # every module of jobs/ is loaded, and the test's
    assert err.strip().splitlines() == [f"dondoc run-job: no job named “nudgez” (jobs: {known})"]


def test_run_job_with_a_rejected_token_says_so_before_planning(
    env: Path, standin: StandIn, greet: MorningJob, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.fail_next("getMe", 401, description="Unauthorized")
    assert main(["run-job", "greet"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "TELEGRAM_BOT_TOKEN" in line
    assert TOKEN.split(":")[1] not in line
    assert greet.runs == []


def test_run_job_with_a_malformed_time_says_so(
    env: Path, greet: MorningJob, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run-job", "greet", "--at", "5/12/2026 8h30"]) == 2
    assert "--at takes" in capsys.readouterr().err
    assert greet.runs == []


def test_an_empty_outbox_is_an_empty_list(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outbox", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
