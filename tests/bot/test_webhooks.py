"""End to end through HTTP: a webhook arrives, the reply leaves through the real provider
client to a local fake provider. Forged requests get 403 and store nothing; replays are
processed once; provider failures delay delivery but lose nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from channels.fakes import FakeTelegramAPI, FakeTwilioAPI
from channels.fakes.telegram_api import callback_update, text_update
from channels.fakes.twilio_api import sign
from core.models import Message
from tests.bot.conftest import settings_for

TOKEN = "123456:TEST-token"
SECRET = "s3cret-Token_x"
PUBLIC = "https://intake.example.org"


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for delivery")
        time.sleep(0.02)


def count(app, direction: str) -> int:
    with app.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(Message).where(Message.direction == direction)) or 0


@pytest.fixture
def telegram(db, tmp_path: Path) -> Iterator[tuple[TestClient, FakeTelegramAPI, object]]:
    fake = FakeTelegramAPI(token=TOKEN)
    with fake.serve() as base_url:
        settings = settings_for(
            db, tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_API_BASE_URL=base_url, INTAKE_PUBLIC_URL=PUBLIC, INTAKE_OUTBOX_POLL_SECONDS="0.2",
        )
        app = build(settings)
        with TestClient(create_app(app)) as client:
            yield client, fake, app


def post_update(client: TestClient, update: dict, secret: str | None = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post("/webhooks/telegram", json=update, headers=headers)


def test_telegram_message_gets_a_reply_in_the_persons_language(telegram):
    client, fake, app = telegram
    assert fake.webhook["url"] == PUBLIC + "/webhooks/telegram"  # registered at start-up
    assert fake.webhook["secret_token"] == SECRET
    update = {"update_id": 1001, **text_update(42, "Olá, quero voltar para casa, não tenho dinheiro", "pt")}
    assert post_update(client, update).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 2)
    greeting, question = fake.delivered[0], fake.delivered[1]
    assert str(greeting["chat_id"]) == "42"
    import locales

    pt = locales.translator("pt")
    assert question["text"] == pt.gettext("Do you agree that we keep your answers to help you?")
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == [pt.gettext("Yes"), pt.gettext("No")]
    # pressing a button is an answer, and the spinner is answered
    data = keyboard[0][0]["callback_data"]
    assert post_update(client, {"update_id": 1002, **callback_update(42, data, "pt")}).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 3)
    assert fake.requests("answerCallbackQuery")
    with app.db.sessions() as s:
        from core.models import Conversation

        assert s.scalars(select(Conversation.record)).one()["consent"]["given"] is True


@pytest.mark.parametrize("secret", [None, "wrong", ""])
def test_forged_or_missing_telegram_secret_is_refused_and_nothing_stored(telegram, secret):
    client, fake, app = telegram
    response = post_update(client, {"update_id": 7, **text_update(42, "hi")}, secret=secret)
    assert response.status_code == 403
    assert count(app, "in") == 0 and fake.delivered == []


def test_telegram_replay_is_processed_once(telegram):
    client, fake, app = telegram
    update = {"update_id": 555, **text_update(43, "hello", "en")}
    for _ in range(3):
        assert post_update(client, update).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 2)
    time.sleep(0.3)
    assert count(app, "in") == 1 and len(fake.delivered) == 2


def test_telegram_malformed_body_is_a_clean_400(telegram):
    client, _fake, app = telegram
    response = client.post("/webhooks/telegram", content=b"{not json",
                           headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert response.status_code == 400 and count(app, "in") == 0


def test_telegram_provider_errors_delay_but_lose_nothing(telegram):
    client, fake, _app = telegram
    fake.fail_next(times=2, status=502, method="sendMessage")
    fake.rate_limit_next(times=1, retry_after=1, method="sendMessage")
    assert post_update(client, {"update_id": 900, **text_update(44, "hello", "en")}).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 2, timeout=30)
    texts = [m["text"] for m in fake.delivered]
    assert len(texts) == len(set(texts)) == 2  # each reply once, in order
    assert texts[1].startswith("Do you agree")


@pytest.fixture
def twilio(db, tmp_path: Path) -> Iterator[tuple[TestClient, FakeTwilioAPI, object]]:
    fake = FakeTwilioAPI()
    with fake.serve() as base_url:
        settings = settings_for(
            db, tmp_path, TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token,
            TWILIO_FROM_NUMBER="+351300000000", TWILIO_WHATSAPP_FROM="whatsapp:+351300000001",
            TWILIO_API_BASE_URL=base_url, INTAKE_PUBLIC_URL=PUBLIC, INTAKE_OUTBOX_POLL_SECONDS="0.2",
        )
        app = build(settings)
        with TestClient(create_app(app)) as client:
            yield client, fake, app


def post_form(client: TestClient, path: str, params: dict[str, str], token: str | None):
    headers = {"X-Twilio-Signature": sign(token, PUBLIC + path, params)} if token else {}
    return client.post(path, data=params, headers=headers)


def test_sms_gets_a_numbered_menu_reply_in_the_persons_language(twilio):
    client, fake, app = twilio
    params = fake.inbound("Oi, quero voltar pro Brasil, nao tenho dinheiro pra passagem", from_="+5511987654321")
    response = post_form(client, "/webhooks/twilio/messages", params, fake.auth_token)
    assert response.status_code == 200 and "<Response" in response.text
    wait_for(lambda: len(fake.delivered) >= 1)
    import locales
    from dialogs.screening import FLOW

    br = locales.translator("pt_BR")
    question = fake.delivered[0]  # on SMS the short greeting shares the question's message
    assert question["To"] == "+5511987654321" and question["From"] == "+351300000000"
    from channels.segments import cheapest
    from channels.twilio import render_menu

    consent = FLOW.by_state["consent"]
    expected = render_menu(br.gettext(consent.sms_intro) + "\n\n" + br.gettext(consent.prompt),
                           [br.gettext("Yes"), br.gettext("No")])
    assert question["Body"] == cheapest(expected)  # accents folded only where it saves a segment
    # the person answers with the menu number, and the delivery report is applied
    post_form(client, "/webhooks/twilio/messages", fake.inbound("1", from_="+5511987654321"), fake.auth_token)
    wait_for(lambda: len(fake.delivered) >= 2)
    sid, message = next(iter(fake.messages.items()))
    assert message["_status_callback"] == PUBLIC + "/webhooks/twilio/status"
    status = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": fake.account_sid,
              "From": "+351300000000", "To": "+5511987654321", "ApiVersion": "2010-04-01"}
    assert post_form(client, "/webhooks/twilio/status", status, fake.auth_token).status_code == 204
    assert post_form(client, "/webhooks/twilio/status", status, "forged").status_code == 403
    with app.db.sessions() as s:
        assert "delivered" in set(s.scalars(select(Message.status).where(Message.direction == "out")))


def test_whatsapp_replies_keep_the_whatsapp_prefix(twilio):
    client, fake, _app = twilio
    params = fake.inbound("hello", from_="whatsapp:+447911123458", to="whatsapp:+351300000001")
    assert post_form(client, "/webhooks/twilio/messages", params, fake.auth_token).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 1)
    assert fake.delivered[0]["To"] == "whatsapp:+447911123458"
    assert fake.delivered[0]["From"] == "whatsapp:+351300000001"


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_forged_or_missing_twilio_signature_is_refused_and_nothing_stored(twilio, token):
    client, fake, app = twilio
    response = post_form(client, "/webhooks/twilio/messages", fake.inbound("hello"), token)
    assert response.status_code == 403
    assert count(app, "in") == 0 and fake.delivered == []


def test_twilio_replay_is_processed_once_and_outage_loses_nothing(twilio):
    client, fake, app = twilio
    fake.fail_next(times=2, status=503)
    fake.rate_limit_next(times=1, retry_after=1)
    params = fake.inbound("hello", from_="+447911123456")
    for _ in range(3):
        assert post_form(client, "/webhooks/twilio/messages", params, fake.auth_token).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 1, timeout=30)  # the greeting with the question
    time.sleep(0.3)
    assert count(app, "in") == 1 and len(fake.delivered) == 1


def test_stop_keyword_opts_out_without_a_reply(twilio):
    client, fake, _app = twilio
    post_form(client, "/webhooks/twilio/messages", fake.inbound("hello", from_="+447911123457"), fake.auth_token)
    wait_for(lambda: len(fake.delivered) >= 1)  # the greeting with the question, one SMS
    post_form(client, "/webhooks/twilio/messages", fake.inbound("STOP", from_="+447911123457"), fake.auth_token)
    post_form(client, "/webhooks/twilio/messages", fake.inbound("anything", from_="+447911123457"), fake.auth_token)
    time.sleep(0.5)
    assert len(fake.delivered) == 1  # Twilio answers STOP itself; we send nothing more


def test_without_a_public_url_telegram_runs_by_long_polling(db, tmp_path: Path):
    fake = FakeTelegramAPI(token=TOKEN)
    with fake.serve() as base_url:
        settings = settings_for(db, tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url,
                                INTAKE_OUTBOX_POLL_SECONDS="0.2")
        app = build(settings)
        fake.queue_update(text_update(77, "/start campaign_lisboa", "en"))
        with TestClient(create_app(app)):
            wait_for(lambda: len(fake.delivered) >= 2)
            assert fake.requests("deleteWebhook")  # polling needs the webhook removed
        from core.models import Conversation

        with app.db.sessions() as s:
            assert s.scalars(select(Conversation.source)).one() == "campaign_lisboa"


def test_erasure_asks_twilio_to_forget_every_message_both_ways_and_keeps_no_provider_id(twilio):
    from core.models import Outbox

    client, fake, app = twilio
    phone, received = "+447911123499", []

    def text(body: str) -> None:
        params = fake.inbound(body, from_=phone)
        received.append(params["MessageSid"])
        assert post_form(client, "/webhooks/twilio/messages", params, fake.auth_token).status_code == 200

    text("hello, I want to go home")
    wait_for(lambda: len(fake.messages) >= 1)
    text("delete")

    def settled() -> bool:
        with app.db.sessions() as s:
            return not s.scalar(select(func.count()).select_from(Outbox).where(
                Outbox.status.in_(("pending", "sending"))))

    wait_for(settled)  # in-flight sends at the moment of erasure: tests/bot/test_rare_paths.py
    text("yes")
    # The confirmation goes out first, then every message both ways is deleted at Twilio.
    wait_for(lambda: set(received) <= set(fake.deleted) and not fake.messages, timeout=20)
    wait_for(settled)  # the provider is done; the sender writes that down just after
    sent_bodies = [form.get("Body", "") for form in fake.sent]
    assert len(sent_bodies) >= 3 and not fake.inbound_sids
    with app.db.sessions() as s:
        kept = s.execute(select(Outbox.id, Outbox.kind, Outbox.status, Outbox.provider_ids)).all()
        assert all(row[3] == [] for row in kept), kept
        rows = s.execute(select(Message.provider_id, Message.delivery_ref, Message.kind, Message.body)).all()
        assert all(pid is None and ref is None for pid, ref, _kind, _body in rows)
        assert all(body == "" for _pid, _ref, kind, body in rows if kind in ("erased", "forget"))
