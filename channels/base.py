"""Neutral message types and the one interface every channel implements.

A channel adapter translates between a provider's wire format and these types, and
delivers outbound messages. It holds no conversation state and imports nothing of ours.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Protocol

__all__ = [
    "BadRequest",
    "Capabilities",
    "Channel",
    "ChannelError",
    "Delivery",
    "Forbidden",
    "Inbound",
    "Option",
    "Outbound",
    "PermanentError",
    "RateLimited",
    "Sent",
    "TemporaryError",
    "Unreachable",
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

    buttons: bool = False          # inline buttons (Telegram, web chat)
    max_length: int = 4096         # longest single message the provider accepts
    priced_per_segment: bool = False  # SMS: every 160/70-character segment costs the person
    can_delete: bool = False       # the bot can delete what it sent (quick exit)


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


class Channel(Protocol):
    """The face every channel shows the engine."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    async def send(self, message: Outbound) -> Sent: ...
