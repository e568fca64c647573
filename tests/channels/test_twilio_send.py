"""Sending SMS and WhatsApp through the real twilio async client to the fake REST API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from channels.base import (
    Option,
    Outbound,
    PermanentError,
    RateLimited,
    Sent,
    TemporaryError,
    Unreachable,
)
from channels.fakes import FakeTwilioAPI
from channels.segments import count_segments
from channels.twilio import SmsChannel, TwilioChannel, WhatsAppChannel

Api = tuple[FakeTwilioAPI, str]
PERSON = "+351912345678"
CALLBACK = "https://bot.example.org/webhooks/twilio/status"


def send(api: Api, message: Outbound, cls: type[TwilioChannel] = SmsChannel, **kwargs: Any) -> Sent:
    settings: dict[str, Any] = {"from_number": "+351300000000",
                                "whatsapp_from": "whatsapp:+14155238886",
                                "status_callback_url": CALLBACK, **kwargs}
    return run(cls(api[0].account_sid, api[0].auth_token, api_base_url=api[1], **settings),
               lambda ch: ch.send(message))


def run(channel: TwilioChannel, body: Callable[[TwilioChannel], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        await channel.start()
        try:
            return await body(channel)
        finally:
            await channel.close()
    return asyncio.run(main())


def sms(text: str, *options: tuple[str, str], **meta: str) -> Outbound:
    return Outbound("sms", PERSON, text, tuple(Option(*o) for o in options), meta=meta)


def test_sms_with_a_numbered_menu(twilio_api: Api) -> None:
    sent = send(twilio_api, sms("Tem passaporte?", ("Sim", "yes"), ("Não", "no")))
    [form] = twilio_api[0].sent
    assert form == {"To": PERSON, "From": "+351300000000", "Body": "Tem passaporte?\n1 Sim\n2 Não",
                    "StatusCallback": CALLBACK}
    [sid] = sent.provider_ids
    assert sid.startswith("SM") and len(sid) == 34 and sid in twilio_api[0].messages
    assert sent.segments == 1


def test_request_is_authenticated_with_the_account(twilio_api: Api) -> None:
    send(twilio_api, sms("Olá"))
    [request] = twilio_api[0].requests
    assert request.auth_user == request.account_sid == twilio_api[0].account_sid


def test_messaging_service_instead_of_a_number(twilio_api: Api) -> None:
    send(twilio_api, sms("Olá"), from_number=None, messaging_service_sid="MG" + "1" * 32)
    [form] = twilio_api[0].sent
    assert form["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in form


def test_segments_are_counted_for_sms(twilio_api: Api) -> None:
    text = "Olá! A sua marcação está confirmada para amanhã às 10h, na nossa loja de Lisboa."
    sent = send(twilio_api, sms(text))
    # UCS-2 would cost 2 segments; folded to GSM-7 ("Ola! A sua marcacao...") it costs 1.
    assert count_segments(text) == 2 and sent.segments == 1
    assert twilio_api[0].sent[-1]["Body"].startswith("Ola! A sua marcacao esta confirmada para amanha às 10h")


def test_long_sms_is_split_into_messages_of_at_most_1600(twilio_api: Api) -> None:
    text = "\n".join(f"Linha {i}: " + "informação importante " * 8 for i in range(25))
    sent = send(twilio_api, sms(text, ("Sim", "yes")))
    bodies = [f["Body"] for f in twilio_api[0].sent]
    assert len(bodies) == len(sent.provider_ids) >= 3
    assert all(len(b) <= 1600 for b in bodies)
    assert all(b.startswith("Linha") for b in bodies)  # cut at line ends
    assert bodies[-1].endswith("\n1 Sim")
    assert sent.segments == sum(count_segments(b) for b in bodies)


def test_whatsapp_adds_the_prefix_to_both_ends(twilio_api: Api) -> None:
    message = Outbound("whatsapp", PERSON, "Olá", (Option("Sim", "yes"),))
    sent = send(twilio_api, message, WhatsAppChannel)
    [form] = twilio_api[0].sent
    assert (form["To"], form["From"]) == ("whatsapp:" + PERSON, "whatsapp:+14155238886")
    assert form["Body"] == "Olá\n1 Sim"
    assert sent.segments == 1


def test_whatsapp_address_already_prefixed_is_not_doubled(twilio_api: Api) -> None:
    send(twilio_api, Outbound("whatsapp", "whatsapp:" + PERSON, "Olá"), WhatsAppChannel)
    assert twilio_api[0].sent[0]["To"] == "whatsapp:" + PERSON


def test_whatsapp_template_outside_the_window(twilio_api: Api) -> None:
    variables = json.dumps({"1": "Olena"})
    message = Outbound("whatsapp", PERSON, "ignored free text",
                       meta={"template_sid": "HX" + "a" * 32, "template_variables": variables})
    send(twilio_api, message, WhatsAppChannel)
    [form] = twilio_api[0].sent
    assert form["ContentSid"] == "HX" + "a" * 32
    assert form["ContentVariables"] == variables
    assert "Body" not in form


def test_missing_sender_is_permanent(twilio_api: Api) -> None:
    with pytest.raises(PermanentError):
        send(twilio_api, sms("Olá"), from_number=None)
    with pytest.raises(PermanentError):
        send(twilio_api, Outbound("whatsapp", PERSON, "Olá"), WhatsAppChannel, whatsapp_from=None)
    assert twilio_api[0].sent == []


def test_opted_out_number_is_unreachable(twilio_api: Api) -> None:
    twilio_api[0].opt_out(PERSON)
    with pytest.raises(Unreachable):
        send(twilio_api, sms("Olá"))


@pytest.mark.parametrize(("arm", "error"), [
    (lambda f: f.error_next(21610), Unreachable),
    (lambda f: f.error_next(21614), Unreachable),
    (lambda f: f.error_next(21211), Unreachable),
    (lambda f: f.fail_next(status=500), TemporaryError),
    (lambda f: f.fail_next(status=503), TemporaryError),
    (lambda f: f.error_next(21602), PermanentError),
    (lambda f: f.error_next(20003), PermanentError),
])
def test_faults_are_translated(twilio_api: Api, arm: Callable[[FakeTwilioAPI], None],
                               error: type[Exception]) -> None:
    arm(twilio_api[0])
    with pytest.raises(error):
        send(twilio_api, sms("Olá"))


def test_429_carries_the_retry_after_header(twilio_api: Api) -> None:
    twilio_api[0].rate_limit_next(retry_after=9)
    with pytest.raises(RateLimited) as caught:
        send(twilio_api, sms("Olá"))
    assert caught.value.retry_after == 9.0


def test_429_without_header_waits_a_second(twilio_api: Api) -> None:
    twilio_api[0].rate_limit_next(retry_after=None)
    with pytest.raises(RateLimited) as caught:
        send(twilio_api, sms("Olá"))
    assert caught.value.retry_after == 1.0


def test_wrong_credentials_are_permanent(twilio_api: Api) -> None:
    channel = SmsChannel(twilio_api[0].account_sid, "wrong", api_base_url=twilio_api[1],
                         from_number="+351300000000")
    with pytest.raises(PermanentError):
        run(channel, lambda ch: ch.send(sms("Olá")))


def test_unreachable_api_is_temporary() -> None:
    channel = SmsChannel("AC1", "t", api_base_url="http://127.0.0.1:9", from_number="+1")
    with pytest.raises(TemporaryError):
        run(channel, lambda ch: ch.send(sms("Olá")))


def test_a_fault_then_success_loses_nothing(twilio_api: Api) -> None:
    twilio_api[0].fail_next(times=1)
    channel = SmsChannel(twilio_api[0].account_sid, twilio_api[0].auth_token,
                         api_base_url=twilio_api[1], from_number="+351300000000")

    async def twice(ch: TwilioChannel) -> Sent:
        with pytest.raises(TemporaryError):
            await ch.send(sms("Olá"))
        return await ch.send(sms("Olá"))
    sent = run(channel, twice)
    assert len(sent.provider_ids) == 1 and len(twilio_api[0].messages) == 1


def test_render_is_compact() -> None:
    channel = SmsChannel("AC1", "t")
    message = sms("", ("Português", "pt"), ("English", "en"))
    assert channel.render(message) == ["1 Português\n2 English"]
