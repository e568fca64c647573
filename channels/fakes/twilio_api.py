"""A fake Twilio REST API (Messages), with signed inbound and status webhooks for demos.

Point the twilio ``Client`` at it with ``client.api.base_url = url`` (``TwilioChannel`` does so
from ``api_base_url``). It answers ``POST /2010-04-01/Accounts/{sid}/Messages.json`` with the
JSON Twilio returns, records every request, and can fail the next calls or refuse opted-out
numbers with 21610, as Twilio does after a STOP.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from channels.fakes._server import serve
from channels.segments import count_segments

__all__ = ["FakeTwilioAPI", "MessageRequest", "TwilioFault", "new_sid", "sign"]

ERRORS = {
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21614: (400, "'To' number is not a valid mobile number"),
    21211: (400, "Invalid 'To' Phone Number"),
    20429: (429, "Too Many Requests"),
    20003: (401, "Authenticate"),
    21602: (400, "Message body is required."),
    21604: (400, "A 'To' phone number is required."),
    21603: (400, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."),
    20500: (500, "Internal Server Error"),
}


@dataclass(frozen=True)
class MessageRequest:
    """One Messages request: its account, decoded form fields and basic-auth user."""

    account_sid: str
    form: dict[str, str]
    auth_user: str | None
    at: float = field(default_factory=time.time)


@dataclass
class TwilioFault:
    """Answer the next ``times`` message requests with this error (``retry_after`` as header)."""

    status: int
    code: int
    message: str
    times: int = 1
    retry_after: int | None = None


def new_sid(prefix: str) -> str:
    """A random Twilio-looking id such as ``SM`` + 32 hex digits."""
    return prefix + secrets.token_hex(16)


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The ``X-Twilio-Signature`` Twilio would send for ``params`` posted to ``url``."""
    return str(RequestValidator(auth_token).compute_signature(url, dict(params)))


