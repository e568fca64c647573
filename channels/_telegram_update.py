"""Reading Telegram updates: one ``telegram.Update`` -> one neutral ``Inbound`` (or none).

Also the callback-data codec, shared with the sender: a button carries ``o:<value>`` in its 64
bytes, or ``i:<n>`` when the value is too long.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import telegram
from telegram import InlineKeyboardMarkup, Update

from channels.base import Inbound, Option

__all__ = [
    "CALLBACK_LIMIT",
    "decode_callback",
    "encode_callback",
    "plain_text",
    "shape_problem",
    "to_inbound",
]

CALLBACK_LIMIT = 64  # bytes of UTF-8, not characters
_MEDIA = ("sticker", "photo", "voice", "video", "video_note", "document", "audio", "animation")
# Deep-link payloads are [A-Za-z0-9_-]{1,64}; anyone can type "/start <anything>", so keep only those.
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_INT64 = (-(2**63), 2**63 - 1)  # Telegram's ids fit in 52 bits; anything past 64 is not an id
_LAST_SECOND = 253_402_300_799  # 9999-12-31 23:59:59 UTC, the last time a datetime can hold


# -- the shape of the parts of an update we read -----------------------------------------------
# PTB checks no types: a number where text belongs, or a date past the year 9999, gets through
# it and breaks later. So each field we read is checked first, and a wrong one is named.

Check = Callable[[Any, str], "str | None"]


def _string(value: Any, path: str) -> str | None:
    return None if type(value) is str else f"{path} must be a string"


def _boolean(value: Any, path: str) -> str | None:
    return None if type(value) is bool else f"{path} must be true or false"


def _is_id(value: Any) -> bool:
    return type(value) is int and _INT64[0] <= value <= _INT64[1]


def _is_time(value: Any) -> bool:
    return type(value) is int and 0 <= value <= _LAST_SECOND


def _integer(value: Any, path: str) -> str | None:
    if type(value) is not int:
        return f"{path} must be a whole number"
    return None if _is_id(value) else f"{path} is out of range"


def _time(value: Any, path: str) -> str | None:
    if type(value) is not int:
        return f"{path} must be a whole number of seconds"
    return None if _is_time(value) else f"{path} is out of range"


def _degrees(value: Any, path: str) -> str | None:
    if type(value) not in (int, float):
        return f"{path} must be a number"
    return None if -180 <= value <= 180 else f"{path} is out of range"  # NaN included


def _list_of(item: Any) -> Check:
    def check(value: Any, path: str) -> str | None:
        if type(value) is not list:
            return f"{path} must be a list"
        return next((p for i, v in enumerate(value) if (p := _check(v, item, f"{path}[{i}]"))), None)

    return check


# Each object: field -> (its check or object, whether it must be there). Fields we do not read
# are left to PTB, which keeps what it does not know.
_CHAT = {"id": (_integer, True), "type": (_string, True)}
_USER = {"id": (_integer, True), "is_bot": (_boolean, True), "first_name": (_string, True),
         "language_code": (_string, False)}
_BUTTON = {"text": (_string, True), "callback_data": (_string, False)}
_MESSAGE: dict[str, tuple[Any, bool]] = {
    "message_id": (_integer, True), "date": (_time, True), "edit_date": (_time, False),
    "chat": (_CHAT, False), "from": (_USER, False), "text": (_string, False),
    "caption": (_string, False),
    "location": ({"latitude": (_degrees, True), "longitude": (_degrees, True)}, False),
    "contact": ({"phone_number": (_string, True), "user_id": (_integer, False)}, False),
    "reply_markup": ({"inline_keyboard": (_list_of(_list_of(_BUTTON)), False)}, False),
}
_UPDATE: dict[str, tuple[Any, bool]] = {
    "update_id": (_integer, True),
    "message": (_MESSAGE, False),
    "edited_message": (_MESSAGE, False),
    "callback_query": ({"id": (_string, True), "from": (_USER, True), "data": (_string, False),
                        "message": (_MESSAGE, False)}, False),
    "my_chat_member": ({"chat": (_CHAT, True), "from": (_USER, True),
                        "new_chat_member": ({"status": (_string, True)}, True)}, False),
}


def _check(value: Any, spec: Any, path: str) -> str | None:
    if not isinstance(spec, dict):
        return spec(value, path)
    if type(value) is not dict:
        return f"{path} must be an object"
    for name, (inner, required) in spec.items():
        here = f"{path}.{name}" if path else name
        if value.get(name) is None:  # PTB reads null as absent, and so do we
            if required:
                return f"{here} is missing"
            continue
        problem = _check(value[name], inner, here)
        if problem:
            return problem
    return None


def shape_problem(data: Any) -> str | None:
    """What is wrong with the parts of this update we read, in words ("message.text must be a
    string"); None when they have the types Telegram gives them."""
    return _check(data, _UPDATE, "")


def encode_callback(option: Option, index: int) -> str:
    """``o:<value>``, or ``i:<n>`` (1-based) when the value would not fit in 64 bytes."""
    data = f"o:{option.value}"
    return data if len(data.encode()) <= CALLBACK_LIMIT else f"i:{index + 1}"


def decode_callback(data: str) -> tuple[str | None, str | None]:
    """(value, menu number) from callback data; foreign data comes back as the value."""
    if data.startswith("o:"):
        return data[2:], None
    if data.startswith("i:") and data[2:].isdigit():
        return None, data[2:]
    return data, None


# The shape of most updates a bot receives: someone typed text in a private chat.
_PLAIN_KEYS = frozenset(("message_id", "from", "chat", "date", "text", "entities"))
_USER_KEYS = frozenset(("id", "is_bot", "first_name", "last_name", "username", "language_code"))


def plain_text(channel: str, data: dict[str, Any]) -> Inbound | None:
    """The inbound message of an update that is plain text and nothing else, read straight from
    the JSON; None for any other shape, which ``to_inbound`` reads through PTB. Building PTB's
    objects was an eighth of the server's CPU per webhook turn (bench/webhook.py); the result is
    the same (tests/channels compares the two on every shape this accepts)."""
    msg = data.get("message")
    if len(data) != 2 or type(msg) is not dict or not msg.keys() <= _PLAIN_KEYS:
        return None
    text, chat, user = msg.get("text"), msg.get("chat"), msg.get("from")
    if type(text) is not str or not _is_id(msg.get("message_id")) or not _is_time(msg.get("date")) \
            or not _is_id(data.get("update_id")):
        return None
    if type(chat) is not dict or not _is_id(chat.get("id")) or type(chat.get("type")) is not str:
        return None
    entities = msg.get("entities", [])  # e.g. the bot_command of "/start": not read, but checked
    if type(entities) is not list or not all(
        type(e) is dict and type(e.get("type")) is str and type(e.get("offset")) is int
        and type(e.get("length")) is int for e in entities
    ):
        return None
    if user is not None and (type(user) is not dict or not user.keys() <= _USER_KEYS
                             or not _is_id(user.get("id")) or type(user.get("first_name")) is not str
                             or type(user.get("is_bot")) is not bool
                             or type(user.get("language_code", "")) is not str):
        return None
    base = {"channel": channel, "address": str(chat["id"]), "provider_id": str(data["update_id"]),
            "locale_hint": user.get("language_code") if user else None,
            "received_at": datetime.fromtimestamp(msg["date"], UTC)}
    return _text(text, base, {"message_id": str(msg["message_id"])})


def _text(text: str, base: dict[str, Any], meta: dict[str, str]) -> Inbound:
    command, _, payload = text.partition(" ")
    if command.split("@")[0] == "/start":
        source = payload.strip() if _PAYLOAD.match(payload.strip()) else None
        return Inbound(**base, text="/start", source=source, meta=meta)
    return Inbound(**base, text=text, meta=meta)


def to_inbound(channel: str, update: Update, update_type: str, raw: Any = None) -> Inbound | None:
    """The inbound message of ``update``; ``raw`` is its JSON body, for types newer than PTB."""
    chat, user, who = update.effective_chat, update.effective_user, _raw_sender(raw)
    address = chat.id if chat else user.id if user else who.get("id")
    if not _is_id(address):  # e.g. a poll's results: there is nobody to answer
        return None
    hint = user.language_code if user else who.get("language_code")
    base: dict[str, Any] = {
        "channel": channel,
        "address": str(address),
        "provider_id": str(update.update_id),
        "locale_hint": hint if isinstance(hint, str) else None,  # a newer type's JSON is unchecked
    }
    if update.callback_query:
        query = update.callback_query
        value, number = decode_callback(query.data or "")
        meta = {"callback_query_id": query.id}
        if query.message:
            meta["message_id"] = str(query.message.message_id)
        label = _button_label(query)
        if label:
            meta["label"] = label
        if number:  # an index-form button: the same answer as typing its menu number
            return Inbound(**base, kind="text", text=number, meta={**meta, "option_index": number})
        return Inbound(**base, kind="choice", choice=value, text=label or value or "", meta=meta)
    if update.edited_message:
        msg = update.edited_message
        return Inbound(**base, kind="edit", text=msg.text or msg.caption or "",
                       received_at=msg.edit_date or msg.date,
                       meta={"message_id": str(msg.message_id)})
    if update.message:
        return _from_message(update.message, base)
    meta = {"update": update_type}
    member = update.my_chat_member
    if member:  # "kicked" is how a private chat says the person blocked the bot
        meta["status"] = member.new_chat_member.status
        meta["event"] = "blocked" if meta["status"] == "kicked" else "unblocked"
    return Inbound(**base, kind="unsupported", meta=meta)

def _from_message(msg: telegram.Message, base: dict[str, Any]) -> Inbound:
    base = {**base, "received_at": msg.date}
    meta = {"message_id": str(msg.message_id)}
    if msg.text is not None:
        return _text(msg.text, base, meta)
    if msg.location:
        loc = {"lat": str(msg.location.latitude), "lon": str(msg.location.longitude)}
        return Inbound(**base, kind="location", meta={**meta, **loc})
    if msg.contact:
        contact = {"phone_number": msg.contact.phone_number,
                   "user_id": str(msg.contact.user_id or "")}
        return Inbound(**base, kind="contact", text=msg.contact.phone_number,
                       meta={**meta, **contact})
    media = next((m for m in _MEDIA if getattr(msg, m)), None)
    if media:
        return Inbound(**base, kind="media", text=msg.caption or "", meta={**meta, "media": media})
    return Inbound(**base, kind="unsupported", meta={**meta, "update": "message"})


def _button_label(query: telegram.CallbackQuery) -> str | None:
    # The pressed button's text, from the keyboard the update carries back: what the person saw.
    markup = getattr(query.message, "reply_markup", None)
    rows = markup.inline_keyboard if isinstance(markup, InlineKeyboardMarkup) else ()
    return next((b.text for row in rows for b in row if b.callback_data == query.data), None)


def _raw_sender(raw: Any) -> dict[str, Any]:
    # An update type newer than PTB lands in api_kwargs; its chat or sender is still in the JSON.
    who = (raw.get("chat") or raw.get("from") or raw.get("user")) if isinstance(raw, dict) else None
    return who if isinstance(who, dict) else {}
