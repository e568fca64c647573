"""Splitting long texts into messages at clean boundaries (paragraph, line, sentence, word),
and cleaning text that arrived as JSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["split_text", "utf16_len", "without_surrogates"]

_SURROGATE = re.compile("[\ud800-\udfff]")

# Boundaries in order of preference. A cut at a weaker boundary near the limit beats a cut at a
# stronger one early in the text, which would leave a stub of a message; hence the minimum fill.
# Each boundary with how many of its characters stay on the first part (a sentence keeps its stop).
_BOUNDARIES = (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0))
_MIN_FILL = 0.5


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: what Telegram counts, and never less than ``len``."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, size: Callable[[str], int] = utf16_len) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` (measured by ``size``), cut cleanly."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    text = text.strip()
    parts: list[str] = []
    while size(text) > limit:
        fit = _longest_prefix(text, limit, size)
        cut = _clean_cut(text[:fit], limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _longest_prefix(text: str, limit: int, size: Callable[[str], int]) -> int:
    """Number of characters of ``text`` that fit in ``limit`` (binary search; size is monotonic)."""
    lo, hi = 1, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(text[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _clean_cut(head: str, limit: int) -> int:
    for boundary, keep in _BOUNDARIES:
        at = head.rfind(boundary)
        if at > 0 and (at >= len(head) * _MIN_FILL or boundary == " "):
            return at + keep
    return len(head)  # one unbroken word longer than the limit: a hard cut is all that is left


def without_surrogates(value: Any) -> Any:
    """``value`` (parsed JSON) with every lone surrogate ("\\ud800", which JSON allows and UTF-8
    cannot hold) in its strings replaced by U+FFFD: kept as it is, the message could not be
    stored or encrypted; replaced, what the person wrote is still received."""
    if type(value) is str:
        return value if value.isascii() or not _SURROGATE.search(value) else _SURROGATE.sub("\ufffd", value)
    if type(value) is dict:
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    if type(value) is list:
        return [without_surrogates(v) for v in value]
    return value
