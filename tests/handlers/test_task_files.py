"""Notes and evidence through the real Application: the ForceReply prompts, replies in a group
and in private, captions naming a task, and the files sent back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from fakeapi import updates
from services import task_prompts
from storage.models import PendingAction, TaskEvidence, TaskNote
from tests.handlers.conftest import ADMIN, GROUP, STRANGER, VIEWER, Bot, reply_before_record
from tests.handlers.leads import (
    LEAD,
    OTHER_LEAD,
    SECOND_LEAD,
    count,
    data_of,
    events,
    evidence_of,
    force_reply_of,
    last_prompt,
    notes_of,
    press_data,
    reply_to,
    set_up,
)

HTML = "<b>Đã họp</b> & thống nhất <i>kế hoạch</i>"


@pytest.fixture
async def leads(bot: Bot) -> Bot:
    return await set_up(bot)


async def test_a_note_typed_as_a_reply_in_a_group_is_kept_verbatim(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    seen = len(leads.api.calls)
    assert await leads.press("Ghi chú", user_id=LEAD) == [last_prompt(leads).params["text"]]
    assert len(leads.callback_answers(seen)) == 1
    prompt = last_prompt(leads)
    assert force_reply_of(prompt)["selective"] is True  # only the presser's reply box opens
    assert f'<a href="tg://user?id={LEAD}">' in prompt.params["text"]  # ... they are named
    assert await count(leads, PendingAction) == 1  # the waiting lives in the database
    said = await reply_to(leads, prompt, updates.text_message(HTML, user_id=LEAD, chat_id=GROUP))
    assert "📝 Đã lưu ghi chú cho <b>MOF-2</b>." in said[0]
    assert "&lt;b&gt;Đã họp&lt;/b&gt; &amp; thống nhất &lt;i&gt;kế hoạch&lt;/i&gt;" in said[0]
    assert await notes_of(leads, "MOF-2") == [HTML]  # stored as typed, escaped when shown
    assert await events(leads, "MOF-2") == [("note", None, HTML, LEAD)]
    [card] = await leads.say("/task MOF-2", user_id=VIEWER)
    assert "Ghi chú trao đổi</b> (1, mới nhất trước)" in card
    assert "— User 1004: &lt;b&gt;Đã họp" in card  # who wrote it, as Telegram names them
    assert "&lt;b&gt;Đã họp&lt;/b&gt; &amp;" in card
    assert leads.api.errors() == []


async def test_a_prompt_takes_one_note(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Ghi chú", user_id=LEAD)
    prompt = last_prompt(leads)
    await reply_to(leads, prompt, updates.text_message("một", user_id=LEAD, chat_id=GROUP))
    [again] = await reply_to(
        leads, prompt, updates.text_message("hai", user_id=LEAD, chat_id=GROUP)
    )
    assert "đã được lưu" in again
    assert await notes_of(leads, "MOF-2") == ["một"]


async def test_someone_elses_reply_to_the_prompt_is_not_a_note(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Ghi chú", user_id=LEAD)
    prompt = last_prompt(leads)
    for user in (SECOND_LEAD, VIEWER, STRANGER):
        assert (
            await reply_to(leads, prompt, updates.text_message("xen", user_id=user, chat_id=GROUP))
            == []
        )
    assert await notes_of(leads, "MOF-2") == []
    await reply_to(leads, prompt, updates.text_message("của tôi", user_id=LEAD, chat_id=GROUP))
    assert await notes_of(leads, "MOF-2") == ["của tôi"]


async def test_a_reply_to_another_bot_message_is_left_alone(leads: Bot) -> None:
    [_card] = await leads.say("/task MOF-2", user_id=LEAD)
    card = leads.api.calls[-1]
    assert (
        await reply_to(leads, card, updates.text_message("cảm ơn", user_id=LEAD, chat_id=GROUP))
        == []
    )
    assert await count(leads, TaskNote) == 0


async def test_a_note_prompt_answered_with_a_photo_asks_for_text(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Ghi chú", user_id=LEAD)
    [said] = await reply_to(
        leads, last_prompt(leads), updates.photo("ph-1", user_id=LEAD, chat_id=GROUP)
    )
    assert "nội dung ghi chú (văn bản)" in said
    assert await count(leads, TaskEvidence) == 0


async def test_a_coordinating_lead_may_add_a_note(leads: Bot) -> None:
    await leads.say("/task HN-9", user_id=LEAD)
    await leads.press("Ghi chú", user_id=LEAD)
    await reply_to(
        leads, last_prompt(leads), updates.text_message("phối hợp", user_id=LEAD, chat_id=GROUP)
    )
    assert await notes_of(leads, "HN-9") == ["phối hợp"]


@pytest.mark.parametrize("user", [OTHER_LEAD, VIEWER, STRANGER])
async def test_note_and_evidence_are_refused_to_others(leads: Bot, user: int) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    for label in ("Ghi chú", "Minh chứng"):
        data = data_of(leads, label)
        seen = len(leads.api.calls)
        assert await press_data(leads, data, user_id=user) == []
        [alert] = leads.callback_answers(seen)
        assert "không có quyền thêm ghi chú, minh chứng" in alert.params["text"]
    assert await count(leads, PendingAction) == 0


async def test_a_note_in_private_and_its_prompt_after_a_revocation(leads: Bot) -> None:
    await leads.say("/task MOF-2", chat_id=LEAD, user_id=LEAD)
    await leads.press("Ghi chú", chat_id=LEAD, user_id=LEAD)
    prompt = last_prompt(leads)
    assert prompt.params["chat_id"] == LEAD
    await leads.say(f"/revoke {LEAD}", chat_id=ADMIN, user_id=ADMIN)
    await leads.press("Xác nhận", chat_id=ADMIN, user_id=ADMIN)
    said = await reply_to(leads, prompt, updates.text_message("muộn", chat_id=LEAD, user_id=LEAD))
    assert "không có quyền" in said[0]
    assert await notes_of(leads, "MOF-2") == []
    async with leads.app.bot_data.deps.sessions.begin() as session:
        used = await session.scalar(select(PendingAction.consumed_at))
        assert used is None  # refused: the prompt is not used up


# --- evidence ----------------------------------------------------------------------------


async def test_evidence_sent_in_reply_keeps_telegrams_ids_never_the_file(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Minh chứng", user_id=LEAD)
    prompt = last_prompt(leads)
    assert force_reply_of(prompt)["selective"] is True
    photo = updates.photo("ph-1", caption="Ảnh <hội nghị> & biên bản", user_id=LEAD, chat_id=GROUP)
    [saved] = await reply_to(leads, prompt, photo)
    assert "Đã lưu minh chứng cho <b>MOF-2</b>: ảnh. Tổng số: 1 tệp." in saved
    document = updates.document(
        "doc-1", "Biên bản.pdf", file_size=4096, user_id=LEAD, chat_id=GROUP
    )
    [saved] = await reply_to(leads, prompt, document)  # several files answer one prompt
    assert "Biên bản.pdf. Tổng số: 2 tệp." in saved
    assert await evidence_of(leads, "MOF-2") == [
        ("photo", "ph-1", "unique-ph-1", None, 54_321, "Ảnh <hội nghị> & biên bản", LEAD),
        ("document", "doc-1", "unique-doc-1", "Biên bản.pdf", 4096, None, LEAD),
    ]
    assert not [c for c in leads.api.calls if c.method in ("getFile", "download")]
    [dup] = await reply_to(leads, prompt, updates.photo("ph-1", user_id=LEAD, chat_id=GROUP))
    assert "đã có trong minh chứng" in dup
    assert [e[0] for e in await events(leads, "MOF-2")] == ["evidence", "evidence"]
    [card] = await leads.say("/task MOF-2", user_id=LEAD)
    assert "Minh chứng: 2 tệp" in card


async def test_an_evidence_prompt_answered_with_text_asks_for_a_file(leads: Bot) -> None:
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Minh chứng", user_id=LEAD)
    [said] = await reply_to(
        leads, last_prompt(leads), updates.text_message("ok", user_id=LEAD, chat_id=GROUP)
    )
    assert "ảnh hoặc tệp minh chứng" in said


async def test_a_caption_naming_the_task_makes_a_file_evidence(leads: Bot) -> None:
    photo = updates.photo("ph-9", caption="Báo cáo mof-4: đã xong.", chat_id=LEAD, user_id=LEAD)
    [saved] = await leads.send(photo)
    assert "Đã lưu minh chứng cho <b>MOF-4</b>" in saved
    assert [e[1] for e in await evidence_of(leads, "MOF-4")] == ["ph-9"]


async def test_a_caption_naming_two_tasks_is_refused(leads: Bot) -> None:
    doc = updates.document("d-2", "a.pdf", caption="MOF-2 và MOF-4", chat_id=LEAD, user_id=LEAD)
    [said] = await leads.send(doc)
    assert "nhiều nhiệm vụ (MOF-2, MOF-4)" in said
    assert await count(leads, TaskEvidence) == 0


async def test_a_file_without_a_code_in_private_gets_a_hint(leads: Bot) -> None:
    [said] = await leads.send(updates.photo("ph-3", caption="ảnh", chat_id=LEAD, user_id=LEAD))
    assert "ghi mã nhiệm vụ trong chú thích" in said
    [said] = await leads.send(updates.photo("ph-4", chat_id=LEAD, user_id=LEAD))
    assert "ghi mã nhiệm vụ trong chú thích" in said


async def test_group_photos_of_people_without_rights_are_none_of_the_bots_business(
    leads: Bot,
) -> None:
    for user in (VIEWER, STRANGER):
        assert (
            await leads.send(updates.photo("ph-5", caption="MOF-4", user_id=user, chat_id=GROUP))
            == []
        )
        assert (
            await leads.send(
                updates.photo("ph-6", caption="hội nghị", user_id=user, chat_id=GROUP)
            )
            == []
        )
    [refused] = await leads.send(
        updates.photo("ph-7", caption="MOF-4", user_id=OTHER_LEAD, chat_id=GROUP)
    )
    assert "không có quyền thêm ghi chú, minh chứng cho nhiệm vụ MOF-4" in refused
    assert await count(leads, TaskEvidence) == 0


async def test_a_stranger_in_private_is_refused(leads: Bot) -> None:
    [said] = await leads.send(
        updates.photo("ph-8", caption="MOF-4", chat_id=STRANGER, user_id=STRANGER)
    )
    assert "chưa được cấp quyền" in said
    assert await count(leads, TaskEvidence) == 0


async def test_a_file_captioned_with_a_command_is_not_evidence(leads: Bot) -> None:
    doc = updates.document("d-3", "a.pdf", caption="/task MOF-4", chat_id=LEAD, user_id=LEAD)
    await leads.send(doc)
    assert await count(leads, TaskEvidence) == 0


# --- the files sent back -----------------------------------------------------------------


async def _attach(bot: Bot, code: str, how_many: int) -> None:
    for n in range(how_many):
        file_id, _unique = bot.api.add_file(f"tệp {n}".encode(), f"tep-{n}.pdf")
        if n % 2:
            update = updates.document(
                file_id, f"tep-{n}.pdf", caption=code, user_id=LEAD, chat_id=GROUP
            )
        else:
            update = updates.photo(
                file_id, caption=f"{code} <ảnh {n}>", user_id=LEAD, chat_id=GROUP
            )
        await bot.send(update)


async def test_admins_and_the_agencys_leads_have_the_files_sent_back(leads: Bot) -> None:
    await _attach(leads, "MOF-2", 7)
    [card] = await leads.say("/task MOF-2", user_id=SECOND_LEAD)
    assert "Minh chứng: 7 tệp" in card
    seen = len(leads.api.calls)
    await leads.press("Xem minh chứng (7)", user_id=SECOND_LEAD)
    sent = [c for c in leads.api.calls[seen:] if c.method in ("sendPhoto", "sendDocument")]
    assert [c.method for c in sent] == ["sendPhoto", "sendDocument"] * 2 + ["sendPhoto"]
    assert all(c.ok for c in sent)
    assert "<b>MOF-2</b> — minh chứng 1/7" in sent[0].params["caption"]
    assert "&lt;ảnh 0&gt;" in sent[0].params["caption"]
    assert leads.api.last_text().startswith("Đã gửi 5/7 tệp minh chứng")
    await leads.press("Gửi tiếp (2 tệp)", user_id=SECOND_LEAD)
    sent = [c for c in leads.api.calls[seen:] if c.method in ("sendPhoto", "sendDocument")]
    assert len(sent) == 7
    assert len({c.params.get("photo") or c.params.get("document") for c in sent}) == 7
    assert leads.api.last_text().startswith("Đã gửi 7/7")
    assert leads.api.errors() == []
    assert len(leads.callback_answers(seen)) == 2


@pytest.mark.parametrize("user", [OTHER_LEAD, VIEWER, STRANGER])
async def test_others_may_not_have_the_files_sent(leads: Bot, user: int) -> None:
    await _attach(leads, "MOF-2", 1)
    await leads.say("/task MOF-2", user_id=ADMIN)
    data = data_of(leads, "Xem minh chứng")
    seen = len(leads.api.calls)
    await press_data(leads, data, user_id=user)
    [alert] = leads.callback_answers(seen)
    assert "Chỉ quản trị viên và đầu mối của cơ quan chủ trì (MOF)" in alert.params["text"]
    assert not [c for c in leads.api.calls[seen:] if c.method in ("sendPhoto", "sendDocument")]


async def test_a_coordinating_lead_sees_the_count_but_no_files_button(leads: Bot) -> None:
    await _attach(leads, "HN-9", 1)
    [card] = await leads.say("/task HN-9", user_id=LEAD)
    assert "Minh chứng: 1 tệp" in card
    assert not [b for row in leads.api.calls[-1].buttons for b in row if "Xem" in b["text"]]


async def test_a_note_quicker_than_the_record_of_its_prompt_is_kept(
    leads: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The prompt's message id is recorded once Telegram has answered the send; a reply
    # that comes in before that must still find it.
    note = updates.text_message("Đã xong phần việc", user_id=LEAD, chat_id=GROUP)
    replies = reply_before_record(
        monkeypatch, task_prompts, lambda _: reply_to(leads, last_prompt(leads), note)
    )
    await leads.say("/task MOF-2", user_id=LEAD)
    await leads.press("Ghi chú", user_id=LEAD)
    said = await asyncio.wait_for(replies[0], 10)
    assert "📝 Đã lưu ghi chú cho <b>MOF-2</b>." in said[0]
    assert await notes_of(leads, "MOF-2") == ["Đã xong phần việc"]
