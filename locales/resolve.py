"""The language-choice policy: which locale to answer one inbound message in.

Pure: the caller passes everything it knows and stores the result on the conversation. What the
person writes outranks what their device says:

    explicit choice > what they wrote (detected) > the conversation's language
                    > priors: the web page's language, Telegram's language_code, the phone's
                      country > the language menu (locale None)

A language taken from a prior is not settled: the first message that says more decides. Once a
language is settled (chosen, or detected in what the person wrote), short or ambiguous text
never switches it; a long and clear message in another language does, and a medium one only
earns a "did you mean" offer.

The thresholds come from the first-message corpus (tests/corpora/first_messages, scored by
``python -m bench understanding``): ADOPT is where exact accuracy with the device set to
another language peaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from locales.detect import MIN_WORDS, Detection, could_be, detect, written_in
from locales.negotiate import SUPPORTED, language_for_phone, negotiate

ADOPT = 0.3  # what the person wrote replaces a prior from this confidence on (see module doc)
SWITCH = 0.9  # a settled conversation switches only when this sure...
SWITCH_WORDS = 5  # ...and the message is at least this long
OFFER = 0.5  # below this a detection is not even worth a "did you mean" offer
SHORTLIST = 4  # languages in the short menu for a romanised South Asian first SMS


@dataclass(frozen=True)
class Resolution:
    """locale None means: show the language menu (``shortlist``: only these languages).
    ask: a close alternative to offer in one line ("did you mean"), or with the menu, the
    guess to list first. reason: explicit | detected | detected+hint | detected-switch |
    current | page | device (the app's language setting) | phone | menu (log it; tests assert on it)."""

    locale: str | None
    reason: str
    ask: str | None = None
    shortlist: tuple[str, ...] = ()

    @property
    def source(self) -> str | None:
        """How settled the language now is: explicit | text | prior (None: unchanged)."""
        if self.reason == "explicit":
            return "explicit"
        if self.reason.startswith("detected"):
            return "text"
        if self.reason in ("page", "device", "phone"):
            return "prior"
        return None


def family(locale: str | None) -> str | None:
    """pt and pt_BR are one language for switching purposes."""
    return "pt" if locale == "pt_BR" else locale


def _words(text: str) -> int:
    return len(text.split())


def resolve(
    explicit: str | None,
    text: str,
    current: str | None,
    device_code: str | None,
    phone: str | None,
    ongoing: bool,
    *,
    settled: bool = True,
    page: str | None = None,
    shortlist_romanised: bool = False,
    detector: Callable[[str], Detection | None] = detect,
) -> Resolution:
    """Decide the locale for this message.

    ``settled``: the current language was chosen or detected (not taken from a prior).
    ``shortlist_romanised``: a romanised South Asian message gets a short menu instead of a
    guess (SMS, where a wrong language costs the person money). ``detector`` is injectable so
    tests can skip lingua."""
    chosen = explicit if explicit in SUPPORTED else negotiate(explicit)
    if chosen:
        return Resolution(chosen, "explicit")
    current = current if current in SUPPORTED else None
    priors = [(loc, reason) for loc, reason in ((negotiate(page), "page"),
                                                 (negotiate(device_code), "device"),
                                                 (language_for_phone(phone), "phone")) if loc]
    found = detector(text) if text and text.strip() else None
    if found is not None and found.locale not in SUPPORTED:
        found = None

    if current is not None and ongoing and settled:
        return _ongoing(found, text, current)
    if found is not None and found.confidence >= ADOPT:
        variants = (found.locale, *found.alternatives)
        if found.method == "romanised" and shortlist_romanised:
            hinted = [loc for loc, _ in priors if loc in variants]
            if hinted:
                return Resolution(hinted[0], "detected+hint")
            return Resolution(None, "menu", ask=found.locale, shortlist=variants[:SHORTLIST])
        if found.alternatives:
            # The family is known, the variant is not (plain Portuguese, romanised Hindustani):
            # what we already know names one variant, or we take the guess and offer the other.
            for hint in (current, *(loc for loc, _ in priors)):
                if hint in variants:
                    return Resolution(hint, "detected+hint")
            return Resolution(found.locale, "detected", ask=found.alternatives[0])
        return Resolution(found.locale, "detected")
    known = [loc for loc in (current, *(loc for loc, _ in priors)) if loc]
    if found is not None and known:
        script = written_in(text)
        if not any(could_be(loc, script) for loc in known):
            # "алло" on an English phone: a weak guess in the text's own script beats a prior
            # it cannot be written in.
            ask = found.alternatives[0] if found.alternatives else None
            return Resolution(found.locale, "detected", ask=ask)
    offer = found.locale if found is not None and found.confidence >= OFFER else None
    for locale, reason in ((current, "current"), *priors):
        if locale:
            return Resolution(
                locale, reason, ask=offer if family(offer) != family(locale) else None
            )
    # Nothing trustworthy: the menu, with the weak guess (if any) offered first.
    return Resolution(None, "menu", ask=found.locale if found is not None else None)


def _ongoing(found: Detection | None, text: str, current: str) -> Resolution:
    if found is None or family(found.locale) == family(current):
        # Same language; never flip pt <-> pt_BR mid-conversation on wording alone.
        return Resolution(current, "current")
    long_enough = _words(text) >= SWITCH_WORDS
    if found.confidence >= SWITCH and long_enough and not found.alternatives:
        return Resolution(found.locale, "detected-switch")
    if found.confidence >= OFFER and (_words(text) >= MIN_WORDS or found.method == "script"):
        return Resolution(current, "current", ask=found.locale)
    return Resolution(current, "current")
