"""A lead's day from a phone, with `dondoc run` as a process against the HTTP stand-in:
an admin assigns a task and invites a lead, the lead opens the link, marks the task done in
three taps, adds a note with HTML in it, sends a photo as evidence and asks for more time
on another task, and the admin approves."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from fakeapi import updates
from fakeapi.core import ApiCall
from fakeapi.standin import StandIn
from tests.e2e.conftest import ADMIN, say, text_to, wait_call

pytestmark = pytest.mark.e2e

LEAD = 7010
NOTE = "Đã họp với <b>Bộ Tư pháp</b> & Bộ Nội vụ"
LINK = re.compile(r"https://t\.me/dondoc_bot\?start=([A-Za-z0-9_-]{16})")


async def _press(
    standin: StandIn, call: ApiCall, label: str, user_id: int, needle: str
) -> ApiCall:
    """Press the button labelled with `label` under the message `call` sent."""
    data = next(b["callback_data"] for row in call.buttons for b in row if label in b["text"])
    message = call.result if isinstance(call.result, dict) else None
    update = updates.callback(data, message=message, chat_id=user_id, user_id=user_id)
    return await say(standin, update, user_id, needle)


def _force_reply(chat_id: int) -> Callable[[ApiCall], bool]:
    """A question the bot asks to be answered by a reply (ForceReply)."""
    return lambda call: (
        call.ok
        and call.chat_id == chat_id
        and "force_reply" in str(call.params.get("reply_markup"))
    )


async def _question(standin: StandIn, call: ApiCall, label: str, user_id: int) -> ApiCall:
    """Press `label` under `call`; the ForceReply question the bot asks then."""
    since = len(standin.calls)
    await _press(standin, call, label, user_id, "")
    return await wait_call(standin, _force_reply(user_id), since)


async def _reply(
    standin: StandIn, prompt: ApiCall, update: dict[str, Any], needle: str
) -> ApiCall:
    """Answer the bot's question by replying to it, once: the reply comes as soon as the
    stand-in has answered the question's send, before the bot has recorded its message id,
    and must still be answered (handlers/common.prompt_replied)."""
    chat_id = update["message"]["chat"]["id"]
    since = len(standin.calls)
    standin.push_update(updates.replying(update, prompt.result))
    return await wait_call(standin, text_to(chat_id, needle), since)


async def test_invite_done_note_evidence_extension_approved(
    standin: StandIn,
    bot_process: subprocess.Popen[str],
) -> None:
    await wait_call(standin, lambda call: call.method == "getUpdates", 0)

    # The secretariat assigns two tasks in one line each, then invites the Ministry's lead.
    for title in ("Số hóa hồ sơ thuế", "Kết nối dữ liệu dân cư"):
        line = f"/assign MOF 31/12/2027 {title}"
        summary = await say(standin, updates.command(line, chat_id=ADMIN, user_id=ADMIN),
                              ADMIN, "Xác nhận")  # fmt: skip
        await _press(standin, summary, "Xác nhận", ADMIN, "Đã giao")
    invite = await say(
        standin, updates.command("/invite MOF", chat_id=ADMIN, user_id=ADMIN), ADMIN, "t.me"
    )
    token = LINK.search(invite.text)
    assert token is not None, invite.text

    # The lead opens the link and is greeted as the Ministry's focal point.
    greeting = await say(
        standin, updates.command(f"/start {token[1]}", chat_id=LEAD, user_id=LEAD), LEAD, "MOF"
    )
    assert "/mytasks" in greeting.text

    # Done in three taps: the task, Done, today.
    listing = await say(standin, updates.command("/mytasks", chat_id=LEAD, user_id=LEAD),
                          LEAD, "Số hóa hồ sơ thuế")  # fmt: skip
    first = next(b["text"] for row in listing.buttons for b in row if "Số hóa" in b["text"])
    card = await _press(standin, listing, first, LEAD, "Minh chứng")
    ask = await _press(standin, card, "Hoàn thành", LEAD, "đã hoàn thành?")
    done = await _press(standin, ask, "Hôm nay", LEAD, "Đã ghi nhận")
    code = re.search(r"<b>([^<]+)</b> hoàn thành", done.text)
    assert code is not None, done.text

    # A note with HTML in it, typed as a reply to the bot's question, kept verbatim.
    prompt = await _question(standin, done, "Ghi chú", LEAD)
    await _reply(standin, prompt, updates.text_message(NOTE, chat_id=LEAD, user_id=LEAD), "")
    # A photo sent as evidence in reply to the Evidence question.
    prompt = await _question(standin, done, "Minh chứng", LEAD)
    file_id, _unique = standin.add_file(b"\x89PNG photo", "photo.jpg")
    await _reply(standin, prompt, updates.photo(file_id, chat_id=LEAD, user_id=LEAD), "")
    shown = await say(standin, updates.command(f"/task {code[1]}", chat_id=LEAD, user_id=LEAD),
                        LEAD, "Minh chứng: 1")  # fmt: skip
    assert "Đã họp với &lt;b&gt;Bộ Tư pháp&lt;/b&gt; &amp; Bộ Nội vụ" in shown.text

    # More time for the other task: +7 days, a reason, and the admin approves.
    listing = await say(standin, updates.command("/mytasks", chat_id=LEAD, user_id=LEAD),
                          LEAD, "Kết nối dữ liệu")  # fmt: skip
    other = next(b["text"] for row in listing.buttons for b in row if "Kết nối" in b["text"])
    card = await _press(standin, listing, other, LEAD, "Minh chứng")
    question = await _press(standin, card, "Xin gia hạn", LEAD, "Đề nghị gia hạn")
    prompt = await _question(standin, question, "+7", LEAD)
    since = len(standin.calls)
    reason = updates.text_message("Chờ ý kiến các bộ", chat_id=LEAD, user_id=LEAD)
    await _reply(standin, prompt, reason, "quản trị viên")
    notice = await wait_call(
        standin, lambda c: c.ok and c.chat_id == ADMIN and bool(c.buttons), since
    )
    since = len(standin.calls)
    await _press(standin, notice, "Duyệt", ADMIN, "")
    told = await wait_call(standin, text_to(LEAD, "07/01/2028"), since)
    assert "duyệt" in told.text

    bot_process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.to_thread(bot_process.communicate, timeout=30)
    assert bot_process.returncode == 0, output
    assert "Traceback" not in output
