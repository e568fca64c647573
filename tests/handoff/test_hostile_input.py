"""Ids and numbers from outside, parsed strictly: a malformed one is 400 (the API) and names its
field, a path id too large for any case is 404, and nothing is ever a 500. The console answers
with its usual redirect and the reason for the next page. Each case here was a 500 before the fix."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from sqlalchemy import select

from core.http import MAX_ID
from handoff.i18n import refusal
from handoff.models import AuditEntry, Case, CaseNote
from tests.handoff.helpers import bearer, caseworker, handed_over

PHONE = "+351910000055"
PASSWORD = "correct horse battery"
HUGE = "1" * 30  # past a 63-bit integer: SQLite and PostgreSQL both refuse it as a parameter
PAST = str(MAX_ID + 1)  # past PostgreSQL's INTEGER: it refuses it, SQLite does not
CLASS_NAME = re.compile(r"[A-Z][A-Za-z]*(Error|Exception)\b")


@pytest.fixture
def desk(hub):
    """One queued case, a caseworker and a supervisor (API tokens), the supervisor signed in to
    the console."""
    handed_over(hub.app, PHONE, "sms", language="pt_BR")
    hub.ana_id, hub.ana = caseworker(hub.db, "ana@example.org")
    hub.sup_id, hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")
    hub.case_id = hub.client.get("/api/v1/cases", headers=bearer(hub.ana)).json()["items"][0]["id"]
    page = hub.client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed = hub.client.post("/console/login", data={"email": "sup@example.org", "password": PASSWORD,
                                                     "csrf_token": token}, follow_redirects=False)
    assert signed.headers["location"] == "/console/"
    queue = hub.client.get("/console/")
    hub.csrf = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
    return hub


def _plain(response) -> None:
    """An answer in words: never a 5xx, never a Python exception's class name."""
    assert response.status_code < 500, (response.status_code, response.text[:300])
    assert not CLASS_NAME.search(response.text), response.text[:300]


# -- the REST API -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "١٢", "１２", "-1", "+1", " 1", "1e3", "0x10", "%00"])
def test_a_malformed_case_id_in_the_path_is_400_naming_the_field(desk, raw):
    response = desk.client.get(f"/api/v1/cases/{quote(raw)}", headers=bearer(desk.ana))
    _plain(response)
    assert response.status_code == 400  # "²" was a 500: str.isdigit() accepts it, int() does not
    assert response.json() == {"detail": "case_id must be a whole number written with the digits 0-9"}


@pytest.mark.parametrize("raw", [HUGE, PAST, str(2**63), "9" * 5000])
def test_a_case_id_too_large_for_any_case_is_404(desk, raw):
    for method, action in [("get", ""), ("get", "/messages"), ("get", "/export"), ("post", "/claim"),
                           ("post", "/release"), ("post", "/notes"), ("post", "/close"), ("post", "/erase"),
                           ("post", "/messages")]:
        response = getattr(desk.client, method)(f"/api/v1/cases/{raw}{action}", headers=bearer(desk.sup),
                                                **({"json": {"text": "x", "outcome": "duplicate"}} if method == "post" else {}))
        _plain(response)
        assert (response.status_code, response.json()) == (404, {"detail": "no case with that id"}), action


def test_the_largest_id_a_row_can_have_is_an_ordinary_miss(desk):
    response = desk.client.get(f"/api/v1/cases/{MAX_ID}", headers=bearer(desk.ana))
    assert response.status_code == 404 and response.json()["detail"] == f"case {MAX_ID} does not exist"


@pytest.mark.parametrize(("after", "detail"), [
    ("²", "after must be a whole number written with the digits 0-9"),
    ("-1", "after must be a whole number written with the digits 0-9"),
    ("", "after must be a whole number written with the digits 0-9"),
    (HUGE, "after is too large to be an id"),
    (PAST, "after is too large to be an id"),
])
def test_messages_after_is_strict(desk, after, detail):
    response = desk.client.get(f"/api/v1/cases/{desk.case_id}/messages", params={"after": after},
                               headers=bearer(desk.sup))
    _plain(response)
    assert (response.status_code, response.json()) == (400, {"detail": detail})
    fine = desk.client.get(f"/api/v1/cases/{desk.case_id}/messages?after=0", headers=bearer(desk.sup))
    assert fine.status_code == 200 and fine.json()["items"]


