"""The web chat channel: replies are kept in the database and fetched by the page.

Delivery is therefore a no-op: the page receives a turn's replies in the HTTP response, and
later ones (a caseworker's) by asking ``GET .../messages?after=ID``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from channels.base import Capabilities, ChannelBase, Outbound, Sent

__all__ = ["WebChatChannel"]


class WebChatChannel(ChannelBase):
    """Marks web chat messages delivered; the page reads them itself."""

    name: ClassVar[str] = "webchat"
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, max_length=4096, title="web chat")

    @classmethod
    def configured(cls, settings: Any) -> Self:
        return cls()  # always on: the page is part of the app

    async def send(self, message: Outbound) -> Sent:
        return Sent(provider_ids=(), segments=1)
