"""Twilio webhooks in: signatures, inbound SMS/WhatsApp, keywords, status callbacks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from twilio.request_validator import RequestValidator

from channels.base import BadRequest, Forbidden
from channels.twilio import (
    SmsChannel,
    WhatsAppChannel,
    keyword,
    split_address,
)
from tests.channels.conftest import load

TOKEN = "f" * 32
PUBLIC = "https://bot.example.org"
PATH = "/webhooks/twilio/messages"


@pytest.fixture(scope="module")
def sms() -> SmsChannel:
    return SmsChannel("AC" + "0" * 32, TOKEN, public_url=PUBLIC + "/", from_number="+351300000000")


def signature(url: str, params: dict[str, str], token: str = TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, params))


# (fixture, channel, address, kind, text, choice, meta that must be present)
CASES = [
    ("sms_text", "sms", "+351912345678", "text", "Olá, preciso de ajuda", None,
     {"to": "+351300000000", "country": "PT"}),
    ("sms_stop", "sms", "+351912345678", "text", "Stop", None, {"keyword": "stop"}),
    ("sms_start", "sms", "+351912345678", "text", " UNSTOP ", None, {"keyword": "start"}),
    ("sms_help", "sms", "+351912345678", "text", "info", None, {"keyword": "help"}),
    ("sms_optout_type", "sms", "+351912345678", "text", "PARAR", None, {"keyword": "stop"}),
    ("mms_media", "sms", "+351912345678", "media", "", None,
     {"media_count": "1", "media_type": "image/jpeg"}),
    ("whatsapp_text", "whatsapp", "+351912345678", "text", "Привіт", None,
     {"to": "+14155238886", "profile_name": "Olena"}),
    ("whatsapp_location", "whatsapp", "+351912345678", "location", "", None,
     {"lat": "38.722252", "lon": "-9.139337"}),
    ("whatsapp_button", "whatsapp", "+351912345678", "choice", "Sim", "yes", {}),
    ("whatsapp_voice", "whatsapp", "+351912345678", "media", "", None, {"media_type": "audio/ogg"}),
]


@pytest.mark.parametrize(("name", "channel", "address", "kind", "text", "choice", "meta"), CASES)
def test_recorded_inbound(sms: SmsChannel, name: str, channel: str, address: str, kind: str,
                          text: str, choice: str | None, meta: dict[str, str]) -> None:
    params = load(f"twilio/{name}")
    [inbound] = sms.parse_inbound(params)
    assert (inbound.channel, inbound.address) == (channel, address)
    assert inbound.provider_id == params["MessageSid"]
    assert (inbound.kind, inbound.text, inbound.choice) == (kind, text, choice)
    assert meta.items() <= inbound.meta.items()


def test_a_sentence_with_a_keyword_is_not_a_keyword(sms: SmsChannel) -> None:
    [inbound] = sms.parse_inbound(load("twilio/sms_stop_sentence"))
    assert "keyword" not in inbound.meta


@pytest.mark.parametrize(("body", "opt_out_type", "expected"), [
    ("STOP", None, "stop"), ("stopall", None, "stop"), ("Unsubscribe", None, "stop"),
    ("cancel", None, "stop"), ("END", None, "stop"), ("quit!", None, "stop"),
    ("start", None, "start"), ("Yes", None, "start"), ("unstop", None, "start"),
    ("HELP", None, "help"), ("info.", None, "help"),
    ("sim", None, None), ("stop now", None, None), ("", None, None),
    ("SAIR", "STOP", "stop"), ("COMEÇAR", "START", "start"), ("AJUDA", "HELP", "help"),
])
def test_keywords(body: str, opt_out_type: str | None, expected: str | None) -> None:
    assert keyword(body, opt_out_type) == expected


def test_configured_localized_keywords() -> None:
    channel = SmsChannel("AC1", TOKEN, extra_keywords={"parar": "stop", "ajuda": "help"})
    [inbound] = channel.parse_inbound({"MessageSid": "SM1", "From": "+351911111111", "Body": "Parar"})
    assert inbound.meta["keyword"] == "stop"


def test_empty_body_without_media_is_unsupported(sms: SmsChannel) -> None:
    [inbound] = sms.parse_inbound({"MessageSid": "SM1", "From": "whatsapp:+351911111111", "Body": ""})
    assert inbound.kind == "unsupported"


@pytest.mark.parametrize("params", [{}, {"From": "+351911111111"}, {"MessageSid": "SM1"}])
def test_incomplete_inbound_is_a_bad_request(sms: SmsChannel, params: dict[str, str]) -> None:
    with pytest.raises(BadRequest):
        sms.parse_inbound(params)


def test_valid_signature_passes(sms: SmsChannel) -> None:
    params = load("twilio/sms_text")
    sms.validate(PATH, params, signature(PUBLIC + PATH, params))


def test_signature_with_a_query_string(sms: SmsChannel) -> None:
    params = load("twilio/sms_text")
    sms.validate(PATH + "?channel=sms", params, signature(PUBLIC + PATH + "?channel=sms", params))


def test_signature_over_the_explicit_default_port(sms: SmsChannel) -> None:
    params = load("twilio/sms_text")
    sms.validate(PATH, params, signature("https://bot.example.org:443" + PATH, params))


@pytest.mark.parametrize("forge", [
    lambda p, s: (p, None),                                       # missing header
    lambda p, s: (p, ""),                                         # empty header
    lambda p, s: (p, signature(PUBLIC + PATH, p, token="e" * 32)),  # another account's token
    lambda p, s: ({**p, "Body": "tampered"}, s),                  # body changed
    lambda p, s: ({**p, "Extra": "1"}, s),                        # a parameter added
    lambda p, s: ({k: v for k, v in p.items() if k != "ToZip"}, s),  # one dropped
    lambda p, s: (p, signature("http://10.0.0.5:8000" + PATH, p)),  # signed for the inner URL
])
def test_forged_or_missing_signature_is_forbidden(
    sms: SmsChannel, forge: Callable[[dict[str, str], str], tuple[dict[str, str], str | None]]
) -> None:
    params = load("twilio/sms_text")
    forged, sig = forge(params, signature(PUBLIC + PATH, params))
    with pytest.raises(Forbidden):
        sms.validate(PATH, forged, sig)


def test_without_a_public_url_nothing_validates() -> None:
    channel = SmsChannel("AC1", TOKEN)
    params = load("twilio/sms_text")
    with pytest.raises(Forbidden):
        channel.validate(PATH, params, signature(PUBLIC + PATH, params))


def test_status_callbacks(sms: SmsChannel) -> None:
    delivered = sms.parse_status(load("twilio/status_delivered"))
    assert (delivered.channel, delivered.status, delivered.error_code) == ("sms", "delivered", None)
    assert delivered.provider_id == "SMcf0e8ae6ade43cb3c0ce4525424e405a"
    failed = sms.parse_status(load("twilio/status_failed_whatsapp"))
    assert (failed.channel, failed.status, failed.error_code) == ("whatsapp", "undelivered", "63016")


def test_incomplete_status_is_a_bad_request(sms: SmsChannel) -> None:
    with pytest.raises(BadRequest):
        sms.parse_status({"MessageSid": "SM1"})


@pytest.mark.parametrize(("value", "expected"), [
    ("whatsapp:+351912345678", ("whatsapp", "+351912345678")),
    ("+351 912 345 678", ("sms", "+351912345678")),
    ("+351912345678", ("sms", "+351912345678")),
])
def test_addresses_are_normalised(value: str, expected: tuple[str, str]) -> None:
    assert split_address(value) == expected


def test_whatsapp_window() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    window = WhatsAppChannel.capabilities.window_open
    assert window(now - timedelta(hours=23, minutes=59), now)
    assert not window(now - timedelta(hours=24), now)
    assert not window(None, now)
    assert SmsChannel.capabilities.window_open(None, now)  # SMS has no window


def test_whatsapp_sender_prefix_is_normalised() -> None:
    assert WhatsAppChannel("AC1", TOKEN, whatsapp_from="whatsapp:+14155238886").whatsapp_from == "+14155238886"
    assert WhatsAppChannel("AC1", TOKEN, whatsapp_from="+14155238886").whatsapp_from == "+14155238886"


@pytest.mark.parametrize(("twilio", "ours"), [
    ("queued", "queued"), ("accepted", "queued"), ("sending", "queued"), ("sent", "sent"),
    ("delivered", "delivered"), ("read", "read"), ("undelivered", "undelivered"),
    ("failed", "failed"), ("canceled", "failed"),
])
def test_statuses_use_the_neutral_vocabulary(sms: SmsChannel, twilio: str, ours: str) -> None:
    params = {"MessageSid": "SM1", "MessageStatus": twilio, "To": "+351911111111"}
    assert sms.parse_status(params).status == ours
