"""The web chat: its JSON API (DESIGN.md §3) and the page at `/`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from tests.bot.conftest import settings_for


@pytest.fixture
def client(db, tmp_path: Path) -> Iterator[TestClient]:
    app = build(settings_for(db, tmp_path))
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_a_session_starts_with_the_greeting_and_what_is_expected(client):
    response = client.post("/api/chat/sessions", json={"language": "en"})
    assert response.status_code == 201
    data = response.json()
    assert data["session_id"] and data["token"]
    assert data["language"] == "en"
    assert next(r["text"].split("\n")[0] for r in data["replies"]).startswith("Hello")
    assert data["expecting"] == {
        "field": "consent", "type": "yes_no",
        "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}],
    }
    assert data["replies"][-1]["options"] == data["expecting"]["options"]


def start(client, body=None):
    data = client.post("/api/chat/sessions", json=body or {}).json()
    return data["session_id"], {"Authorization": f"Bearer {data['token']}"}, data


def test_messages_advance_the_conversation_and_later_replies_can_be_fetched(client):
    sid, auth, first = start(client, {"language": "en"})
    answer = client.post(f"/api/chat/sessions/{sid}/messages", json={"text": "yes"}, headers=auth)
    assert answer.status_code == 200
    body = answer.json()
    assert body["expecting"]["field"] == "in_danger_now" and body["language"] == "en"
    last_seen = first["replies"][-1]["id"]
    later = client.get(f"/api/chat/sessions/{sid}/messages", params={"after": last_seen}, headers=auth).json()
    assert [r["id"] for r in later["replies"]] == [r["id"] for r in body["replies"]]
    assert later["expecting"]["field"] == "in_danger_now"


def test_a_button_value_is_an_answer(client):
    sid, auth, _ = start(client, {"language": "en"})
    body = client.post(f"/api/chat/sessions/{sid}/messages", json={"text": "Yes", "value": "yes"},
                       headers=auth).json()
    assert body["expecting"]["field"] == "in_danger_now"


def test_the_same_client_id_is_processed_once(client):
    sid, auth, _ = start(client, {"language": "en"})
    message = {"text": "yes", "client_id": "abc-1"}
    first = client.post(f"/api/chat/sessions/{sid}/messages", json=message, headers=auth).json()
    again = client.post(f"/api/chat/sessions/{sid}/messages", json=message, headers=auth).json()
    assert first["expecting"]["field"] == "in_danger_now"
    assert again["replies"] == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"Authorization": "Basic x"}, 401)],
)
def test_a_wrong_or_missing_token_is_refused(client, headers, status):
    sid, _auth, _ = start(client)
    assert client.post(f"/api/chat/sessions/{sid}/messages", json={"text": "hi"}, headers=headers).status_code == status
    assert client.get(f"/api/chat/sessions/{sid}/messages", headers=headers).status_code == status


def test_bad_bodies_get_clear_4xx(client):
    sid, auth, _ = start(client)
    url = f"/api/chat/sessions/{sid}/messages"
    assert client.post(url, content=b"{oops", headers=auth).status_code == 400
    assert client.post(url, json=["a list"], headers=auth).status_code == 400
    assert client.post(url, json={"text": 5}, headers=auth).status_code == 422
    assert client.post(url, json={"text": "x" * 2001}, headers=auth).status_code == 413
    big = b'{"text": "' + b"x" * 70000 + b'"}'
    assert client.post(url, content=big, headers={**auth, "Content-Type": "application/json"}).status_code == 413
    assert client.post("/api/chat/sessions", json={"language": 3}).status_code == 422
    assert client.get(url + "?after=abc", headers=auth).status_code == 422


def test_the_page_is_self_contained_and_right_to_left_for_arabic(client):
    page = client.get("/?lang=ar")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/chat/webchat.js", "/static/chat/webchat.css"):
        body = client.get(asset)
        assert body.status_code == 200
        assert "http://" not in body.text and "https://" not in body.text  # no CDN, no tracker
    assert "http://" not in page.text.replace('http-equiv', '') and "https://" not in page.text
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en" dir="ltr">' in english.text


def test_the_full_privacy_notice_page_is_served_in_the_persons_language(client):
    import locales
    from dialogs.messages import privacy_replies

    first = privacy_replies()[0].parts[0].msgid
    for lang in ("en", "pt", "ar"):
        page = client.get(f"/privacy?lang={lang}")
        assert page.status_code == 200
        expected = locales.translator(lang).gettext(first)
        assert expected.split("\n")[0].replace("'", "&#39;") in page.text
    assert 'dir="rtl"' in client.get("/privacy?lang=ur").text


def test_the_greeting_and_the_privacy_notice_name_the_operator_when_one_is_set(db, tmp_path):
    app = build(settings_for(db, tmp_path, INTAKE_OPERATOR_NAME="Example Aid"))
    with TestClient(create_app(app)) as named:
        greeting = " ".join(r["text"] for r in start(named, {"language": "pt"})[2]["replies"])
        assert "Example Aid" in greeting
        notice = named.get("/privacy?lang=en").text
        assert "Who sees it: only the caseworkers of Example Aid." in notice


def test_without_an_operator_the_greeting_uses_neutral_words(client):
    greeting = " ".join(r["text"] for r in start(client, {"language": "en"})[2]["replies"])
    assert "This service is run by a team that helps migrants in Portugal." in greeting
    assert "Who sees it: our caseworkers only." in client.get("/privacy?lang=en").text