@pytest.mark.parametrize(("value", "detail"), [
    (10**30, "caseworker_id is too large to be an id"),
    (MAX_ID + 1, "caseworker_id is too large to be an id"),
    (-1, "caseworker_id must be a whole number, 0 or more"),
    (True, "caseworker_id must be a whole number"),
    (1.5, "caseworker_id must be a whole number"),
    ("2", "caseworker_id must be a whole number"),
    ("²", "caseworker_id must be a whole number"),
    ([2], "caseworker_id must be a whole number"),
])
def test_reassign_caseworker_id_must_be_a_json_integer_a_row_could_have(desk, value, detail):
    url = f"/api/v1/cases/{desk.case_id}/reassign"
    response = desk.client.post(url, headers=bearer(desk.sup), json={"caseworker_id": value})
    _plain(response)
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_reassign_still_takes_an_id_or_an_email(desk):
    url = f"/api/v1/cases/{desk.case_id}/reassign"
    assert desk.client.post(url, headers=bearer(desk.sup), json={"caseworker_id": desk.ana_id}).status_code == 200
    missing = desk.client.post(url, headers=bearer(desk.sup), json={"caseworker_id": MAX_ID})
    assert missing.status_code == 422  # a well-formed id nobody has: as before
    by_email = desk.client.post(url, headers=bearer(desk.sup), json={"caseworker_id": None, "email": "sup@example.org"})
    assert by_email.status_code == 200 and by_email.json()["assignee"]["name"] == "sup"


@pytest.mark.parametrize(("case_id", "detail"), [
    ("²", "case_id must be a whole number written with the digits 0-9"),
    ("abc", "case_id must be a whole number written with the digits 0-9"),  # was: the whole log
    (HUGE, "case_id is too large to be an id"),
    (PAST, "case_id is too large to be an id"),
])
def test_audit_case_id_is_strict(desk, case_id, detail):
    response = desk.client.get("/api/v1/audit", params={"case_id": case_id}, headers=bearer(desk.sup))
    _plain(response)
    assert (response.status_code, response.json()) == (400, {"detail": detail})


def test_audit_without_a_case_id_or_with_one(desk):
    desk.client.get(f"/api/v1/cases/{desk.case_id}", headers=bearer(desk.ana))
    everything = desk.client.get("/api/v1/audit?case_id=", headers=bearer(desk.sup)).json()["items"]
    one = desk.client.get(f"/api/v1/audit?case_id={desk.case_id}", headers=bearer(desk.sup)).json()["items"]
    assert one and {e["case_id"] for e in one} == {desk.case_id} and len(everything) >= len(one)


def test_conversations_address_only_gets_a_plus_before_ascii_digits(desk):
    for address in ("²12", "١٢٣", " 351910000055"):
        response = desk.client.get("/api/v1/conversations", params={"channel": "sms", "address": address},
                                   headers=bearer(desk.sup))
        _plain(response)
        assert response.status_code == 200
    found = desk.client.get("/api/v1/conversations", params={"channel": "sms", "address": PHONE[1:]},
                            headers=bearer(desk.sup)).json()["items"]
    assert found and found[0]["case_id"] == desk.case_id


@pytest.mark.parametrize("channel", ["\x00", "sms\x00", "x" * 17, "SMS", "²"])
def test_conversations_channel_must_be_a_channel_name(desk, channel):
    for params in ({"channel": channel}, {"channel": channel, "address": PHONE}):
        response = desk.client.get("/api/v1/conversations", params=params, headers=bearer(desk.sup))
        _plain(response)  # a NUL was a 500 on PostgreSQL
        assert response.status_code == 422
        assert response.json()["detail"].startswith("channel must be one of ")


