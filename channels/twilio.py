"""The SMS and WhatsApp channels through Twilio: signed form webhooks in, REST messages out.

Options become a compact numbered menu (no buttons; every SMS segment costs the person), texts
over Twilio's 1600 characters go as several messages, STOP/START/HELP are recognised and 21610
("unsubscribed recipient") means stop. WhatsApp outside the 24-hour window can only take an
approved template, which the engine asks for with ``Outbound.meta["template_sid"]``.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, urlencode

import aiohttp
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from channels._text import split_text
from channels.base import (
    BadRequest,
    Capabilities,
    ChannelBase,
    ChannelError,
    Delivery,
    Forbidden,
    Inbound,
    Outbound,
    PermanentError,
    RateLimited,
    Received,
    Sent,
    TemporaryError,
    Unreachable,
    WebhookCall,
    plain,
)
from channels.segments import cheapest, count_segments

__all__ = [
    "SmsChannel",
    "TwilioChannel",
    "WhatsAppChannel",
    "keyword",
    "render_menu",
    "split_address",
]

log = logging.getLogger(__name__)
WHATSAPP = "whatsapp:"
MESSAGES, STATUS = "/webhooks/twilio/messages", "/webhooks/twilio/status"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'
# Twilio's default single-word keywords (help.twilio.com/articles/223134027); localized ones
# (PARAR, SAIR ...) belong in Advanced Opt-Out, which then sends OptOutType, or in extra_keywords.
KEYWORDS = {
    **dict.fromkeys(("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
                    "stop"),
    **dict.fromkeys(("START", "YES", "UNSTOP"), "start"),
    **dict.fromkeys(("HELP", "INFO"), "help"),
}
# Errors that say this person can't be reached at all: opted out (21610), not a mobile (21614),
# invalid or unroutable number (21211, 21612), not on WhatsApp (63003, 63024).
UNREACHABLE_CODES = frozenset({21610, 21614, 21211, 21612, 63003, 63024})

# Twilio's statuses folded into the vocabulary of channels.base.Delivery.
_STATUSES = {"accepted": "queued", "scheduled": "queued", "sending": "queued",
             "canceled": "failed", "partially_delivered": "delivered"}

# The Retry-After header of the last response, per task: TwilioRestException does not carry it.
_retry_after: ContextVar[str | None] = ContextVar("twilio_retry_after", default=None)


def split_address(value: str) -> tuple[str, str]:
    """``"whatsapp:+351 91..."`` -> ``("whatsapp", "+35191...")``; anything else is SMS."""
    channel = "sms"
    if value.startswith(WHATSAPP):
        channel, value = "whatsapp", value[len(WHATSAPP):]
    return channel, value.replace(" ", "")


def keyword(body: str, opt_out_type: str | None = None, extra: Mapping[str, str] | None = None
            ) -> str | None:
    """``stop``, ``start`` or ``help`` if the message is one; only single words count, as at Twilio.

    "YES" is an opt-in word at Twilio and also an answer to a yes/no question: a ``start`` only
    means "subscribe again" for someone who had stopped.
    """
    if opt_out_type and opt_out_type.lower() in ("stop", "start", "help"):
        return opt_out_type.lower()
    word = body.strip().strip(".!").upper()
    return {**KEYWORDS, **{k.upper(): v for k, v in (extra or {}).items()}}.get(word)


def render_menu(text: str, labels: list[str]) -> str:
    """Text followed by ``1 Yes`` / ``2 No`` lines: the compact form, every character costs."""
    menu = "\n".join(f"{i} {label}" for i, label in enumerate(labels, 1))
    return f"{text}\n{menu}" if text and menu else text or menu


def sms_segments(text: str, labels: list[str]) -> int:
    """What a message with this menu costs by SMS: menu added, accents folded when it pays."""
    return count_segments(cheapest(render_menu(text, labels)))


class _HttpClient(AsyncTwilioHttpClient):
    """Twilio's aiohttp client with a default timeout and the Retry-After header kept."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        # The SDK passes timeout=None per request, which aiohttp reads as "wait forever".
        self._timeout = timeout

    async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        kwargs["timeout"] = kwargs.get("timeout") or self._timeout
        auth = kwargs.pop("auth", None)
        headers = dict(kwargs.get("headers") or {})
        if auth:  # as a header: aiohttp deprecates the BasicAuth object the SDK would build
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        data = kwargs.get("data")
        if isinstance(data, Mapping) and data:
            # Encoded here: plain urlencode is all Twilio needs, and far cheaper than FormData.
            kwargs["data"] = urlencode(data, doseq=True).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        kwargs["headers"] = headers
        response = await super().request(method, url, *args, **kwargs)
        _retry_after.set((response.headers or {}).get("Retry-After"))
        return response


