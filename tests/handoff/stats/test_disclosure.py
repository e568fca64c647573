"""Disclosure control on adversarial tables: one person in a cell, a cell that the total would
give away, two overlapping periods differenced, rounding; checked by an attacker who solves
the published figures as linear equations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import pytest

from handoff.stats import disclosure
from handoff.stats.figures import Report, Table, periods
from handoff.stats.published import Rule, protect_report
from handoff.stats.regions import region_of

K = 5
NOW = datetime(2026, 6, 15, tzinfo=UTC)


def report(by_month: dict[str, dict[str, int]], additive: bool = True) -> Report:
    """A one-table report over the months given (keys 2026-01 ...), counts as given."""
    months = sorted(by_month)
    first = date.fromisoformat(months[0] + "-01")
    last = date.fromisoformat(months[-1] + "-01")
    buckets = periods(first, last, "month", NOW.date())
    categories = sorted({c for row in by_month.values() for c in row})
    table = Table("t", "people", "thing", additive, categories,
                  {m: ({c: row.get(c, 0) for c in categories}, sum(row.values())) for m, row in by_month.items()})
    return Report(first, buckets[-1].end, "month", buckets, [table], NOW)


def published(by_month: dict[str, dict[str, int]], rule: Rule | None = None) -> dict[str, Any]:
    return protect_report(report(by_month), rule or Rule(K))["tables"][0]


# -- an attacker: every published figure is an equation over the true counts ------------------


def equations(tables: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], list[list[Fraction]]]:
    """Unknowns (period, category) and the published equations, as rows [coefficients | value]."""
    unknowns = sorted({(row["period"], c) for t in tables for row in t["rows"] for c in t["categories"]})
    index = {u: i for i, u in enumerate(unknowns)}
    rows: list[list[Fraction]] = []

    def add(cells: list[tuple[str, str]], value: int | None) -> None:
        if value is None:
            return
        row = [Fraction(0)] * (len(unknowns) + 1)
        for cell in cells:
            row[index[cell]] += 1
        row[-1] = Fraction(value)
        rows.append(row)

    for t in tables:
        periods_ = [row["period"] for row in t["rows"]]
        for row in t["rows"]:
            for c in t["categories"]:
                add([(row["period"], c)], row["cells"][c])
            add([(row["period"], c) for c in t["categories"]], row["total"])
        for c in t["categories"]:
            add([(p, c) for p in periods_], t["all"]["cells"][c])
        add([(p, c) for p in periods_ for c in t["categories"]], t["all"]["total"])
    return unknowns, rows


def _rank(rows: list[list[Fraction]], width: int) -> int:
    m = [r[:width] for r in rows]
    rank, col = 0, 0
    while rank < len(m) and col < width:
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank, col = rank + 1, col + 1
    return rank


def determined(tables: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Every cell the published figures pin down exactly (its unit vector is in their span)."""
    unknowns, rows = equations(tables)
    width = len(unknowns)
    base = _rank(rows, width)
    found = set()
    for i, cell in enumerate(unknowns):
        unit = [Fraction(int(j == i)) for j in range(width)] + [Fraction(0)]
        if _rank([*rows, unit], width) == base:
            found.add(cell)
    return found


def withheld(t: dict[str, Any]) -> set[tuple[str, str]]:
    return {(row["period"], c) for row in t["rows"] for c in t["categories"] if row["cells"][c] is None}


# -- the tables -----------------------------------------------------------------------------


def test_one_person_in_a_cell_is_withheld_with_a_complement():
    t = published({"2026-01": {"BR": 20, "NP": 1, "UA": 9}})
    row = t["rows"][0]
    assert row["total"] == 30  # the total is shown: it is not small
    assert row["cells"]["NP"] is None  # one person
    assert row["cells"]["UA"] is None  # else 30 - 20 - 9 = 1 gives them away
    assert row["cells"]["BR"] == 20
    assert not determined([t]) & withheld(t)


def test_complements_until_the_withheld_group_holds_k():
    shown, total = disclosure.protect({"a": 1, "b": 2, "c": 0, "d": 6, "e": 40}, 49, K)
    assert total == 49 and shown["c"] == 0 and shown["e"] == 40
    assert shown["a"] is None and shown["b"] is None and shown["d"] is None  # 1 + 2 < 5: add 6


