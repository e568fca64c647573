"""Small HTTP helpers shared by the routes: JSON errors, bounded JSON bodies and strict ids."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from channels._text import without_surrogates

__all__ = [
    "LOOPBACK",
    "MAX_BODY",
    "MAX_ID",
    "BadNumber",
    "OutOfRange",
    "client_address",
    "error",
    "is_local",
    "json_id",
    "parse_id",
    "read_body",
    "read_json",
]

MAX_BODY = 64 * 1024  # bytes; no legitimate webhook or chat message comes close
# The largest id a row can have: every id column is an INTEGER, 32 bits in PostgreSQL (SQLite's
# go to 2**63 - 1). A larger one is refused before it reaches the database, which would fail.
MAX_ID = 2**31 - 1


class BadNumber(ValueError):
    """An id or number from outside that is not one; ``detail`` says why, naming the field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(detail)
        self.field, self.detail = field, detail


class OutOfRange(BadNumber):
    """A well-formed whole number too large to be any row's id: nothing has it."""


def _in_range(value: int, field: str) -> int:
    if value < 0:
        raise BadNumber(field, f"{field} must be a whole number, 0 or more")
    if value > MAX_ID:
        raise OutOfRange(field, f"{field} is too large to be an id")
    return value


def parse_id(raw: str, field: str) -> int:
    """An id written in a path, query string or form: ASCII digits 0-9 and nothing else (no
    sign, no spaces, no "²" or "١٢", which ``str.isdigit`` accepts), at most ``MAX_ID``.
    BadNumber when it is not such a number, OutOfRange when it is one but too large."""
    if not (raw.isascii() and raw.isdigit()):
        raise BadNumber(field, f"{field} must be a whole number written with the digits 0-9")
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(MAX_ID)):  # before int(): Python refuses over 4300 digits
        raise OutOfRange(field, f"{field} is too large to be an id")
    return _in_range(int(digits), field)


def json_id(value: object, field: str) -> int:
    """An id in a JSON body: a JSON integer (not a boolean, a float or a string), 0 to MAX_ID."""
    if type(value) is not int:
        raise BadNumber(field, f"{field} must be a whole number")
    return _in_range(value, field)


def error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes | JSONResponse:
    """The request body, or a 413 as soon as it grows past ``limit`` (never read it all)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and (
        len(declared) > 12 or int(declared) > limit
    ):
        return error(413, f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return error(413, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def client_address(request: Request) -> str:
    """Where the request came from, as the server saw it (behind a proxy, what it forwarded)."""
    return request.client.host if request.client else "unknown"


def is_local(address: str) -> bool:
    """This host: a tool beside the app, or a local proxy that forwarded no client address."""
    return address in LOOPBACK


async def read_json(request: Request, allow_empty: bool = False) -> dict[str, Any] | JSONResponse:
    raw = await read_body(request)
    if isinstance(raw, JSONResponse):
        return raw
    if not raw.strip():
        return {} if allow_empty else error(400, "a JSON object is required")
    try:
        value = without_surrogates(json.loads(raw))
    except RecursionError:
        return error(400, "the JSON body is nested too deeply")
    except ValueError:  # UnicodeDecodeError included
        return error(400, "the body is not valid JSON")
    if not isinstance(value, dict):
        return error(400, "a JSON object is required")
    return value
