"""Every API and console route that reads an id or a number, hit with nasty values as a signed-in
caseworker and supervisor: never a 5xx, and no error names a Python exception.

A fixed table of values (Unicode digits, signs, spaces, 30 digits, 10**19, NUL, fullwidth, very
long ...) goes to every route; then Hypothesis adds generated ones (``FUZZ_EXAMPLES`` raises
their number). The requests are counted, and the table's count is checked, so a route that
stops being hit is noticed.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.http import MAX_ID
from tests.handoff.helpers import bearer, caseworker, handed_over

PASSWORD = "correct horse battery"
NASTY = [
    "²", "¹²", "١٢", "۱۲", "１２", "𝟏𝟐", "߁", "-1", "0", "00", "007", "1e3", "1.0", " 1", "1 ", "+1", "0x10",
    "0b1", "1_0", "1" * 30, str(10**19), str(MAX_ID), str(MAX_ID + 1), str(2**63), "", "%00", "\x00", "1\x00",
    "NaN", "inf", "-0", "true", "null", "[1]", "1/2", "1?x=2", "1#x", "..", "\ud800", "1\ud800", "9" * 5000,
    "٣" * 2000, "x" * 10_000,
]
# JSON values where the API reads an integer from a body.
JSON_IDS: list[Any] = [
    10**30, 10**19, 2**63, MAX_ID + 1, MAX_ID, -1, 0, True, False, None, 1.5, 1e308, "1", "²", [], {}, [1],
    {"id": 1}, -(10**30),
]
# What a Python exception's text looks like: never in an answer.
PYTHONIC = re.compile(r"[A-Z][A-Za-z]*(Error|Exception)\b|Traceback|__\w+__|'\w+' object")
FIELDS = ("case_id", "after", "caseworker_id")

COUNT: Counter[str] = Counter()  # requests made, by test
STATUSES: dict[str, Counter[int]] = {}  # their answers, by test


def _seg(value: str) -> str:
    """``value`` as one path segment or query value (a lone surrogate goes as its UTF-8 bytes)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture
def desk(hub) -> SimpleNamespace:
    handed_over(hub.app, "+351910000066", "sms")
    hub.ana_id, hub.ana = caseworker(hub.db, "ana@example.org")
    hub.sup_id, hub.sup = caseworker(hub.db, "sup@example.org", role="supervisor")
    page = hub.client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    hub.client.post("/console/login", data={"email": "sup@example.org", "password": PASSWORD, "csrf_token": token})
    hub.csrf = re.search(r'name="csrf_token" value="([^"]+)"', hub.client.get("/console/").text).group(1)
    hub.client.follow_redirects = False
    return hub


def _check(name: str, response) -> None:
    COUNT[name] += 1
    STATUSES.setdefault(name, Counter())[response.status_code] += 1
    assert response.status_code < 500, (response.request.url, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert not PYTHONIC.search(response.text), (response.request.url, response.text[:300])
    if response.status_code == 400 and response.request.url.path.startswith("/api/"):
        detail = response.json()["detail"]  # says which field is wrong
        assert any(field in detail for field in FIELDS) or "JSON" in detail, detail
    if response.status_code == 303:
        error = unquote(response.cookies.get("intake_flash") or "")
        assert not PYTHONIC.search(error), error


def _api(desk: SimpleNamespace, value: str, name: str) -> None:
    """One value, everywhere the API reads an id or a number from a path or a query string."""
    client, seg = desk.client, _seg(value)
    for token in (desk.ana, desk.sup):
        auth = bearer(token)
        for path in ("", "/messages", "/export"):
            _check(name, client.get(f"/api/v1/cases/{seg}{path}", headers=auth))
        for path, body in [("/claim", None), ("/release", None), ("/reassign", {"caseworker_id": desk.ana_id}),
                           ("/messages", {"text": "olá"}), ("/notes", {"text": "nota"}),
                           ("/close", {"outcome": "duplicate"}), ("/erase", None)]:
            _check(name, client.post(f"/api/v1/cases/{seg}{path}", headers=auth, json=body))
        _check(name, client.get(f"/api/v1/cases/1/messages?after={seg}", headers=auth))
        _check(name, client.get(f"/api/v1/audit?case_id={seg}", headers=auth))
        _check(name, client.get(f"/api/v1/conversations?channel=sms&address={seg}", headers=auth))
        _check(name, client.get(f"/api/v1/conversations?channel={seg}", headers=auth))


def _console(desk: SimpleNamespace, value: str, name: str) -> None:
    """One value, everywhere the console reads an id or a number."""
    client, seg, csrf = desk.client, _seg(value), desk.csrf
    _check(name, client.get(f"/console/cases/{seg}"))
    _check(name, client.get(f"/console/cases/{seg}/transcript"))
    _check(name, client.get(f"/console/cases/1/transcript?after={seg}"))
    for action in ("claim", "release", "reply", "note", "close", "reassign"):
        form = {"csrf_token": csrf, "caseworker_id": str(desk.ana_id), "text": "olá", "outcome": "duplicate"}
        _check(name, client.post(f"/console/cases/{seg}/{action}", data=form))
    form_value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # a form is UTF-8
    _check(name, client.post("/console/cases/1/reassign", data={"csrf_token": csrf, "caseworker_id": form_value}))


def _json_id(desk: SimpleNamespace, value: Any, name: str) -> None:
    for token in (desk.ana, desk.sup):
        _check(name, desk.client.post("/api/v1/cases/1/reassign", headers=bearer(token),
                                      json={"caseworker_id": value}))


API_PER_VALUE = 2 * (3 + 7 + 4)  # two roles; three GETs, seven POSTs, four query strings
CONSOLE_PER_VALUE = 3 + 6 + 1


def test_a_table_of_nasty_values_at_every_route(desk):
    COUNT.pop("table", None), STATUSES.pop("table", None)
    for value in NASTY:
        _api(desk, value, "table")
        _console(desk, value, "table")
    for value in JSON_IDS:
        _json_id(desk, value, "table")
    assert COUNT["table"] == len(NASTY) * (API_PER_VALUE + CONSOLE_PER_VALUE) + 2 * len(JSON_IDS)


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
numbers_as_text = (st.integers(-(10**40), 10**40).map(str) | st.text(max_size=24)
                   | st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=8)
                   | st.from_regex(r"\A[ +\-]?[0-9]{0,40}[ .eE_x]?[0-9]{0,3}\Z"))


@FUZZ
@given(value=numbers_as_text, body=st.integers() | st.floats() | st.booleans() | st.text(max_size=10) | st.none())
def test_generated_values_at_every_route(desk, value, body):
    _api(desk, value, "generated")
    _console(desk, value, "generated")
    _json_id(desk, body, "generated")
