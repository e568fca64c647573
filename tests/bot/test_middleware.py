"""Headers every response carries: nothing with personal data or a secret is cached, content
types are not sniffed, and production tells browsers to use HTTPS only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.app import build
from bot.middleware import Guard
from bot.web import create_app
from tests.bot.conftest import settings_for


@pytest.fixture
def client(db, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(build(settings_for(db, tmp_path)))) as test_client:
        yield test_client


def test_responses_with_personal_data_or_a_secret_are_never_cached(client):
    started = client.post("/api/chat/sessions", json={"language": "en"})  # carries the chat token
    session, token = started.json()["session_id"], started.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    answered = client.post(f"/api/chat/sessions/{session}/messages", json={"text": "yes"}, headers=auth)
    read = client.get(f"/api/chat/sessions/{session}/messages?after=0", headers=auth)
    console = client.get("/console/login")
    api = client.get("/api/v1/cases", headers={"Authorization": "Bearer nobody"})
    for response in (started, answered, read, console, api, client.get("/"), client.get("/healthz")):
        assert response.headers["cache-control"] == "no-store", response.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in response.headers  # not in development


def test_static_files_stay_cacheable(client):
    script = client.get("/static/chat/webchat.js")
    assert script.status_code == 200
    assert script.headers.get("cache-control") != "no-store"
    assert script.headers["x-content-type-options"] == "nosniff"


def _tiny(production: bool, max_body: int = 10) -> TestClient:
    async def hello(request):
        return PlainTextResponse("hi")

    web = Starlette(routes=[Route("/", hello, methods=["GET", "POST"])],
                    middleware=[Middleware(Guard, max_body=max_body, production=production)])
    return TestClient(web)


def test_production_adds_hsts_to_every_response_the_refusals_too():
    with _tiny(production=True) as client:
        for response in (client.get("/"), client.post("/", content=b"x" * 100)):
            assert response.headers["strict-transport-security"].startswith("max-age=")
            assert response.headers["cache-control"] == "no-store"
        assert client.post("/", content=b"x" * 100).status_code == 413


def test_metrics_are_open_in_development_and_guarded_in_production(db, tmp_path: Path):
    open_app = build(settings_for(db, tmp_path))
    with TestClient(create_app(open_app)) as client:
        assert client.get("/metrics").status_code == 200
    guarded = build(settings_for(db, tmp_path, INTAKE_METRICS_TOKEN="m" * 8))
    with TestClient(create_app(guarded)) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 8}).status_code == 200
    production = build(settings_for(db, tmp_path))
    production.settings = replace(production.settings, env="production")
    with TestClient(create_app(production), client=("203.0.113.9", 4000)) as stranger:
        assert stranger.get("/metrics").status_code == 401
    with TestClient(create_app(production), client=("127.0.0.1", 4000)) as scraper:
        assert scraper.get("/metrics").status_code == 200
