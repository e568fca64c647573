"""The language-choice policy: which locale to answer one inbound message in.

Pure: the caller passes everything it knows (the stored language, the Telegram code, the
phone number) and stores the result on the conversation. Order of trust:
explicit choice > confident detection of the text > stored language > Telegram
language_code > phone country > the language menu (locale None).
In an ongoing conversation short or ambiguous text never switches the language; a confident
but not overwhelming detection only produces `ask` (a "did you mean ...?" prompt).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from locales.detect import MIN_WORDS, Detection, detect
from locales.negotiate import SUPPORTED, language_for_phone, negotiate

ADOPT = 0.8  # a new conversation takes a detection this sure without asking
SWITCH = 0.9  # an ongoing conversation switches only when this sure...
SWITCH_WORDS = 5  # ...and the message is at least this long
OFFER = 0.5  # below this a detection is not even worth a "did you mean" prompt


@dataclass(frozen=True)
class Resolution:
    """locale None means: show the language menu. ask: a locale to offer ("did you mean"),
    or with the menu, the guess to list first. reason: explicit | detected | detected+hint |
    detected-switch | current | telegram | phone | menu (log it; tests assert on it)."""

    locale: str | None
    reason: str
    ask: str | None = None


def family(locale: str | None) -> str | None:
    """pt and pt_BR are one language for switching purposes."""
    return "pt" if locale == "pt_BR" else locale


def _words(text: str) -> int:
    return len(text.split())


def resolve(
    explicit: str | None,
    text: str,
    current: str | None,
    telegram_code: str | None,
    phone: str | None,
    ongoing: bool,
    *,
    detector: Callable[[str], Detection | None] = detect,
) -> Resolution:
    """Decide the locale for this message. `detector` is injectable so tests can skip lingua."""
    chosen = explicit if explicit in SUPPORTED else negotiate(explicit)
    if chosen:
        return Resolution(chosen, "explicit")
    current = current if current in SUPPORTED else None
    hint = current or negotiate(telegram_code) or language_for_phone(phone)
    found = detector(text) if text and text.strip() else None
    if found is not None and found.locale not in SUPPORTED:
        found = None

    if found is not None and ongoing and current is not None:
        return _ongoing(found, text, current)
    if found is not None and found.confidence >= ADOPT:
        return Resolution(found.locale, "detected")
    if found is not None and found.alternatives and found.confidence >= OFFER:
        # The family is known, the variant is not (plain Portuguese, romanised Hindustani):
        # a hint naming one of the variants settles it; otherwise take the guess and offer.
        variants = (found.locale, *found.alternatives)
        if hint in variants:
            return Resolution(hint, "detected+hint")
        if found.method != "romanised":
            return Resolution(found.locale, "detected", ask=found.alternatives[0])
    offer = found.locale if found is not None and found.confidence >= OFFER else None
    for locale, reason in (
        (current, "current"),
        (negotiate(telegram_code), "telegram"),
        (language_for_phone(phone), "phone"),
    ):
        if locale:
            return Resolution(
                locale, reason, ask=offer if family(offer) != family(locale) else None
            )
    # Nothing trustworthy: the menu, with the weak guess (if any) offered first.
    return Resolution(None, "menu", ask=found.locale if found is not None else None)


def _ongoing(found: Detection, text: str, current: str) -> Resolution:
    if family(found.locale) == family(current):
        # Same language; never flip pt <-> pt_BR mid-conversation on wording alone.
        return Resolution(current, "current")
    long_enough = _words(text) >= SWITCH_WORDS
    if found.confidence >= SWITCH and long_enough and not found.alternatives:
        return Resolution(found.locale, "detected-switch")
    if found.confidence >= OFFER and (_words(text) >= MIN_WORDS or found.method == "script"):
        return Resolution(current, "current", ask=found.locale)
    return Resolution(current, "current")
