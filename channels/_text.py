"""Splitting long texts into messages at clean boundaries (paragraph, line, sentence, word)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["split_text", "utf16_len"]

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
