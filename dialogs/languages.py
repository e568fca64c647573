"""The language menu: each supported locale named in its own script, and free-text matching of
language names ("português", "hindi", "ukrainian", "ਪੰਜਾਬੀ", "BR") to locale codes.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from dialogs.base import Choice, Text
from dialogs.lexicon import PhraseIndex
from dialogs.words import everywhere
from locales.negotiate import SUPPORTED, native_name
from locales.text import normalize, tokens

__all__ = ["LANGUAGE_OPTIONS", "language_options", "parse_language"]

# Names are shown as they are in every language (not translated), so they are not N_-marked.
# Portuguese first: most people who ask about return are Brazilian (DOMAIN.md §6).
LANGUAGE_OPTIONS = tuple(Choice(code, Text(native_name(code))) for code in SUPPORTED)
_BY_CODE = {o.value: o for o in LANGUAGE_OPTIONS}


def language_options(shortlist: tuple[str, ...] = ()) -> tuple[Choice, ...]:
    """The whole menu, or the few languages a first message was close to (then English too)."""
    if not shortlist:
        return LANGUAGE_OPTIONS
    codes = [c for c in dict.fromkeys((*shortlist, "en")) if c in _BY_CODE]
    return tuple(_BY_CODE[c] for c in codes)


@lru_cache(maxsize=1)
def _names() -> PhraseIndex:
    names: list[tuple[str, str, int]] = []
    for code in SUPPORTED:
        # Bare codes ("hi", "es", "uk") are everyday words: only the names count.
        names.append((native_name(code), code, 2))
        for shown_in in (code, "en", "pt"):
            name = Locale.parse(code).get_display_name(Locale.parse(shown_in)) or ""
            names += [(name, code, 1), (name.split("(")[0], code, 1)]
    names += [("pt", "pt", 2), ("br", "pt_BR", 2), ("pt br", "pt_BR", 2)]
    names += [(entry, code, 3) for entry, code in everywhere().language_entries]
    return PhraseIndex((n, c, r) for n, c, r in names if tokens(normalize(n)))


def parse_language(text: str) -> str | None:
    """The locale a short message names ("português por favor", "in English", "اردو")."""
    units = tokens(normalize(text))
    if not units or len(units) > 4:
        return None
    found = _names().scan(units)
    if len(found) != 1:
        return None
    rest = [u for i, u in enumerate(units) if not found[0].start <= i < found[0].end]
    ignore = everywhere().ignore_units
    if sum(u not in ignore for u in rest) > 1:
        return None
    return str(found[0].label)
