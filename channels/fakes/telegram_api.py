"""A fake Telegram Bot API: enough methods for the bot, every call recorded, faults on demand.

Point ``telegram.Bot(token, base_url=f"{url}/bot")`` at it. PTB posts forms whose values are
JSON-encoded, so each field is decoded back here. Updates for ``getUpdates`` are queued with
``queue_update`` (or ``POST /_fake/updates`` from another process); ``push_update`` posts one to
the registered webhook instead. ``GET /_fake/calls?method=sendMessage`` lists what was called.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from channels.fakes._server import serve

__all__ = ["Call", "FakeTelegramAPI", "Fault", "callback_update", "text_update"]

# String parameters whose content could look like JSON ("3", "true"): never decoded.
_TEXT_FIELDS = frozenset({"text", "caption", "callback_query_id", "url", "secret_token",
                          "parse_mode", "inline_message_id", "ip_address", "emoji"})
BOT_USER = {"id": 1000001, "is_bot": True, "first_name": "Intake", "username": "intake_test_bot"}


@dataclass(frozen=True)
class Call:
    """One request the fake received: the Bot API method and its decoded parameters."""

    method: str
    params: dict[str, Any]
    token: str
    at: float = field(default_factory=time.time)


@dataclass
class Fault:
    """An error answer for the next ``times`` calls of ``method`` (any method but getMe if None)."""

    status: int
    description: str
    times: int = 1
    method: str | None = None
    retry_after: int | None = None


class FakeTelegramAPI:
    """The fake's state (calls, messages, queued updates, faults) and its Starlette ``app``."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token  # when set, other tokens get 401 like the real API
        self.calls: list[Call] = []
        self._delivered: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()  # the server thread writes while the test thread reads
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        # Seconds each sendMessage takes before it is answered, like a distant API: a sender
        # killed meanwhile had it in flight. ``in_flight`` counts those not yet answered.
        self.latency = 0.0
        self.in_flight = 0
        # (chat_id, text, time answered) of every sendMessage that succeeded.
        self.timeline: list[tuple[str, str, float]] = []
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
            # For a demo in another process: queue an update, read what the bot called.
            Route("/_fake/updates", self._control_update, methods=["POST"]),
            Route("/_fake/calls", self._control_calls, methods=["GET"]),
        ])

    # -- what a test or demo uses ----------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run on a free local port; yields the ``base_url`` for PTB (``http://.../bot``)."""
        with serve(self.app) as url:
            yield url + "/bot"

    def requests(self, method: str | None = None) -> list[Call]:
        """A copy of the calls so far, optionally of one method only."""
        with self._lock:
            return [c for c in self.calls if method is None or c.method == method]

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Parameters of every ``sendMessage``, oldest first."""
        return [c.params for c in self.requests("sendMessage")]

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """Parameters of every ``sendMessage`` that succeeded (no fault answered), oldest first."""
        with self._lock:
            return list(self._delivered)

    def reset(self) -> None:
        with self._lock:
            self._delivered.clear()
            self.calls.clear()
            self._faults.clear()
            self._updates.clear()

    def queue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Serve ``update`` from getUpdates; an ``update_id`` is assigned when missing."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
        return update

    def push_update(self, update: dict[str, Any]) -> httpx.Response:
        """POST ``update`` to the webhook set with setWebhook, with its secret header, as Telegram does."""
        with self._lock:
            url, secret = self.webhook.get("url"), self.webhook.get("secret_token")
            update = {"update_id": next(self._update_ids), **update}
        if not url:
            raise RuntimeError("no webhook set")
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return httpx.post(url, json=update, headers=headers, timeout=10)

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail_next(self, times: int = 1, status: int = 500, method: str | None = None) -> None:
        self.add_fault(Fault(status, "Internal Server Error", times, method))

    def rate_limit_next(self, times: int = 1, retry_after: int = 1, method: str | None = None) -> None:
        description = f"Too Many Requests: retry after {retry_after}"
        self.add_fault(Fault(429, description, times, method, retry_after))

    def block_next(self, times: int = 1, method: str | None = None) -> None:
        self.add_fault(Fault(403, "Forbidden: bot was blocked by the user", times, method))

    def bad_request_next(self, times: int = 1, description: str = "Bad Request: chat not found",
                         method: str | None = None) -> None:
        self.add_fault(Fault(400, description, times, method))

    # -- the HTTP side ---------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        token, method = request.path_params["token"], request.path_params["method"]
        params = await _params(request)
        with self._lock:
            self.calls.append(Call(method, params, token))
            fault = self._take_fault(method)
        if self.token is not None and token != self.token:
            return _error(401, "Unauthorized")
        if fault:
            extra = {"retry_after": fault.retry_after} if fault.retry_after else None
            return _error(fault.status, fault.description, extra)
        if method == "getUpdates":
            return _ok(await self._get_updates(params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        if method == "sendMessage" and self.latency:
            with self._lock:
                self.in_flight += 1
            try:
                await asyncio.sleep(self.latency)
            finally:
                with self._lock:
                    self.in_flight -= 1
        return _ok(handler(params))

    async def _control_update(self, request: Request) -> JSONResponse:
        return JSONResponse(self.queue_update(await request.json()))

    async def _control_calls(self, request: Request) -> JSONResponse:
        return JSONResponse([{"method": c.method, "params": c.params, "at": c.at}
                             for c in self.requests(request.query_params.get("method"))])

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.method == method or (fault.method is None and method != "getMe"):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset, timeout = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 30)
        while True:
            with self._lock:
                # As Telegram does: an offset confirms (forgets) every earlier update.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: int(params.get("limit") or 100)])
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    def _message(self, params: dict[str, Any], text: str | None = None) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if text is not None:
            message["text"] = text
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_getMe(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        with self._lock:
            self._delivered.append(params)
            self.timeline.append((str(params.get("chat_id")), str(params.get("text", "")), time.time()))
        return self._message(params, str(params.get("text", "")))

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return self._message(params)

    def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        with self._lock:
            self.webhook = dict(params)
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        with self._lock:
            self.webhook = {}
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        with self._lock:
            return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    def _m_deleteMessage(self, params: dict[str, Any]) -> Any:
        return True

    def _m_deleteMessages(self, params: dict[str, Any]) -> Any:
        return True

    def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    form = await request.form()
    params: dict[str, Any] = {}
    for key, value in form.multi_items():
        if not isinstance(value, str):
            continue  # an uploaded file: nothing the bot sends today
        if key in _TEXT_FIELDS:
            params[key] = value
            continue
        try:  # PTB JSON-encodes every value but strings, which come as they are
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return {**dict(request.query_params), **params}


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)


def _user(user_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Test"}
    if language_code:
        user["language_code"] = language_code
    return user


def text_update(chat_id: int, text: str, language_code: str | None = "pt-br",
                message_id: int = 1) -> dict[str, Any]:
    """An update carrying a typed private message (no ``update_id``: the fake adds one)."""
    return {"message": {"message_id": message_id, "date": int(time.time()), "text": text,
                        "chat": {"id": chat_id, "type": "private"},
                        "from": _user(chat_id, language_code)}}


def callback_update(chat_id: int, data: str, language_code: str | None = "pt-br",
                    message_id: int = 1, query_id: str = "4382bfdwdsb323b2d9") -> dict[str, Any]:
    """An update for a pressed inline button with ``callback_data`` ``data``."""
    return {"callback_query": {
        "id": query_id, "from": _user(chat_id, language_code), "chat_instance": "-1", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "text": "?",
                    "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}}}