class FakeTwilioAPI:
    """The fake's state (requests, messages, opted-out numbers, faults) and its Starlette ``app``."""

    def __init__(self, account_sid: str = "AC" + "0" * 32, auth_token: str = "test-token") -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.requests: list[MessageRequest] = []
        self.messages: dict[str, dict[str, Any]] = {}  # sid -> the resource as last returned
        self.opted_out: set[str] = set()
        self.deleted: list[str] = []  # sids deleted through the API, in order
        self.inbound_sids: set[str] = set()  # messages people sent, as the account stores them
        self._faults: list[TwilioFault] = []
        self._lock = threading.Lock()
        path = "/2010-04-01/Accounts/{account}/Messages.json"
        self.app = Starlette(routes=[
            Route(path, self._create, methods=["POST"]),
            Route("/2010-04-01/Accounts/{account}/Messages/{sid}.json", self._delete, methods=["DELETE"]),
            Route("/_fake/requests", self._control_requests, methods=["GET"]),  # demo inspection
        ])

    # -- what a test or demo uses ----------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Run on a free local port; yields the base URL (``TWILIO_API_BASE_URL``)."""
        with serve(self.app) as url:
            yield url

    @property
    def sent(self) -> list[dict[str, str]]:
        """The form of every Messages request, oldest first (failed ones included)."""
        with self._lock:
            return [dict(r.form) for r in self.requests]

    @property
    def delivered(self) -> list[dict[str, str]]:
        """The form of every Messages request that was accepted, oldest first."""
        with self._lock:
            return [dict(m["_form"]) for m in self.messages.values()]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.messages.clear()
            self.inbound_sids.clear()
            self.deleted.clear()
            self._faults.clear()
            self.opted_out.clear()

    def add_fault(self, fault: TwilioFault) -> None:
        with self._lock:
            self._faults.append(fault)

    def fail_next(self, times: int = 1, status: int = 500) -> None:
        self.add_fault(TwilioFault(status, 20500, "Internal Server Error", times))

    def rate_limit_next(self, times: int = 1, retry_after: int | None = 1) -> None:
        self.add_fault(TwilioFault(429, 20429, "Too Many Requests", times, retry_after))

    def error_next(self, code: int, times: int = 1) -> None:
        """Answer with a known Twilio error, e.g. ``error_next(21610)``."""
        status, message = ERRORS[code]
        self.add_fault(TwilioFault(status, code, message, times))

    def opt_out(self, number: str) -> None:
        """Every later send to ``number`` (``+351...`` or ``whatsapp:+351...``) fails with 21610."""
        with self._lock:
            self.opted_out.add(number)

    def inbound(self, body: str, from_: str = "+351912345678", to: str = "+351300000000",
                **extra: str) -> dict[str, str]:
        """Form parameters of an inbound message webhook, as Twilio posts them."""
        params = {"MessageSid": new_sid("SM"), "SmsSid": "", "AccountSid": self.account_sid,
                  "From": from_, "To": to, "Body": body, "NumMedia": "0", "NumSegments": "1",
                  "SmsStatus": "received", "ApiVersion": "2010-04-01", **extra}
        params["SmsSid"] = params["MessageSid"]
        with self._lock:
            self.inbound_sids.add(params["MessageSid"])
        return params

    def post_webhook(self, url: str, params: Mapping[str, str]) -> httpx.Response:
        """POST signed form ``params`` to ``url`` (an inbound message or a status callback)."""
        headers = {"X-Twilio-Signature": sign(self.auth_token, url, params)}
        return httpx.post(url, data=dict(params), headers=headers, timeout=10)

    def post_status(self, message_sid: str, status: str, error_code: str | None = None
                    ) -> httpx.Response:
        """Send the status callback of a message this fake created, to its StatusCallback."""
        with self._lock:
            message = dict(self.messages[message_sid])
            message["status"] = status
            self.messages[message_sid] = message
        params = {"MessageSid": message_sid, "MessageStatus": status, "AccountSid": self.account_sid,
                  "From": message["from"] or "", "To": message["to"], "ApiVersion": "2010-04-01"}
        if error_code:
            params["ErrorCode"] = error_code
        return self.post_webhook(message["_status_callback"], params)

    # -- the HTTP side ---------------------------------------------------------------------

    async def _create(self, request: Request) -> JSONResponse:
        account = request.path_params["account"]
        form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
        user, password = _basic_auth(request.headers.get("authorization", ""))
        with self._lock:
            self.requests.append(MessageRequest(account, form, user))
            fault = self._take_fault()
            opted_out = form.get("To") in self.opted_out
        if user != self.account_sid or password != self.auth_token or account != self.account_sid:
            return _error(20003)
        if fault:
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else None
            return _error(fault.code, fault.status, fault.message, headers)
        for code, missing in ((21604, not form.get("To")),
                              (21603, not (form.get("From") or form.get("MessagingServiceSid"))),
                              (21602, not (form.get("Body") or form.get("ContentSid")
                                           or form.get("MediaUrl")))):
            if missing:
                return _error(code)
        if opted_out:
            return _error(21610)
        message = self._resource(form)
        with self._lock:
            self.messages[message["sid"]] = message
        return JSONResponse({k: v for k, v in message.items() if not k.startswith("_")},
                            status_code=201)

    async def _delete(self, request: Request) -> Response:
        user, password = _basic_auth(request.headers.get("authorization", ""))
        if user != self.account_sid or password != self.auth_token:
            return _error(20003)
        sid = request.path_params["sid"]
        with self._lock:
            known = self.messages.pop(sid, None) is not None or sid in self.inbound_sids
            self.inbound_sids.discard(sid)
            if known:
                self.deleted.append(sid)
        return Response(status_code=204) if known else _error(20404, 404, "The requested resource was not found")

    async def _control_requests(self, request: Request) -> JSONResponse:
        return JSONResponse(self.sent)

    def _take_fault(self) -> TwilioFault | None:
        if not self._faults:
            return None
        fault = self._faults[0]
        fault.times -= 1
        if fault.times <= 0:
            self._faults.pop(0)
        return fault

    def _resource(self, form: dict[str, str]) -> dict[str, Any]:
        message_sid, now = new_sid("SM"), formatdate(usegmt=True)
        body = form.get("Body", "")
        return {
            "account_sid": self.account_sid, "api_version": "2010-04-01", "body": body,
            "date_created": now, "date_sent": None, "date_updated": now,
            "direction": "outbound-api", "error_code": None, "error_message": None,
            "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": str(max(count_segments(body), 1)),
            "price": None, "price_unit": "USD", "sid": message_sid,
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{self.account_sid}/Messages/"
                                          f"{message_sid}/Media.json"},
            "to": form.get("To"),
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{message_sid}.json",
            "_status_callback": form.get("StatusCallback"),
            "_form": dict(form),
        }


def _basic_auth(header: str) -> tuple[str | None, str | None]:
    if not header.lower().startswith("basic "):
        return None, None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None, None
    return user, password


def _error(code: int, status: int | None = None, message: str | None = None,
           headers: dict[str, str] | None = None) -> JSONResponse:
    known_status, known_message = ERRORS.get(code, (400, "Error"))
    status = status or known_status
    body = {"code": code, "message": message or known_message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
    return JSONResponse(body, status_code=status, headers=headers)
