"""Words about sharing a person's details with an organisation, in every language at once,
from each locale's words.toml ``[consent]``: ``withdraw``, cues that take back an agreement
anywhere in a message ("I changed my mind, don't send my data", "não quero mais que
partilhem os meus dados"), and ``share``, the words people agree with ("podem partilhar",
"bhej do", "можете передать").

The one-word command ('withdraw', 'retirar') works at any point, through the dialog.
Withdrawal in a person's own words is heard where it can only mean that: by the caseworker
side, from a person who has agreed (or been asked) to share, so that "no, I don't want you to
keep my data" answering the screening's own consent question stays an answer. It is never
mistaken for a "yes" either: the consent question's reader asks this first.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from dialogs.commands import match_command
from dialogs.lexicon import PhraseIndex
from dialogs.understand import read_polarity, unexplained
from dialogs.words import everywhere
from locales.negotiate import SUPPORTED
from locales.text import normalize, tokens
from locales.words import CUE_GAP, parse_pattern, words

__all__ = ["is_withdrawal", "plain_yes"]


@lru_cache(maxsize=2)
def _index(key: str, gap: int) -> PhraseIndex:
    every = everywhere()
    entries = [(parse_pattern(entry), w.locale) for w in (words(loc) for loc in SUPPORTED)
               for entry in w.consent.get(key, ())]
    return PhraseIndex(entries, gap=gap, common=frozenset(every.ignore_units | every.but_units))


@lru_cache(maxsize=4096)
def is_withdrawal(text: str) -> bool:
    """Whether the message takes back an agreement to share the person's details."""
    if match_command(text) == "withdraw":
        return True
    units = tokens(normalize(text))
    return bool(units) and bool(_index("withdraw", CUE_GAP).all(units))


def plain_yes(text: str, locale: str, names: Iterable[str] = ()) -> bool:
    """A yes and nothing else: answer words, politeness, words about sharing and the
    organisation's name. Anything more ("yes, you can call me") is for a person to read."""
    if read_polarity(text, locale) != "yes" or is_withdrawal(text):
        return False
    units, left = unexplained(text, locale)
    if not left:
        return True
    shared = {i for found in _index("share", 0).all(units) for i in range(found.start, found.end)}
    named = {u for name in names for u in tokens(normalize(name))}
    return all(i in shared or units[i] in named for i in left)
