"""The in-process fake Bot API: Telegram's rules, and real PTB objects talking to it."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, ExtBot

from fakeapi import updates as builders
from fakeapi.core import DOWNLOAD, HANG_UP
from fakeapi.inprocess import FakeBotAPI
from fakeapi.rules import Rejected, check_html, check_reply_markup, check_send

TOKEN = "123:TEST"
CHAT = -1001234567890


def rejection(method: str, params: dict[str, Any]) -> str:
    """The description Telegram would answer, or "" if it would accept."""
    try:
        check_send(method, params)
    except Rejected as exc:
        return exc.description
    return ""


def html_message(text: str) -> dict[str, Any]:
    return {"chat_id": CHAT, "text": text, "parse_mode": "HTML"}


def keyboard(*rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"inline_keyboard": list(rows)}


def test_escaped_user_text_round_trips() -> None:
    title = "<< Báo cáo >> R&D \"quý\" 'IV'"
    assert check_html(f"<b>{html.escape(title)}</b>") == title


@pytest.mark.parametrize(
    "markup",
    [
        "<b>đậm</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins>",
        "<s>s</s> <strike>s</strike> <del>d</del> <tg-spoiler>x</tg-spoiler>",
        '<span class="tg-spoiler">x</span> <a href="https://gov.vn/?a=1&amp;b=2">link</a>',
        '<code>x &amp;&amp; y</code> <pre><code class="language-python">x = 1</code></pre>',
        "<blockquote>q</blockquote> <blockquote expandable>q</blockquote> &#128512; &#x1F600;",
        '<b>a <i>b <u>c</u></i></b> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    ],
)
def test_supported_tags_are_accepted(markup: str) -> None:
    assert "<" not in check_html(markup)


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("<b>chưa đóng", 'Can\'t find end tag corresponding to start tag "b"'),
        ("dòng 1<br>dòng 2", 'Unsupported start tag "br" at byte offset 7'),  # bytes: ò is 2
        ("R&D", 'Unescaped "&"'),
        ("<<Tiêu đề>>", 'Unsupported start tag "<tiêu"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag"),
        ("a > b", 'Unescaped ">"'),
        ("&nbsp;", "Unsupported HTML entity"),
        ("<span>x</span>", 'must have class "tg-spoiler"'),
        ("<code><b>x</b></code>", 'Tag "b" inside "code"'),
    ],
)
def test_bad_html_is_rejected_like_telegram(markup: str, detail: str) -> None:
    with pytest.raises(Rejected, match=r"^Bad Request: can't parse entities: ") as caught:
        check_html(markup)
    assert detail in caught.value.description


def test_length_is_counted_after_parsing_in_utf16() -> None:
    assert not rejection("sendMessage", html_message("<b>" + "&lt;" * 4096 + "</b>"))
    assert not rejection("sendMessage", html_message("😀" * 2048))  # 4096 UTF-16 units
    too_long = "Bad Request: message is too long"
    assert rejection("sendMessage", html_message("😀" * 2048 + "a")) == too_long
    assert rejection("sendMessage", {"chat_id": CHAT, "text": "a" * 4097}) == too_long
    assert (
        rejection("editMessageText", html_message("a" * 4097)) == "Bad Request: MESSAGE_TOO_LONG"
    )


def test_empty_and_markup_only_texts_are_rejected() -> None:
    assert (
        rejection("sendMessage", html_message("<b> </b>")) == "Bad Request: message text is empty"
    )
    assert rejection("editMessageText", html_message("")) == "Bad Request: text must be non-empty"


def test_html_is_only_checked_in_html_parse_mode() -> None:
    assert not rejection("sendMessage", {"chat_id": CHAT, "text": "<b>không phải HTML"})


def test_caption_and_alert_limits() -> None:
    caption = {"chat_id": CHAT, "caption": "ê" * 1025, "parse_mode": "HTML"}
    assert rejection("sendDocument", caption) == "Bad Request: message caption is too long"
    alert = {"callback_query_id": "1", "text": "x" * 201}
    assert rejection("answerCallbackQuery", alert) == "Bad Request: MESSAGE_TOO_LONG"
    assert not rejection("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 200})


def test_callback_data_is_limited_to_64_bytes_not_characters() -> None:
    data = "giao:Bộ Kế hoạch và Đầu tư:NQ57-0"
    data += "1" * (65 - len(data.encode()))
    assert len(data) < 64 < len(data.encode()) == 65
    with pytest.raises(Rejected, match="BUTTON_DATA_INVALID"):
        check_reply_markup(keyboard([{"text": "Giao", "callback_data": data}]))
    check_reply_markup(keyboard([{"text": "Giao", "callback_data": data[:-1]}]))


@pytest.mark.parametrize(
    ("rows", "description"),
    [
        ([[{"text": str(i), "callback_data": "x"} for i in range(9)]], "reply markup is too long"),
        ([[{"text": "x", "callback_data": "x"}] * 5] * 21, "reply markup is too long"),
        ([[{"text": " ", "callback_data": "x"}]], "BUTTON_TEXT_INVALID"),
        ([[{"text": "x", "callback_data": ""}]], "BUTTON_DATA_INVALID"),
        ([[{"text": "x"}]], "text buttons are unallowed"),
    ],
)
def test_bad_keyboards_are_rejected(rows: list[list[dict[str, Any]]], description: str) -> None:
    with pytest.raises(Rejected, match=description):
        check_reply_markup(keyboard(*rows))


@pytest.fixture
def api() -> FakeBotAPI:
    return FakeBotAPI()


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(TOKEN, request=api, get_updates_request=api) as ext_bot:
        yield ext_bot


async def test_bot_learns_its_username_from_get_me(bot: ExtBot[None]) -> None:
    assert bot.username == "dondoc_bot"


async def test_sent_message_comes_back_parsed_with_its_keyboard(
    bot: ExtBot[None], api: FakeBotAPI
) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Xem", callback_data="task:1")]])
    sent = await bot.send_message(CHAT, "<b>Bộ Tài chính</b>: 3", "HTML", reply_markup=markup)
    assert (sent.text, sent.chat.type, sent.reply_markup) == (
        "Bộ Tài chính: 3",
        "supergroup",
        markup,
    )
    assert sent.text_html == "<b>Bộ Tài chính</b>: 3"
    assert api.last_text(CHAT) == "<b>Bộ Tài chính</b>: 3"
    assert api.sent(CHAT)[0].callback_data == ["task:1"]
    assert api.sent(chat_id=42) == []
    edited = await bot.edit_message_text("Đã xong", CHAT, sent.message_id)
    assert isinstance(edited, type(sent))
    assert (edited.message_id, edited.text) == (sent.message_id, "Đã xong")


async def test_invalid_message_raises_bad_request(bot: ExtBot[None], api: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):  # PTB drops "Bad Request: "
        await bot.send_message(CHAT, "<b>Hạn: 25/11", parse_mode="HTML")
    assert api.sent() == []
    assert [c.error for c in api.errors()] == [
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    ]


async def test_injected_failures_become_ptb_exceptions(bot: ExtBot[None], api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(CHAT, "một")
    assert flood.value.retry_after == timedelta(seconds=3)
    api.migrate_next("sendMessage", new_chat_id=-1009999)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-4321, "hai")
    assert migrated.value.new_chat_id == -1009999
    api.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "ba")
    await bot.send_message(CHAT, "bốn")  # failures are one-shot
    assert [c.text for c in api.sent()] == ["bốn"]


async def test_registered_file_downloads_through_get_file(
    bot: ExtBot[None], api: FakeBotAPI
) -> None:
    file_id, _unique = api.add_file(b"PK\x03\x04 sheet", "Kế hoạch 2026.xlsx")
    file = await bot.get_file(file_id)
    assert file.file_path is not None
    assert file.file_path.endswith("/documents/file_1.xlsx")
    assert await file.download_as_bytearray() == bytearray(b"PK\x03\x04 sheet")
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_uploaded_document_is_kept_and_downloadable(
    bot: ExtBot[None], api: FakeBotAPI
) -> None:
    upload = InputFile(b"a,b\n1,2\n", filename="báo-cáo.csv")
    sent = await bot.send_document(CHAT, upload, caption="<i>Xuất</i>", parse_mode="HTML")
    assert sent.document is not None
    assert (sent.document.file_name, sent.caption) == ("báo-cáo.csv", "Xuất")
    assert api.sent()[0].files["document"] == ("báo-cáo.csv", b"a,b\n1,2\n")
    file = await bot.get_file(sent.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"a,b\n1,2\n")


async def test_get_updates_returns_pushed_updates_from_the_offset(
    bot: ExtBot[None], api: FakeBotAPI
) -> None:
    first = api.push_update(builders.command("/status MOF"))
    second = api.push_update(builders.text_message("xin chào"))
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()


async def test_application_answers_a_command_addressed_to_the_bot(api: FakeBotAPI) -> None:
    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>{html.escape(str(context.args))}</b>")

    app = ApplicationBuilder().token(TOKEN).request(api).get_updates_request(api).build()
    app.add_handler(CommandHandler("status", status))
    async with app:
        update = builders.command("/status@dondoc_bot MOF", chat_id=CHAT)
        await app.process_update(Update.de_json(update, app.bot))
    assert api.last_text(CHAT) == "<b>[&#x27;MOF&#x27;]</b>"


@pytest.mark.parametrize(
    ("update", "attribute"),
    [
        (builders.command("/help", chat_id=42, lang="en"), "message"),
        (builders.edited(builders.command("/due 7")), "edited_message"),
        (builders.forwarded(builders.command("/status"), user_id=7), "message"),
        (builders.channel_post("Thông báo"), "channel_post"),
        (builders.callback("page:2", message_id=10), "callback_query"),
        (builders.document("fake-file-1", "ds.xlsx", caption="/import"), "message"),
    ],
)
def test_builders_make_updates_ptb_understands(update: dict[str, Any], attribute: str) -> None:
    parsed = Update.de_json(update, None)
    assert getattr(parsed, attribute) is not None
    assert parsed.update_id == update["update_id"]


# --- d: answers that are not the Bot API's ---


async def test_broken_answers_in_process_too(bot: ExtBot[None], api: FakeBotAPI) -> None:
    api.break_next("sendMessage", 200)
    with pytest.raises(TelegramError, match="Invalid server response"):
        await bot.send_message(CHAT, "một")
    file_id, _ = api.add_file(b"a,b\n", "register.csv")
    file = await bot.get_file(file_id)
    api.break_next(DOWNLOAD, 404)
    with pytest.raises(InvalidToken, match=r"Not Found \(404\)\. Parsing") as caught:
        await file.download_as_bytearray()
    assert "/file/bot123%3ATEST/documents/" in caught.value.message  # the URL PTB quoted
    api.break_next(DOWNLOAD, HANG_UP)
    with pytest.raises(NetworkError, match="closed the connection"):
        await file.download_as_bytearray()
    assert [c.method for c in api.errors()] == ["sendMessage", DOWNLOAD, DOWNLOAD]
    assert await file.download_as_bytearray() == bytearray(b"a,b\n")
