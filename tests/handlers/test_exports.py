"""/export through the real application: the document, its caption, scopes and refusals."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from fakeapi.core import ApiCall
from fakeapi.rules import MAX_CAPTION
from handlers import exports
from rendering.text import plain, utf16_len
from services import importer
from services.audit import Actor
from storage.models import Agency, EventSource, Member, Program, Role, Task
from tests.handlers.conftest import ADMIN, GROUP, NOW, TODAY, VIEWER, Bot, add_tasks

D = timedelta(days=1)
LEAD = 1004


@pytest.fixture
async def tasks(bot: Bot) -> Bot:
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY - 3 * D, "open", None),
            ("MOF-2", "MOF", TODAY + 5 * D, "in_progress", None),
            ("MOH-1", "MOH", TODAY - 40 * D, "done", TODAY - 41 * D),
            ("HN-1", "HN", None, "in_progress", None),
        ],
    )
    async with bot.app.bot_data.deps.sessions.begin() as session:
        mof = await session.scalar(select(Agency.id).where(Agency.code == "MOF"))
        session.add(Member(user_id=LEAD, role=Role.LEAD.value, agency_id=mof))
        session.add(Member(user_id=VIEWER, role=Role.VIEWER.value))
    return bot


def _documents(bot: Bot, since: int) -> list[ApiCall]:
    return [c for c in bot.api.calls[since:] if c.method == "sendDocument"]


async def _export(bot: Bot, text: str, *, user_id: int = ADMIN, chat_id: int = ADMIN) -> Any:
    """Send `text`; the answers, and the one document sent (None if none)."""
    seen = len(bot.api.calls)
    answers = await bot.say(text, user_id=user_id, chat_id=chat_id)
    documents = _documents(bot, seen)
    assert len(documents) <= 1
    return answers, documents[0] if documents else None


def _tasks_sheet(call: ApiCall) -> list[str]:
    """The codes in the document's task sheet."""
    _name, content = call.files["document"]
    sheet = load_workbook(io.BytesIO(content)).worksheets[2]
    return [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)]


async def test_an_admin_gets_the_whole_register(tasks: Bot) -> None:
    answers, document = await _export(tasks, "/export")

    assert answers == []  # the document is the answer
    assert document is not None
    assert document.files["document"][0] == f"dondoc-all-{TODAY.isoformat()}.xlsx"
    assert document.chat_id == ADMIN
    caption = plain(document.text)
    assert caption.startswith("📊 Sổ theo dõi nhiệm vụ — toàn Ban Chỉ đạo, tính đến ngày 25/11")
    assert "4 nhiệm vụ; đã hoàn thành 1 (25,0%), quá hạn 1." in caption
    assert _tasks_sheet(document) == ["MOF-1", "MOF-2", "MOH-1", "HN-1"]


async def test_importing_the_document_changes_nothing(tasks: Bot) -> None:
    _answers, document = await _export(tasks, "/export")
    _name, content = document.files["document"]
    report = await importer.import_tasks(
        tasks.app.bot_data.deps.sessions,
        importer.read_rows(content, "dondoc.xlsx"),
        dry_run=True,
        actor=Actor(ADMIN, "dondoc.xlsx", EventSource.IMPORT),
        now=NOW,
        today=TODAY,
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


async def test_the_summary_sheet_total_is_status_total(tasks: Bot) -> None:
    [status] = await tasks.say("/status", chat_id=ADMIN, user_id=ADMIN)
    _answers, document = await _export(tasks, "/export")
    _name, content = document.files["document"]
    total = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))[-1]
    shown = re.search(r"Tổng số: <b>(\d+)</b>", status)
    assert shown is not None
    assert total[2:4] == ("Tổng cộng", int(shown[1]))


async def test_a_lead_exports_their_own_agency_only(tasks: Bot) -> None:
    answers, document = await _export(tasks, "/export", user_id=LEAD, chat_id=LEAD)
    assert answers == []
    assert _tasks_sheet(document) == ["MOF-1", "MOF-2"]
    assert document.files["document"][0].startswith("dondoc-MOF-")
    _answers, document = await _export(tasks, "/export Bộ Tài chính", user_id=LEAD, chat_id=LEAD)
    assert document is not None

    for asked in ("/export MOH", "/export all"):
        answers, document = await _export(tasks, asked, user_id=LEAD, chat_id=LEAD)
        assert document is None, asked
        assert answers == [
            "Đầu mối chỉ xuất được sổ theo dõi nhiệm vụ của cơ quan mình: /export MOF."
        ]


async def test_viewers_and_strangers_are_refused(tasks: Bot) -> None:
    answers, document = await _export(tasks, "/export", user_id=VIEWER, chat_id=VIEWER)
    assert document is None
    assert "chỉ dành cho quản trị viên" in answers[0]
    await tasks.say("/register", user_id=ADMIN)
    answers, document = await _export(tasks, "/export", user_id=VIEWER, chat_id=GROUP)
    assert document is None
    assert "chỉ dành cho quản trị viên" in answers[0]


async def test_an_agencys_group_exports_that_agency(tasks: Bot) -> None:
    await tasks.say("/register MOH", user_id=ADMIN)
    _answers, document = await _export(tasks, "/export", chat_id=GROUP)
    assert document.chat_id == GROUP
    assert _tasks_sheet(document) == ["MOH-1"]
    _answers, document = await _export(tasks, "/export all", chat_id=GROUP)
    assert len(_tasks_sheet(document)) == 4


async def test_a_name_close_to_several_offers_buttons(tasks: Bot) -> None:
    _answers, document = await _export(tasks, "/export Quảng")
    assert document is None
    assert tasks.last_markup()
    seen = len(tasks.api.calls)
    await tasks.press("Quảng Ninh", user_id=ADMIN, chat_id=ADMIN)
    [pressed] = _documents(tasks, seen)
    assert pressed.files["document"][0].startswith("dondoc-QNH-")
    assert "Tỉnh Quảng Ninh" in pressed.text
    assert tasks.callback_answers(seen)  # the spinner stopped


async def test_a_large_export_says_preparing_first(
    tasks: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "NOTICE_TASKS", 4)
    seen = len(tasks.api.calls)
    answers, document = await _export(tasks, "/export")
    assert answers == ["Đang chuẩn bị tệp Excel (4 nhiệm vụ)…"]
    methods = [c.method for c in tasks.api.calls[seen:]]
    assert methods.index("sendMessage") < methods.index("sendDocument")
    assert document is not None


async def test_the_caption_stays_within_telegrams_limit(
    tasks: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "NAME_CUT", 10_000)  # the shorter name has to step in
    async with tasks.app.bot_data.deps.sessions.begin() as session:
        program = Program(code="DAI", name="Chương trình " + "😀" * 500)  # SQLite: no length cap
        session.add(program)
        await session.flush()
        await session.execute(update(Task).values(program_id=program.id))
    _answers, document = await _export(tasks, "/export DAI")
    assert document is not None
    assert utf16_len(plain(document.text)) <= MAX_CAPTION
    assert "Chương trình 😀" in document.text
