"""Global commands a person can send at any point (help, restart, language, person, stop,
erase, exit, info, privacy, withdraw), in every supported language at once.

A command is the whole message, politeness aside ("stop", "/stop", "pare por favor"), so "stop"
inside a sentence is not one. The words are data: ``[commands]`` in each locale's words.toml,
where ``intake locales check`` makes sure no answer word is also a command.
"""

from __future__ import annotations

from dialogs.words import everywhere
from locales.text import normalize, tokens

__all__ = ["match_command"]


def match_command(text: str) -> str | None:
    """The command a whole message names, or None."""
    units = tokens(normalize(text))
    if not units:
        return None
    every = everywhere()
    found = every.commands.whole(units)
    if found is None:
        kept = [u for u in units if u not in every.ignore_units]
        # Politeness aside ("stop please"), but never down to a two-letter code of another
        # language: "td bom" is Portuguese for "all good", not Chinese SMS "TD" (unsubscribe).
        short_code = "".join(kept).isascii() and len("".join(kept)) <= 2
        if kept and len(kept) < len(units) and not short_code:
            found = every.commands.whole(kept)
    return str(found.label) if found is not None else None
