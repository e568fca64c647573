"""Neutral message types and the one interface every channel implements.

A channel adapter translates between a provider's wire format and these types on both sides:
it verifies and parses the requests its provider sends to its webhook paths (``receive``) and
delivers outbound messages (``send``). What it can render and what the person pays is in its
``capabilities``, which the rest of the application asks instead of naming a channel. It holds
no conversation state and imports nothing of ours. ``channels.registry`` lists every channel.

Errors raised by adapters (a provider's own exceptions never leave the adapter):

    ChannelError
     ├── Forbidden        the request failed authentication (bad secret or signature): 403
     ├── BadRequest       the request is malformed: 400
     ├── RateLimited      the provider asked us to slow down; ``retry_after`` seconds
     ├── Unreachable      the recipient blocked us or opted out: stop sending
     ├── TemporaryError   try again later (5xx, timeouts, connection errors)
     └── PermanentError   this message will never go through as it is
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, Self

__all__ = [
    "BadRequest",
    "Capabilities",
    "Channel",
    "ChannelBase",
    "ChannelError",
    "Delivery",
    "Forbidden",
    "Inbound",
    "Option",
    "Outbound",
    "PermanentError",
    "RateLimited",
    "Received",
    "Sent",
    "TemporaryError",
    "Unreachable",
    "WebhookCall",
    "plain",
]


class ChannelError(Exception):
    """Root of every error an adapter raises."""


class Forbidden(ChannelError):
    """The request did not prove it came from the provider."""


class BadRequest(ChannelError):
    """The request could not be understood."""


class RateLimited(ChannelError):
    """The provider throttled us; wait ``retry_after`` seconds."""

    def __init__(self, message: str = "rate limited", retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(ChannelError):
    """The person blocked the bot or opted out; sending again will not help."""


class TemporaryError(ChannelError):
    """A passing failure: the same message may go through later."""


class PermanentError(ChannelError):
    """This message will never be accepted as it is."""


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a person can pick: shown as a button or a numbered menu line."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can render, so the engine can adapt wording and menus."""

    buttons: bool = False          # inline buttons rather than a numbered menu
    max_length: int = 4096         # longest single message the provider accepts
    priced_per_segment: bool = False  # every 160/70-character segment costs the person
    can_delete: bool = False       # the bot can delete what it sent (quick exit)
    phone_address: bool = False    # the address is the person's phone number
    provider_opt_out: bool = False  # the provider enforces STOP itself: only START lifts it
    window: timedelta | None = None  # free text only this long after the person last wrote
    title: str = ""                # how caseworkers and deployers call it
    # Least time between two messages to one chat, kept by every sender process together
    # (the outbox claims a chat's next message only this long after its last one went).
    pace: timedelta | None = None
    # Most messages a second from one sender (a bot, a number) to all chats together, also
    # kept by every sender process together; None: the provider queues itself.
    rate: float | None = None

    def window_open(self, last_inbound_at: datetime | None, now: datetime) -> bool:
        """Whether free text may be sent now: always, or within the window after their last message."""
        if self.window is None:
            return True
        return last_inbound_at is not None and now - last_inbound_at < self.window


@dataclass(frozen=True, slots=True)
class Inbound:
    """A message from a person, as any channel delivers it.

    ``kind`` is ``text`` (typed), ``choice`` (a pressed button; ``choice`` holds its value),
    ``location``, ``contact``, ``media`` (sticker, photo, voice ...), ``edit`` (an edited
    message) or ``unsupported``. ``provider_id`` is the provider's own id for this message,
    used to drop duplicates; ``None`` where the channel has none.
    """

    channel: str
    address: str
    text: str = ""
    provider_id: str | None = None
    kind: str = "text"
    choice: str | None = None
    locale_hint: str | None = None  # e.g. Telegram's language_code
    source: str | None = None       # e.g. a /start deep-link payload
    received_at: datetime | None = None
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Outbound:
    """A message to a person: already translated text plus answer options as a hint."""

    channel: str
    address: str
    text: str
    options: tuple[Option, ...] = ()
    key: str = ""                   # idempotency key (the outbox row id): never sent twice
    language: str = "en"
    rtl: bool = False
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sent:
    """What the provider answered for a delivered message."""

    provider_ids: tuple[str, ...] = ()
    segments: int = 1


