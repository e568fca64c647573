"""core.http: ids from outside are parsed strictly, and JSON bodies that cannot be stored are
made storable or refused in words."""

from __future__ import annotations

import asyncio
import json

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from channels._text import without_surrogates
from core.http import (
    MAX_ID,
    BadNumber,
    OutOfRange,
    json_id,
    parse_id,
    read_body,
    read_json,
)


@pytest.mark.parametrize(("raw", "value"), [
    ("0", 0), ("1", 1), ("007", 7), (str(MAX_ID), MAX_ID), ("0" * 40 + "12", 12),
])
def test_ascii_digits_are_ids(raw: str, value: int) -> None:
    assert parse_id(raw, "case_id") == value


@pytest.mark.parametrize("raw", [
    "²", "¹²", "١٢", "１２", "۳", "߁", "𝟏", "", " 1", "1 ", "+1", "-1", "1e3", "0x10", "1.0", "1_000",
    "NaN", "inf", "%00", "\x00", "1\x00", "٣" * 5000,
])
def test_anything_else_is_malformed_and_says_so(raw: str) -> None:
    with pytest.raises(BadNumber) as caught:
        parse_id(raw, "case_id")
    assert not isinstance(caught.value, OutOfRange)
    assert caught.value.detail == "case_id must be a whole number written with the digits 0-9"
    assert caught.value.field == "case_id"


@pytest.mark.parametrize("raw", [str(MAX_ID + 1), str(2**63 - 1), "9" * 19, "1" * 30, str(10**19), "1" * 5000, "9" * 100_000])
def test_a_number_too_large_for_any_row_is_out_of_range(raw: str) -> None:
    with pytest.raises(OutOfRange) as caught:
        parse_id(raw, "after")
    assert caught.value.detail == "after is too large to be an id"


def test_json_ids_are_integers_only() -> None:
    assert json_id(5, "caseworker_id") == 5
    assert json_id(MAX_ID, "caseworker_id") == MAX_ID == 2**31 - 1  # PostgreSQL's INTEGER
    for wrong in (True, False, 5.0, "5", None, [5], {"id": 5}, float("nan")):
        with pytest.raises(BadNumber, match="caseworker_id must be a whole number"):
            json_id(wrong, "caseworker_id")
    with pytest.raises(BadNumber, match="0 or more"):
        json_id(-1, "caseworker_id")
    for big in (MAX_ID + 1, 2**63 - 1, 10**30):
        with pytest.raises(OutOfRange):
            json_id(big, "caseworker_id")


def test_bad_number_is_a_value_error_with_no_class_name_in_its_words() -> None:
    with pytest.raises(ValueError) as caught:
        parse_id("²", "after")
    assert "Error" not in str(caught.value) and "Exception" not in str(caught.value)


def test_lone_surrogates_become_replacement_characters_everywhere() -> None:
    data = json.loads('{"text": "a\\ud800b", "\\udc00": ["\\udfff", 1, {"x": "\\ud83d\\ude00"}], "n": null}')
    clean = without_surrogates(data)
    assert clean == {"text": "a\ufffdb", "\ufffd": ["\ufffd", 1, {"x": "😀"}], "n": None}
    json.dumps(clean, ensure_ascii=False).encode("utf-8")  # storable
    same = {"text": "plain ascii", "list": [1, 2.5, True]}
    assert without_surrogates(same) == same


def _client() -> TestClient:
    async def echo(request: Request) -> JSONResponse:
        body = await read_json(request)
        return body if isinstance(body, JSONResponse) else JSONResponse(body)

    return TestClient(Starlette(routes=[Route("/", echo, methods=["POST"])]))


@pytest.mark.parametrize(("body", "status", "detail"), [
    (b"[" * 5000 + b"]" * 5000, 400, "the JSON body is nested too deeply"),
    (b'{"a": ' * 3000 + b"1" + b"}" * 3000, 400, "the JSON body is nested too deeply"),
    (b'{"n": ' + b"1" * 5000 + b"}", 400, "the body is not valid JSON"),  # past Python's digit limit
    (b'"\xff"', 400, "the body is not valid JSON"),
    (b"[]", 400, "a JSON object is required"),
])
def test_read_json_refuses_in_words(body: bytes, status: int, detail: str) -> None:
    response = _client().post("/", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (status, {"detail": detail})


def test_read_json_keeps_a_message_with_a_lone_surrogate() -> None:
    for body in (b'{"text": "ol\\u00e1 \\ud800!"}', b'{"text": "ol\xc3\xa1 \xed\xa0\x80!"}'):
        response = _client().post("/", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 200 and response.json() == {"text": "olá \ufffd!"}


def test_a_content_length_of_thousands_of_digits_is_too_large_not_a_crash() -> None:
    async def app(scope, receive, send):
        result = await read_body(Request(scope, receive))
        response = result if isinstance(result, JSONResponse) else JSONResponse({"ok": True})
        await response(scope, receive, send)

    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"",
             "headers": [(b"content-length", b"9" * 5000)]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
