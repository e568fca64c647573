"""Structured logs without personal data.

Every record carries the request id and the conversation id of the work it belongs to (from
context variables), as JSON lines in production. Libraries that log message contents or
phone numbers (the Twilio client logs whole requests; httpx logs URLs with the bot token) are
held at WARNING. Our own code logs ids, states and reasons, never what a person wrote or
their address.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from typing import Any

from channels.registry import library_loggers

__all__ = ["CONVERSATION_ID", "REQUEST_ID", "scrub", "setup"]

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
CONVERSATION_ID: ContextVar[int | None] = ContextVar("conversation_id", default=None)

# Libraries that log every request at INFO; the channels' own SDKs are in the registry.
QUIET = ("httpx", "httpcore", "aiohttp.access", "uvicorn.access", "alembic.runtime.plugins", "hpack",
         *library_loggers())
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_EMAILISH = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def scrub(text: str) -> str:
    """Remove what looks like a phone number or an e-mail address from a diagnostic text."""
    return _EMAILISH.sub("<email>", _PHONE.sub("<number>", text))


class _Context(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        record.conversation_id = CONVERSATION_ID.get()
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
            "conversation_id": getattr(record, "conversation_id", None),
        }
        if record.exc_info:
            entry["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class _Plain(logging.Formatter):
    """Scrubs the message and the traceback only: the time and the ids are ours, and a date
    such as 2026-12-03 22:37:19 would look like a phone number to the filter."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = scrub(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        return scrub(super().formatException(ei))


def setup(json_lines: bool, level: int = logging.INFO) -> None:
    """Configure the root logger once for a process."""
    handler = logging.StreamHandler()
    handler.addFilter(_Context())
    handler.setFormatter(
        JSONFormatter() if json_lines else _Plain(
            "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s conv=%(conversation_id)s] %(message)s"
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