def test_a_note_with_a_lone_surrogate_is_kept_with_a_replacement_character(desk):
    desk.client.post(f"/api/v1/cases/{desk.case_id}/claim", headers=bearer(desk.ana))
    body = b'{"text": "liguei \\ud800 sem resposta"}'
    response = desk.client.post(f"/api/v1/cases/{desk.case_id}/notes", content=body,
                                headers={**bearer(desk.ana), "content-type": "application/json"})
    assert response.status_code == 201 and response.json()["text"] == "liguei \ufffd sem resposta"
    with desk.db.sessions() as s:
        assert s.scalars(select(CaseNote.body)).one() == "liguei \ufffd sem resposta"


def test_a_deeply_nested_body_is_400(desk):
    body = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = desk.client.post(f"/api/v1/cases/{desk.case_id}/notes", content=body,
                                headers={**bearer(desk.ana), "content-type": "application/json"})
    _plain(response)
    assert (response.status_code, response.json()) == (400, {"detail": "the JSON body is nested too deeply"})


# -- the console --------------------------------------------------------------------------------


def _error(response) -> str:
    assert response.status_code == 303, (response.status_code, response.text[:300])
    return unquote(response.cookies.get("intake_flash") or "")


@pytest.mark.parametrize(("raw", "detail"), [
    ("²", "case_id must be a whole number written with the digits 0-9"),
    ("١٢", "case_id must be a whole number written with the digits 0-9"),
    (HUGE, "no case with that id"),
    (PAST, "no case with that id"),
    ("9" * 5000, "no case with that id"),
])
def test_console_case_ids_in_paths(desk, raw, detail):
    for path in (f"/console/cases/{quote(raw)}", f"/console/cases/{quote(raw)}/transcript"):
        response = desk.client.get(path, follow_redirects=False)
        _plain(response)
        assert _error(response) == detail
    for action in ("claim", "release", "reply", "note", "close", "reassign", "bogus"):
        response = desk.client.post(f"/console/cases/{quote(raw)}/{action}", follow_redirects=False,
                                    data={"csrf_token": desk.csrf, "caseworker_id": str(desk.ana_id), "text": "x"})
        _plain(response)
        assert _error(response) == detail, action


@pytest.mark.parametrize(("chosen", "detail"), [
    ("²", "caseworker_id must be a whole number written with the digits 0-9"),
    ("-1", "caseworker_id must be a whole number written with the digits 0-9"),
    (HUGE, "caseworker_id is too large to be an id"),
    (PAST, "caseworker_id is too large to be an id"),
    ("", "choose a caseworker"),
    (str(MAX_ID), "choose a caseworker"),
])
def test_console_reassign_form_field(desk, chosen, detail):
    response = desk.client.post(f"/console/cases/{desk.case_id}/reassign", follow_redirects=False,
                                data={"csrf_token": desk.csrf, "caseworker_id": chosen})
    _plain(response)
    assert _error(response) == refusal(detail, "pt")  # said in the caseworker's language
    with desk.db.sessions() as s:
        assert s.get(Case, desk.case_id).status == "queued"


def test_console_reassign_still_works(desk):
    response = desk.client.post(f"/console/cases/{desk.case_id}/reassign", follow_redirects=False,
                                data={"csrf_token": desk.csrf, "caseworker_id": str(desk.ana_id)})
    assert response.status_code == 303 and "error" not in response.headers["location"]
    with desk.db.sessions() as s:
        assert s.get(Case, desk.case_id).assignee_id == desk.ana_id
        assert "reassign" in s.scalars(select(AuditEntry.action)).all()


@pytest.mark.parametrize("after", ["²", "-1", HUGE, PAST])
def test_console_transcript_after_is_strict(desk, after):
    response = desk.client.get(f"/console/cases/{desk.case_id}/transcript", params={"after": after},
                               follow_redirects=False)
    _plain(response)
    assert _error(response).startswith("after ")
    fine = desk.client.get(f"/console/cases/{desk.case_id}/transcript?after=0")
    assert fine.status_code == 200 and fine.headers["x-case-status"] == "queued"