class TwilioChannel(ChannelBase):
    """What SMS and WhatsApp share: the account, webhook checks and the REST sender."""

    name: ClassVar[str] = "sms"
    capabilities: ClassVar[Capabilities] = Capabilities(
        buttons=False, max_length=1600, priced_per_segment=True, phone_address=True,
        provider_opt_out=True, title="SMS",
    )
    # One pair of webhooks for the account: the sender's address says SMS or WhatsApp.
    webhooks: ClassVar[tuple[str, ...]] = (MESSAGES, STATUS)
    loggers: ClassVar[tuple[str, ...]] = ("twilio", "twilio.http_client")

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        public_url: str | None = None,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        whatsapp_from: str | None = None,
        api_base_url: str = "https://api.twilio.com",
        status_callback_url: str | None = None,
        extra_keywords: Mapping[str, str] | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.account_sid = account_sid
        self.public_url = public_url.rstrip("/") if public_url else None
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.whatsapp_from = split_address(whatsapp_from)[1] if whatsapp_from else None
        self.api_base_url = api_base_url
        self.status_callback_url = status_callback_url
        self.extra_keywords = dict(extra_keywords or {})
        self._auth_token = auth_token
        self._timeout = timeout
        self._validator = RequestValidator(auth_token)
        self._client: Any = None  # built on first use: aiohttp wants a running event loop

    @classmethod
    def configured(cls, settings: Any) -> Self | None:
        """The channel the settings describe, or None when they do not enable it."""
        sid, token = settings.twilio_account_sid, plain(settings.twilio_auth_token)
        if not (sid and token and cls._has_sender(settings)):
            return None
        public_url = settings.public_url
        return cls(
            sid, token, public_url=public_url, from_number=settings.twilio_from_number,
            messaging_service_sid=settings.twilio_messaging_service_sid,
            whatsapp_from=settings.twilio_whatsapp_from, api_base_url=settings.twilio_api_base_url,
            status_callback_url=public_url.rstrip("/") + STATUS if public_url else None,
        )

    @staticmethod
    def _has_sender(settings: Any) -> bool:
        return bool(settings.twilio_from_number or settings.twilio_messaging_service_sid)

    async def start(self) -> None:
        self._rest()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.http_client.close()
            self._client = None

    def _rest(self) -> Any:
        if self._client is None:
            client = Client(self.account_sid, self._auth_token,
                            http_client=_HttpClient(self._timeout))
            client.api.base_url = self.api_base_url  # the SDK has no option for this (§2.3)
            self._client = client
        return self._client

    # -- receiving -------------------------------------------------------------------------

    def receive(self, call: WebhookCall) -> Received:
        """A signed message or status callback: Forbidden or BadRequest when it is neither."""
        try:
            params = dict(parse_qsl(call.body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("the body is not a form") from exc
        self.validate(call.path, params, _header(call.headers, "x-twilio-signature"))
        if call.route == STATUS:
            return Received(deliveries=(self.parse_status(params),), status=204)
        return Received(inbounds=tuple(self.parse_inbound(params)), body=EMPTY_TWIML,
                        media_type="text/xml")

    def validate(self, url_path: str, params: Mapping[str, str], signature: str | None) -> None:
        """Check ``X-Twilio-Signature`` over the public URL + path (with query) and ALL params."""
        if not self.public_url or not signature:
            raise Forbidden("missing Twilio signature or public URL")
        if not self._validator.validate(self.public_url + url_path, params, signature):
            raise Forbidden("Twilio signature does not match")

    def parse_inbound(self, params: Mapping[str, str]) -> list[Inbound]:
        """One inbound SMS or WhatsApp message from the webhook's form parameters."""
        sid, sender = params.get("MessageSid") or params.get("SmsSid"), params.get("From")
        if not sid or not sender:
            raise BadRequest("not a Twilio message webhook")
        channel, address = split_address(sender)
        body = params.get("Body", "")
        meta = {"to": split_address(params.get("To", ""))[1]}
        for param, key in (("ProfileName", "profile_name"), ("FromCountry", "country")):
            if params.get(param):
                meta[key] = params[param]
        found = keyword(body, params.get("OptOutType"), self.extra_keywords)
        if found:
            meta["keyword"] = found
        base: dict[str, Any] = {"channel": channel, "address": address, "text": body,
                                "provider_id": sid}
        media = _count(params.get("NumMedia"))
        if params.get("ButtonPayload"):  # a quick-reply button of a WhatsApp template
            return [Inbound(**base, kind="choice", choice=params["ButtonPayload"], meta=meta)]
        if params.get("Latitude") and params.get("Longitude"):
            meta |= {"lat": params["Latitude"], "lon": params["Longitude"]}
            return [Inbound(**base, kind="location", meta=meta)]
        if media:
            meta |= {"media_count": str(media), "media_type": params.get("MediaContentType0", "")}
            return [Inbound(**base, kind="media", meta=meta)]
        return [Inbound(**base, kind="text" if body.strip() else "unsupported", meta=meta)]

    def parse_status(self, params: Mapping[str, str]) -> Delivery:
        """A status callback; callbacks arrive out of order, so the caller must not go backwards."""
        sid, status = params.get("MessageSid"), params.get("MessageStatus")
        if not sid or not status:
            raise BadRequest("not a Twilio status callback")
        ends = params.get("From", "") + params.get("To", "")
        status = _STATUSES.get(status.lower(), status.lower())
        return Delivery(channel="whatsapp" if WHATSAPP in ends else "sms", provider_id=sid,
                        status=status, error_code=params.get("ErrorCode") or None)

    # -- sending ---------------------------------------------------------------------------

    def render(self, message: Outbound) -> list[str]:
        """The bodies ``send`` would post, in order (also useful for a console preview)."""
        text = render_menu(message.text, [o.label for o in message.options])
        if self.capabilities.priced_per_segment:
            text = cheapest(text)  # every segment costs the person: fold accents when it pays
        return split_text(text, self.capabilities.max_length)

    async def send(self, message: Outbound) -> Sent:
        """Post the message (several when long); a template instead when the meta asks for one."""
        parts = self.render(message)
        if not parts:
            raise PermanentError("nothing to send")
        to = split_address(message.address)[1]
        sids = [await self._create(to, body=part) for part in parts]
        return Sent(provider_ids=tuple(sids), segments=sum(count_segments(p) for p in parts))

    def _sender(self) -> dict[str, str]:
        if self.messaging_service_sid:
            return {"messaging_service_sid": self.messaging_service_sid}
        if self.from_number:
            return {"from_": self.from_number}
        raise PermanentError("no SMS sender: set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")

    async def forget(self, address: str, sent: Sequence[str], received: Sequence[str]) -> None:
        """Delete the stored messages both ways: the number and the text stay in the Twilio
        account's logs otherwise. One already gone (404) is fine; one Twilio cannot delete yet
        (still being sent) is left rather than failing the rest."""
        for sid in dict.fromkeys((*sent, *received)):
            try:
                await self._rest().messages(sid).delete_async()
            except (TwilioRestException, TwilioServiceException) as exc:
                error = _translate(exc.status, exc.code, str(exc))
                if isinstance(error, RateLimited | TemporaryError):
                    raise error from exc
                log.info("Twilio kept message %s...: %s", sid[:6], type(error).__name__)
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                raise TemporaryError(f"Twilio unreachable: {exc!r}") from exc

    async def _create(self, to: str, **fields: Any) -> str:
        """One ``messages.create`` call, with Twilio's errors translated at the seam."""
        if self.status_callback_url:
            fields["status_callback"] = self.status_callback_url
        try:
            msg = await self._rest().messages.create_async(to=to, **fields, **self._sender())
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _translate(exc.status, exc.code, str(exc)) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TemporaryError(f"Twilio unreachable: {exc!r}") from exc
        return str(msg.sid)


class SmsChannel(TwilioChannel):
    """SMS through Twilio: priced per segment, so counting segments matters."""


class WhatsAppChannel(TwilioChannel):
    """WhatsApp through Twilio: ``whatsapp:`` addresses, the 24-hour window, templates."""

    name: ClassVar[str] = "whatsapp"
    capabilities: ClassVar[Capabilities] = Capabilities(
        buttons=False, max_length=1600, phone_address=True, provider_opt_out=True,
        window=timedelta(hours=24), title="WhatsApp",
    )

    @staticmethod
    def _has_sender(settings: Any) -> bool:
        return bool(settings.twilio_whatsapp_from)

    def _sender(self) -> dict[str, str]:
        if not self.whatsapp_from:
            raise PermanentError("no WhatsApp sender: set TWILIO_WHATSAPP_FROM")
        return {"from_": WHATSAPP + self.whatsapp_from}

    async def send(self, message: Outbound) -> Sent:
        to = WHATSAPP + split_address(message.address)[1]
        template = message.meta.get("template_sid")
        if template:  # outside the window only an approved template goes, and without a body
            variables = message.meta.get("template_variables")
            fields = {"content_sid": template} | ({"content_variables": variables} if variables else {})
            return Sent(provider_ids=(await self._create(to, **fields),), segments=1)
        parts = self.render(message)
        if not parts:
            raise PermanentError("nothing to send")
        sids = [await self._create(to, body=part) for part in parts]
        return Sent(provider_ids=tuple(sids), segments=len(sids))


def _translate(status: int, code: int | None, text: str) -> ChannelError:
    if code in UNREACHABLE_CODES:
        return Unreachable(text)
    if status == 429 or code == 20429:
        return RateLimited(text, retry_after=_parse_retry_after(_retry_after.get()))
    if status >= 500:
        return TemporaryError(text)
    return PermanentError(text)  # e.g. 21408 region not enabled, 63016 outside the window


def _parse_retry_after(value: str | None) -> float:
    try:
        return max(float(value or 1), 0.0)
    except ValueError:  # an HTTP date; rare enough that a second is a fine guess
        return 1.0


def _count(value: str | None) -> int:
    """A count parameter; a forged or broken one counts as none rather than failing the turn."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def _header(headers: Mapping[str, str], name: str) -> str | None:
    got = headers.get(name)
    if got is None:  # a plain dict is case-sensitive; Starlette's Headers is not
        got = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return got