@dataclass(frozen=True, slots=True)
class Delivery:
    """A delivery report (status callback) for a message we sent."""

    channel: str
    provider_id: str
    status: str                     # queued|sent|delivered|read|failed|undelivered
    error_code: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookCall:
    """A provider's request to one of the channel's webhook paths, as the web server got it."""

    route: str                     # which of the channel's webhook paths was called
    path: str                      # the full path and query string, as the provider signed it
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Received:
    """What a webhook call carried, and what the provider expects as the answer."""

    inbounds: tuple[Inbound, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    status: int = 200
    body: str = ""
    media_type: str | None = None
    # Work for after the turns have committed (stop a pressed button's spinner), best effort.
    after: Callable[[], Awaitable[None]] | None = None


Handler = Callable[[list[Inbound]], Awaitable[None]]


class Channel(Protocol):
    """The face every channel shows the application, inbound and outbound."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    webhooks: ClassVar[tuple[str, ...]]  # the paths it receives on; channels of one provider share them
    loggers: ClassVar[tuple[str, ...]]  # its SDK's loggers, too chatty at INFO

    @classmethod
    def configured(cls, settings: Any) -> Self | None: ...
    def receive(self, call: WebhookCall) -> Received: ...
    async def send(self, message: Outbound) -> Sent: ...
    async def delete_messages(self, address: str, message_ids: Sequence[str]) -> None: ...
    async def forget(self, address: str, sent: Sequence[str], received: Sequence[str]) -> None: ...
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def run(self, public_url: str | None, handle: Handler, stop: asyncio.Event) -> None: ...
    async def register(self, public_url: str | None, *, delete: bool = False) -> str | None: ...


class ChannelBase:
    """What a channel does when it has nothing of its own to do: a subclass overrides the rest."""

    name: ClassVar[str] = ""
    capabilities: ClassVar[Capabilities] = Capabilities()
    webhooks: ClassVar[tuple[str, ...]] = ()
    loggers: ClassVar[tuple[str, ...]] = ()  # its SDK's loggers, too chatty at INFO

    @classmethod
    def configured(cls, settings: Any) -> Self | None:
        """The channel the settings describe, or None when they do not enable it."""
        return None

    def receive(self, call: WebhookCall) -> Received:
        raise BadRequest(f"{self.name or 'this channel'} receives no webhooks")

    async def send(self, message: Outbound) -> Sent:
        raise PermanentError(f"{self.name or 'this channel'} cannot send")

    async def delete_messages(self, address: str, message_ids: Sequence[str]) -> None:
        """Only channels whose capabilities say ``can_delete`` are asked."""

    async def forget(self, address: str, sent: Sequence[str], received: Sequence[str]) -> None:
        """After an erasure: remove what the provider still stores of these messages (by the
        provider's ids), where its API allows; a channel whose provider keeps nothing does
        nothing."""

    async def start(self) -> None:
        """Open connections on the running event loop."""

    async def close(self) -> None:
        """Close them again."""

    async def run(self, public_url: str | None, handle: Handler, stop: asyncio.Event) -> None:
        """Work the channel does for as long as the server runs (long polling, say)."""

    async def register(self, public_url: str | None, *, delete: bool = False) -> str | None:
        """Tell the provider where our webhook is, when it is told by API; what was done."""
        return None


def plain(secret: Any) -> str | None:
    """A setting's value whether it is a plain string or a secret that only ``reveal()`` shows."""
    if secret is None or isinstance(secret, str):
        return secret
    return str(secret.reveal())
