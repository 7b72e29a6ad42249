"""`dondoc invite`: links for many agencies, made through getMe, that the bot then accepts."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.handlers.conftest import running

LINK = re.compile(r"https://t\.me/dondoc_bot\?start=([A-Za-z0-9_-]{16})")


@pytest.fixture
def env(cli_env: Path) -> Path:
    """The command line's environment (tests/bot/conftest.py)."""
    return cli_env


def _invites(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT count(*) FROM pending_action").fetchone()[0])


def test_links_for_several_agencies_open_in_the_bot(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["invite", "MOF", "Hà Nội", "bo tai chinh"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert [line.split()[0] for line in lines] == ["MOF", "HN"]  # one link per agency
    assert "Bộ Tài chính" in lines[0]
    tokens = [found[1] for line in lines if (found := LINK.search(line))]
    assert len(set(tokens)) == 2
    assert "2 đường dẫn mời, mỗi đường dẫn dùng một lần, có hiệu lực đến" in captured.err
    assert _invites(env) == 2

    async def open_link() -> str:
        async with running(env, now=datetime.now(UTC)) as bot:
            [welcome] = await bot.say(f"/start {tokens[1]}", chat_id=3003, user_id=3003)
            return welcome

    assert "đã là đầu mối của <b>Thành phố Hà Nội</b> (HN)" in asyncio.run(open_link())
    with sqlite3.connect(env) as conn:
        assert conn.execute("SELECT invited_by FROM member").fetchall() == [(0,)]


def test_csv_for_every_agency(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["invite", "--all", "--csv", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("\ufeffcode,")  # Excel reads a UTF-8 file only with the mark
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["code", "name", "link", "expires"]
    assert len(rows) == 1 + 56
    assert ["MOF", "Ministry of Finance"] in [row[:2] for row in rows]
    for _code, _name, link, expires in rows[1:]:
        assert LINK.fullmatch(link)
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", expires)


def test_a_wrong_name_or_usage_makes_no_link(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["invite", "MOF", "Bộ Không Có"]) == 1
    assert "Không tìm thấy" in capsys.readouterr().err
    assert main(["invite", "MOF", "--all"]) == 2
    assert main(["invite"]) == 2
    assert "--all" in capsys.readouterr().err
    assert _invites(env) == 0


def test_a_token_is_required(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    assert main(["invite", "MOF"]) == 2
    assert "TELEGRAM_BOT_TOKEN: required to run the bot and to make invite links" in (
        capsys.readouterr().err
    )
