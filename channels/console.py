"""The console channel: talk to the bot in a terminal, rendered as a chosen channel would.

A channel without buttons shows numbered menus, and one priced per segment what each message
would cost; a channel with buttons shows them in brackets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from channels.base import Capabilities, ChannelBase, Outbound, Sent

__all__ = ["ConsoleChannel", "render"]

BUTTONS = Capabilities(buttons=True)


def render(message: Outbound, like: Capabilities, segments: Callable[[str], int] | None = None) -> str:
    """The text a person would see on a channel with these capabilities."""
    text = message.text
    if not like.buttons:
        if message.options:
            text += "\n" + "\n".join(f"{i} {o.label}" for i, o in enumerate(message.options, 1))
        if segments is not None and like.priced_per_segment:
            count = segments(text)
            text += f"\n  ({count} SMS segment{'s' if count != 1 else ''})"
    elif message.options:
        text += "\n" + "  ".join(f"[{o.label}]" for o in message.options)
    if message.rtl:
        # Right-to-left text in a left-to-right terminal: an RLM keeps punctuation in place.
        text = "\n".join("\u200f" + line for line in text.split("\n"))
    return text


class ConsoleChannel(ChannelBase):
    """Writes each outbound message to a terminal."""

    name: ClassVar[str] = "console"
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, max_length=4096)

    def __init__(
        self,
        write: Callable[[str], None],
        like: Capabilities = BUTTONS,
        segments: Callable[[str], int] | None = None,
    ) -> None:
        self.write = write
        self.like = like
        self.segments = segments

    async def send(self, message: Outbound) -> Sent:
        self.write(render(message, self.like, self.segments))
        return Sent(provider_ids=(), segments=1)
