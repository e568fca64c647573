"""The fakes as a provider would behave: webhooks pushed to a live app, recorded calls, threads."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.base import ChannelError, Forbidden, Inbound, Option, Outbound
from channels.fakes import FakeTelegramAPI, FakeTwilioAPI, serve
from channels.fakes.telegram_api import callback_update, text_update
from channels.telegram import TelegramChannel
from channels.twilio import SmsChannel
from tests.channels.conftest import TOKEN

SECRET = "hook-secret"


class Receiver:
    """A minimal web app with the two webhook routes, the way bot/ wires the adapters."""

    def __init__(self, public_url: str, twilio: FakeTwilioAPI) -> None:
        self.telegram = TelegramChannel(TOKEN, SECRET, "http://127.0.0.1:9/bot")
        self.sms = SmsChannel(twilio.account_sid, twilio.auth_token, public_url=public_url)
        self.got: list[Inbound] = []
        self.app = Starlette(routes=[
            Route("/webhooks/telegram", self.on_telegram, methods=["POST"]),
            Route("/webhooks/twilio/messages", self.on_twilio, methods=["POST"]),
        ])

    async def on_telegram(self, request: Request) -> Response:
        try:
            self.got += self.telegram.parse_webhook(request.headers, await request.body())
        except Forbidden:
            return Response(status_code=403)
        return Response()

    async def on_twilio(self, request: Request) -> Response:
        form = await request.form()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            self.sms.validate(request.url.path, params, request.headers.get("X-Twilio-Signature"))
            self.got += self.sms.parse_inbound(params)
        except ChannelError:
            return Response(status_code=403)
        return Response("<Response/>", media_type="application/xml")


@pytest.fixture
def live() -> Iterator[tuple[Receiver, str, FakeTwilioAPI]]:
    twilio = FakeTwilioAPI()
    # The public URL must be known before the server starts, so serve a late-bound app.
    holder: dict[str, Receiver] = {}

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        await holder["r"].app(scope, receive, send)
    with serve(app) as url:
        holder["r"] = Receiver(url, twilio)
        yield holder["r"], url, twilio


def test_telegram_pushes_updates_to_the_registered_webhook(
        live: tuple[Receiver, str, FakeTwilioAPI], telegram_api: tuple[FakeTelegramAPI, str]) -> None:
    receiver, url, _ = live
    fake, base_url = telegram_api

    async def register() -> None:
        channel = TelegramChannel(TOKEN, SECRET, base_url)
        await channel.set_webhook(url + "/webhooks/telegram")
        await channel.close()
    asyncio.run(register())
    assert fake.push_update(text_update(42, "/start ngo1")).status_code == 200
    assert fake.push_update(callback_update(42, "o:yes")).status_code == 200
    assert [(i.kind, i.source, i.choice) for i in receiver.got] == [
        ("text", "ngo1", None), ("choice", None, "yes")]
    # A forged call (no secret header) is refused.
    forged = httpx.post(url + "/webhooks/telegram", json={"update_id": 9, **text_update(1, "x")})
    assert forged.status_code == 403 and len(receiver.got) == 2


def test_twilio_posts_signed_inbound_and_status(live: tuple[Receiver, str, FakeTwilioAPI]) -> None:
    receiver, url, twilio = live
    params = twilio.inbound("STOP", from_="whatsapp:+351912345678")
    assert twilio.post_webhook(url + "/webhooks/twilio/messages", params).status_code == 200
    [inbound] = receiver.got
    assert (inbound.channel, inbound.address, inbound.meta["keyword"]) == (
        "whatsapp", "+351912345678", "stop")
    forged = httpx.post(url + "/webhooks/twilio/messages", data=params,
                        headers={"X-Twilio-Signature": "bm9wZQ=="})
    assert forged.status_code == 403


def test_twilio_status_callback_goes_to_the_recorded_url(twilio_api: tuple[FakeTwilioAPI, str]) -> None:
    fake, base_url = twilio_api
    seen: list[dict[str, str]] = []

    async def status(request: Request) -> Response:
        seen.append({k: v for k, v in (await request.form()).items() if isinstance(v, str)})
        return Response()
    with serve(Starlette(routes=[Route("/status", status, methods=["POST"])])) as url:
        channel = SmsChannel(fake.account_sid, fake.auth_token, api_base_url=base_url,
                             from_number="+351300000000", status_callback_url=url + "/status")

        async def main() -> str:
            sent = await channel.send(Outbound("sms", "+351912345678", "Olá"))
            await channel.close()
            return sent.provider_ids[0]
        sid = asyncio.run(main())
        fake.post_status(sid, "delivered")
    [params] = seen
    assert (params["MessageSid"], params["MessageStatus"]) == (sid, "delivered")
    assert channel.parse_status(params).status == "delivered"


def test_concurrent_sends_are_all_recorded(telegram_api: tuple[FakeTelegramAPI, str]) -> None:
    fake, base_url = telegram_api

    async def main() -> None:
        channel = TelegramChannel(TOKEN, SECRET, base_url, pace_seconds=0)
        await asyncio.gather(*(channel.send(Outbound("telegram", str(i), f"m{i}",
                                                     (Option("a", "a"),))) for i in range(40)))
        await channel.close()
    asyncio.run(main())
    assert sorted(p["text"] for p in fake.sent) == sorted(f"m{i}" for i in range(40))


def test_unknown_method_is_404_and_faults_can_target_one_method(
        telegram_api: tuple[FakeTelegramAPI, str]) -> None:
    fake, base_url = telegram_api
    assert httpx.post(f"{base_url}{TOKEN}/noSuchMethod").status_code == 404
    fake.fail_next(times=2, method="sendMessage")
    assert httpx.post(f"{base_url}{TOKEN}/getMe").json()["ok"] is True
    answers = [httpx.post(f"{base_url}{TOKEN}/sendMessage", data={"chat_id": "1", "text": "x"})
               for _ in range(3)]
    assert [a.status_code for a in answers] == [500, 500, 200]
    assert answers[2].json()["result"]["text"] == "x"


def test_control_endpoints_for_a_demo_in_another_process(
        telegram_api: tuple[FakeTelegramAPI, str], twilio_api: tuple[FakeTwilioAPI, str]) -> None:
    fake, base_url = telegram_api
    root = base_url.removesuffix("/bot")
    queued = httpx.post(root + "/_fake/updates", json=text_update(42, "olá")).json()
    assert fake.requests() == [] and queued["update_id"] >= 1
    httpx.post(f"{base_url}{TOKEN}/getUpdates", data={"timeout": "0"})
    [call] = httpx.get(root + "/_fake/calls", params={"method": "getUpdates"}).json()
    assert call["method"] == "getUpdates"
    assert httpx.get(twilio_api[1] + "/_fake/requests").json() == []
