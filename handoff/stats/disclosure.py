"""Disclosure control: no figure that leaves the service shows, or lets anyone work out, a
count under the threshold k.

The rule, applied to every table the same way whoever asks and for whatever range:

1. Fixed calendar buckets. Figures are counted per calendar month or ISO week (in the
   office's time zone); a range is widened to whole buckets. Each bucket's row of a table
   (one cell per category, and the bucket's total) is protected on its own, from that
   bucket's counts alone, so a row reads the same in every request that includes it.
2. Primary suppression. A cell from 1 to k-1 is withheld (``None``). A row whose total is
   under k is withheld whole, zeros included (they would say where the few people are not).
3. Complementary suppression. Where cells add up to the total (one category each), a row
   with withheld cells withholds more, smallest first (never a zero: a zero protects
   nothing), until at least two are withheld and together they hold at least k people: the
   total less the cells shown then says only that a group of k or more shares those
   categories. Where a person may be in several categories (trafficking indicators,
   vulnerabilities) cells do not add up, and primary suppression alone applies.
4. Totals over a range are published only when every bucket figure they add up is shown;
   otherwise they are withheld too. So every published total is a sum of published cells,
   and differencing two overlapping ranges (January-March against January-April) gives
   nothing that the bucket rows did not already show.
5. Rounding, when a partner asks for it, comes last: every shown figure is rounded to the
   nearest multiple of the base on its own (totals need not add up after it).

Limits: the counts of a bucket still open change as people come, and a bucket can change
later (a case closed, an erasure closing an open case); comparing two releases of the same
bucket made at different times can show what changed in between. Exports therefore leave
out buckets that have not ended, and a partner should be sent each bucket once. Tables are
one-dimensional (one category per table); two of them about the same people are not
cross-tabulated, which is what keeps linked-table attacks out of reach.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

__all__ = ["group_small", "protect", "range_totals", "round_to"]

Cells = dict[str, int | None]


def protect(cells: Mapping[str, int], total: int, k: int, additive: bool = True) -> tuple[Cells, int | None]:
    """One bucket's row, with the figures it may show; ``None`` for a withheld one."""
    if 0 < total < k:
        return {name: None for name in cells}, None
    shown: Cells = {name: (None if 0 < value < k else value) for name, value in cells.items()}
    if not additive:
        return shown, total
    withheld = [name for name, value in shown.items() if value is None]
    order = list(cells)
    spare = sorted((name for name, value in shown.items() if value),
                   key=lambda name: (cells[name], order.index(name)))
    while withheld and (len(withheld) < 2 or sum(cells[n] for n in withheld) < k):
        if not spare:  # cannot happen while the row's cells add up to a total of k or more
            return {name: None for name in cells}, None
        name = spare.pop(0)
        shown[name] = None
        withheld.append(name)
    return shown, total


def range_totals(rows: Sequence[tuple[Cells, int | None]], categories: Sequence[str]) -> tuple[Cells, int | None]:
    """Totals over several buckets' protected rows: a sum only where every part is shown."""
    cells: Cells = {}
    for name in categories:
        parts = [row[0].get(name, 0) for row in rows]
        cells[name] = None if any(p is None for p in parts) else sum(p or 0 for p in parts)
    totals = [row[1] for row in rows]
    return cells, None if any(t is None for t in totals) else sum(t or 0 for t in totals)


def group_small(cells: Mapping[str, int], k: int, group_of: Callable[[str], str],
                keep: Sequence[str] = ("unknown",)) -> dict[str, int]:
    """Categories under k merged into their group (nationalities into regions)."""
    out: dict[str, int] = {}
    for name, value in cells.items():
        target = group_of(name) if 0 < value < k and name not in keep else name
        out[target] = out.get(target, 0) + value
    return out


def round_to(value: int | None, base: int) -> int | None:
    """A shown figure rounded to the nearest multiple of ``base`` (halves up); 0 or 1: as is."""
    if value is None or base <= 1:
        return value
    return base * ((value + base // 2) // base)
