"""The first message decides: danger is heard in it on every channel (112 first, an urgent
case), and the language it is written in outranks what the device says."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

import locales
from core.models import Conversation
from handoff.models import Case
from tests.bot.test_webhooks import post_form, post_update, telegram, twilio, wait_for  # noqa: F401

DANGER = "help me please they took my passport and locked me in the house"


def urgent_cases(app) -> list[Case]:
    with app.db.sessions() as s:
        return list(s.scalars(select(Case).where(Case.priority == "urgent")))


def test_danger_as_the_first_telegram_message_without_start(telegram):  # noqa: F811
    client, fake, app = telegram
    assert post_update(client, {"update_id": 31, **_text(77, DANGER, "en")}).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 1)
    assert "112" in fake.delivered[0]["text"]
    assert len(urgent_cases(app)) == 1


@pytest.mark.parametrize("sender", ["+447911123401", "whatsapp:+447911123402"])
def test_danger_as_the_first_sms_or_whatsapp(twilio, sender):  # noqa: F811
    client, fake, app = twilio
    to = "whatsapp:+351300000001" if sender.startswith("whatsapp:") else "+351300000000"
    params = fake.inbound(DANGER, from_=sender, to=to)
    assert post_form(client, "/webhooks/twilio/messages", params, fake.auth_token).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 1)
    assert "112" in fake.delivered[0]["Body"]
    assert [c.channel for c in urgent_cases(app)] == ["whatsapp" if "whatsapp" in sender else "sms"]


def test_danger_as_the_first_web_chat_message(app):
    from bot.web import create_app

    with TestClient(create_app(app)) as client:
        started = client.post("/api/chat/sessions", json={}).json()
        auth = {"Authorization": f"Bearer {started['token']}"}
        turn = client.post(f"/api/chat/sessions/{started['session_id']}/messages", headers=auth,
                           json={"text": "Ayuda, me tienen encerrada y no me dejan salir"}).json()
    assert "112" in turn["replies"][0]["text"]
    assert turn["language"] == "es"
    assert len(urgent_cases(app)) == 1


def test_the_text_outranks_the_telegram_app_language(telegram):  # noqa: F811
    client, fake, app = telegram
    update = {"update_id": 32, **_text(78, "Здравствуйте, я хочу вернуться домой", "en")}
    assert post_update(client, update).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 2)
    ru = locales.translator("ru")
    assert fake.delivered[-1]["text"] == ru.gettext("Do you agree that we keep your answers to help you?")
    with app.db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert (conv.language, conv.language_source) == ("ru", "text")


def test_a_page_language_is_a_prior_and_a_choice_is_a_choice(app):
    from bot.web import create_app

    pt = locales.translator("pt")
    with TestClient(create_app(app)) as client:
        for body, language in (({"language": "en"}, "pt"), ({"language": "en", "chosen": True}, "en")):
            started = client.post("/api/chat/sessions", json=body).json()
            assert started["language"] == "en"
            auth = {"Authorization": f"Bearer {started['token']}"}
            turn = client.post(f"/api/chat/sessions/{started['session_id']}/messages", headers=auth,
                               json={"text": "Olá quero voltar agora"}).json()
            assert turn["language"] == language, body
            if language == "pt":  # greeted again, in the language they wrote in
                texts = [r["text"] for r in turn["replies"]]
                assert pt.gettext("Do you agree that we keep your answers to help you?") in texts
        assert client.post("/api/chat/sessions", json={"chosen": "yes"}).status_code == 422


def test_a_short_answer_keeps_the_prior_language(app):
    from bot.web import create_app

    with TestClient(create_app(app)) as client:
        started = client.post("/api/chat/sessions", json={"language": "hi"}).json()
        auth = {"Authorization": f"Bearer {started['token']}"}
        turn = client.post(f"/api/chat/sessions/{started['session_id']}/messages", headers=auth,
                           json={"text": "जी नहीं"}).json()
    assert turn["language"] == "hi" and turn["expecting"] is None  # consent refused, in Hindi


def test_a_romanised_first_sms_gets_a_short_menu_of_its_languages(twilio):  # noqa: F811
    client, fake, app = twilio
    params = fake.inbound("mainu ghar jana hai ji, paise nahi", from_="+351912000111")
    assert post_form(client, "/webhooks/twilio/messages", params, fake.auth_token).status_code == 200
    wait_for(lambda: len(fake.delivered) >= 1)
    body = fake.delivered[0]["Body"]
    assert "ਪੰਜਾਬੀ" in body and "Português" not in body
    with app.db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert conv.expecting["field"] == "language" and len(conv.expecting["options"]) <= 5


def _text(chat_id: int, text: str, language_code: str) -> dict:
    from channels.fakes.telegram_api import text_update

    return text_update(chat_id, text, language_code)
