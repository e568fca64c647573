"""Hostile and malformed payloads at every webhook and API endpoint: never a 500, never a crash.

Hypothesis generates the payloads; each request goes through the whole ASGI stack with a real
database. A 5xx (or an exception escaping the app) fails the test. The number of payloads is
bounded so the suite stays fast; `FUZZ_EXAMPLES` raises it for a long run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from channels.fakes.twilio_api import sign
from tests.bot.conftest import settings_for
from tests.handoff.helpers import bearer, caseworker

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
PUBLIC = "https://intake.example.org"
SECRET = "fuzz_secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "1" * 32, "fuzz-token"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TRIED: dict[str, int] = {}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
# Telegram-shaped updates with wrong types and odd values where real ones would be.
telegram_updates = st.fixed_dictionaries(
    {"update_id": st.integers(-5, 2**40) | st.text(max_size=5) | st.none()},
    optional={
        "message": st.fixed_dictionaries(
            {"message_id": st.integers() | st.text(max_size=3), "date": st.integers(0, 2**31),
             "chat": st.fixed_dictionaries({"id": st.integers() | st.text(max_size=5), "type": st.text(max_size=8)}),
             "text": st.text(max_size=300) | st.integers() | st.none()},
            optional={"from": json_values, "sticker": json_values, "location": json_values},
        ),
        "callback_query": json_values,
        "edited_message": json_values,
        "my_chat_member": json_values,
    },
)
form_params = st.dictionaries(
    st.sampled_from(["From", "To", "Body", "MessageSid", "NumMedia", "MediaUrl0", "OptOutType",
                     "MessageStatus", "ErrorCode", "AccountSid", "Latitude"]) | st.text(max_size=10),
    st.text(max_size=200), max_size=8,
)


def tried(name: str) -> None:
    TRIED[name] = TRIED.get(name, 0) + 1


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    from bot import migrate
    from core.db import Database
    from tests.conftest import TEST_KEYS

    tmp = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{tmp / 'fuzz.db'}", TEST_KEYS)
    migrate.upgrade(db.engine)
    settings_ = settings_for(db, Path(tmp), TELEGRAM_BOT_TOKEN="1:fuzz", TELEGRAM_WEBHOOK_SECRET=SECRET,
                             TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot", INTAKE_PUBLIC_URL=PUBLIC,
                             TWILIO_ACCOUNT_SID=TWILIO_SID, TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
                             TWILIO_FROM_NUMBER="+351300000000", INTAKE_INLINE_WORKER="0")
    # No provider is reachable (port 9 is closed): start-up must not depend on one.
    app = build(settings_)
    _id, token = caseworker(db, "fuzz.supervisor@example.org", role="supervisor")
    client = TestClient(create_app(app), raise_server_exceptions=False)
    with client:
        yield client, bearer(token)
    print("\nfuzz payloads tried:", json.dumps(TRIED, sort_keys=True), "total", sum(TRIED.values()))
    db.dispose()


def no_5xx(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])


@FUZZ
@given(update=telegram_updates | json_values)
def test_telegram_webhook(world, update):
    client, _ = world
    tried("telegram")
    no_5xx(client.post("/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}))


@FUZZ
@given(body=st.binary(max_size=2000), secret=st.sampled_from([SECRET, "", "x" * 300, "wrong"]))
def test_telegram_webhook_raw_bytes(world, body, secret):
    client, _ = world
    tried("telegram_raw")
    no_5xx(client.post("/webhooks/telegram", content=body, headers={"X-Telegram-Bot-Api-Secret-Token": secret}))


@FUZZ
@given(params=form_params, signed=st.booleans(), path=st.sampled_from(["/webhooks/twilio/messages", "/webhooks/twilio/status"]))
def test_twilio_webhooks(world, params, signed, path):
    client, _ = world
    tried("twilio")
    headers = {"X-Twilio-Signature": sign(TWILIO_TOKEN, PUBLIC + path, params)} if signed else {}
    response = client.post(path, data=params, headers=headers)
    no_5xx(response)
    if not signed:
        assert response.status_code == 403


@FUZZ
@given(body=st.binary(max_size=2000))
def test_twilio_raw_bytes(world, body):
    client, _ = world
    tried("twilio_raw")
    no_5xx(client.post("/webhooks/twilio/messages", content=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "abc"}))


@FUZZ
@given(create=json_values, message=json_values, after=st.text(max_size=10))
def test_web_chat_api(world, create, message, after):
    client, _ = world
    tried("webchat")
    first = client.post("/api/chat/sessions", json=create)
    no_5xx(first)
    sid, token = "nope", "nope"
    if first.status_code == 201:
        sid, token = first.json()["session_id"], first.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    no_5xx(client.post(f"/api/chat/sessions/{sid}/messages", json=message, headers=auth))
    no_5xx(client.get(f"/api/chat/sessions/{sid}/messages", params={"after": after}, headers=auth))


API_POSTS = ["claim", "release", "reassign", "messages", "notes", "close"]


@FUZZ
@given(case_id=st.integers(-3, 10**12).map(str) | st.text(max_size=12), action=st.sampled_from(API_POSTS),
       body=json_values, use_token=st.booleans())
def test_caseworker_api(world, case_id, action, body, use_token):
    client, auth = world
    tried("api")
    headers = auth if use_token else {"Authorization": "Bearer forged"}
    from urllib.parse import quote

    case = quote(case_id, safe="") or "0"
    no_5xx(client.post(f"/api/v1/cases/{case}/{action}", json=body, headers=headers))
    no_5xx(client.get(f"/api/v1/cases/{case}", headers=headers))


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["status", "channel", "address", "after", "limit"]),
                             st.text(max_size=20), max_size=4))
def test_caseworker_api_queries(world, query):
    client, auth = world
    tried("api_queries")
    no_5xx(client.get("/api/v1/cases", params=query, headers=auth))
    no_5xx(client.get("/api/v1/conversations", params=query, headers=auth))


@FUZZ
@given(form=st.dictionaries(st.sampled_from(["email", "password", "csrf", "text", "outcome"]) | st.text(max_size=8),
                            st.text(max_size=100), max_size=5),
       path=st.sampled_from(["/console/login", "/console/claim-next", "/console/cases/1/reply",
                             "/console/cases/abc/close", "/console/language", "/console/logout"]))
def test_console_forms(world, form, path):
    client, _ = world
    tried("console")
    no_5xx(client.post(path, data=form))
