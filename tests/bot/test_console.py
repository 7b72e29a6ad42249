"""`dondoc demo`'s prompt in process: switching roles (/as), a lead's flow from /mytasks to
Done, a note typed after the prompt, a pretend photo, and `/as` refused outside the demo."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import build_application, opened
from bot.console import Console, _load_demo
from bot.demo_roles import CONSOLE_USER, DEMO_LEAD, DEMO_STRANGER, DEMO_VIEWER
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from storage.models import Agency, Member, Task, TaskEvidence, TaskNote


async def _console(tmp_path: Path, *, demo: bool) -> AsyncIterator[Console]:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        admins=frozenset({CONSOLE_USER}),
        telegram_bot_token="123:TEST",
    )
    fake = FakeBotAPI()
    app = build_application(settings, request=fake, rate_limit=False)
    async with opened(app):
        if demo:
            await _load_demo(app)
        yield Console(app, fake, "vi", demo=demo)


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Console]:
    async for console in _console(tmp_path, demo=True):
        yield console


def button(lines: list[str], label: str) -> str:
    """The number to type to press the button whose label contains `label`."""
    for line in lines:
        for number, text in re.findall(r"\[(\d+)\] ([^\[]+)", line):
            if label in text:
                return str(number)
    raise AssertionError(f"no button {label!r} in {lines}")


async def _member(console: Console, user_id: int) -> tuple[str, str | None] | None:
    async with console.app.bot_data.deps.sessions.begin() as session:
        member = await session.get(Member, user_id)
        if member is None:
            return None
        code = await session.scalar(select(Agency.code).where(Agency.id == member.agency_id))
        return member.role, code


async def test_as_switches_who_types(demo: Console) -> None:
    [said] = await demo.handle("/as lead Bộ Tài chính")
    assert "đầu mối của Bộ Tài chính (MOF)" in said
    assert (demo.user_id, await _member(demo, DEMO_LEAD)) == (DEMO_LEAD, ("lead", "MOF"))
    [said] = await demo.handle("/as lead HN")
    assert await _member(demo, DEMO_LEAD) == ("lead", "HN")  # moved, as /as says
    [said] = await demo.handle("/as viewer")
    assert (demo.user_id, await _member(demo, DEMO_VIEWER)) == (DEMO_VIEWER, ("viewer", None))
    assert "chưa là đầu mối" in (await demo.handle("/mytasks"))[0]
    [said] = await demo.handle("/as stranger")
    assert demo.user_id == DEMO_STRANGER
    assert "chưa được cấp quyền" in (await demo.handle("/status"))[0]
    await demo.handle("/as admin")
    assert demo.user_id == CONSOLE_USER
    assert "Tổng số" in (await demo.handle("/status"))[0]


@pytest.mark.parametrize("line", ["/as", "/as king", "/as lead", "/as lead xyzzy"])
async def test_as_explains_itself(demo: Console, line: str) -> None:
    [said] = await demo.handle(line)
    assert "/as" in said or "xyzzy" in said
    assert demo.user_id == CONSOLE_USER


async def test_a_lead_completes_the_flow_in_the_demo(demo: Console) -> None:
    await demo.handle("/as lead MOF")
    listing = await demo.handle("/mytasks")
    assert "Nhiệm vụ chưa hoàn thành của Bộ Tài chính (MOF)" in listing[0]
    code = re.findall(r"\[1\] \S+ (\S+) ·", "\n".join(listing))[0]
    card = await demo.handle("1")
    assert card[0].startswith(code)
    prompt = await demo.handle(button(card, "Ghi chú"))
    assert "trả lời (reply) tin nhắn này" in prompt[0]
    noted = await demo.handle("<b>Đã họp</b> & xong")  # typed next: the reply
    assert "Đã lưu ghi chú" in noted[0]
    assert "<b>Đã họp</b> & xong" in noted[0]  # shown verbatim
    await demo.handle(button(noted, "Minh chứng"))
    [kept] = await demo.handle("/photo Ảnh biên bản")
    assert f"Đã lưu minh chứng cho {code}: ảnh" in kept
    card = await demo.handle(f"/task {code}")
    asked = await demo.handle(button(card, "Hoàn thành"))
    done = await demo.handle(button(asked, "Hôm nay"))
    assert f"Đã ghi nhận {code} hoàn thành" in done[0]
    async with demo.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == code))
        assert task is not None
        assert task.status == "done"
        notes = (await session.scalars(select(TaskNote.text))).all()
        assert notes == ["<b>Đã họp</b> & xong"]
        files = (await session.scalars(select(TaskEvidence.caption))).all()
        assert files == ["Ảnh biên bản"]


async def test_a_number_typed_after_a_prompt_is_the_reply(demo: Console) -> None:
    await demo.handle("/as lead MOF")
    card = await demo.handle("/task " + await _a_mof_task(demo))
    await demo.handle(button(card, "Ghi chú"))
    noted = await demo.handle("2")
    assert "Đã lưu ghi chú" in noted[0]


async def _a_mof_task(console: Console) -> str:
    async with console.app.bot_data.deps.sessions.begin() as session:
        mof = select(Agency.id).where(Agency.code == "MOF").scalar_subquery()
        code = await session.scalar(select(Task.code).where(Task.lead_agency_id == mof))
        assert code is not None
        return code


async def test_files_need_a_name(demo: Console) -> None:
    [said] = await demo.handle("/file")
    assert "/photo [chú thích]" in said


async def test_as_is_the_demos_only(tmp_path: Path) -> None:
    async for console in _console(tmp_path, demo=False):
        answers = await console.handle("/as lead MOF")
        assert "đầu mối của Bộ Tài chính" not in " ".join(answers)
        assert console.user_id == CONSOLE_USER
        assert await _member(console, DEMO_LEAD) is None
