"""Kill -9 trials: `dondoc run` killed at random points of a morning's nudges, restarted.

    python -m bench.kill_trials --trials 100 [--leads 30] [--seed 1] [--parallel 2]
    python -m bench.kill_trials --trials 20 --faults 0.2     # and Telegram on a bad day

Each trial copies a seeded SQLite register (`leads` leads, each with a task due that day,
so each is owed one nudge), starts the HTTP stand-in and `dondoc run` on a shifted clock
(08:31 on a working day: the start-up catch-up plans the morning at once), and SIGKILLs
the process at a random point: during start-up or planning, or within one message's
interval after the k-th nudge arrived. It starts it again (killing it once more, now and
then) until every nudge has arrived, then stops it with SIGTERM.

Checked in every trial: each outbox row is `sent`; each nudge arrived; no message that is
not a row arrived; a message arrived again only if Telegram took its previous copy just
before a kill and the killed process had not recorded it as sent (read from the database
right after the kill): it died between Telegram's answer and the commit of the outcome, the
one moment no Bot API call can tell apart (jobs/sender.py); each extra copy needs a kill of
its own. Printed: how long before its kill each such copy arrived (that moment's length,
as the run saw it). The process must also end with exit code 0 on SIGTERM, whenever it
comes (start-up included).

With --faults the stand-in answers that share of the messages with 429 (retry_after), 500
or no answer at all, and Telegram's limits (30/s, 1/s a chat) are enforced: a 429 for a
limit is a failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.shifted import VARIABLE, shifted
from fakeapi.core import ApiCall
from fakeapi.faults import Chaos, FloodControl
from fakeapi.standin import StandIn
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade
from storage.models import Agency, Member, Role, Task

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:KILL-trials"
DAY = date(2027, 3, 2)  # a Tuesday, a working day
START = datetime.combine(DAY, clock_time(8, 31), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
LEADS_MAX = 56  # one lead per seeded agency
LEAD_BASE = 770_000  # lead n is user (and private chat) LEAD_BASE + n
PACE = 1 / 28  # the sender's interval between messages (jobs/sender.py's share)
SECOND_KILL = 0.3  # how often the restarted process is killed once more
IN_FLIGHT = 0.5  # s a message sent before a kill may take to reach the stand-in
WAIT = 60.0  # a bound on the process doing something, never a measure


Message = tuple[int, str]  # (chat, text): what Telegram took
Row = tuple[str, int, str, str]  # an outbox row: key, chat, text, status


@dataclass(frozen=True)
class Kill:
    """A SIGKILL: when (the stand-in's clock), and the messages recorded sent by then."""

    at: float
    recorded: frozenset[Message]


def recorded(rows: list[Row]) -> frozenset[Message]:
    """The messages these outbox rows say were sent."""
    return frozenset((chat, text) for _, chat, text, status in rows if status == "sent")


@dataclass
class Trial:
    """What one trial saw."""

    number: int
    kills: list[str] = field(default_factory=list)  # the phase of each: "start", "sending"
    messages: int = 0
    duplicates: int = 0
    lags: list[float] = field(default_factory=list)  # kill time - first copy, per duplicate
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    faults: int = 0


async def _seed(url: str, leads: int) -> None:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        async with make_sessions(engine).begin() as session:
            agencies = (await session.scalars(select(Agency.id).order_by(Agency.id))).all()
            for number, agency in enumerate(agencies[:leads]):
                user = LEAD_BASE + number
                session.add(
                    Member(user_id=user, role=Role.LEAD.value, agency_id=agency, name=f"L{number}")
                )
                title = f"Việc <{number}> & bàn giao"  # escaped on its way to Telegram
                session.add(
                    Task(code=f"K-{number}", title=title, lead_agency_id=agency, deadline=DAY)
                )
    finally:
        await engine.dispose()


def seed(url: str, leads: int) -> None:
    """A register at `url` whose morning of DAY owes one nudge to each of `leads` leads."""
    if leads > LEADS_MAX:
        raise ValueError(f"at most one lead per seeded agency ({LEADS_MAX})")
    asyncio.run(_seed(url, leads))


def _is_nudge(call: ApiCall) -> bool:
    return call.ok and call.method == "sendMessage" and (call.chat_id or 0) >= LEAD_BASE


def leads_reached(calls: list[ApiCall]) -> int:
    """How many leads have had their nudge (a duplicate counts once)."""
    return len({call.chat_id for call in calls if _is_nudge(call)})


def nudged(count: int) -> Callable[[list[ApiCall]], bool]:
    def condition(calls: list[ApiCall]) -> bool:
        return leads_reached(calls) >= count

    condition.__doc__ = f"{count} leads nudged"
    return condition


class Life:
    """One `dondoc run` process of a trial, on the shifted clock, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bench.shifted", "run", *args],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> float:
        """SIGKILL; when (time.monotonic, the stand-in's clock)."""
        self.process.send_signal(signal.SIGKILL)
        at = time.monotonic()
        self.process.wait(WAIT)
        return at

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(WAIT)


def environment(standin: StandIn, url: str, epoch: float) -> dict[str, str]:
    """`dondoc run`'s environment: the stand-in, the database, the clock at START."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "TELEGRAM_API_BASE_FILE_URL": standin.base_file_url,
        "DATABASE_URL": url,
        "DONDOC_LANGUAGE": "en",
        VARIABLE: shifted(START, epoch),
    }


def _kill_somewhere(standin: StandIn, rng: random.Random, leads: int) -> str | None:
    """Pick the moment to kill: at random during start-up and planning (at the latest as
    the first nudge arrives), or within one message's interval after a random nudge
    arrived; its phase, or None when every nudge had arrived already."""
    arrived = leads_reached(standin.calls)
    left = leads - arrived
    if left <= 1 or rng.random() < 0.25:
        with contextlib.suppress(TimeoutError):  # the kill falls before any nudge
            standin.wait_until(nudged(arrived + 1), rng.uniform(0.3, 3.0))
            time.sleep(rng.uniform(0.0, PACE))
    else:
        standin.wait_until(nudged(arrived + rng.randint(1, left - 1)), WAIT)
        time.sleep(rng.uniform(0.0, PACE))
    reached = leads_reached(standin.calls)
    if reached == leads:
        return None  # all arrived already: stop it instead
    return "sending" if reached else "start"


def trial(
    number: int,
    template: Path,
    workdir: Path,
    *,
    leads: int,
    seed: int,
    faults: float = 0.0,
    kills: bool = True,
) -> Trial:
    """Run one trial (see the module); what it saw, problems included."""
    rng, outcome, began = random.Random(seed), Trial(number), time.monotonic()
    database = workdir / "kill.db"
    shutil.copy(template, database)
    kill_times: list[Kill] = []
    with StandIn() as standin:
        if faults:
            standin.chaos = Chaos(rate=faults, seed=seed, retry_after=(1, 2))
            standin.flood = FloodControl()
        env = environment(standin, sqlite_url(database), time.time())
        try:
            lives = _Lives(env, standin, workdir, lambda: _sqlite_rows(database))
            lives.run(outcome, rng if kills else None, leads, kill_times)
        except TimeoutError as exc:  # a process that stopped sending: the trial failed
            outcome.problems.append(str(exc))
        outcome.faults = sum(standin.chaos.injected.values()) if standin.chaos else 0
        check(outcome, _sqlite_rows(database), standin.sent(), kill_times, standin.flood, leads)
    outcome.seconds = time.monotonic() - began
    return outcome


def _sqlite_rows(database: Path) -> list[Row]:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT key, chat_id, text, status FROM outbox").fetchall()


@dataclass
class _Lives:
    env: dict[str, str]
    standin: StandIn
    workdir: Path
    rows: Callable[[], list[Row]]  # the outbox as it is

    def run(
        self, outcome: Trial, rng: random.Random | None, leads: int, kills: list[Kill]
    ) -> None:
        """Start, kill at random, start again (at most twice more) until every nudge
        arrived; without `rng`, one process that is never killed."""
        for number in range(3):
            life = Life(self.env, self.workdir / f"life-{number}.log")
            try:
                if rng and (number == 0 or (number == 1 and rng.random() < SECOND_KILL)):
                    phase = _kill_somewhere(self.standin, rng, leads)
                    if phase is not None:
                        kills.append(Kill(life.kill(), recorded(self.rows())))
                        outcome.kills.append(phase)
                        continue
                self.standin.wait_until(nudged(leads), WAIT)
                self._until_recorded(leads)  # a nudge that arrived may not be recorded yet
            finally:
                code = life.stop() if life.process.poll() is None else life.process.returncode
            if code != 0:
                outcome.problems.append(f"exit code {code} after SIGTERM ({life.log.name} below)")
            return

    def _until_recorded(self, leads: int) -> None:
        deadline = time.monotonic() + WAIT
        while len(recorded(self.rows())) < leads:
            if time.monotonic() > deadline:
                raise TimeoutError(f"not all {leads} nudges recorded sent within {WAIT} s")
            time.sleep(0.05)


def check(
    outcome: Trial,
    rows: list[Row],
    sent: list[ApiCall],
    kills: list[Kill],
    flood: FloodControl | None,
    leads: int,
) -> None:
    """Add to `outcome` what the outbox `rows` (key, chat, text, status) and the messages
    Telegram took say went wrong (see the module)."""
    problems = outcome.problems
    if len(rows) != leads:
        problems.append(f"{len(rows)} outbox rows, {leads} expected (one per lead)")
    problems += [f"{key} is {status}" for key, _, _, status in rows if status != "sent"]
    nudges = [c for c in sent if _is_nudge(c)]
    arrived = Counter((c.chat_id or 0, c.text) for c in nudges)
    expected = {(chat, text) for _, chat, text, _ in rows}
    outcome.messages = sum(arrived.values())
    problems += [f"never sent: {chat}" for chat, text in expected if not arrived[chat, text]]
    problems += [
        f"not a row: {chat} {text!r}" for chat, text in arrived if (chat, text) not in expected
    ]
    for message, count in arrived.items():
        if count > 1:
            copies = sorted(c.at for c in nudges if (c.chat_id, c.text) == message)
            _repeated(outcome, message, copies, kills)
    if flood is not None and flood.refused:
        problems.append(f"{flood.refused} messages broke Telegram's limits: {dict(flood.broken)}")


def _repeated(outcome: Trial, message: Message, copies: list[float], kills: list[Kill]) -> None:
    """A message that arrived at the times `copies`: fine only if each copy but the last
    has a kill of its own, before the next copy, that found it not recorded sent (that
    process died between Telegram's answer and the commit)."""
    outcome.duplicates += len(copies) - 1
    left = sorted(kills, key=lambda k: k.at)
    lags = []
    for copy, following in pairwise(copies):
        # A request written just before the SIGKILL may reach the stand-in's clock just
        # after it; no later life can send that soon (starting takes seconds).
        kill = next((k for k in left if copy - IN_FLIGHT <= k.at < following), None)
        if kill is None or message in kill.recorded:
            outcome.problems.append(
                f"chat {message[0]}: copies at {[round(c, 3) for c in copies]}, kills at "
                f"{[(round(k.at, 3), message in k.recorded) for k in kills]} (time, recorded)"
            )
            return
        left = left[left.index(kill) + 1 :]
        lags.append(kill.at - copy)
    outcome.lags += lags


def run_trials(
    trials: int,
    *,
    leads: int = 30,
    seed: int = 1,
    parallel: int = 2,
    faults: float = 0.0,
    kills: bool = True,
) -> list[Trial]:
    """Run `trials` trials, `parallel` at a time, each in a directory of its own."""
    with tempfile.TemporaryDirectory(prefix="dondoc-kill-") as tmp:
        root = Path(tmp)
        template = seed_template(root, leads)

        def one(number: int) -> Trial:
            workdir = root / f"trial-{number}"
            workdir.mkdir()
            return trial(number, template, workdir, leads=leads, seed=seed * 1000 + number,
                         faults=faults, kills=kills)  # fmt: skip

        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = list(pool.map(one, range(trials)))
        for result in results:
            if result.problems:  # keep the logs of a failed trial in the report
                logs = sorted((root / f"trial-{result.number}").glob("life-*.log"))
                result.problems += [f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs]
        return results


def seed_template(root: Path, leads: int) -> Path:
    seed(sqlite_url(root / "template.db"), leads)
    return root / "template.db"


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--leads", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--faults", type=float, default=0.0, help="share of messages failed")
    args = parser.parse_args()
    began = time.monotonic()
    results = run_trials(
        args.trials, leads=args.leads, seed=args.seed, parallel=args.parallel, faults=args.faults
    )
    phases = Counter(phase for r in results for phase in r.kills)
    failed = [r for r in results if r.problems]
    print(f"{len(results)} trials, {args.leads} nudges each, faults {args.faults:.0%}")
    print(f"kills: {sum(phases.values())} ({phases['start']} before the first nudge arrived, "
          f"{phases['sending']} while sending)")  # fmt: skip
    print(f"messages arrived: {sum(r.messages for r in results)} "
          f"for {len(results) * args.leads} nudges owed")  # fmt: skip
    duplicates = sum(r.duplicates for r in results)
    lags = sorted(lag for r in results for lag in r.lags)
    print(f"duplicates (first copy taken before a kill, not recorded): {duplicates}", end="")
    if lags:
        print(f"; first copy to kill: median {lags[len(lags) // 2] * 1000:.0f} ms, "
              f"max {lags[-1] * 1000:.0f} ms", end="")  # fmt: skip
    print()
    print(f"faults injected: {sum(r.faults for r in results)}")
    print(f"trials with a problem: {len(failed)}")
    for result in failed:
        print(f"trial {result.number}:", *result.problems, sep="\n  ")
    print(f"{time.monotonic() - began:.0f} s, median trial "
          f"{sorted(r.seconds for r in results)[len(results) // 2]:.1f} s")  # fmt: skip
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
