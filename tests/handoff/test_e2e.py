"""End to end: a screening over SMS ends in a case; a caseworker claims, replies and closes."""

from __future__ import annotations

from sqlalchemy import select

from core.models import Conversation, Message
from handoff.models import Case
from tests.handoff.helpers import bearer, caseworker, deliver, handed_over, say

PHONE = "+351910000001"


def test_handoff_claim_reply_answer_close_and_back_to_the_bot(hub):
    app, client, sms = hub.app, hub.client, hub.channels["sms"]
    conv_id = handed_over(app, PHONE, "sms")
    deliver(app)
    told = sms.texts(PHONE)[-1]
    assert "A person from our team will answer you here" in told and "112" in told

    _cw, token = caseworker(hub.db, "ana@example.org")
    items = client.get("/api/v1/cases?status=queued", headers=bearer(token)).json()["items"]
    assert [(c["conversation_id"], c["channel"], c["priority"]) for c in items] == [(conv_id, "sms", "normal")]
    case_id = items[0]["id"]

    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=bearer(token)).status_code == 200
    sent = client.post(f"/api/v1/cases/{case_id}/messages", headers=bearer(token),
                       json={"text": "Olá, sou a Ana. Posso ajudar?"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["segments"] == 1 and sent.json()["encoding"] == "UCS-2"
    deliver(app)
    assert sms.texts(PHONE)[-1] == "Olá, sou a Ana. Posso ajudar?"

    before = len(sms.sent)
    turn = say(app, "Sim, quero voltar para o Brasil", PHONE)
    assert turn.status == "handoff" and not turn.replies  # the bot stays silent
    deliver(app)
    assert len(sms.sent) == before

    card = client.get(f"/api/v1/cases/{case_id}", headers=bearer(token)).json()
    texts = [(m["author"], m["text"]) for m in card["transcript"]]
    assert texts[-2:] == [("caseworker", "Olá, sou a Ana. Posso ajudar?"), ("person", "Sim, quero voltar para o Brasil")]
    assert card["record"]["nationality"] == "BR" and card["address"].endswith(PHONE[-2:])

    closed = client.post(f"/api/v1/cases/{case_id}/close", headers=bearer(token), json={"outcome": "referred_arvore"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"

    # Asking to start again is a new screening (writing again soon reopens: test_reopen.py).
    turn = say(app, "restart", PHONE)
    assert turn.conversation_id != conv_id and turn.status == "bot"
    assert [r.text for r in turn.replies] == ["Say person to talk to a person."]
    with hub.db.sessions() as s:
        assert s.get(Conversation, conv_id).status == "closed"
        assert s.scalars(select(Case.status)).all() == ["closed"]


def test_urgent_case_opens_at_once_and_the_flow_carries_on(hub):
    app = hub.app
    say(app, "hello", PHONE)
    turn = say(app, "I am in danger", PHONE)
    assert turn.status == "bot" and [r.text for r in turn.replies] == ["Call 112 now."]
    with hub.db.sessions() as s:
        case = s.scalars(select(Case)).one()
        assert (case.priority, case.status, "in_danger" in case.reasons) == ("urgent", "queued", True)
    turn = say(app, "person please", PHONE)  # the same case, not a second one
    assert turn.status == "handoff"
    with hub.db.sessions() as s:
        cases = s.scalars(select(Case)).all()
        assert [(c.priority, c.programme) for c in cases] == [("urgent", "arvore")]


def test_reply_to_an_urgent_case_still_with_the_bot_silences_the_bot(hub):
    app, client = hub.app, hub.client
    say(app, "hello", PHONE)
    say(app, "danger", PHONE)
    _cw, token = caseworker(hub.db, "rui@example.org")
    case_id = client.get("/api/v1/cases", headers=bearer(token)).json()["items"][0]["id"]
    client.post(f"/api/v1/cases/{case_id}/claim", headers=bearer(token))
    assert client.post(f"/api/v1/cases/{case_id}/messages", headers=bearer(token),
                       json={"text": "I am here."}).status_code == 201
    turn = say(app, "thank you", PHONE)
    assert turn.status == "handoff" and not turn.replies
    with hub.db.sessions() as s:
        authors = [m.author for m in s.scalars(select(Message).order_by(Message.id))]
        assert authors[-2:] == ["caseworker", "person"]


def test_danger_during_a_handoff_raises_the_case_and_gives_112(hub):
    app = hub.app
    handed_over(app, PHONE, "sms")
    deliver(app)
    turn = say(app, "help, I am in danger now", PHONE)
    assert turn.status == "handoff"
    deliver(app)
    assert "112" in hub.channels["sms"].texts(PHONE)[-1]
    with hub.db.sessions() as s:
        case = s.scalars(select(Case)).one()
        assert (case.priority, "in_danger" in case.reasons, case.last_inbound_at is not None) == ("urgent", True, True)
        assert case.status == "queued"  # still the same, open case


def test_the_handoff_message_says_when_the_office_opens(hub):
    from datetime import UTC, datetime

    hub.clock.fixed = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)  # a Saturday evening
    handed_over(hub.app, PHONE, "sms")
    deliver(hub.app)
    told = hub.channels["sms"].texts(PHONE)[-1]
    assert "closed now" in told and "30/11 at 09:00" in told and "112" in told
    hub.clock.fixed = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday morning
    handed_over(hub.app, "+351910000111", "sms")
    deliver(hub.app)
    assert "open now" in hub.channels["sms"].texts("+351910000111")[-1]


def test_tick_returns_idle_claims_and_escalates(hub):
    import asyncio
    from datetime import timedelta

    from core.db import utcnow

    handed_over(hub.app, PHONE, "sms")
    _cw, token = caseworker(hub.db, "ana@example.org")
    case_id = hub.client.post("/api/v1/cases/next/claim", headers=bearer(token)).json()["id"]
    hub.clock.fixed = utcnow() + timedelta(days=10)  # idle long past the claim timeout and the SLA
    result = asyncio.run(hub.app.handoff.tick())
    assert result == {"released": [case_id], "escalated": [case_id], "notified": 0}
    item = hub.client.get(f"/api/v1/cases/{case_id}", headers=bearer(token)).json()
    assert (item["status"], item["escalated"], item["sla"]["breached"]) == ("queued", True, True)


def test_a_new_urgent_case_queues_a_team_notification(db, tmp_path):
    from handoff.models import Notification
    from tests.handoff.helpers import make_app

    app, _channels, _clock = make_app(db, tmp_path, notify_telegram_chat="-1001", telegram_bot_token="T")
    say(app, "hello", PHONE)
    say(app, "danger", PHONE)
    say(app, "danger again", PHONE)  # the same case: one notification
    with db.sessions() as s:
        assert [(n.kind, n.status) for n in s.scalars(select(Notification))] == [("urgent_case", "pending")]
