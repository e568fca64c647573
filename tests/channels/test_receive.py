"""The inbound side of the channel interface: ``receive`` verifies a provider's call to one of
the channel's webhooks, parses it, and says what to answer; the registry lists every channel."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from channels import registry
from channels.base import BadRequest, Forbidden, WebhookCall
from channels.telegram import SECRET_HEADER, WEBHOOK, TelegramChannel
from channels.twilio import EMPTY_TWIML, MESSAGES, STATUS, SmsChannel
from tests.channels.conftest import load

TOKEN = "f" * 32
PUBLIC = "https://bot.example.org"


def twilio_call(route: str, params: dict[str, str], path: str | None = None, token: str = TOKEN) -> WebhookCall:
    path = path or route
    signature = RequestValidator(token).compute_signature(PUBLIC + path, params)
    return WebhookCall(route, path, {"X-Twilio-Signature": signature}, urlencode(params).encode())


@pytest.fixture(scope="module")
def sms() -> SmsChannel:
    return SmsChannel("AC" + "0" * 32, TOKEN, public_url=PUBLIC, from_number="+351300000000")


def test_a_signed_message_becomes_an_inbound_and_an_empty_twiml_answer(sms):
    got = sms.receive(twilio_call(MESSAGES, load("twilio/sms_text")))
    assert [(i.channel, i.text) for i in got.inbounds] == [("sms", "Olá, preciso de ajuda")]
    assert (got.status, got.body, got.media_type, got.deliveries) == (200, EMPTY_TWIML, "text/xml", ())


def test_a_status_callback_becomes_a_delivery_report_and_a_204(sms):
    params = {"MessageSid": "SM1", "MessageStatus": "delivered", "To": "+351912345678"}
    got = sms.receive(twilio_call(STATUS, params))
    assert [(d.provider_id, d.status) for d in got.deliveries] == [("SM1", "delivered")]
    assert (got.status, got.inbounds) == (204, ())


def test_the_signature_covers_the_path_as_the_provider_called_it(sms):
    params = load("twilio/sms_text")
    # Behind a proxy that mounts the app under /intake, the route is the same, the signed path is not.
    assert sms.receive(twilio_call(MESSAGES, params, path="/intake" + MESSAGES + "?x=1")).inbounds
    with pytest.raises(Forbidden):
        sms.receive(twilio_call(MESSAGES, params, token="e" * 32))


def test_a_broken_body_or_count_is_a_clean_answer(sms):
    with pytest.raises(BadRequest):
        sms.receive(WebhookCall(MESSAGES, MESSAGES, {}, b"\xff\xfe"))
    params = {**load("twilio/sms_text"), "NumMedia": "abc"}
    [inbound] = sms.receive(twilio_call(MESSAGES, params)).inbounds
    assert inbound.kind == "text"  # a forged count is no media, not a failure


def telegram_call(body: dict, secret: str | None = "sec") -> WebhookCall:
    headers = {SECRET_HEADER: secret} if secret else {}
    return WebhookCall(WEBHOOK, WEBHOOK, headers, json.dumps(body).encode())


def test_telegram_verifies_the_secret_and_answers_button_presses_after_the_commit():
    channel = TelegramChannel("1:abc", webhook_secret="sec")
    text = load("telegram/text")
    with pytest.raises(Forbidden):
        channel.receive(telegram_call(text, secret="wrong"))
    got = channel.receive(telegram_call(text))
    assert len(got.inbounds) == 1 and got.after is None  # nothing to do after a typed message
    pressed = channel.receive(telegram_call(load("telegram/callback")))
    assert pressed.inbounds[0].kind == "choice" and pressed.after is not None


def test_the_registry_lists_each_channel_once_with_its_capabilities():
    assert len(set(registry.NAMES)) == len(registry.NAMES)
    assert registry.capabilities("sms").priced_per_segment
    assert registry.capabilities("whatsapp").window is not None
    assert registry.capabilities("telegram").can_delete
    assert registry.capabilities("console") == registry.capabilities("unknown")  # plain defaults
    assert registry.dearest().priced_per_segment
    # Two channels of one provider share its webhooks; every path has an owner.
    paths = [p for kind in registry.KINDS for p in kind.webhooks]
    assert set(paths) == {WEBHOOK, MESSAGES, STATUS}
