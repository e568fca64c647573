"""Small HTTP helpers shared by the routes: JSON errors and bounded JSON bodies."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["MAX_BODY", "error", "read_body", "read_json"]

MAX_BODY = 64 * 1024  # bytes; no legitimate webhook or chat message comes close


def error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes | JSONResponse:
    """The request body, or a 413 as soon as it grows past ``limit`` (never read it all)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return error(413, f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return error(413, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, allow_empty: bool = False) -> dict[str, Any] | JSONResponse:
    raw = await read_body(request)
    if isinstance(raw, JSONResponse):
        return raw
    if not raw.strip():
        return {} if allow_empty else error(400, "a JSON object is required")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return error(400, "the body is not valid JSON")
    if not isinstance(value, dict):
        return error(400, "a JSON object is required")
    return value
