"""python-telegram-bot's transport over aiohttp instead of httpx.

PTB lets a bot bring its own ``BaseRequest``. aiohttp is here already (Twilio's async client
uses it) and costs about a third of httpx's CPU per Bot API call (0.4 against 1.3 ms on the
development machine, bench/webhook.py), which is most of what a Telegram turn costs the
server beyond the turn itself. Behaviour matches PTB's ``HTTPXRequest``: form-encoded
parameters (multipart when there are files), ``TimedOut`` for timeouts and ``NetworkError``
for everything else that goes wrong on the way.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]

_PLAIN_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}
_FORM_HEADERS = {**_PLAIN_HEADERS, "Content-Type": "application/x-www-form-urlencoded"}


class AiohttpRequest(BaseRequest):
    """A pool of ``connections`` keep-alive connections to the Bot API."""

    def __init__(
        self,
        connections: int = 8,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._connections = connections
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        self._current()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = self._loop = None

    def _current(self) -> aiohttp.ClientSession:
        # A session belongs to the event loop it was made in; a bot used from a new loop (a
        # restart, a test) gets a new one rather than an error.
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._connections))
            self._loop = loop
        return self._session

    def _timeout(self, name: str, given: Any) -> float | None:
        return self._timeouts[name] if isinstance(given, type(BaseRequest.DEFAULT_NONE)) else given

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._current()
        connect = self._timeout("connect", connect_timeout)
        pool = self._timeout("pool", pool_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's connect timeout includes waiting for a free connection from the pool.
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=self._timeout("read", read_timeout),
        )
        data: Any = None
        headers = _PLAIN_HEADERS
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, part in files.items():
                    if isinstance(part, tuple):
                        filename, content, mimetype = part
                        form.add_field(name, content, filename=filename, content_type=mimetype)
                    else:
                        form.add_field(name, part)
                data = form
            else:
                # Encoded here: aiohttp's FormData builds a multipart writer and checks every
                # field on each call, which a plain form does not need.
                data = request_data.url_encoded_parameters().encode("ascii")
                headers = _FORM_HEADERS
        try:
            async with session.request(method, url, data=data, timeout=timeout, headers=headers) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
