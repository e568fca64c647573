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
