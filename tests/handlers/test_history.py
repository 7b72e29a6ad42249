"""/history through the real Application: order, local times, sources, escaping, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from rendering.text import plain, utf16_len
from services import audit
from services.access import Caller
from services.audit import Actor
from services.task_writes import Editor, EvidenceFile, add_evidence, add_note, load
from storage.models import EventSource, EvidenceKind, Role, Task
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, Bot, add_tasks

EVIL = "<b>Trần</b> & Co"
AT = datetime(2026, 11, 20, 2, 5, tzinfo=UTC)  # 09:05 in Hanoi


async def _history(bot: Bot) -> None:
    """H-1: created by an import, a deadline moved from the CLI, a note and a file by a lead
    whose name is HTML, in that order, an hour apart."""
    await add_tasks(bot, [("H-1", "MOF", date(2026, 12, 31), "open", None)])
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task = await load(session, code="H-1")
        assert task is not None
        task.title = "Xây dựng <script> & dữ liệu"
        await audit.record_created(
            session, [task.id], actor=Actor(None, "dang-ky.xlsx", EventSource.IMPORT), at=AT
        )
        await audit.record_changes(
            session,
            task_id=task.id,
            changes=[("deadline", date(2026, 12, 31), date(2027, 1, 31))],
            actor=Actor(None, "dondoc", EventSource.CLI),
            at=AT + timedelta(hours=1),
        )
        editor = Editor(Caller(ADMIN, ADMIN, "private", Role.ADMIN, None, False, None, None), EVIL)
        await add_note(
            session, task=task, text="<b>…</b> & xong", editor=editor, now=AT + timedelta(hours=2)
        )
        evidence = EvidenceFile(EvidenceKind.DOCUMENT, "f1", "u1", "bien-ban<1>.pdf", 10, None)
        await add_evidence(
            session, task=task, file=evidence, editor=editor, now=AT + timedelta(hours=3)
        )


async def test_history_is_newest_first_readable_and_escaped(bot: Bot) -> None:
    await _history(bot)
    [text] = await bot.say("/history h-1", chat_id=ADMIN, user_id=ADMIN)
    assert "<b>Lịch sử nhiệm vụ H-1</b> — Xây dựng &lt;script&gt; &amp; dữ liệu" in text
    assert "4 thay đổi, mới nhất trước" in text
    evidence = text.index("📎 Minh chứng: bien-ban&lt;1&gt;.pdf")
    note = text.index("📝 Ghi chú: &lt;b&gt;…&lt;/b&gt; &amp; xong")
    deadline = text.index("Thời hạn: 31/12/2026 → 31/01/2027")
    created = text.index("🆕 Tạo nhiệm vụ")
    assert evidence < note < deadline < created
    assert "<b>12:05 20/11/2026</b> · &lt;b&gt;Trần&lt;/b&gt; &amp; Co · qua Telegram" in text
    assert "<b>10:05 20/11/2026</b> · dondoc · dòng lệnh" in text
    assert "<b>09:05 20/11/2026</b> · dang-ky.xlsx · nhập tệp" in text
    [english] = await bot.say("/history H-1", chat_id=ADMIN, user_id=ADMIN, lang="en")
    assert "Deadline: 31 Dec 2026 → 31 Jan 2027" in english
    assert "· dondoc · command line" in english


async def test_history_pages_with_buttons_and_stays_under_the_limit(bot: Bot) -> None:
    await add_tasks(bot, [("H-2", "MOF", date(2026, 12, 31), "open", None)])
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task_id = await session.scalar(select(Task.id).where(Task.code == "H-2"))
        assert task_id is not None
        for n in range(20):  # long values, with characters that grow when escaped
            await audit.record_changes(
                session,
                task_id=task_id,
                changes=[("title", f"{n}" + "<&>" * 400, f"{n + 1}" + "&" * 1200)],
                actor=Actor(ADMIN, "Đ" * 300, EventSource.CHAT),
                at=AT + timedelta(minutes=n),
            )
    [first] = await bot.say("/history H-2", chat_id=ADMIN, user_id=ADMIN)
    assert "Trang 1/3" in first
    assert utf16_len(plain(first)) <= 4096
    assert "Tên nhiệm vụ: 19&lt;&amp;&gt;" in first  # the newest change first
    [second] = await bot.press("Trang sau", user_id=ADMIN, chat_id=ADMIN)
    assert "Trang 2/3" in second
    assert "Tên nhiệm vụ: 11&lt;&amp;&gt;" in second
    [back] = await bot.press("Trang trước", user_id=ADMIN, chat_id=ADMIN)
    assert back == first


async def test_history_usage_unknown_code_and_who_may_read(bot: Bot) -> None:
    assert "Cách dùng: /history" in (await bot.say("/history", chat_id=ADMIN, user_id=ADMIN))[0]
    unknown = await bot.say("/history NOPE", chat_id=ADMIN, user_id=ADMIN)
    assert "Không tìm thấy nhiệm vụ có mã “NOPE”" in unknown[0]
    await add_tasks(bot, [("H-3", "MOF", None, "open", None)])
    assert (
        "chưa có thay đổi nào" in (await bot.say("/history H-3", chat_id=ADMIN, user_id=ADMIN))[0]
    )
    stranger = await bot.say("/history H-3", chat_id=STRANGER, user_id=STRANGER)
    assert "chưa được cấp quyền" in stranger[0]
    await bot.say("/register", user_id=ADMIN)
    in_group = await bot.say("/history H-3", chat_id=GROUP, user_id=STRANGER)
    assert "chưa có thay đổi nào" in in_group[0]
