"""ASGI middleware around every route: a request id for the logs, a cap on body size, and the
headers that keep what a response carries off shared machines and proxies.

The cap is enforced while the body streams in, so a client that lies about (or omits)
Content-Length still cannot make us buffer more than the limit. Every response but a static
file is ``Cache-Control: no-store``: transcripts, addresses, the chat's token and the console's
pages must not stay in a browser's cache, where Back after logout would show them on a shared
or seized phone. In production HTTPS is required of browsers too (HSTS).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from core.logs import CONVERSATION_ID, REQUEST_ID

__all__ = ["Guard"]

Scope = dict[str, Any]
Message = dict[str, Any]


HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def _security_headers(path: str, headers: list[tuple[bytes, bytes]], production: bool) -> None:
    names = {name.lower() for name, _ in headers}
    if b"cache-control" not in names and "/static/" not in path:
        headers.append((b"cache-control", b"no-store"))
    if b"x-content-type-options" not in names:
        headers.append((b"x-content-type-options", b"nosniff"))
    if production:
        headers.append(HSTS)


class Guard:
    """Sets the request id, answers 413 to bodies over ``max_body`` bytes, and adds the
    caching and transport headers to every response."""

    def __init__(self, app: Any, max_body: int = 256 * 1024, production: bool = False) -> None:
        self.app = app
        self.max_body = max_body
        self.production = production

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if given.isalnum() and len(given) <= 64 else secrets.token_hex(8)
        REQUEST_ID.set(request_id)
        CONVERSATION_ID.set(None)
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message: Message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = message.setdefault("headers", [])
                out.append((b"x-request-id", request_id.encode()))
                _security_headers(scope["path"], out, self.production)
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Any) -> None:
        body = json.dumps({"detail": f"request body over {self.max_body} bytes"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        _security_headers("", headers, self.production)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
