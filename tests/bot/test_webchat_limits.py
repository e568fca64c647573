"""Web chat limits: one address cannot open chats without end, one chat cannot pour messages
in; what is refused is a clear 429 with Retry-After and is not stored, what was accepted stays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from core.models import Contact, Message
from tests.bot.conftest import settings_for


@pytest.fixture
def limited(db, tmp_path: Path) -> Iterator[tuple[TestClient, object]]:
    app = build(settings_for(db, tmp_path, INTAKE_WEBCHAT_SESSIONS_PER_MINUTE="3",
                             INTAKE_FLOOD_PER_MINUTE="2"))
    with TestClient(create_app(app)) as client:
        yield client, app


def count(app, model, *where) -> int:
    with app.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_new_chats_from_one_address_are_limited_and_refusals_store_nothing(limited):
    client, app = limited
    assert [client.post("/api/chat/sessions", json={}).status_code for _ in range(3)] == [201] * 3
    refused = client.post("/api/chat/sessions", json={})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "too many new chats" in refused.json()["detail"]
    assert count(app, Contact) == 3


def test_a_chat_pouring_messages_gets_the_polite_reply_then_429_and_loses_nothing_accepted(limited):
    client, app = limited
    started = client.post("/api/chat/sessions", json={"language": "en"}).json()
    path = f"/api/chat/sessions/{started['session_id']}/messages"
    auth = {"Authorization": f"Bearer {started['token']}"}
    answers = [client.post(path, json={"text": f"hello {i}", "client_id": f"c{i}"}, headers=auth)
               for i in range(6)]
    statuses = [a.status_code for a in answers]
    assert statuses == [200, 200, 200, 200, 429, 429]  # twice the flood limit per minute
    # Past the flood limit the bot itself asks them to slow down, in words.
    assert any("many messages" in r["text"] for a in answers[:4] for r in a.json()["replies"])
    assert answers[4].headers["retry-after"].isdigit()
    stored = count(app, Message, Message.direction == "in")
    assert stored == 1 + 4  # the start and every accepted message are kept, the refused ones not
    other = client.post("/api/chat/sessions", json={}).json()  # another chat is not affected
    other_path = f"/api/chat/sessions/{other['session_id']}/messages"
    assert client.post(other_path, json={"text": "hi"},
                       headers={"Authorization": f"Bearer {other['token']}"}).status_code == 200


def test_a_stranger_cannot_spend_a_chats_allowance(limited):
    client, _app = limited
    started = client.post("/api/chat/sessions", json={"language": "en"}).json()
    path = f"/api/chat/sessions/{started['session_id']}/messages"
    for _ in range(10):
        assert client.post(path, json={"text": "x"}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post(path, json={"text": "hi"},
                       headers={"Authorization": f"Bearer {started['token']}"}).status_code == 200


def test_this_host_is_not_counted_as_one_address_for_everyone(db, tmp_path: Path):
    app = build(settings_for(db, tmp_path, INTAKE_WEBCHAT_SESSIONS_PER_MINUTE="3"))
    with TestClient(create_app(app), client=("127.0.0.1", 5000)) as local:
        assert [local.post("/api/chat/sessions", json={}).status_code for _ in range(5)] == [201] * 5
    with TestClient(create_app(app), client=("198.51.100.7", 5000)) as remote:
        assert [remote.post("/api/chat/sessions", json={}).status_code for _ in range(4)] == [201] * 3 + [429]
