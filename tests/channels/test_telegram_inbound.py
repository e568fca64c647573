"""Telegram webhook bodies in, neutral inbound messages out (recorded updates in fixtures/)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from channels.base import BadRequest, Forbidden, Option
from channels.fakes.telegram_api import callback_update, text_update
from channels.telegram import TelegramChannel, decode_callback, encode_callback
from tests.channels.conftest import TOKEN, load

SECRET = "s3cr3t-Token_abc"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CHAT = "987654321"


@pytest.fixture(scope="module")
def channel() -> TelegramChannel:
    # Module-wide: building a Bot sets up two TLS contexts, about 0.2 s.
    return TelegramChannel(TOKEN, SECRET, "http://127.0.0.1:9/bot")


# (fixture, kind, text, choice, source, meta that must be present)
CASES = [
    ("text", "text", "Olá, preciso de ajuda", None, None, {"message_id": "11"}),
    ("start_payload", "text", "/start", None, "ngo_lisboa-2", {}),
    ("start_plain", "text", "/start", None, None, {}),
    ("callback", "choice", "Válido", "valid_passport", None,
     {"callback_query_id": "4242424242424242421", "message_id": "20", "label": "Válido"}),
    ("callback_index", "text", "3", None, None,
     {"callback_query_id": "4242424242424242422", "option_index": "3"}),
    ("sticker", "media", "", None, None, {"media": "sticker"}),
    ("photo", "media", "o meu documento", None, None, {"media": "photo"}),
    ("voice", "media", "", None, None, {"media": "voice"}),
    ("video", "media", "", None, None, {"media": "video"}),
    ("document", "media", "", None, None, {"media": "document"}),
    ("location", "location", "", None, None, {"lat": "38.722252", "lon": "-9.139337"}),
    ("contact", "contact", "+351912345678", None, None,
     {"phone_number": "+351912345678", "user_id": CHAT}),
    ("edited", "edit", "Olá, preciso de ajuda urgente", None, None, {"message_id": "11"}),
    ("blocked", "unsupported", "", None, None,
     {"update": "my_chat_member", "status": "kicked", "event": "blocked"}),
    ("dice", "unsupported", "", None, None, {"update": "message"}),
    ("future_type", "unsupported", "", None, None, {"update": "some_future_update"}),
]


@pytest.mark.parametrize(("name", "kind", "text", "choice", "source", "meta"), CASES)
def test_recorded_updates(channel: TelegramChannel, name: str, kind: str, text: str,
                          choice: str | None, source: str | None, meta: dict[str, str]) -> None:
    body = load(f"telegram/{name}")
    [inbound] = channel.parse_webhook(HEADERS, json.dumps(body).encode())
    assert inbound.channel == "telegram"
    assert inbound.address == CHAT
    assert inbound.provider_id == str(body["update_id"])
    assert inbound.locale_hint == "uk"
    assert (inbound.kind, inbound.text, inbound.choice, inbound.source) == (kind, text, choice, source)
    assert meta.items() <= inbound.meta.items()
    assert all(isinstance(v, str) for v in inbound.meta.values())


def test_received_at_is_the_message_date(channel: TelegramChannel) -> None:
    [inbound] = channel.parse_update(load("telegram/text"))
    assert inbound.received_at == datetime.fromtimestamp(1764310000, UTC)


def test_update_without_anyone_to_answer_gives_nothing_even_if_ptb_rejects_it(channel: TelegramChannel) -> None:
    assert channel.parse_update(load("telegram/poll")) == []


@pytest.mark.parametrize("payload", ["has space", "x" * 65, "ünï"])
def test_odd_start_payloads_are_not_kept(channel: TelegramChannel, payload: str) -> None:
    [inbound] = channel.parse_update({"update_id": 1, **text_update(5, f"/start {payload}")})
    assert (inbound.text, inbound.source) == ("/start", None)


def test_group_style_start_command(channel: TelegramChannel) -> None:
    [inbound] = channel.parse_update({"update_id": 1, **text_update(5, "/start@intake_bot abc")})
    assert inbound.source == "abc"


def test_foreign_callback_data_is_passed_as_is(channel: TelegramChannel) -> None:
    [inbound] = channel.parse_update({"update_id": 1, **callback_update(5, "lang:pt")})
    assert (inbound.kind, inbound.choice, inbound.text) == ("choice", "lang:pt", "lang:pt")


def test_missing_language_code(channel: TelegramChannel) -> None:
    [inbound] = channel.parse_update({"update_id": 1, **text_update(5, "hi", language_code=None)})
    assert inbound.locale_hint is None


@pytest.mark.parametrize("headers", [
    {},
    {"X-Telegram-Bot-Api-Secret-Token": ""},
    {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
    {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
])
def test_missing_or_wrong_secret_is_forbidden(channel: TelegramChannel,
                                              headers: dict[str, str]) -> None:
    with pytest.raises(Forbidden):
        channel.parse_webhook(headers, json.dumps(load("telegram/text")).encode())


def test_secret_header_name_is_case_insensitive(channel: TelegramChannel) -> None:
    headers = {"x-telegram-bot-api-secret-token": SECRET}
    assert channel.parse_webhook(headers, json.dumps(load("telegram/text")).encode())


def test_without_a_configured_secret_every_webhook_is_forbidden() -> None:
    channel = TelegramChannel(TOKEN, None, "http://127.0.0.1:9/bot")
    with pytest.raises(Forbidden):
        channel.parse_webhook({"X-Telegram-Bot-Api-Secret-Token": ""}, b"{}")


@pytest.mark.parametrize("body", [b"not json", b"[]", b"{}", b'{"update_id": "7"}',
                                  b'{"update_id": 7, "message": {"text": "no chat"}}'])
def test_malformed_bodies_are_bad_requests(channel: TelegramChannel, body: bytes) -> None:
    with pytest.raises(BadRequest):
        channel.parse_webhook(HEADERS, body)


def test_callback_data_fits_64_bytes() -> None:
    short = Option("Sim", "yes")
    long = Option("Longo", "ç" * 40)  # 80 bytes of UTF-8 although 40 characters
    assert encode_callback(short, 0) == "o:yes"
    assert encode_callback(long, 4) == "i:5"
    assert decode_callback("o:yes") == ("yes", None)
    assert decode_callback("i:5") == (None, "5")
    assert decode_callback("o:" + "x" * 62) == ("x" * 62, None)
    assert len(encode_callback(Option("x", "x" * 62), 0).encode()) == 64


# -- plain text read straight from the JSON: the same Inbound as through PTB's objects ----------


def _through_ptb(channel: TelegramChannel, data: dict) -> list:
    from telegram import Update

    from channels._telegram_update import to_inbound

    found = to_inbound(channel.name, Update.de_json(data, channel.bot), "message", data.get("message"))
    return [found] if found else []


def _plain(update_id: int = 7, **message) -> dict:
    body = {"message_id": 11, "date": 1_764_000_000, "chat": {"id": 987654321, "type": "private"},
            "from": {"id": 987654321, "is_bot": False, "first_name": "Ana", "language_code": "pt-br"},
            "text": "Olá, preciso de ajuda"}
    body.update(message)
    return {"update_id": update_id, "message": {k: v for k, v in body.items() if v is not None}}


@pytest.mark.parametrize("data", [
    _plain(),
    _plain(text=""),
    _plain(text="😀 ٱلسَّلَامُ عَلَيْكُمْ\nनमस्ते"),
    _plain(text="/help"),
    _plain(text="/startle"),  # not /start
    _plain(**{"from": {"id": 5, "is_bot": False, "first_name": "A"}}),  # no language code
    _plain(**{"from": None}),  # a channel post forwarded without a sender
    _plain(chat={"id": -100123, "type": "group", "title": "g"}),
    _plain(text="/start"),
    _plain(text="/start ngo_lisboa-2"),  # a deep link's payload is the conversation's source
    _plain(text="/start@intake_bot ngo_lisboa-2"),
    _plain(text="/start <script>"),  # anyone can type a payload: only a well-formed one is kept
    _plain(text="/start", entities=[{"type": "bot_command", "offset": 0, "length": 6}]),
    _plain(entities=[{"type": "bold", "offset": 0, "length": 3}]),
], ids=["text", "empty", "scripts", "command", "startle", "no-language", "no-sender", "group",
        "start", "start-payload", "start-at-bot", "start-bad-payload", "start-entity", "bold"])
def test_plain_text_is_read_as_ptb_reads_it(channel: TelegramChannel, data: dict) -> None:
    from channels._telegram_update import plain_text

    quick = plain_text(channel.name, data)
    assert quick is not None
    assert [quick] == _through_ptb(channel, data) == channel.parse_update(data)


@pytest.mark.parametrize("data", [
    _plain(reply_to_message={"message_id": 3, "date": 1, "chat": {"id": 1, "type": "private"}}),
    _plain(entities=[{"type": "bold", "offset": "0", "length": 3}]),
    _plain(entities={"type": "bold"}),
    _plain(text=12),  # wrong shapes: PTB's path answers them
    _plain(date="yesterday"),
    _plain(chat={"id": "x", "type": "private"}),
    _plain(chat={"id": 1}),
    _plain(**{"from": {"id": 5, "first_name": "A"}}),
    _plain(**{"from": {"id": 5, "is_bot": False, "first_name": "A", "language_code": 3}}),
    {"update_id": 7, "message": _plain()["message"], "edited_message": _plain()["message"]},
    {"update_id": 7, "edited_message": _plain()["message"]},
])
def test_anything_else_takes_the_general_path(channel: TelegramChannel, data: dict) -> None:
    from channels._telegram_update import plain_text

    assert plain_text(channel.name, data) is None
