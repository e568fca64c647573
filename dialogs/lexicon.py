"""Word lists compiled for matching: find a locale's entries in what a person typed.

``PhraseIndex`` holds parsed entries (locales.words syntax) with a label each and finds them in
a message's units: every entry present, the longest at each position, or one entry covering
the whole message.

Each entry is indexed by its most telling word position (its anchor: the rarest-looking
word, never a pronoun or a negation that begins hundreds of entries), and an entry is tried
only when every one of its word positions has a candidate in the message. A look-up costs a
few dictionary and set operations per unit of the message, whatever the size of the lists:
cheap enough to run every language's lists on every turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from locales.words import Alternative, Pattern, parse_pattern

__all__ = ["Found", "PhraseIndex"]

Slot = tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Found:
    """An entry found in a message: units [start, end), its label and its entry."""

    start: int
    end: int
    label: Any
    pattern: Pattern
    rank: int = 0


def _alt_at(alt: Alternative, units: Sequence[str], i: int) -> int:
    """End of ``alt`` matched at ``i``, or -1."""
    n = len(alt.units)
    if i + n > len(units):
        return -1
    for k in range(n - 1):
        if units[i + k] != alt.units[k]:
            return -1
    last, want = units[i + n - 1], alt.units[-1]
    if last == want or (alt.prefix and last.startswith(want)):
        return i + n
    return -1


def _slots_at(slots: tuple[Slot, ...], units: Sequence[str], i: int, gap: int) -> int:
    """End of the slots matched from ``i`` (the first slot exactly at ``i``), or -1: the
    longest when words must be side by side; with gaps, the nearest ("15 साल का हूँ ... कोई
    नहीं": a cue must not stretch to a later word and take a later negation with it)."""
    best = -1
    for alt in slots[0]:
        end = _alt_at(alt, units, i)
        if end < 0:
            continue
        if len(slots) == 1:
            best = max(best, end) if gap == 0 or best < 0 else min(best, end)
            continue
        for j in range(end, min(end + gap, len(units) - 1) + 1):
            found = _slots_at(slots[1:], units, j, gap)
            if found < 0:
                continue
            if gap:
                best = found if best < 0 else min(best, found)
                break
            best = max(best, found)
            break
    return best


def _keys(alt: Alternative) -> tuple[str, bool]:
    """What must be in the message for ``alt`` to match: its first unit (a prefix when the
    alternative is one stem)."""
    return alt.units[0], alt.prefix and len(alt.units) == 1


@dataclass(frozen=True, slots=True)
class _Entry:
    pattern: Pattern
    label: Any
    rank: int
    anchor: int                                   # the slot the index points at
    needs: tuple[tuple[frozenset[str], frozenset[str]], ...]  # per slot: exact, prefixes
    reach: int                                    # most units from the start to the anchor


class PhraseIndex:
    """Entries with labels, indexed for finding them in a message's units.

    ``gap`` is how many other units may come between two words of one entry (0 for answers,
    locales.words.CUE_GAP for danger cues). ``rank`` breaks ties between entries of the same
    length: the higher wins (a question's own words over the general ones). ``common`` are
    words too frequent to anchor an entry on (pronouns, negations)."""

    def __init__(self, items: Iterable[tuple[Any, ...]], gap: int = 0,
                 common: frozenset[str] = frozenset()) -> None:
        self.gap = gap
        self._exact: dict[str, list[_Entry]] = {}
        self._prefix: dict[str, list[_Entry]] = {}
        self._entries: list[_Entry] = []
        self.size = 0
        for item in items:
            raw, label = item[0], item[1]
            rank = int(item[2]) if len(item) > 2 else 0
            pattern = raw if isinstance(raw, Pattern) else parse_pattern(raw)
            entry = self._entry(pattern, label, rank, common)
            self._entries.append(entry)
            self.size += 1
            for alt in pattern.slots[entry.anchor]:
                key, is_prefix = _keys(alt)
                (self._prefix if is_prefix else self._exact).setdefault(key, []).append(entry)
        # Only the lengths some stem has are looked up: a handful of hits per unit.
        self._prefix_lengths = tuple(sorted({len(p) for p in self._prefix}))
        self._need_lengths = tuple(sorted({len(p) for entry in self._entries for _, prefixes
                                           in entry.needs for p in prefixes}))

    def _entry(self, pattern: Pattern, label: Any, rank: int, common: frozenset[str]) -> _Entry:
        needs = []
        for slot in pattern.slots:
            exact = frozenset(k for k, p in map(_keys, slot) if not p)
            prefixes = frozenset(k for k, p in map(_keys, slot) if p)
            needs.append((exact, prefixes))

        def telling(i: int) -> tuple[int, int]:
            keys = [_keys(alt)[0] for alt in pattern.slots[i]]
            if any(k in common for k in keys):
                return (0, i)
            return (min(len(k) for k in keys), i)

        anchor = max(range(len(pattern.slots)), key=telling)
        longest = [max(len(alt.units) for alt in slot) for slot in pattern.slots]
        reach = sum(longest[:anchor]) + anchor * self.gap
        return _Entry(pattern, label, rank, anchor, tuple(needs), reach)

    def _present(self, units: Sequence[str]) -> tuple[set[str], set[str]]:
        """The message's words, and their beginnings of every length a stem of any word
        position has (an entry is tried only when each of its positions has a candidate)."""
        present = set(units)
        stems = {u[:k] for u in present for k in self._need_lengths if len(u) >= k}
        return present, stems

    def all(self, units: Sequence[str]) -> list[Found]:
        """Every entry found, wherever it is (entries may overlap)."""
        if not units:
            return []
        present, stems = self._present(units)
        seen: set[tuple[int, int]] = set()
        out: list[Found] = []
        for i, unit in enumerate(units):
            for entry in self._candidates(unit):
                key = (id(entry), i)
                if key in seen:
                    continue
                seen.add(key)
                if not all(exact & present or prefixes & stems for exact, prefixes in entry.needs):
                    continue
                for start in range(max(0, i - entry.reach), i + 1):
                    end = _slots_at(entry.pattern.slots, units, start, self.gap)
                    if end > i:
                        out.append(Found(start, end, entry.label, entry.pattern, entry.rank))
                        break
        return out

    def _candidates(self, unit: str) -> list[_Entry]:
        exact = self._exact.get(unit)
        found = list(exact) if exact else []
        for k in self._prefix_lengths:
            if k > len(unit):
                break
            more = self._prefix.get(unit[:k])
            if more:
                found += more
        return found

    def scan(self, units: Sequence[str]) -> list[Found]:
        """Entries found left to right, the longest at each place, not overlapping."""
        by_start: dict[int, Found] = {}
        for found in self.all(units):
            best = by_start.get(found.start)
            if best is None or (found.end, found.rank) > (best.end, best.rank):
                by_start[found.start] = found
        out: list[Found] = []
        i = 0
        while i < len(units):
            here = by_start.get(i)
            if here is None:
                i += 1
                continue
            out.append(here)
            i = here.end
        return out

    def at(self, units: Sequence[str], i: int) -> Found | None:
        """The longest entry starting at unit ``i``."""
        best = None
        for found in self.all(units):
            if found.start == i and (best is None or (found.end, found.rank) > (best.end, best.rank)):
                best = found
        return best

    def whole(self, units: Sequence[str]) -> Found | None:
        """An entry that is the whole message, if any."""
        best: Found | None = None
        for found in self.all(units):
            if found.start == 0 and found.end == len(units) and (
                best is None or found.rank > best.rank
            ):
                best = found
        return best
