"""The console channel: talk to the bot in a terminal, rendered as a chosen channel would.

``intake chat --channel sms`` shows numbered menus (and what the message would cost in
segments); ``telegram`` and ``webchat`` show buttons in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from channels.base import Capabilities, Outbound, Sent

__all__ = ["ConsoleChannel", "render"]


def render(message: Outbound, style: str, segments: Callable[[str], int] | None = None) -> str:
    """The text a person would see on the given channel style."""
    text = message.text
    if style == "sms":
        if message.options:
            text += "\n" + "\n".join(f"{i} {o.label}" for i, o in enumerate(message.options, 1))
        if segments is not None:
            count = segments(text)
            text += f"\n  ({count} SMS segment{'s' if count != 1 else ''})"
    elif message.options:
        text += "\n" + "  ".join(f"[{o.label}]" for o in message.options)
    if message.rtl:
        # Right-to-left text in a left-to-right terminal: an RLM keeps punctuation in place.
        text = "\n".join("\u200f" + line for line in text.split("\n"))
    return text


class ConsoleChannel:
    """Writes each outbound message to a terminal."""

    name: ClassVar[str] = "console"
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, max_length=4096)

    def __init__(
        self,
        write: Callable[[str], None],
        style: str = "webchat",
        segments: Callable[[str], int] | None = None,
    ) -> None:
        self.write = write
        self.style = style
        self.segments = segments

    async def send(self, message: Outbound) -> Sent:
        self.write(render(message, self.style, self.segments))
        return Sent(provider_ids=(), segments=1)
