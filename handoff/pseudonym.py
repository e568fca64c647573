"""A pseudonym for each person, so a team can speak of "Bamiro" rather than "case 412, no, 413".

Made from the contact's row id alone (never from an address or a name), through a fixed
bijection, so it is the same on every screen and for every case of the same person, and a
caseworker's search for it finds the person again. Three syllables give 343,000 names; beyond,
a number follows ("Bamiro-2").
"""

from __future__ import annotations

import re

__all__ = ["contact_of", "pseudonym"]

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]
_BASE = len(_SYLLABLES)
_SPACE = _BASE ** 3
# n -> (n * _MIX + _SHIFT) mod _SPACE spreads neighbouring ids over unlike names; _MIX is prime
# and divides neither 2, 5 nor 7, so the map is a bijection with an inverse.
_MIX, _SHIFT = 7919, 104729
_UNMIX = pow(_MIX, -1, _SPACE)
_SHAPE = re.compile(r"^([a-z]{6})(?:-(\d{1,6}))?$")


def pseudonym(contact_id: int) -> str:
    """The pseudonym of the contact with this id."""
    block, n = divmod(contact_id, _SPACE)
    code = (n * _MIX + _SHIFT) % _SPACE
    word = "".join(_SYLLABLES[(code // _BASE ** i) % _BASE] for i in (2, 1, 0))
    return word.capitalize() + (f"-{block + 1}" if block else "")


def contact_of(name: str) -> int | None:
    """The contact id a pseudonym stands for, or None when it is not one."""
    found = _SHAPE.match(name.strip().lower())
    if found is None:
        return None
    word, suffix = found.group(1), found.group(2)
    parts = [word[i:i + 2] for i in (0, 2, 4)]
    if any(p not in _SYLLABLES for p in parts) or suffix == "1" or (suffix or "1")[0] == "0":
        return None
    code = sum(_SYLLABLES.index(p) * _BASE ** i for p, i in zip(parts, (2, 1, 0), strict=True))
    block = int(suffix) - 1 if suffix else 0
    return block * _SPACE + ((code - _SHIFT) * _UNMIX) % _SPACE
