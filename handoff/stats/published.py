"""What leaves the service: the figures after disclosure control, one shape for the API, the
Reports page and every export format."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from core.db import Database
from handoff.stats import disclosure
from handoff.stats.figures import BY, Report, Table, report

__all__ = ["Rule", "figures", "parse_range", "protect_report", "reading", "rule_of"]

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
WITHHELD = ("null: withheld, being under {k} or enough to work out one under {k} "
            "from the totals")


@dataclass(frozen=True, slots=True)
class Rule:
    """The threshold k, and the rounding base a partner may ask for (0 or 1: none)."""

    k: int = 5
    rounding: int = 0


_readers: dict[str, Engine] = {}


@contextmanager
def reading(db: Database) -> Iterator[Session]:
    """A session to count in. On SQLite, on a connection of its own that never takes the
    write lock (every transaction of ``db`` begins IMMEDIATE): a year's figures take about a
    second there, which no turn should wait for; WAL lets it read while turns write. On
    PostgreSQL (and an in-memory SQLite, which no other connection can see), ``db``'s own."""
    path = db.engine.url.database
    if db.dialect != "sqlite" or not path or path == ":memory:":
        with db.sessions() as session:
            yield session
        return
    engine = _readers.get(db.url)
    if engine is None:
        # No pool: a SQLite connection opens in microseconds, and none is left on a file.
        engine = _readers[db.url] = create_engine(db.url, poolclass=NullPool,
                                                  connect_args={"check_same_thread": False})
    with Session(engine) as session:
        yield session


def rule_of(settings: Any, rounding: int | None = None) -> Rule:
    """The settings' rule (INTAKE_STATS_K, INTAKE_STATS_ROUND); a partner's rounding over it."""
    base = getattr(settings, "stats_round", 0) if rounding is None else rounding
    return Rule(getattr(settings, "stats_k", 5), base)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be a date, YYYY-MM-DD") from None


def parse_range(query: Mapping[str, str], today: date) -> tuple[date, date, str]:
    """``from``, ``to`` and ``by`` of a request; by default the last twelve months (or weeks)."""
    by = query.get("by") or "month"
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    last = _day(query["to"], "to") if query.get("to") else today
    if query.get("from"):
        first = _day(query["from"], "from")
    elif by == "week":
        first = last - timedelta(weeks=11)
    else:
        first = date(last.year - (last.month <= 11), (last.month - 12) % 12 + 1, 1)
    if first > last:
        raise ValueError("from must not be after to")
    if first < EARLIEST or last > LATEST:
        raise ValueError(f"dates must fall between {EARLIEST} and {LATEST}")
    return first, last, by


def _table(table: Table, report_: Report, rule: Rule) -> dict[str, Any]:
    rows, protected = [], []
    for period in report_.periods:
        cells, total = table.counts.get(period.key, ({c: 0 for c in table.categories}, 0))
        cells = {c: cells.get(c, 0) for c in table.categories}
        shown, shown_total = disclosure.protect(cells, total, rule.k, table.additive)
        protected.append((shown, shown_total))
        rows.append({"period": period.key, "total": disclosure.round_to(shown_total, rule.rounding),
                     "cells": {c: disclosure.round_to(v, rule.rounding) for c, v in shown.items()}})
    cells_all, total_all = disclosure.range_totals(protected, table.categories)
    return {
        "name": table.name, "measure": table.measure, "dimension": table.dimension,
        "additive": table.additive, "categories": table.categories, "rows": rows,
        "all": {"total": disclosure.round_to(total_all, rule.rounding),
                "cells": {c: disclosure.round_to(v, rule.rounding) for c, v in cells_all.items()}},
    }


def protect_report(found: Report, rule: Rule) -> dict[str, Any]:
    """A report as it may be shown: every small cell withheld, its complements too."""
    return {
        "from": found.first.isoformat(), "to": found.last.isoformat(), "by": found.by,
        "k": rule.k, "rounding": rule.rounding if rule.rounding > 1 else None,
        "withheld": WITHHELD.format(k=rule.k),
        "periods": [p.as_json() for p in found.periods],
        "tables": [_table(t, found, rule) for t in found.tables],
    }


def figures(session: Session, first: date, last: date, by: str, zone: tzinfo, rule: Rule,
            now: datetime, complete_only: bool = False,
            progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Count, then protect. ``complete_only`` (exports) leaves out buckets not over yet."""
    found = report(session, first, last, by, zone, rule.k, now, progress)
    if complete_only:
        done = [p for p in found.periods if not p.partial]
        if not done:
            raise ValueError("no whole month or week in that range has ended yet")
        found.periods = done
        found.last = done[-1].end
    return protect_report(found, rule)
