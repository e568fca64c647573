"""The conversation's language, resolved once per message and remembered on the conversation."""

from __future__ import annotations

import locales
from bot.models import Conversation
from channels.base import Inbound

__all__ = ["LanguagePolicy"]


class LanguagePolicy:
    """An explicit choice wins; then what the person wrote; then what we know; else the menu."""

    def choose(self, conversation: Conversation, inbound: Inbound, explicit: str | None) -> str | None:
        phone = inbound.address if inbound.channel in ("sms", "whatsapp") else None
        hint = inbound.locale_hint if inbound.channel == "telegram" else None
        resolution = locales.resolve(
            explicit=explicit or inbound.meta.get("language"),
            text=inbound.text if inbound.kind == "text" else "",
            current=conversation.language,
            telegram_code=hint,
            phone=phone,
            ongoing=bool(conversation.state),
        )
        # None: no choice, no confident detection, no hint; the dialog offers the menu.
        return resolution.locale or conversation.language
