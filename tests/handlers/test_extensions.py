"""More time, /extend and the admins' decision, through the real Application."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import MessageHandler, filters

from fakeapi import updates
from fakeapi.inprocess import ApiCall
from handlers.task_buttons import CardButton, Verb
from services import extension_prompts
from storage.models import Agency, ExtensionRequest, Member, PendingAction, Role, Task
from tests.handlers.conftest import (
    ADMIN,
    GROUP,
    STRANGER,
    VIEWER,
    Bot,
    add_tasks,
    reply_before_record,
)

LEAD, OTHER_LEAD, ADMIN2, ADMIN3 = 2001, 2002, 1005, 1006
DEADLINE = date(2026, 12, 10)  # TODAY is 25/11/2026


@pytest.fixture
async def office(bot: Bot) -> Bot:
    """A MOF task, a routine one, MOF's lead, MOH's lead, a viewer and two more admins."""
    await add_tasks(
        bot, [("EXT-1", "MOF", DEADLINE, "open", None), ("EXT-2", "MOF", None, "open", None)]
    )
    async with bot.app.bot_data.deps.sessions.begin() as session:
        ids = {a: await _agency(session, a) for a in ("MOF", "MOH")}
        session.add_all(
            [
                Member(user_id=LEAD, role=Role.LEAD.value, agency_id=ids["MOF"], name="Minh"),
                Member(user_id=OTHER_LEAD, role=Role.LEAD.value, agency_id=ids["MOH"]),
                Member(user_id=VIEWER, role=Role.VIEWER.value),
                Member(user_id=ADMIN2, role=Role.ADMIN.value, language="en"),
                Member(user_id=ADMIN3, role=Role.ADMIN.value),
            ]
        )
    return bot


async def _agency(session: Any, code: str) -> int:
    found = await session.scalar(select(Agency.id).where(Agency.code == code))
    assert found is not None
    return int(found)


async def _task(bot: Bot, code: str = "EXT-1") -> Task:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == code))
        assert task is not None
        return task


async def _press(bot: Bot, data: str, *, user_id: int, chat_id: int | None = None,
                 message_id: int | None = None) -> list[str]:  # fmt: skip
    chat = user_id if chat_id is None else chat_id
    return await bot.send(
        updates.callback(data, chat_id=chat, user_id=user_id, message_id=message_id)
    )


async def _more_time(bot: Bot, *, user_id: int = LEAD, chat_id: int | None = None) -> list[str]:
    task = await _task(bot)
    data = CardButton(task.id, task.version, Verb.MORE_TIME).pack()
    return await _press(bot, data, user_id=user_id, chat_id=chat_id)


async def _prompt(bot: Bot, kind: str) -> int:
    """The message id of the latest question of this kind still waiting for its reply."""
    async with bot.app.bot_data.deps.sessions.begin() as session:
        rows = await session.scalars(
            select(PendingAction.payload).where(
                PendingAction.kind == kind, PendingAction.consumed_at.is_(None)
            )
        )
        return max(int(payload["prompt"]) for payload in rows)


def _reply(
    text: str, *, to: int, user_id: int = LEAD, chat_id: int | None = None
) -> dict[str, Any]:
    chat = user_id if chat_id is None else chat_id
    update = updates.text_message(text, chat_id=chat, user_id=user_id)
    update["message"]["reply_to_message"] = updates.bot_message("…", chat_id=chat, message_id=to)
    return update


async def _request(bot: Bot) -> ExtensionRequest:
    async with bot.app.bot_data.deps.sessions.begin() as session:
        found = await session.scalar(select(ExtensionRequest).order_by(ExtensionRequest.id.desc()))
        assert found is not None
        return found


def _alerts(bot: Bot, since: int) -> list[str]:
    return [str(c.params.get("text")) for c in bot.callback_answers(since)]


def _sent(bot: Bot, since: int, method: str = "sendMessage") -> list[ApiCall]:
    return [c for c in bot.api.calls[since:] if c.method == method and c.ok]


async def _ask_by_buttons(
    bot: Bot,
    reason: str = "Chờ ý kiến <b>Bộ Tư pháp</b> & Bộ Nội vụ",
    *,
    unreachable: bool = False,
) -> list[str]:
    """The lead's three taps and a reply in private: More time, +7 days, the reason;
    `unreachable`: the first admin never started the bot (403)."""
    question = await _more_time(bot)
    assert "Đề nghị gia hạn nhiệm vụ EXT-1" in question[0]
    assert "Thời hạn hiện tại: <b>10/12/2026</b>" in question[0]
    await bot.press("+7 ngày: 17/12/2026", user_id=LEAD, chat_id=LEAD)
    prompt = await _prompt(bot, "extension-reason")
    if unreachable:
        forbidden = "Forbidden: bot can't initiate conversation with a user"
        bot.api.fail_next("sendMessage", 403, description=forbidden)
    return await bot.send(_reply(reason, to=prompt))


async def test_a_lead_asks_every_admin_is_told_the_first_decision_wins(office: Bot) -> None:
    bot = office
    seen = len(bot.api.calls)
    answers = await _ask_by_buttons(bot, unreachable=True)

    sent = _sent(bot, seen)
    prompt = next(c for c in sent if "force_reply" in str(c.params.get("reply_markup")))
    assert "lý do đề nghị gia hạn" in prompt.text
    notices = [c for c in sent if c.callback_data]
    assert [c.chat_id for c in notices] == [ADMIN2, ADMIN3]  # ADMIN never started the bot
    english = next(c for c in notices if c.chat_id == ADMIN2)
    assert "Deadline extension request" in english.text
    assert "Chờ ý kiến &lt;b&gt;Bộ Tư pháp&lt;/b&gt; &amp; Bộ Nội vụ" in english.text
    assert "Asked for: <b>17 Dec 2026</b> (7 more days)" in english.text
    assert "từ 10/12/2026 đến <b>17/12/2026</b> tới 2 quản trị viên" in answers[-1]
    request = await _request(bot)
    assert sorted(chat for chat, _ in request.notices) == [ADMIN2, ADMIN3]

    copies = {int(chat): int(message) for chat, message in request.notices}
    seen = len(bot.api.calls)
    approve = next(c for c in notices if c.chat_id == ADMIN3).callback_data[0]
    await _press(bot, approve, user_id=ADMIN3, message_id=copies[ADMIN3])
    edits = _sent(bot, seen, "editMessageText")
    assert {int(c.params["message_id"]) for c in edits} == set(copies.values())
    other = next(c for c in edits if c.chat_id == ADMIN2)
    assert (
        "Approved by User 1006 at 09:00 on 25 Nov 2026; new deadline: 17 Dec 2026." in other.text
    )
    assert not other.buttons
    told = [c for c in _sent(bot, seen) if c.chat_id == LEAD]
    assert len(told) == 1
    assert "đã được User 1006 duyệt: thời hạn mới là <b>17/12/2026</b>" in told[0].text
    task = await _task(bot)
    assert (task.deadline, task.original_deadline) == (date(2026, 12, 17), DEADLINE)

    seen = len(bot.api.calls)
    reject = next(c for c in notices if c.chat_id == ADMIN2).callback_data[1]
    await bot.send(updates.callback(reject, chat_id=ADMIN2, user_id=ADMIN2, lang="en",
                                    message_id=copies[ADMIN2]))  # fmt: skip
    [alert] = _alerts(bot, seen)
    assert "already decided" in alert
    assert "Approved by User 1006" in alert
    assert (await _task(bot)).deadline == date(2026, 12, 17)
    assert (await _request(bot)).status == "approved"


async def test_a_rejection_tells_the_lead_and_keeps_the_deadline(office: Bot) -> None:
    await _ask_by_buttons(office)
    request = await _request(office)
    copies = {int(chat): int(message) for chat, message in request.notices}
    seen = len(office.api.calls)
    await office.send(updates.callback(f"extd:{request.id}:no", chat_id=ADMIN, user_id=ADMIN,
                                       message_id=copies[ADMIN]))  # fmt: skip
    told = [c for c in _sent(office, seen) if c.chat_id == LEAD]
    assert "không được User 1001 chấp thuận; thời hạn vẫn là <b>10/12/2026</b>" in told[0].text
    mine = [c for c in _sent(office, seen, "editMessageText") if c.chat_id == ADMIN]
    assert "User 1001 đã từ chối lúc 09:00 ngày 25/11/2026" in mine[0].text
    task = await _task(office)
    assert (task.deadline, task.original_deadline) == (DEADLINE, None)


async def test_a_date_typed_in_reply_is_checked_then_the_reason_asked(office: Bot) -> None:
    await _more_time(office)
    await office.press("Ngày khác", user_id=LEAD, chat_id=LEAD)
    asked = await office.send(_reply("mai nhé", to=await _prompt(office, "extension-date")))
    assert "“mai nhé” không phải là ngày hợp lệ" in asked[0]
    early = await office.send(_reply("01/12/2026", to=await _prompt(office, "extension-date")))
    assert "phải sau thời hạn hiện tại của nhiệm vụ EXT-1 (10/12/2026)" in early[0]
    good = await office.send(_reply("31/01/2027", to=await _prompt(office, "extension-date")))
    assert "từ 10/12/2026 đến <b>31/01/2027</b>" in good[-1]
    empty = await office.send(_reply("   .", to=await _prompt(office, "extension-reason")))
    assert any("gửi đề nghị" in text for text in empty)
    assert (await _request(office)).reason == "."


async def test_a_second_reply_to_an_answered_question_is_told(office: Bot) -> None:
    await _more_time(office)
    await office.press("+14", user_id=LEAD, chat_id=LEAD)
    prompt = await _prompt(office, "extension-reason")
    await office.send(_reply("Lý do", to=prompt))
    again = await office.send(_reply("Lý do khác", to=prompt))
    assert "Câu hỏi này đã được trả lời" in again[0]


async def test_a_second_request_while_one_waits_is_refused(office: Bot) -> None:
    await _ask_by_buttons(office)
    seen = len(office.api.calls)
    await _more_time(office)
    [alert] = _alerts(office, seen)
    assert "đã có đề nghị gia hạn đến 17/12/2026 (do User 2001 gửi ngày 25/11/2026)" in alert
    typed = await office.say("/extend EXT-1 31/03/2027 Lý do", chat_id=LEAD, user_id=LEAD)
    assert "đang chờ quản trị viên cho ý kiến" in typed[0]


async def test_extend_in_one_line_and_its_refusals(office: Bot) -> None:
    async def extend(text: str, user_id: int = LEAD) -> list[str]:
        return await office.say(text, chat_id=user_id, user_id=user_id)

    assert "Cách dùng: /extend" in (await extend("/extend"))[0]
    assert "Không tìm thấy nhiệm vụ có mã “NOPE”" in (await extend("/extend NOPE 1/1/2027 x"))[0]
    assert "không phải là ngày hợp lệ" in (await extend("/extend EXT-1 ngày-mai x"))[0]
    assert "nhiệm vụ thường xuyên" in (await extend("/extend EXT-2 1/1/2027 x"))[0]
    refused = (await extend("/extend EXT-1 1/1/2027 x", OTHER_LEAD))[0]
    assert "Chỉ đầu mối của Bộ Tài chính và quản trị viên" in refused
    assert "phải sau thời hạn hiện tại" in (await extend("/extend ext-1 10/12/2026 x"))[0]
    assert "Đề nghị gia hạn nhiệm vụ EXT-1" in (await extend("/extend EXT-1"))[0]
    asked = await extend("/extend EXT-1 31/03/2027")  # no reason: asked for as a reply
    assert "lý do đề nghị gia hạn" in asked[0]
    done = await extend("/extend EXT-1 31/03/2027 Chờ thẩm định\nvà ý kiến")
    assert "tới 3 quản trị viên" in done[-1]
    request = await _request(office)
    assert (request.new_deadline, request.reason) == (
        date(2027, 3, 31),
        "Chờ thẩm định\nvà ý kiến",
    )


async def test_who_may_ask_for_more_time(office: Bot) -> None:
    for user_id, expected in (
        (OTHER_LEAD, "Chỉ đầu mối của Bộ Tài chính và quản trị viên"),
        (VIEWER, "Chỉ đầu mối của Bộ Tài chính và quản trị viên"),
        (STRANGER, "chưa được cấp quyền"),
    ):
        seen = len(office.api.calls)
        await _more_time(office, user_id=user_id)
        [alert] = _alerts(office, seen)
        assert expected in alert
        assert not _sent(office, seen, "editMessageText")  # the card stays for the others
    assert (
        "/extend"
        not in (await office.say("/extend EXT-1 1/1/2027 x", chat_id=VIEWER, user_id=VIEWER))[0]
    )
    answers = await office.say("/extend EXT-1 1/1/2027 x", chat_id=STRANGER, user_id=STRANGER)
    assert "chưa được cấp quyền" in answers[0]
    question = await _more_time(office, user_id=ADMIN)  # admins too
    assert "Đề nghị gia hạn nhiệm vụ EXT-1" in question[0]


async def test_only_admins_decide_and_forged_buttons_are_refused(office: Bot) -> None:
    task = await _task(office)
    seen = len(office.api.calls)
    await _press(office, f"extp:{task.id}:{task.version}:d:20261201", user_id=LEAD)  # forged
    [alert] = _alerts(office, seen)
    assert "phải sau thời hạn hiện tại" in alert
    await _ask_by_buttons(office)
    request = await _request(office)
    for data, user_id, expected in (
        (f"extd:{request.id}:ok", LEAD, "chỉ dành cho quản trị viên"),
        (f"extd:{request.id}:ok", VIEWER, "chỉ dành cho quản trị viên"),
        (f"extd:{request.id}:ok", STRANGER, "chưa được cấp quyền"),
        ("extd:999999:ok", ADMIN, "hết hiệu lực"),
        (f"extd:{request.id}:maybe", ADMIN, "hết hiệu lực"),
        ("extp:1:1:d:20261301", LEAD, "hết hiệu lực"),  # no 13th month
    ):
        seen = len(office.api.calls)
        await _press(office, data, user_id=user_id)
        [alert] = _alerts(office, seen)
        assert expected in alert, (data, user_id)
    assert (await _request(office)).status == "pending"


async def test_a_stale_question_offers_dates_from_the_current_deadline(office: Bot) -> None:
    await _more_time(office)
    async with office.app.bot_data.deps.sessions.begin() as session:
        task = await session.scalar(select(Task).where(Task.code == "EXT-1"))
        assert task is not None
        task.deadline = date(2026, 12, 20)
    answer = await office.press("+7", user_id=LEAD, chat_id=LEAD)
    assert "Nhiệm vụ vừa được cập nhật" in answer[0]
    assert "+7 ngày: 27/12/2026" in str(office.last_markup())
    cancelled = await office.press("Hủy", user_id=LEAD, chat_id=LEAD)
    assert "Đã hủy đề nghị gia hạn nhiệm vụ <b>EXT-1</b>" in cancelled[0]


async def test_in_a_group_the_question_mentions_the_lead(office: Bot) -> None:
    await office.say("/register", user_id=ADMIN)
    await _more_time(office, chat_id=GROUP)
    seen = len(office.api.calls)
    await office.press("+30", user_id=LEAD)
    prompt = next(
        c for c in _sent(office, seen) if "force_reply" in str(c.params.get("reply_markup"))
    )
    assert f'<a href="tg://user?id={LEAD}">User {LEAD}</a>, ' in prompt.text
    assert '"selective": true' in str(
        prompt.params["reply_markup"]
    ).lower() or "'selective': True" in str(prompt.params["reply_markup"])
    answers = await office.send(
        _reply("Lý do", to=await _prompt(office, "extension-reason"), chat_id=GROUP)
    )
    assert "đến <b>09/01/2027</b> tới 3 quản trị viên" in answers[-1]


async def test_other_replies_go_on_to_the_other_handlers(office: Bot) -> None:
    got: list[str] = []

    async def record(update: Update, _context: Any) -> None:
        got.append(str(update.effective_message.text if update.effective_message else ""))

    # A group of its own: in group 0 the lead's note and evidence replies
    # (handlers/task_files.py) take any reply to the bot first, in group 1 the /assign typed
    # answers take private texts; what matters is that group -1 let it through.
    office.app.add_handler(MessageHandler(filters.REPLY, record), group=9)
    await _more_time(office)
    await office.press("+7", user_id=LEAD, chat_id=LEAD)
    prompt = await _prompt(office, "extension-reason")
    await office.send(_reply("ghi chú", to=prompt + 1000))  # another message of the bot
    await office.send(_reply("Lý do", to=prompt))
    assert got == ["ghi chú"]


async def test_status_says_how_many_deadlines_were_extended(office: Bot) -> None:
    before = await office.say("/status MOF", chat_id=LEAD, user_id=LEAD)
    assert "gia hạn" not in before[0]
    assert "gia hạn" not in (await office.say("/status", chat_id=LEAD, user_id=LEAD))[0]
    await _ask_by_buttons(office)
    request = await _request(office)
    await _press(office, f"extd:{request.id}:ok", user_id=ADMIN)
    after = await office.say("/status MOF", chat_id=LEAD, user_id=LEAD)  # not the cached one
    assert "🗓 Có 1 nhiệm vụ đã được gia hạn thời hạn thực hiện." in after[0]
    assert after[0].index("Tổng số") < after[0].index("🗓") < after[0].index("Sắp đến hạn")
    everyone = await office.say("/status", chat_id=ADMIN2, user_id=ADMIN2, lang="en")
    assert "🗓 1 task had the deadline extended." in everyone[0]
    assert "gia hạn" not in (await office.say("/status MOH", chat_id=LEAD, user_id=LEAD))[0]


async def test_a_reply_quicker_than_the_record_of_its_question_is_answered(
    office: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The question's message id is recorded once Telegram has answered the send; a reply
    # can come in before that (another process, a quick thumb) and must still find it.
    replies = reply_before_record(
        monkeypatch,
        extension_prompts,
        lambda question: office.send(_reply("Chờ ý kiến Bộ Tư pháp", to=question)),
    )
    await _more_time(office)
    await office.press("+7 ngày: 17/12/2026", user_id=LEAD, chat_id=LEAD)
    answered = await asyncio.wait_for(replies[0], 10)
    assert any("gửi đề nghị" in text for text in answered)
    assert (await _request(office)).reason == "Chờ ý kiến Bộ Tư pháp"


async def test_a_question_that_could_not_be_sent_waits_for_no_reply(office: Bot) -> None:
    await _more_time(office)
    office.api.fail_next("sendMessage", 400, description="Bad Request: chat not found")
    await office.press("+7 ngày: 17/12/2026", user_id=LEAD, chat_id=LEAD)
    async with office.app.bot_data.deps.sessions.begin() as session:
        kinds = await session.scalars(select(PendingAction.kind))
        assert "extension-reason" not in list(kinds)
