"""Every channel the application knows, in one list: the app builds the ones the settings
enable, and everything else asks a channel's capabilities by name instead of naming it.

Adding a channel is a module in this package and one line in ``KINDS``.
"""

from __future__ import annotations

from typing import Any

from channels.base import Capabilities, Channel
from channels.telegram import TelegramChannel
from channels.twilio import SmsChannel, WhatsAppChannel
from channels.webchat import WebChatChannel

__all__ = ["KINDS", "NAMES", "capabilities", "dearest", "enabled", "library_loggers"]


KINDS: tuple[type[Channel], ...] = (WebChatChannel, TelegramChannel, SmsChannel, WhatsAppChannel)
NAMES: tuple[str, ...] = tuple(kind.name for kind in KINDS)
_CAPABILITIES = {kind.name: kind.capabilities for kind in KINDS}
_ELSEWHERE = Capabilities()  # the terminal chat, tests' own names: nothing is paid or windowed


def capabilities(name: str) -> Capabilities:
    """What the channel of this name can do; an unknown name gets plain defaults."""
    return _CAPABILITIES.get(name, _ELSEWHERE)


def dearest() -> Capabilities:
    """The capabilities of the first channel that costs the person per segment (for previews)."""
    return next((caps for caps in _CAPABILITIES.values() if caps.priced_per_segment), _ELSEWHERE)


def library_loggers() -> tuple[str, ...]:
    """The channels' SDK loggers, which log every request at INFO."""
    return tuple(dict.fromkeys(name for kind in KINDS for name in kind.loggers))


def enabled(settings: Any) -> dict[str, Channel]:
    """The channels the settings enable, by name."""
    found: dict[str, Channel] = {}
    for kind in KINDS:
        channel = kind.configured(settings)
        if channel is not None:
            found[kind.name] = channel
    return found
