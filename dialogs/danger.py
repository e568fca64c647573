"""Danger heard in a message, by meaning: concepts (confinement, documents taken, violence,
threats, sexual violence, forced work or debt, a child alone, a plea, immediate danger), each
with cues per language as data (``[danger]`` in each locale's words.toml).

Every message is checked against every language's cues at once: a person in danger may write
in any language, before we know which. A cue is its words in order with a few others allowed
between them; it does not count when the language's own negation comes just before it ("I am
not in danger", "ninguém me bateu") or, where the negation follows the verb, just after. The
cues are indexed by their first word, so a check costs a few dictionary look-ups per word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dialogs.lexicon import Found, _slots_at
from dialogs.words import Everywhere, everywhere
from locales.text import normalize, tokens

__all__ = ["Alarm", "danger", "is_danger"]

NEGATION_BEFORE = 4  # words between a negation and the cue it cancels ("not really in any danger")
NEGATION_AFTER = 2


@dataclass(frozen=True, slots=True)
class Alarm:
    """Danger heard: the concept, the language of the cue, and the cue as written."""

    concept: str
    locale: str
    cue: str


def _own_units(cue: Found) -> frozenset[str]:
    return frozenset(u for slot in cue.pattern.slots for alt in slot for u in alt.units)


def _negated(cue: Found, units: Sequence[str], clauses: Sequence[int], locale: str,
             every: Everywhere) -> bool:
    """A negation of the cue's own language, in the same clause, just before it (or just
    after, where the negation follows the verb), or between its words."""
    negations = every.negations.get(locale)
    if negations is None or not negations.size:
        return False
    found_all = negations.all(units)
    if any(cue.start <= f.start < cue.end and units[f.start] in _own_units(cue) for f in found_all):
        # A cue that says its own "not" ("não me deixam sair") is a negative state already: a
        # "not" before it belongs to something else ("não me pagam e não me deixam sair").
        return False
    for found in found_all:
        if clauses[found.start] not in (clauses[cue.start], clauses[cue.end - 1]):
            continue  # "nobody helps me, he beats me": another clause
        if cue.start <= found.start < cue.end:
            if units[found.start] in _own_units(cue):
                continue  # the cue's own negation: "won't let me leave"
            return True  # between the cue's words: "je ne suis pas en danger"
        if found.end <= cue.start and cue.start - found.end <= NEGATION_BEFORE:
            return True
        if (locale in every.negation_after and found.start >= cue.end
                and found.start - cue.end <= NEGATION_AFTER):
            return True
    return False


def _whole(cue: Found, units: Sequence[str], every: Everywhere) -> bool:
    """A "=" cue: its words, side by side, and nothing else but politeness ("help me
    please" is a plea; "help me understand the programme" is not)."""
    own = _own_units(cue)
    kept = [u for u in units if u not in every.ignore_units or u in own]
    return bool(kept) and _slots_at(cue.pattern.slots, kept, 0, 0) == len(kept)


def _ordinary(cue: Found, ordinary: Sequence[Found]) -> bool:
    """A phrase that only sounds like danger overlaps the cue or touches it, a particle apart
    at most ("vreau să mor" + "acasă": an old man who wants to die at home; "embassy ne" +
    "passport jama kar liya": a renewal)."""
    return any(o.start <= cue.end + 1 and o.end >= cue.start - 1 for o in ordinary)


_CLAUSE = re.compile(r"[,.;:!?\n()，。！？；：、،؛؟۔]+")


def _clauses(text: str, every: Everywhere) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The message's units, and the clause each is in: punctuation and "but" end a clause."""
    units: list[str] = []
    clause_of: list[int] = []
    clause = 0
    for part in _CLAUSE.split(text):
        for unit in tokens(normalize(part)):
            if unit in every.but_units:
                clause += 1
            units.append(unit)
            clause_of.append(clause)
        clause += 1
    return tuple(units), tuple(clause_of)


@lru_cache(maxsize=4096)
def danger(text: str) -> Alarm | None:
    """The danger a message signals, or None."""
    every = everywhere()
    units, clauses = _clauses(text, every)
    if not units:
        return None
    found = every.danger.all(units)
    if not found:
        return None
    ordinary = every.ordinary.all(units)
    pleas: set[int] = set()  # the words of whole-message cues found among other words
    starts: set[int] = set()
    for cue in found:
        concept, locale = cue.label
        if cue.pattern.whole and not _whole(cue, units, every):
            own = _own_units(cue)
            pleas.update(i for i in range(cue.start, cue.end) if units[i] in own)
            starts.add(cue.start)
            continue
        if not _negated(cue, units, clauses, locale, every) and not _ordinary(cue, ordinary):
            return Alarm(concept, locale, cue.pattern.source)
    if len(starts) > 1 and all(i in pleas or u in every.ignore_units for i, u in enumerate(units)):
        # Pleas in two languages and nothing else: "help por favor ajuda", "help помогите".
        cue = next(c for c in found if c.pattern.whole)
        return Alarm(cue.label[0], cue.label[1], cue.pattern.source)
    return None


def is_danger(text: str) -> bool:
    """Whether a message says the person is in danger or pleads for help urgently."""
    return danger(text) is not None
