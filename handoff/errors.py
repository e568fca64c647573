"""Errors of the caseworker side; each maps to one HTTP status with a ``detail`` that says why.

    HandoffError
     ├── NotFound      404  no such case, caseworker or conversation
     ├── Forbidden     403  the caseworker's role or ownership does not allow it
     ├── Conflict      409  the case or the person is not in a state that allows it
     └── Invalid       422  the request itself is wrong (empty text, unknown outcome ...)
"""

from __future__ import annotations

__all__ = ["Conflict", "Forbidden", "HandoffError", "Invalid", "NotFound"]


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
