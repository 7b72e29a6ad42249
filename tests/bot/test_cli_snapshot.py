"""`dondoc status` reads its figures from one snapshot (storage.db.snapshot)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import storage.db
from bot.__main__ import main
from storage.db import Sessions


def test_status_reads_one_snapshot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    opened: list[Sessions] = []
    real = storage.db.snapshot

    def spy(sessions: Sessions) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        opened.append(sessions)
        return real(sessions)

    monkeypatch.setattr("bot.cli.snapshot", spy)
    for args in (["status", "--json"], ["status", "MOF"], ["status", "--by", "agency"]):
        opened.clear()
        assert main(args) == 0
        assert len(opened) == 1, args
