"""`dondoc import` over fields changed in chat: listed, kept, or --overwrite-chat-updates."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from services import task_writes
from services.access import COMMAND_LINE
from services.task_writes import Editor
from storage.db import make_engine, make_sessions


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh database in a scratch working directory; messages in English."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("DONDOC_LANGUAGE", "en")
    for name in ("DONDOC_ADMINS", "DONDOC_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _register(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["code", "title", "agency", "progress"],
                ["T1", "Số hóa hồ sơ", "MOF", "10"],
                ["T2", "Báo cáo quý", "MOH", "20"],
            ]
        )
    return path


async def _progress_in_chat(database: Path, code: str, progress: int) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with make_sessions(engine).begin() as session:
            task = await task_writes.load(session, code=code)
            assert task is not None
            await task_writes.update_task(
                session,
                task=task,
                seen_version=None,
                values={"progress": progress},
                editor=Editor(COMMAND_LINE, "Đầu mối"),
                now=datetime.now(UTC),
            )
    finally:
        await engine.dispose()


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["import", *args]) == 0
    return capsys.readouterr().out


def test_chat_updates_are_listed_kept_and_overwritten_only_when_asked(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_register(env / "register.csv"))
    _import(capsys, path)
    asyncio.run(_progress_in_chat(env / "cli.db", "T1", 50))

    checked = _import(capsys, "--dry-run", path)
    assert "The file would undo 1 update made in chat after the previous import" in checked
    assert "• T1: progress 50% → 10%" in checked
    assert "import with --overwrite-chat-updates" in checked
    assert "T2" not in checked

    kept = _import(capsys, path)
    assert "Kept 1 update made in chat" in kept
    assert "• T1: progress 50% → 10%" in kept
    assert _import(capsys, "--dry-run", path) == checked  # still the lead's

    preview = _import(capsys, "--dry-run", "--overwrite-chat-updates", path)
    assert "With --overwrite-chat-updates the file's values replace them." in preview

    undone = _import(capsys, "--overwrite-chat-updates", path)
    assert "updated 1" in undone
    assert "Undid 1 update made in chat" in undone
    assert "chat" not in _import(capsys, path)  # the import has set it since
