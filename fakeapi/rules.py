"""What Telegram would reject: length limits, inline keyboards, and (via `telegram_html`) HTML.

Shared by both fake Bot APIs. `check_send(method, params)` raises `Rejected` with the
description Telegram answers; wording we could not confirm is marked "fake-only".
"""

from __future__ import annotations

import json
import re
from typing import Any

from telegram.constants import (
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    InlineKeyboardMarkupLimit,
    MessageLimit,
)

from fakeapi.parse_mode import Parsed, Rejected, parse_html
from rendering.text import utf16_len

__all__ = [  # the HTML names are re-exported: callers need only this module
    "Parsed",
    "Rejected",
    "check_html",
    "check_reply_markup",
    "check_send",
    "format_text",
    "parse_html",
]

# UTF-16 code units after parsing
MAX_TEXT, MAX_CAPTION = MessageLimit.MAX_TEXT_LENGTH, MessageLimit.CAPTION_LENGTH
MAX_ALERT = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
MAX_ROW = InlineKeyboardMarkupLimit.BUTTONS_PER_ROW
MAX_BUTTONS = InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER
MAX_MARKUP_BYTES = 10 * 1024  # tginfo/Telegram-Limits#187: "Reply markup is too long" past 10 kB
BUTTON_ACTIONS = frozenset(("callback_data", "url", "web_app", "login_url", "copy_text", "pay"))
BUTTON_ACTIONS |= {"switch_inline_query", "switch_inline_query_current_chat", "callback_game"}
BUTTON_ACTIONS |= {"switch_inline_query_chosen_chat"}


def check_html(text: str) -> str:
    """Validate Telegram HTML; return the plain text after entity parsing."""
    return parse_html(text).text


def check_reply_markup(markup: object) -> None:
    """Reject an inline keyboard Telegram would refuse (a JSON string or a dict)."""
    try:
        markup = json.loads(markup) if isinstance(markup, str) else markup
    except ValueError:
        markup = None
    if not isinstance(markup, dict):
        raise Rejected("Bad Request: can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return  # reply keyboards, ForceReply and ReplyKeyboardRemove: nothing the bot sends
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise Rejected('Bad Request: field "inline_keyboard" must be an Array of Arrays')
    too_big = len(json.dumps(markup, ensure_ascii=False).encode()) > MAX_MARKUP_BYTES
    if too_big or sum(map(len, rows)) > MAX_BUTTONS or any(len(r) > MAX_ROW for r in rows):
        raise Rejected("Bad Request: reply markup is too long")
    for row in rows:
        for button in row:
            _check_button(button)


def _check_button(button: dict[str, Any]) -> None:
    if not str(button.get("text", "")).strip():
        raise Rejected("Bad Request: BUTTON_TEXT_INVALID (fake-only wording)")
    if not BUTTON_ACTIONS & button.keys():
        raise Rejected("Bad Request: text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        size = len(str(button["callback_data"]).encode())
        if not 1 <= size <= MAX_CALLBACK_BYTES:  # bytes, not characters: "Bộ" is 4 bytes
            raise Rejected("Bad Request: BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"(https?|tg)://\S", str(button["url"])):
        raise Rejected("Bad Request: BUTTON_URL_INVALID")


def format_text(params: dict[str, Any], key: str) -> Parsed:
    """Parse `params[key]` as Telegram would under the request's parse_mode."""
    raw = str(params.get(key) or "")
    if str(params.get("parse_mode") or "").lower() == "html":
        return parse_html(raw)
    return Parsed(raw, list(params.get("entities") or params.get("caption_entities") or []))


def _check_text(params: dict[str, Any], *, empty: str, too_long: str) -> None:
    text = format_text(params, "text").text
    if not text.strip():
        raise Rejected(empty)
    if utf16_len(text) > MAX_TEXT:
        raise Rejected(too_long)


def _check_caption(params: dict[str, Any]) -> None:
    if utf16_len(format_text(params, "caption").text) > MAX_CAPTION:
        raise Rejected("Bad Request: message caption is too long")


def _check_alert(params: dict[str, Any]) -> None:
    if utf16_len(str(params.get("text") or "")) > MAX_ALERT:
        raise Rejected("Bad Request: MESSAGE_TOO_LONG")


def _check_commands(params: dict[str, Any]) -> None:
    commands = params.get("commands")
    commands = json.loads(commands) if isinstance(commands, str) else commands or []
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
            raise Rejected("Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise Rejected("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID (fake-only wording)")


_CHECKS = {
    "sendMessage": lambda p: _check_text(
        p, empty="Bad Request: message text is empty", too_long="Bad Request: message is too long"
    ),
    "editMessageText": lambda p: _check_text(
        p, empty="Bad Request: text must be non-empty", too_long="Bad Request: MESSAGE_TOO_LONG"
    ),
    "sendDocument": _check_caption,
    "sendPhoto": _check_caption,
    "editMessageCaption": _check_caption,
    "answerCallbackQuery": _check_alert,
    "setMyCommands": _check_commands,
}


def check_send(method: str, params: dict[str, Any]) -> None:
    """Raise `Rejected` if Telegram would refuse this call of `method` with `params`."""
    if method in _CHECKS:
        _CHECKS[method](params)
    if params.get("reply_markup") is not None:
        check_reply_markup(params["reply_markup"])
