"""Hostile Telegram updates: a wrong shape is a BadRequest that says in words what is wrong (never
a Python exception's name), and a lone surrogate in what someone wrote is replaced, so the
message is still received, stored and answered."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import select

from channels.base import BadRequest
from channels.fakes.telegram_api import callback_update, text_update
from channels.telegram import TelegramChannel
from tests.bot import test_webhooks
from tests.channels.conftest import TOKEN, load

SECRET = "s3cr3t-Token_abc"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
# What a Python exception's text looks like ("TypeError", "'str' object has no attribute").
CLASS_NAME = re.compile(r"[A-Z][A-Za-z]*(Error|Exception)\b|__init__|'\w+' object|positional argument")
CHAT = {"id": 5, "type": "private"}
USER = {"id": 5, "is_bot": False, "first_name": "Ana", "language_code": "pt"}


@pytest.fixture(scope="module")
def channel() -> TelegramChannel:
    return TelegramChannel(TOKEN, SECRET, "http://127.0.0.1:9/bot")


def _message(**fields) -> dict:
    return {"update_id": 1, "message": {"message_id": 1, "date": 1_764_000_000, "chat": CHAT, "from": USER,
                                        **fields}}


def _callback(**fields) -> dict:
    return {"update_id": 1, "callback_query": {"id": "q1", "from": USER, "chat_instance": "-1", **fields}}


PHOTO = [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}]

WRONG = [
    (_message(text={"a": 1}), "message.text must be a string"),
    (_message(text=5), "message.text must be a string"),
    (_message(text=[1]), "message.text must be a string"),
    (_message(text=True), "message.text must be a string"),
    (_message(text="hi", entities=[{"type": "bold", "offset": 0, "length": 1}], caption=7), "message.caption must be a string"),
    (_message(caption=5, photo=PHOTO), "message.caption must be a string"),
    (_message(text="hi", date="yesterday"), "message.date must be a whole number of seconds"),
    (_message(text="hi", date=10**30), "message.date is out of range"),
    (_message(text="hi", date=-1), "message.date is out of range"),
    (_message(text="hi", message_id="1"), "message.message_id must be a whole number"),
    (_message(text="hi", chat="x"), "message.chat must be an object"),
    (_message(text="hi", chat={"id": 10**30, "type": "private"}), "message.chat.id is out of range"),
    (_message(text="hi", chat={"id": 5}), "message.chat.type is missing"),
    (_message(text="hi", **{"from": {"id": "x"}}), "message.from.id must be a whole number"),
    (_message(text="hi", **{"from": {**USER, "language_code": 5}}), "message.from.language_code must be a string"),
    (_message(location={"latitude": "x", "longitude": 1}), "message.location.latitude must be a number"),
    (_message(location={"latitude": 1, "longitude": 10**400}), "message.location.longitude is out of range"),
    (_message(location={"latitude": 1e999, "longitude": 1}), "message.location.latitude is out of range"),
    (_message(contact={"phone_number": 5, "first_name": "a"}), "message.contact.phone_number must be a string"),
    ({"update_id": 1, "message": [1]}, "message must be an object"),
    ({"update_id": 1, "message": "x"}, "message must be an object"),
    ({"update_id": 1, "message": {"text": "no chat"}}, "message.message_id is missing"),
    ({"update_id": 10**30, "message": _message(text="hi")["message"]}, "update_id is out of range"),
    ({"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "edit_date": 2, "chat": CHAT, "text": 5}},
     "edited_message.text must be a string"),
    ({"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "edit_date": 2**62, "chat": CHAT, "text": "x"}},
     "edited_message.edit_date is out of range"),
    (_callback(data=5), "callback_query.data must be a string"),
    (_callback(data={}), "callback_query.data must be a string"),
    (_callback(data="o:x", message={"message_id": 1, "date": 1, "chat": CHAT,
                                    "reply_markup": {"inline_keyboard": [[{"text": 5}]]}}),
     "callback_query.message.reply_markup.inline_keyboard[0][0].text must be a string"),
    (_callback(data="o:x", message={"message_id": 1, "date": 1, "chat": CHAT,
                                    "reply_markup": {"inline_keyboard": [{"text": "a"}]}}),
     "callback_query.message.reply_markup.inline_keyboard[0] must be a list"),
    ({"update_id": 1, "callback_query": "x"}, "callback_query must be an object"),
    ({"update_id": 1, "my_chat_member": {"chat": CHAT, "new_chat_member": 5}}, "my_chat_member.from is missing"),
    ({"update_id": 1, "my_chat_member": {"chat": CHAT, "from": USER, "date": 1, "new_chat_member": {"status": 5}}},
     "my_chat_member.new_chat_member.status must be a string"),
]


@pytest.mark.parametrize(("update", "problem"), WRONG)
def test_a_wrong_shape_is_named_in_words(channel: TelegramChannel, update: dict, problem: str) -> None:
    with pytest.raises(BadRequest) as caught:
        channel.parse_webhook(HEADERS, json.dumps(update).encode())
    assert str(caught.value) == f"malformed update: {problem}"
    assert not CLASS_NAME.search(str(caught.value))


@pytest.mark.parametrize(("body", "problem"), [
    (b"[" * 5000 + b"]" * 5000, "body is nested too deeply"),
    (b'{"update_id": 1, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "body is nested too deeply"),
    (b"[]", "not a Telegram update: the body must be a JSON object"),
    (b'{"update_id": true, "message": {}}', "not a Telegram update: update_id must be a whole number"),
    (b'{"update_id": "7"}', "not a Telegram update: update_id must be a whole number"),
    (b'{"update_id": 1, "message": {"message_id": 1, "date": ' + b"9" * 5000 + b"}}", "body is not JSON"),
])
def test_odd_bodies_are_named_in_words(channel: TelegramChannel, body: bytes, problem: str) -> None:
    with pytest.raises(BadRequest) as caught:
        channel.parse_webhook(HEADERS, body)
    assert str(caught.value) == problem


def _lone(update: dict) -> bytes:
    """The JSON of ``update`` with every "\\uFFFF" marker turned into an escaped lone surrogate."""
    return json.dumps(update).replace("\\uffff", "\\ud800").encode()


@pytest.mark.parametrize("update", [
    _message(text="ol\u00e1 \uffff!"),  # plain text: the quick path
    _message(text="ol\u00e1 \uffff!", entities=[{"type": "bold", "offset": 0, "length": 1}], has_protected_content=True),
], ids=["quick", "ptb"])
def test_a_lone_surrogate_in_text_is_replaced_and_the_message_kept(channel: TelegramChannel, update: dict) -> None:
    [inbound] = channel.parse_webhook(HEADERS, _lone(update))
    assert inbound.text == "olá \ufffd!"
    inbound.text.encode("utf-8")  # storable, encryptable


def test_lone_surrogates_everywhere_we_read_are_replaced(channel: TelegramChannel) -> None:
    edited = {"update_id": 1, "edited_message": {"message_id": 1, "date": 1, "edit_date": 2, "chat": CHAT,
                                                 "from": {**USER, "language_code": "p\uffff"}, "text": "x\uffff"}}
    [edit] = channel.parse_webhook(HEADERS, _lone(edited))
    assert (edit.kind, edit.text, edit.locale_hint) == ("edit", "x\ufffd", "p\ufffd")
    caption = _message(caption="\uffff", photo=PHOTO)
    assert channel.parse_webhook(HEADERS, _lone(caption))[0].text == "\ufffd"
    markup = {"inline_keyboard": [[{"text": "Sim\uffff", "callback_data": "o:\uffff"}]]}
    pressed = _callback(data="o:\uffff", message={"message_id": 1, "date": 1, "chat": CHAT, "reply_markup": markup})
    [choice] = channel.parse_webhook(HEADERS, _lone(pressed))
    assert (choice.choice, choice.text, choice.meta["label"]) == ("\ufffd", "Sim\ufffd", "Sim\ufffd")
    odd_key = {"update_id": 1, "some_future_update\uffff": {"chat": {"id": 5}}}
    [unknown] = channel.parse_webhook(HEADERS, _lone(odd_key))
    assert unknown.meta["update"] == "some_future_update\ufffd"
    for found in (edit, choice, unknown):
        json.dumps([found.text, dict(found.meta)], ensure_ascii=False).encode("utf-8")


def test_raw_surrogate_bytes_are_replaced_too(channel: TelegramChannel) -> None:
    body = json.dumps(_message(text="a-b")).encode().replace(b"a-b", b"a\xed\xa0\x80b")  # CESU-8 style
    assert channel.parse_webhook(HEADERS, body)[0].text == "a\ufffdb"


def test_a_newer_update_type_with_odd_values_is_acknowledged_safely(channel: TelegramChannel) -> None:
    odd = {"update_id": 1, "some_future_update": {"from": {"id": {"x": 1}, "language_code": 7}}}
    assert channel.parse_update(odd) == []  # nobody to answer: the id is not an id
    odd = {"update_id": 1, "some_future_update": {"from": {"id": 9, "language_code": 7}}}
    [found] = channel.parse_update(odd)
    assert (found.address, found.locale_hint, found.kind) == ("9", None, "unsupported")


def test_recorded_updates_still_pass_the_shape_check() -> None:
    from channels._telegram_update import shape_problem

    for name in ("text", "start_payload", "callback", "callback_index", "sticker", "photo", "voice", "video",
                 "document", "location", "contact", "edited", "blocked", "dice", "future_type", "poll"):
        assert shape_problem(load(f"telegram/{name}")) is None, name
    assert shape_problem({"update_id": 1, **text_update(5, "hi")}) is None
    assert shape_problem({"update_id": 1, **callback_update(5, "o:yes")}) is None


# -- end to end: through the webhook, stored encrypted, answered ----------------------------------


# The app with a fake Telegram, as the webhook tests build it.
app_with_fake_telegram = test_webhooks.telegram
WEBHOOK_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": test_webhooks.SECRET}


def test_a_lone_surrogate_through_the_webhook_is_stored_and_answered(app_with_fake_telegram) -> None:
    from core.models import Message

    client, fake, app = app_with_fake_telegram
    update = {"update_id": 2001, **text_update(42, "Ol\u00e1, \uffff quero voltar para casa", "pt")}
    response = client.post("/webhooks/telegram", content=_lone(update),
                           headers={**WEBHOOK_HEADERS, "content-type": "application/json"})
    assert response.status_code == 200, response.text
    deadline = time.monotonic() + 15
    while not fake.delivered and time.monotonic() < deadline:
        time.sleep(0.02)
    assert fake.delivered and str(fake.delivered[0]["chat_id"]) == "42"
    with app.db.sessions() as s:  # read back through the decrypting column
        said = s.scalars(select(Message.body).where(Message.direction == "in")).all()
    assert said == ["Olá, \ufffd quero voltar para casa"]


def test_a_wrong_shape_through_the_webhook_is_400_in_words(app_with_fake_telegram) -> None:
    client, _fake, _app = app_with_fake_telegram
    for text, problem in [({"a": 1}, "message.text must be a string"), (5, "message.text must be a string")]:
        update = {"update_id": 2002, **text_update(42, "x", "pt")}
        update["message"]["text"] = text
        response = client.post("/webhooks/telegram", json=update, headers=WEBHOOK_HEADERS)
        assert (response.status_code, response.json()) == (400, {"detail": f"malformed update: {problem}"})
    huge = {"update_id": 2003, **text_update(42, "x", "pt")}
    huge["message"]["date"] = 10**30
    response = client.post("/webhooks/telegram", json=huge, headers=WEBHOOK_HEADERS)
    assert (response.status_code, response.json()) == (400, {"detail": "malformed update: message.date is out of range"})
