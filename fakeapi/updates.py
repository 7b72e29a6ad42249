"""Updates as Telegram sends them, as dicts for `Update.de_json` or `StandIn.push_update`
(the console, the tests and the benchmarks all build their updates here)."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import time
from typing import Any, TypedDict, Unpack

from fakeapi.core import BOT_USER
from rendering.text import utf16_len

GROUP = -1001234567890  # a supergroup
USER = 1002
CHANNEL = -1009876543210


class MessageOptions(TypedDict, total=False):
    """Keywords every user-message builder accepts (see `message`)."""

    chat_id: int
    user_id: int
    lang: str | None
    chat_type: str | None
    username: str | None
    message_id: int | None
    date: int | None


_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def user(
    user_id: int = USER, *, lang: str | None = "vi", username: str | None = None
) -> dict[str, Any]:
    """A human Telegram user."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
    if lang:
        data["language_code"] = lang
    if username:
        data["username"] = username
    return data


def chat(chat_id: int = GROUP, *, chat_type: str | None = None) -> dict[str, Any]:
    """A private chat for positive ids, else a supergroup (or the given type)."""
    kind = chat_type or ("private" if chat_id > 0 else "supergroup")
    if kind == "private":
        return {"id": chat_id, "type": kind, "first_name": f"User {chat_id}"}
    return {"id": chat_id, "type": kind, "title": "Tổ công tác"}


def message(
    text: str | None = None,
    *,
    chat_id: int = GROUP,
    user_id: int = USER,
    lang: str | None = "vi",
    chat_type: str | None = None,
    username: str | None = None,
    message_id: int | None = None,
    date: int | None = None,
) -> dict[str, Any]:
    """A Message object written by a user; a leading /command gets its entity."""
    msg: dict[str, Any] = {
        "message_id": message_id or next(_message_ids),
        "date": date or int(time.time()),
        "chat": chat(chat_id, chat_type=chat_type),
        "from": user(user_id, lang=lang, username=username),
    }
    if text is not None:
        msg["text"] = text
    if text and text.startswith("/"):
        # "/status@dondoc_bot MOF": the entity spans the command and the bot's name.
        length = utf16_len(text.split(maxsplit=1)[0])
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return msg


def _update(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"update_id": next(_update_ids), kind: payload}


def command(text: str, **kwargs: Unpack[MessageOptions]) -> dict[str, Any]:
    """A message update carrying a command, e.g. command("/status MOF", chat_id=-100123)."""
    if not text.startswith("/"):
        raise ValueError(f"a command starts with '/': {text!r}")
    return _update("message", message(text, **kwargs))


def text_message(text: str, **kwargs: Unpack[MessageOptions]) -> dict[str, Any]:
    """A message update with plain text (same keywords as `message`)."""
    return _update("message", message(text, **kwargs))


def bot_message(
    text: str = "…",
    *,
    chat_id: int = GROUP,
    message_id: int | None = None,
    reply_markup: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message the bot sent, such as the one an inline keyboard sits under."""
    msg: dict[str, Any] = {
        "message_id": message_id or next(_message_ids),
        "date": int(time.time()),
        "chat": chat(chat_id),
        "from": dict(BOT_USER),
        "text": text,
    }
    if reply_markup:
        msg["reply_markup"] = reply_markup
    return msg


def callback(
    data: str,
    *,
    message: dict[str, Any] | None = None,
    message_id: int | None = None,
    chat_id: int = GROUP,
    user_id: int = USER,
    lang: str | None = "vi",
) -> dict[str, Any]:
    """A pressed inline button under `message` (or a bot message `message_id` in `chat_id`)."""
    under = message or bot_message(chat_id=chat_id, message_id=message_id)
    query = {
        "id": str(next(_update_ids)),
        "from": user(user_id, lang=lang),
        "chat_instance": str(under["chat"]["id"]),
        "data": data,
        "message": under,
    }
    return _update("callback_query", query)


def document(
    file_id: str,
    file_name: str,
    *,
    caption: str | None = None,
    mime_type: str | None = None,
    file_size: int = 1024,
    **kwargs: Unpack[MessageOptions],
) -> dict[str, Any]:
    """A message update with a file attached (`file_id` from `FakeBotAPI.add_file`)."""
    msg = message(None, **kwargs)
    msg["document"] = {
        "file_id": file_id,
        "file_unique_id": f"unique-{file_id}",
        "file_name": file_name,
        "mime_type": mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream",
        "file_size": file_size,
    }
    if caption is not None:
        msg["caption"] = caption
    return _update("message", msg)


def edited(update: dict[str, Any]) -> dict[str, Any]:
    """The same message, edited by its author a minute later."""
    msg = copy.deepcopy(update["message"])
    msg["edit_date"] = msg["date"] + 60
    return _update("edited_message", msg)


def forwarded(update: dict[str, Any], *, user_id: int | None = None) -> dict[str, Any]:
    """The message forwarded (by `user_id`, else its author) into the same chat."""
    original = update["message"]
    msg = copy.deepcopy(original)
    msg |= {"message_id": next(_message_ids), "date": int(time.time())}
    if user_id is not None:
        msg["from"] = user(user_id)
    origin = {"type": "user", "sender_user": original["from"], "date": original["date"]}
    msg["forward_origin"] = origin
    return _update("message", msg)


def channel_post(text: str, *, chat_id: int = CHANNEL) -> dict[str, Any]:
    """A post in a channel: no sender user, the channel itself signs it."""
    channel = {"id": chat_id, "type": "channel", "title": "Kênh thông báo"}
    post = {"message_id": next(_message_ids), "date": int(time.time()), "chat": channel}
    post |= {"sender_chat": channel, "text": text}
    return _update("channel_post", post)


def photo(
    file_id: str,
    *,
    file_unique_id: str | None = None,
    caption: str | None = None,
    file_size: int = 54_321,
    **kwargs: Unpack[MessageOptions],
) -> dict[str, Any]:
    """A message update with a photo, in the sizes Telegram sends (the largest last)."""
    msg = message(None, **kwargs)
    unique = file_unique_id or f"unique-{file_id}"
    msg["photo"] = [
        {"file_id": f"{file_id}-small", "file_unique_id": f"{unique}-small", "width": 90,
         "height": 67, "file_size": 1_234},
        {"file_id": file_id, "file_unique_id": unique, "width": 1280, "height": 960,
         "file_size": file_size},
    ]  # fmt: skip
    if caption is not None:
        msg["caption"] = caption
    return _update("message", msg)


def replying(update: dict[str, Any], to: dict[str, Any]) -> dict[str, Any]:
    """The same message update, sent as a reply to the message `to` (the bot's, say)."""
    replied = copy.deepcopy(update)
    replied["message"]["reply_to_message"] = to
    return replied
