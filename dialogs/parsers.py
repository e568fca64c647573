"""Answer parsing for every kind of question: a button, a menu number, or free text in the
conversation's language, turned into the value the intake record stores.

``PARSERS`` names the answer kinds a flow may declare and the ``expecting.type`` each shows
to channels. ``parse`` reads free text (dialogs.understand does the work); the menu comes
first in ``menu_choice``.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

from dialogs.base import Choice, Given
from dialogs.places import parse_country, parse_district
from dialogs.understand import DECLINE, UNSURE, Asked, Reading, read, read_polarity
from locales.text import normalize

__all__ = ["PARSERS", "Reading", "menu_choice", "parse"]

# answer kind -> the expecting.type shown to channels
PARSERS: dict[str, str] = {
    "yes_no": "yes_no",
    "yes_no_skip": "yes_no",
    "choice": "choice",
    "multi_choice": "multi_choice",
    "number": "number",
    "country": "country",
    "district": "text",  # 20 districts are too many for an SMS menu
    "text": "text",
    "phone": "text",
}
TEXT_MAX = 500
PHONE_REGION = "PT"  # a number written without a country code is Portuguese


def menu_choice(given: Given, options: tuple[Choice, ...]) -> str | None:
    """The option a button press or a numbered-menu reply ("2") picks, if any."""
    values = [o.value for o in options]
    if given.choice is not None and given.choice in values:
        return given.choice
    norm = normalize(given.text)
    if norm.isdigit() and 1 <= int(norm) <= len(options):
        return values[int(norm) - 1]
    if norm in values:
        return norm
    return None


def _unknown(text: str, q: Asked, locale: str) -> Reading | None:
    polarity = read_polarity(text, locale, q.state)
    if polarity == "unsure":
        return UNSURE
    if polarity == "decline":
        return DECLINE
    return None


def _place(text: str, q: Asked, locale: str) -> Reading | None:
    find = parse_country if q.answer == "country" else parse_district
    code = find(text, guess=False)
    if code is not None:
        return Reading(code)
    unknown = _unknown(text, q, locale)
    if unknown is not None:
        return unknown
    if q.options:  # "My own country", "I don't know"
        picked = read(text, _AsChoice(q.state, q.options), locale)
        if picked is not None:
            return picked if picked.value not in ("unknown", "unsure") else UNSURE
    code = find(text, guess=True)
    return Reading(code) if code is not None else None


def _phone(text: str, q: Asked, locale: str) -> Reading | None:
    """A phone number in any common spelling ("912 345 678", "+55 11 91234-5678"), as E.164."""
    for match in phonenumbers.PhoneNumberMatcher(text, PHONE_REGION):
        if phonenumbers.is_possible_number(match.number):
            return Reading(phonenumbers.format_number(match.number,
                                                      phonenumbers.PhoneNumberFormat.E164))
    return _unknown(text, q, locale)


@dataclass(frozen=True, slots=True)
class _AsChoice:
    """A place question's extra options ("My own country"), read like a choice."""

    state: str
    options: tuple[Choice, ...]
    answer: str = "choice"
    negative: str | None = None
    plain: tuple[str, ...] = ()
    under_age: int | None = None


def parse(q: Asked, text: str, locale: str) -> Reading | None:
    """What free text answers to ``q`` in a conversation in ``locale``, or None."""
    if q.answer in ("country", "district"):
        return _place(text, q, locale)
    if q.answer == "phone":
        return _phone(text, q, locale)
    if q.answer == "text":
        clean = " ".join(text.split())
        return Reading(clean[:TEXT_MAX]) if clean else None
    return read(text, q, locale)
