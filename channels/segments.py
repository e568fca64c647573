"""SMS segment counter: how many billed parts a text becomes (GSM-7 or UCS-2).

A single character outside the GSM 03.38 alphabet switches the whole message to UCS-2, so most
Portuguese (ã, ç, õ ...) costs 70/67 characters per segment instead of 160/153. Counting here,
before sending, lets the engine keep prompts short and report what a message cost.
See TECH_NOTES.md §2.7 for the tables and the measured examples.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

__all__ = ["cheapest", "count_segments", "encoding", "fold_to_gsm", "split_segments", "units"]

Encoding = Literal["GSM-7", "UCS-2"]

# GSM 03.38 basic table, 0x00-0x7F in order, without ESC (0x1B). Note: capital Ç only (0x09);
# lowercase ç is not GSM-7, although an old Unicode mapping file said so.
_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each character is sent as ESC + code, so it costs two septets.
_EXTENDED = frozenset("\f^{}\\[~]|€")

# (one segment, per segment when concatenated): concatenation spends room on a 6-byte header.
_LIMITS: dict[Encoding, tuple[int, int]] = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


def encoding(text: str) -> Encoding:
    """The encoding an SMS carrying ``text`` needs."""
    if all(ch in _BASIC or ch in _EXTENDED for ch in text):
        return "GSM-7"
    return "UCS-2"


def _cost(ch: str, enc: Encoding) -> int:
    if enc == "GSM-7":
        return 2 if ch in _EXTENDED else 1
    return 2 if ord(ch) > 0xFFFF else 1  # astral characters are a UTF-16 surrogate pair


def units(text: str) -> int:
    """Length in the units SMS counts: septets (GSM-7) or UTF-16 code units (UCS-2)."""
    enc = encoding(text)
    return sum(_cost(ch, enc) for ch in text)


def split_segments(text: str) -> list[str]:
    """The parts a phone receives, in order; ``[]`` for an empty text.

    Packing is greedy by whole characters, so an escape pair or a surrogate pair is never cut
    in two: a part may then hold one unit less than the limit, as on a real handset.
    """
    if not text:
        return []
    enc = encoding(text)
    single, multi = _LIMITS[enc]
    if units(text) <= single:
        return [text]
    parts: list[str] = []
    start, used = 0, 0
    for i, ch in enumerate(text):
        cost = _cost(ch, enc)
        if used + cost > multi:
            parts.append(text[start:i])
            start, used = i, 0
        used += cost
    parts.append(text[start:])
    return parts


def count_segments(text: str) -> int:
    """How many segments ``text`` is billed as (0 for an empty text)."""
    return len(split_segments(text))


# Typographic characters with a plain GSM-7 twin (what Twilio's "smart encoding" also does).
_TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                              "‚": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " ", "\u200f": "",
                              "\u200e": ""})


def fold_to_gsm(text: str) -> str | None:
    """The text in GSM-7 with accents dropped where GSM-7 lacks them ("não" -> "nao"), or None
    when some character has no Latin base letter (any non-Latin script)."""
    out = []
    for ch in text.translate(_TYPOGRAPHIC):
        if ch in _BASIC or ch in _EXTENDED:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if not base or any(c not in _BASIC for c in base):
            return None
        out.append(base)
    return "".join(out)


def cheapest(text: str) -> str:
    """The text as it should go by SMS: folded to GSM-7 only when that costs fewer segments.

    Portuguese, Romanian or Spanish written without some accents stays readable (people text
    that way), and a UCS-2 message costs 2-3 times as many segments; a text that fits either
    way keeps its accents.
    """
    if encoding(text) == "GSM-7":
        return text
    folded = fold_to_gsm(text)
    if folded is not None and count_segments(folded) < count_segments(text):
        return folded
    return text
