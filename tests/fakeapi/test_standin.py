"""The HTTP Bot API stand-in, driven by a real `telegram.Bot` over loopback."""

from __future__ import annotations

import asyncio
import threading
import urllib.request
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from fakeapi import updates as builders
from fakeapi.core import DOWNLOAD, HANG_UP
from fakeapi.standin import StandIn

TOKEN = "123:TEST"
CHAT = -1001234567890


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
async def bot(standin: StandIn) -> AsyncIterator[Bot]:
    standin.clear()
    tg_bot = Bot(TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url)
    async with tg_bot:
        yield tg_bot


async def test_get_me_over_http(bot: Bot, standin: StandIn) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot) == ("dondoc_bot", True)
    assert standin.base_url.startswith("http://127.0.0.1:")


async def test_form_fields_are_decoded_like_ptb_parameters(bot: Bot, standin: StandIn) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Trễ hạn", callback_data="od:MOF")]])
    sent = await bot.send_message(CHAT, "<b>Bộ Tài chính</b> 3", "HTML", reply_markup=markup)
    assert (sent.text, sent.reply_markup) == ("Bộ Tài chính 3", markup)
    call = standin.wait_for(lambda c: c.method == "sendMessage")
    assert call.params["chat_id"] == CHAT  # an int again, not the string PTB posted
    assert call.params["text"] == "<b>Bộ Tài chính</b> 3"
    assert call.callback_data == ["od:MOF"]


async def test_invalid_html_is_a_bad_request_over_http(bot: Bot, standin: StandIn) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(CHAT, "a<br>b", parse_mode="HTML")
    assert standin.errors()[-1].status == 400


async def test_get_updates_honours_the_offset(bot: Bot, standin: StandIn) -> None:
    first = standin.push_update(builders.command("/status MOF", chat_id=CHAT))
    second = standin.push_update(builders.text_message("xin chào", chat_id=CHAT))
    updates = await bot.get_updates(offset=first, timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message is not None
    assert updates[0].message.text == "/status MOF"
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()


async def test_long_poll_returns_an_update_pushed_while_waiting(
    bot: Bot, standin: StandIn
) -> None:
    offset = standin.push_update(builders.command("/help")) + 1
    await bot.get_updates(offset=offset - 1, timeout=0)
    later = threading.Timer(0.2, standin.push_update, [builders.command("/due 7")])
    later.start()
    try:
        updates = await bot.get_updates(offset=offset, timeout=5)
    finally:
        later.join()
    assert [u.update_id for u in updates] == [offset]


async def test_registered_file_downloads_over_http(bot: Bot, standin: StandIn) -> None:
    file_id, _ = standin.add_file(b"PK\x03\x04 sheet", "Kế hoạch.xlsx")
    file = await bot.get_file(file_id)
    assert file.file_path is not None
    assert file.file_path.startswith(standin.base_file_url)
    assert await file.download_as_bytearray() == bytearray(b"PK\x03\x04 sheet")


async def test_multipart_upload_keeps_name_and_bytes(bot: Bot, standin: StandIn) -> None:
    upload = InputFile(b"a,b\n", filename="báo cáo.csv")
    sent = await bot.send_document(CHAT, upload, caption="<i>Xuất</i>", parse_mode="HTML")
    assert sent.caption == "Xuất"
    call = standin.wait_for(lambda c: c.method == "sendDocument")
    assert call.files["document"] == ("báo cáo.csv", b"a,b\n")
    assert call.params["chat_id"] == CHAT


async def test_wait_for_sees_calls_made_while_it_waits(bot: Bot, standin: StandIn) -> None:
    since = len(standin.calls)
    waiting = asyncio.create_task(
        asyncio.to_thread(standin.wait_for, lambda c: c.text == "xong", 5, since=since)
    )
    await bot.send_message(CHAT, "xong")
    assert (await waiting).chat_id == CHAT


def test_wait_for_times_out_with_the_calls_it_saw(standin: StandIn) -> None:
    with pytest.raises(TimeoutError, match="no matching call"):
        standin.wait_for(lambda c: c.method == "neverCalled", timeout=0.05)


def test_unknown_paths_get_telegrams_404(standin: StandIn) -> None:
    url = standin.base_url.removesuffix("/bot") + "/favicon.ico"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=5)
    assert caught.value.code == 404
    caught.value.close()


async def test_ptb_polling_loop_answers_a_pushed_command(standin: StandIn) -> None:
    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"status {' '.join(context.args or [])}")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("status", status))
    since = len(standin.calls)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=timedelta(seconds=5))
        standin.push_update(builders.command("/status@dondoc_bot MOF", chat_id=CHAT))
        answer = await asyncio.to_thread(
            standin.wait_for, lambda c: c.method == "sendMessage", 10, since=since
        )
        await app.updater.stop()
        await app.stop()
    assert (answer.chat_id, answer.text) == (CHAT, "status MOF")


# --- d: answers that are not the Bot API's ---


async def test_a_broken_answer_is_an_html_page_echoing_the_path(
    bot: Bot, standin: StandIn
) -> None:
    standin.break_next("getMe", 502)
    with pytest.raises(NetworkError, match=r"Bad Gateway \(502\)\. Parsing the server") as caught:
        await bot.get_me()
    assert f"/bot{TOKEN}/getMe" in caught.value.message  # the page echoes the token
    assert standin.errors()[-1].method == "getMe"
    assert (await bot.get_me()).username == "dondoc_bot"  # only the next call breaks


async def test_a_broken_download_echoes_its_quoted_path(bot: Bot, standin: StandIn) -> None:
    file_id, _ = standin.add_file(b"a,b\n", "register.csv")
    file = await bot.get_file(file_id)
    standin.break_next(DOWNLOAD, 500)
    with pytest.raises(NetworkError) as caught:
        await file.download_as_bytearray()
    assert "/file/bot123%3ATEST/documents/" in caught.value.message  # PTB quotes the path
    assert standin.errors()[-1].method == DOWNLOAD
    standin.break_next(DOWNLOAD, HANG_UP)
    with pytest.raises(NetworkError, match="disconnected without sending a response"):
        await file.download_as_bytearray()
    assert await file.download_as_bytearray() == bytearray(b"a,b\n")