def test_a_zero_is_never_the_complement():
    shown, _ = disclosure.protect({"a": 3, "b": 0, "c": 0, "d": 10}, 13, K)
    assert shown == {"a": None, "b": 0, "c": 0, "d": None}


def test_a_small_total_withholds_the_whole_row_zeros_too():
    shown, total = disclosure.protect({"sms": 3, "telegram": 0}, 3, K)
    assert total is None and shown == {"sms": None, "telegram": None}


def test_a_row_of_zeros_is_shown():
    assert disclosure.protect({"a": 0, "b": 0}, 0, K) == ({"a": 0, "b": 0}, 0)


def test_cells_that_need_not_add_up_get_primary_suppression_only():
    shown, total = disclosure.protect({"debt": 2, "unpaid_wages": 7}, 30, K, additive=False)
    assert (shown, total) == ({"debt": None, "unpaid_wages": 7}, 30)


def test_differencing_two_overlapping_periods_gives_nothing_away():
    months = {"2026-01": {"pt": 12, "uk": 8, "hi": 9},
              "2026-02": {"pt": 15, "uk": 6, "hi": 11},
              "2026-03": {"pt": 14, "uk": 1, "hi": 10}}  # one person in March
    short = published({m: months[m] for m in ("2026-01", "2026-02")})
    long = published(months)
    # March's row withholds the one person and a complement; whole-range totals that would
    # include it are withheld too, so long - short cannot isolate March.
    march = long["rows"][2]
    assert march["cells"]["uk"] is None and sum(v is None for v in march["cells"].values()) >= 2
    assert long["all"]["cells"]["uk"] is None and long["all"]["cells"]["hi"] is None
    assert short["all"]["cells"]["uk"] == 14  # January and February alone are all shown
    assert not determined([short, long]) & (withheld(short) | withheld(long))
    # A bucket reads the same in every range that includes it.
    assert short["rows"] == long["rows"][:2]


def test_every_published_total_is_a_sum_of_published_cells():
    months = {f"2026-{m:02d}": {"a": m, "b": 2 * m + 1, "c": 7} for m in range(1, 7)}
    t = published(months)
    for c in t["categories"]:
        value = t["all"]["cells"][c]
        parts = [row["cells"][c] for row in t["rows"]]
        assert value is None or (None not in parts and value == sum(parts))
    assert t["all"]["total"] == sum(row["total"] for row in t["rows"])


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_show_or_give_away_a_small_cell(seed):
    import random

    rng = random.Random(seed)
    months = {f"2026-{m:02d}": {c: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for c in "abcde"}
              for m in range(1, rng.randint(2, 5))}
    t = published(months)
    for row in t["rows"]:
        assert all(v is None or v == 0 or v >= K for v in row["cells"].values())
        assert row["total"] is None or row["total"] == 0 or row["total"] >= K
    assert not determined([t]) & withheld(t)
    for row in t["rows"]:  # what is withheld in a row holds k people or more together
        hidden = [months[row["period"]][c] for c in t["categories"] if row["cells"][c] is None]
        assert not hidden or row["total"] is None or (len(hidden) >= 2 and sum(hidden) >= K)


def test_rounding_comes_last_and_leaves_withheld_figures_withheld():
    t = published({"2026-01": {"a": 12, "b": 23, "c": 2}}, Rule(K, rounding=5))
    row = t["rows"][0]
    assert row["cells"] == {"a": None, "b": 25, "c": None} and row["total"] == 35  # 37
    assert disclosure.round_to(12, 5) == 10 and disclosure.round_to(13, 5) == 15
    assert disclosure.round_to(13, 0) == 13 and disclosure.round_to(None, 5) is None


def test_small_nationalities_are_grouped_by_region_before_suppression():
    grouped = disclosure.group_small({"BR": 20, "NP": 2, "IN": 2, "BD": 1, "UA": 7}, K, region_of)
    assert grouped == {"BR": 20, "region:southern_asia": 5, "UA": 7}
    assert disclosure.group_small({"ZZ": 1, "unknown": 2}, K, region_of) == {"region:other": 1, "unknown": 2}
