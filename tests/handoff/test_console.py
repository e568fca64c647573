"""The web console over HTTP: sign-in, lockout, CSRF, cookies, escaping, actions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from bot.web import create_app
from handoff import auth
from handoff.errors import Invalid
from handoff.models import AuditEntry, Case, Caseworker
from tests.handoff.helpers import caseworker, handed_over, make_app

PASSWORD = "correct horse battery"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def login(client, email: str, password: str = PASSWORD):
    page = client.get("/console/login")
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": _csrf(page.text)},
                       follow_redirects=False)


def test_sign_in_see_the_queue_and_sign_out(hub):
    handed_over(hub.app, "+351910000003")
    caseworker(hub.db, "ana@example.org")
    assert hub.client.get("/console/", follow_redirects=False).headers["location"] == "/console/login"
    response = login(hub.client, "ana@example.org")
    assert response.status_code == 303 and response.headers["location"] == "/console/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" not in cookie
    page = hub.client.get("/console/")
    assert page.status_code == 200 and 'data-case="1"' in page.text
    assert "'self'" in page.headers["content-security-policy"]
    assert hub.client.get("/console/queue/fragment").status_code == 200
    out = hub.client.post("/console/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert hub.client.get("/console/", follow_redirects=False).status_code == 303


def test_login_without_the_form_token_is_refused(hub):
    caseworker(hub.db, "ana@example.org")
    response = hub.client.post("/console/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 403


def test_wrong_passwords_make_that_connection_wait_and_do_not_lock_a_colleague_out(hub):
    caseworker(hub.db, "ana@example.org")
    for _ in range(3):
        assert login(hub.client, "ana@example.org", "wrong").headers["location"] == "/console/login?failed=1"
    # The fourth try from the same address waits, whatever the password: no guess is checked.
    refused = login(hub.client, "ana@example.org")
    assert refused.headers["location"] == "/console/login?failed=wait"
    assert "Demasiadas palavras-passe erradas" in hub.client.get(refused.headers["location"]).text  # pt by default
    # Ana, at her own desk, signs in at once: the stranger did not lock her account.
    with TestClient(create_app(hub.app), client=("10.0.0.7", 50000)) as desk:
        assert login(desk, "ana@example.org").headers["location"] == "/console/"
    with hub.db.sessions() as s:
        assert s.scalars(select(Caseworker)).one().locked_until is None
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("login_failed") == 3 and actions[-1] == "login"


def test_twenty_failures_in_a_row_lock_the_account_for_fifteen_minutes(hub):
    """The backstop for guesses spread over many addresses."""
    caseworker(hub.db, "ana@example.org")
    for i in range(auth.MAX_FAILURES):
        with TestClient(create_app(hub.app), client=(f"10.0.1.{i}", 50000)) as elsewhere:
            login(elsewhere, "ana@example.org", "wrong")
    assert login(hub.client, "ana@example.org").headers["location"] == "/console/login?failed=1"  # locked
    with hub.db.transaction() as s:
        cw = s.scalars(select(Caseworker)).one()
        assert cw.locked_until is not None
        cw.locked_until = cw.locked_until.replace(year=2000)  # fifteen minutes later
    assert login(hub.client, "ana@example.org").headers["location"] == "/console/"
    with hub.db.sessions() as s:
        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("login_failed") == auth.MAX_FAILURES and "login_locked" in actions


def test_weak_passwords_are_refused_with_a_reason(hub):
    with hub.db.transaction() as s, pytest.raises(Invalid, match="too weak"):
        auth.add_caseworker(s, "rui@example.org", "Rui", "caseworker", ["pt"], "aaaaaaaaaa")
    with hub.db.transaction() as s, pytest.raises(Invalid, match="common password"):
        auth.add_caseworker(s, "rui@example.org", "Rui", "caseworker", ["pt"], "password123")
    with hub.db.transaction() as s, pytest.raises(Invalid, match="at least 10"):
        auth.add_caseworker(s, "rui@example.org", "Rui", "caseworker", ["pt"], "Xk9#q")
    with hub.db.transaction() as s:
        assert auth.add_caseworker(s, "rui@example.org", "Rui", "caseworker", ["pt"], PASSWORD).id


def test_posts_without_csrf_are_refused(hub):
    handed_over(hub.app, "+351910000004")
    caseworker(hub.db, "ana@example.org")
    login(hub.client, "ana@example.org")
    assert hub.client.post("/console/cases/1/claim", data={}).status_code == 403
    assert hub.client.post("/console/cases/1/claim", data={"csrf_token": "forged"}).status_code == 403
    with hub.db.sessions() as s:
        assert s.get(Case, 1).status == "queued"


def test_cookie_is_secure_behind_https(db, tmp_path):
    from starlette.testclient import TestClient

    from bot.web import create_app

    app, _c, _clock = make_app(db, tmp_path, public_url="https://intake.example.org")
    caseworker(db, "ana@example.org")
    with TestClient(create_app(app), base_url="https://testserver") as client:
        assert "Secure" in login(client, "ana@example.org").headers["set-cookie"]


def test_case_card_escapes_what_the_person_wrote_and_actions_work(hub):
    handed_over(hub.app, "+351910000005")
    from tests.handoff.helpers import say

    say(hub.app, "<script>alert(1)</script> & <b>bold</b>", "+351910000005")
    caseworker(hub.db, "ana@example.org", role="supervisor")  # reads a case before claiming it
    login(hub.client, "ana@example.org")
    page = hub.client.get("/console/cases/1")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page.text
    token = _csrf(page.text)
    assert hub.client.post("/console/cases/1/claim", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    sent = hub.client.post("/console/cases/1/reply", data={"csrf_token": token, "text": "Olá", "template": ""},
                           follow_redirects=False)
    assert sent.headers["location"] == "/console/cases/1"
    refused = hub.client.post("/console/cases/1/reply", data={"csrf_token": token, "text": " "}, follow_redirects=False)
    assert refused.headers["location"] == "/console/cases/1" and "intake_flash" in refused.cookies
    shown = hub.client.get("/console/cases/1")
    assert 'role="alert"' in shown.text and "intake_flash" not in hub.client.cookies  # once
    # Words in a link never reach the alert box.
    assert "Call +351" not in hub.client.get("/console/", params={"error": "Call +351 000 000 000"}).text
    hub.client.post("/console/cases/1/note", data={"csrf_token": token, "text": "<i>note</i>"})
    fragment = hub.client.get("/console/cases/1/transcript?after=0")
    assert fragment.headers["x-case-status"] == "claimed" and "Olá" in fragment.text
    assert "&lt;script&gt;" in fragment.text
    assert hub.client.get("/console/segments.json", params={"text": "ç" * 71}).json()["segments"] == 2
    closed = hub.client.post("/console/cases/1/close", data={"csrf_token": token, "outcome": "information_given"},
                             follow_redirects=False)
    assert closed.status_code == 303
    with hub.db.sessions() as s:
        assert s.get(Case, 1).status == "closed"


def test_ui_language_switch(hub):
    caseworker(hub.db, "ana@example.org")
    login(hub.client, "ana@example.org")
    page = hub.client.get("/console/")
    assert "Fila" in page.text
    hub.client.post("/console/language", data={"csrf_token": _csrf(page.text), "lang": "en", "next": "/console/"})
    assert "Queue" in hub.client.get("/console/").text


def test_claim_next_release_and_supervisor_reassign(hub):
    handed_over(hub.app, "+351910000006")
    rui_id, _ = caseworker(hub.db, "rui@example.org")
    caseworker(hub.db, "sup@example.org", role="supervisor")
    login(hub.client, "sup@example.org")
    token = _csrf(hub.client.get("/console/").text)
    claimed = hub.client.post("/console/claim-next", data={"csrf_token": token}, follow_redirects=False)
    assert claimed.headers["location"] == "/console/cases/1"
    hub.client.post("/console/cases/1/reassign", data={"csrf_token": token, "caseworker_id": str(rui_id)})
    with hub.db.sessions() as s:
        assert s.get(Case, 1).assignee_id == rui_id
    released = hub.client.post("/console/cases/1/release", data={"csrf_token": token}, follow_redirects=False)
    assert released.headers["location"] == "/console/"
    with hub.db.sessions() as s:
        assert (s.get(Case, 1).status, s.get(Case, 1).assignee_id) == ("queued", None)
    away = hub.client.post("/console/language", data={"csrf_token": token, "lang": "en", "next": "https://evil.example"},
                           follow_redirects=False)
    assert away.headers["location"] == "/console/"


def test_a_phone_call_preference_shows_a_call_button(hub):
    from core.models import Conversation

    conv_id = handed_over(hub.app, "+351910000006")
    with hub.db.transaction() as s:
        conv = s.get(Conversation, conv_id)
        conv.record = {**(conv.record or {}), "contact_preference": "phone_call",
                       "contact_phone": "this_number"}
    caseworker(hub.db, "ana@example.org", role="supervisor")
    login(hub.client, "ana@example.org")
    page = hub.client.get("/console/cases/1")
    assert 'id="contact-action"' not in page.text and "+351910000006" not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    hub.client.post("/console/cases/1/reveal", data={"csrf_token": token, "reason": "contact_person"})
    page = hub.client.get("/console/cases/1")
    assert 'id="contact-action" href="tel:+351910000006"' in page.text


def test_a_console_session_ends_after_half_an_hour_away_and_after_a_working_day(hub):
    from datetime import timedelta

    from core.db import utcnow

    caseworker(hub.db, "ana@example.org")
    start = utcnow()
    hub.clock.fixed = start
    assert login(hub.client, "ana@example.org").headers["location"] == "/console/"

    def at(minutes: float) -> int:
        hub.clock.fixed = start + timedelta(minutes=minutes)
        return hub.client.get("/console/", follow_redirects=False).status_code

    assert at(29) == 200
    assert at(58) == 200  # each page she opens keeps it alive for half an hour more
    hub.clock.fixed = start + timedelta(minutes=87)
    assert hub.client.get("/console/queue/fragment", follow_redirects=False).status_code == 200
    assert at(89) == 303  # the page refreshing itself is not her: 31 minutes idle ends it
    assert login(hub.client, "ana@example.org").headers["location"] == "/console/"
    start = hub.clock.fixed
    for minutes in range(20, 12 * 60, 20):
        assert at(minutes) == 200
    assert at(12 * 60 + 1) == 303  # never longer than a working day, however active
