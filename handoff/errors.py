"""Errors of the caseworker side; each maps to one HTTP status with a ``detail`` that says why.

    HandoffError
     ├── NotFound      404  no such case, caseworker or conversation
     ├── Forbidden     403  the caseworker's role or ownership does not allow it
     ├── Conflict      409  the case or the person is not in a state that allows it
     ├── Invalid       422  the request itself is wrong (empty text, unknown outcome ...)
     └── Malformed     400  an id or number in the request cannot be read ("²", "-1", "1e3")

An id in a path that is a well-formed number but too large for any row is NotFound, not
Malformed (``core.http.parse_id`` tells the two apart).
"""

from __future__ import annotations

from core.http import BadNumber, OutOfRange, json_id, parse_id

__all__ = ["Conflict", "Forbidden", "HandoffError", "Invalid", "Malformed", "NotFound", "body_id", "given_id",
           "path_id"]


class HandoffError(Exception):
    """Root of the caseworker-side errors; ``status`` is the HTTP status to answer with."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(HandoffError):
    status = 404


class Forbidden(HandoffError):
    status = 403


class Conflict(HandoffError):
    status = 409


class Invalid(HandoffError):
    status = 422


class Malformed(HandoffError):
    status = 400


def path_id(raw: str, what: str = "case") -> int:
    """The id of a ``what`` in a URL path: Malformed unless it is written with the digits 0-9,
    NotFound when it is too large for any row to have it."""
    try:
        return parse_id(raw, f"{what}_id")
    except OutOfRange:
        raise NotFound(f"no {what} with that id") from None
    except BadNumber as exc:
        raise Malformed(exc.detail) from None


def given_id(raw: str, field: str) -> int:
    """An id in a query string or a form; Malformed unless it is one that a row could have."""
    try:
        return parse_id(raw, field)
    except BadNumber as exc:
        raise Malformed(exc.detail) from None


def body_id(value: object, field: str) -> int:
    """An id in a JSON body: a JSON integer (not "7", 7.0 or true); Malformed otherwise, or
    when it is one no row could have."""
    try:
        return json_id(value, field)
    except BadNumber as exc:
        raise Malformed(exc.detail) from None
