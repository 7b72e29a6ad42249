"""Builders of Bot API update dicts, as Telegram sends them (console, tests, benchmarks)."""

from __future__ import annotations

import itertools
import time
from typing import Any

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def user(user_id: int, *, lang: str | None = "vi", first_name: str = "Test") -> dict[str, Any]:
    """A Telegram user."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if lang:
        data["language_code"] = lang
    return data


def chat(
    chat_id: int, *, chat_type: str | None = None, title: str = "Tổ công tác"
) -> dict[str, Any]:
    """A private chat for positive ids, a supergroup for negative ones."""
    kind = chat_type or ("private" if chat_id > 0 else "supergroup")
    data: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind != "private":
        data["title"] = title
    return data


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def message(
    text: str,
    *,
    chat_id: int,
    user_id: int,
    lang: str | None = "vi",
    chat_type: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A message dict; a leading /command gets its bot_command entity."""
    msg: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat(chat_id, chat_type=chat_type),
        "from": user(user_id, lang=lang),
        "text": text,
    }
    if text.startswith("/"):
        word = text.split(maxsplit=1)[0]
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(word)}]
    msg.update(extra)
    return msg


def command(
    text: str, *, chat_id: int, user_id: int, lang: str | None = "vi", chat_type: str | None = None
) -> dict[str, Any]:
    """An update carrying a new message, e.g. command("/status MOF", chat_id=-1, user_id=5)."""
    return {
        "update_id": next(_update_ids),
        "message": message(text, chat_id=chat_id, user_id=user_id, lang=lang, chat_type=chat_type),
    }


def callback(
    data: str, *, bot_message: dict[str, Any], user_id: int, lang: str | None = "vi"
) -> dict[str, Any]:
    """An update for a pressed inline button under `bot_message`."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": user(user_id, lang=lang),
            "chat_instance": "1",
            "data": data,
            "message": bot_message,
        },
    }
