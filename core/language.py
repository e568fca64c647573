"""The conversation's language, resolved once per message and remembered on the conversation.

What the person writes outranks what their device says (locales.resolve): the web page's
language, Telegram's ``language_code`` and the phone's country are priors, and the first
message that says more decides, unless the person chose a language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import locales
from channels.base import Inbound
from channels.registry import capabilities
from locales.detect import MIN_WORDS, by_word_lists
from locales.resolve import ADOPT, SWITCH_WORDS, family

__all__ = ["Chosen", "ConversationState", "LanguagePolicy"]

SETTLED = frozenset({"explicit", "text"})


class ConversationState(Protocol):
    """What the policy reads of a conversation (an ORM object or the turn's row)."""

    @property
    def language(self) -> str | None: ...

    @property
    def language_source(self) -> str | None: ...

    @property
    def state(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Chosen:
    """The language for this message. ``locale`` None: show the language menu (``shortlist``:
    only these). ``source``: how it was set (explicit | text | prior), None if as it was.
    ``offer``: a close alternative worth one line (pt / pt_BR, hi / ur)."""

    locale: str | None
    source: str | None = None
    offer: str | None = None
    shortlist: tuple[str, ...] = ()


def settled(conversation: ConversationState) -> bool:
    """Chosen or detected; conversations from before the source was kept count as settled."""
    source = conversation.language_source
    return source in SETTLED or (source is None and bool(conversation.language)
                                 and bool(conversation.state))


class LanguagePolicy:
    """An explicit choice wins; then what the person wrote; then what we know; else the menu."""

    def choose(self, conversation: ConversationState, inbound: Inbound, explicit: str | None) -> Chosen:
        if not explicit and inbound.meta.get("language_chosen"):
            explicit = inbound.meta.get("language")
        current = conversation.language
        is_settled = settled(conversation)
        words = len(inbound.text.split())
        if not explicit and current in locales.SUPPORTED and conversation.state:
            # Mid-conversation, a short answer ("yes", "Lisboa") never switches a settled
            # language (locales.resolve), so there is nothing to detect: most turns skip lingua.
            if is_settled and words < SWITCH_WORDS:
                return Chosen(current)
            if not is_settled and words < MIN_WORDS:
                # A prior's language: one or two words switch it only when the word lists
                # say so ("sim" on a page opened in English).
                found = by_word_lists(inbound.text, current) if inbound.kind == "text" else None
                if found is not None and found.confidence >= ADOPT and \
                        family(found.locale) != family(current):
                    return Chosen(found.locale, "text")
                return Chosen(current)
        can = capabilities(inbound.channel)
        phone = inbound.address if can.phone_address else None
        resolution = locales.resolve(
            explicit=explicit,
            text=inbound.text if inbound.kind == "text" else "",
            current=current,
            device_code=inbound.locale_hint,
            phone=phone,
            ongoing=bool(conversation.state),
            settled=is_settled,
            page=inbound.meta.get("language"),
            shortlist_romanised=can.priced_per_segment,
        )
        if resolution.locale is None:
            # The menu; a conversation that already has a language keeps it meanwhile.
            return Chosen(current, None, resolution.ask, resolution.shortlist) if current and \
                not resolution.shortlist else Chosen(None, None, resolution.ask, resolution.shortlist)
        return Chosen(resolution.locale, resolution.source, resolution.ask, resolution.shortlist)
