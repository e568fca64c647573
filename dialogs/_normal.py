"""Text normalisation shared by the answer parsers, the place index and the command matcher.

Everything that compares what a person typed with a word list goes through ``normalize`` on
both sides, so the lists can be written naturally (with accents) and still match "nao", "NÃO"
or "não!".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["has_cjk", "normalize", "tokens"]

# Only the Latin/Greek/Cyrillic combining diacritics are dropped. Devanagari, Gurmukhi, Bengali
# and Arabic use combining marks as real letters (vowel signs), so they must be kept.
_DIACRITICS = range(0x0300, 0x0370)


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat[0] in "PS" or cat == "Zs" or ch in "\t\n\r":
        return " "
    if cat == "Nd":
        # Devanagari, Arabic-Indic, Bengali, Gurmukhi... digits become ASCII digits.
        return str(unicodedata.decimal(ch))
    return ch


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Case-fold, drop Latin accents, turn punctuation into spaces, ASCII digits, one space."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if ord(c) not in _DIACRITICS)
    folded = unicodedata.normalize("NFC", folded)
    return " ".join("".join(_fold_char(c) for c in folded).split())


def tokens(text: str) -> list[str]:
    """The words of an already normalised text."""
    return text.split()


def has_cjk(text: str) -> bool:
    """Whether the text contains Chinese characters (written without spaces between words)."""
    return any("\u4e00" <= c <= "\u9fff" for c in text)
