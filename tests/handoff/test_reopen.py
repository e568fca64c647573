"""A person who writes again soon after their case closed is answered by a person: the case
reopens as a follow-up in the same conversation. Later, or when they ask to start again, a
new screening begins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.db import utcnow
from core.models import Conversation
from handoff.models import AuditEntry, Case
from tests.handoff.helpers import bearer, caseworker, deliver, handed_over, make_app, say

PHONE = "+351910000088"


def _closed(hub) -> tuple[int, str]:
    conv_id = handed_over(hub.app, PHONE, "sms", language="pt")
    _, token = caseworker(hub.db, "ana@example.org")
    client = hub.client
    assert client.post("/api/v1/cases/1/claim", headers=bearer(token)).status_code == 200
    client.post("/api/v1/cases/1/messages", headers=bearer(token), json={"text": "Olá, sou a Ana."})
    assert client.post("/api/v1/cases/1/close", headers=bearer(token),
                       json={"outcome": "information_given"}).status_code == 200
    deliver(hub.app)
    return conv_id, token


def test_writing_again_soon_reopens_a_follow_up_case_in_the_same_conversation(hub):
    conv_id, token = _closed(hub)
    turn = say(hub.app, "Olá, esqueci-me de perguntar uma coisa", PHONE)
    assert (turn.conversation_id, turn.status, turn.actions) == (conv_id, "handoff", ("reopen",))
    assert "A person from our team will answer you here" in turn.replies[0].text
    deliver(hub.app)
    assert "A person from our team will answer you here" in hub.channels["sms"].texts(PHONE)[-1]

    [follow] = hub.client.get("/api/v1/cases?status=queued", headers=bearer(token)).json()["items"]
    assert (follow["id"], follow["follows"], follow["priority"]) == (2, 1, "normal")
    assert "follow_up" in follow["reasons"] and follow["conversation_id"] == conv_id
    hub.client.post("/api/v1/cases/2/claim", headers=bearer(token))
    texts = [m["text"] for m in hub.client.get("/api/v1/cases/2/messages", headers=bearer(token)).json()["items"]]
    assert "Olá, sou a Ana." in texts and texts[-2] == "Olá, esqueci-me de perguntar uma coisa"

    quiet = say(hub.app, "Ainda aí?", PHONE)  # the follow-up is open: the bot stays quiet
    assert quiet.status == "handoff" and not quiet.replies
    with hub.db.sessions() as s:
        assert s.scalars(select(Case.status).order_by(Case.id)).all() == ["closed", "claimed"]
        assert s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "follow_up")).one() == {"follows": 1}


def test_asking_to_start_again_or_writing_after_the_window_is_a_new_screening(hub):
    conv_id, _token = _closed(hub)
    restarted = say(hub.app, "restart", PHONE)
    assert restarted.conversation_id != conv_id and restarted.status == "bot"

    other = "+351910000089"
    first = handed_over(hub.app, other, "sms")
    with hub.db.transaction() as s:
        s.execute(update(Case).where(Case.conversation_id == first).values(status="closed", outcome="information_given"))
        s.execute(update(Conversation).where(Conversation.id == first)
                  .values(status="closed", updated_at=utcnow() - timedelta(days=15)))
    later = say(hub.app, "olá outra vez", other)
    assert later.conversation_id != first and later.status == "bot"
    with hub.db.sessions() as s:
        assert s.scalars(select(Case.id).where(Case.follows_id.is_not(None))).all() == []


def test_no_reopening_when_the_window_is_zero(db, tmp_path):
    app, _channels, _clock = make_app(db, tmp_path, reopen_days=0)
    conv_id = handed_over(app, PHONE, "sms")
    with db.transaction() as s:
        s.execute(update(Case).values(status="closed", outcome="information_given"))
        s.execute(update(Conversation).values(status="closed"))
    turn = say(app, "olá", PHONE)
    assert turn.conversation_id != conv_id and turn.status == "bot"
