"""Text folding shared by everything that compares what a person typed with a word list.

Both sides go through ``normalize``: the lists in ``words.toml`` are written naturally (accents,
any script) and still match "nao", "NÃO", "não!", "हां" for "हाँ" or "انا" for "أنا".
``tokens`` splits a folded text into the units the matchers walk: words, and single characters
for Chinese, which is written without spaces.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["has_han", "normalize", "tokens"]

# Latin, Greek and Cyrillic combining accents are dropped ("não" -> "nao", "ș" -> "s", "й" ->
# "и": lists and answers fold alike). Indic vowel signs are combining marks too, but real
# letters: kept.
_LATIN_ACCENTS = range(0x0300, 0x0370)
# What people type interchangeably in one script, folded to one form:
_FOLD = str.maketrans({
    # Arabic script: hamza forms of alef, alef maqsura, ta marbuta, and the Arabic and Urdu
    # shapes of kaf, yeh and heh (one phone's keyboard writes ك, another's ک).
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ئ": "ی", "ك": "ک", "ة": "ه",
    "ہ": "ه", "ۀ": "ه", "ۃ": "ه",
    # Devanagari, Bengali, Gurmukhi: chandrabindu and anusvara ("हाँ" / "हां"), tippi and bindi.
    "\u0901": "\u0902", "\u0981": "\u0982", "\u0a70": "\u0a02", "\u0a01": "\u0a02",
})
# Dropped entirely: Arabic harakat and tatweel, Indic nuktas (ज़ / ज), zero-width joiners,
_DROP = frozenset(
    [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x093C, 0x09BC, 0x0A3C, 0x200B, 0x200C, 0x200D,
     0x2060, 0xFEFF, 0xFE0F, *range(0x1F3FB, 0x1F400)]  # emoji variation and skin tones too
)


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat == "So" and ord(ch) >= 0x2000:
        return f" {ch} "  # an emoji is a word of its own: 👍 answers a question
    if cat[0] in "PS" or cat == "Zs" or ch in "\t\n\r":
        return " "
    if cat == "Nd":
        # Devanagari, Arabic-Indic, Bengali, Gurmukhi... digits become ASCII digits.
        return str(unicodedata.decimal(ch))
    return ch


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Case-fold, drop Latin accents, fold script variants, punctuation to spaces, ASCII
    digits, one space between words."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if ord(c) not in _LATIN_ACCENTS and ord(c) not in _DROP)
    folded = unicodedata.normalize("NFC", folded).translate(_FOLD)
    return " ".join("".join(_fold_char(c) for c in folded).split())


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def has_han(text: str) -> bool:
    """Whether the text contains Chinese characters."""
    return any(_is_han(c) for c in text)


@lru_cache(maxsize=8192)
def tokens(norm: str) -> tuple[str, ...]:
    """The units of an already normalised text: its words, each Chinese character on its own."""
    out: list[str] = []
    for word in norm.split():
        if not has_han(word):
            out.append(word)
            continue
        run = ""
        for ch in word:
            if _is_han(ch):
                if run:
                    out.append(run)
                    run = ""
                out.append(ch)
            else:
                run += ch
        if run:
            out.append(run)
    return tuple(out)
