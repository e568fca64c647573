"""The conversation's language, resolved once per message and remembered on the conversation."""

from __future__ import annotations

from typing import Protocol

import locales
from channels.base import Inbound
from locales.resolve import SWITCH_WORDS

__all__ = ["ConversationState", "LanguagePolicy"]


class ConversationState(Protocol):
    """What the policy reads of a conversation (an ORM object or the turn's row)."""

    @property
    def language(self) -> str | None: ...

    @property
    def state(self) -> str: ...


class LanguagePolicy:
    """An explicit choice wins; then what the person wrote; then what we know; else the menu."""

    def choose(self, conversation: ConversationState, inbound: Inbound, explicit: str | None) -> str | None:
        explicit = explicit or inbound.meta.get("language")
        current = conversation.language
        if (not explicit and current in locales.SUPPORTED and conversation.state
                and len(inbound.text.split()) < SWITCH_WORDS):
            # Mid-conversation, a short answer ("yes", "Lisboa") never switches the language
            # (locales.resolve), so there is nothing to detect: most turns skip lingua.
            return current
        phone = inbound.address if inbound.channel in ("sms", "whatsapp") else None
        hint = inbound.locale_hint if inbound.channel == "telegram" else None
        resolution = locales.resolve(
            explicit=explicit,
            text=inbound.text if inbound.kind == "text" else "",
            current=conversation.language,
            telegram_code=hint,
            phone=phone,
            ongoing=bool(conversation.state),
        )
        # None: no choice, no confident detection, no hint; the dialog offers the menu.
        return resolution.locale or conversation.language
