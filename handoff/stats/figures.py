"""The figures: counts per calendar bucket and category, aggregated in the database.

Every table is a ``GROUP BY`` (bucket, category) over one source, so a year of 100,000
conversations comes back as a few hundred rows, never row by row. Buckets of the tables kept
with timestamps (conversations, cases, referrals) are the office's local months or ISO weeks,
picked by a nested CASE over their UTC boundaries (a handful of comparisons a row, on both
backends); the trace (handoff.stats.trace) already holds each row's month and week.

Sources, and why each survives erasure: ``conversation`` rows stay (their record blanked,
channel and language kept); ``handoff_case`` rows stay (an open one is closed as withdrawn);
the trace holds the screening's codes; referrals keep their partner and status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from channels.registry import NAMES
from core.models import Conversation
from dialogs.rules import ELIGIBILITY, PRIORITIES, PROGRAMMES
from handoff.models import Case
from handoff.queue import OUTCOMES
from handoff.referrals.models import Referral
from handoff.stats import disclosure
from handoff.stats.regions import region_of
from handoff.stats.trace import INDICATOR_CODES, VULNERABILITY_CODES, StatsTrace, month_of, week_of

__all__ = ["BY", "MAX_PERIODS", "Period", "Report", "Table", "periods", "report"]

BY = ("month", "week")
MAX_PERIODS = {"month": 120, "week": 160}
UNKNOWN = "unknown"
SLA = ("met", "late", "overdue", "waiting")
REFERRAL_STATUSES = ("prepared", "sent", "acknowledged", "accepted", "declined", "withdrawn")


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar bucket: a month or an ISO week, in the office's time zone."""

    key: str  # 2026-03, or 2026-W10
    start: date
    end: date  # its last day
    partial: bool  # not over yet

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "from": self.start.isoformat(), "to": self.end.isoformat(),
                "partial": self.partial}


def _next(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def periods(first: date, last: date, by: str, today: date) -> list[Period]:
    """The whole buckets that cover ``first`` to ``last`` (both included)."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    if last < first:
        raise ValueError("the range ends before it starts")
    start = week_of(first) if by == "week" else month_of(first)
    out: list[Period] = []
    while start <= last:
        after = _next(start, by)
        year, week, _ = start.isocalendar()
        key = f"{year}-W{week:02d}" if by == "week" else f"{start:%Y-%m}"
        out.append(Period(key, start, after - timedelta(days=1), after > today))
        if len(out) > MAX_PERIODS[by]:
            raise ValueError(f"at most {MAX_PERIODS[by]} {by}s at a time")
        start = after
    return out


@dataclass
class Table:
    """One measure by one category, per bucket: raw counts, then what may be shown."""

    name: str
    measure: str
    dimension: str
    additive: bool
    categories: list[str]
    counts: dict[str, tuple[dict[str, int], int]] = field(default_factory=dict)  # period -> (cells, total)


@dataclass
class Report:
    """Every table over a run of buckets."""

    first: date
    last: date
    by: str
    periods: list[Period]
    tables: list[Table]
    now: datetime


# -- bucketing -------------------------------------------------------------------------------


def _edges(buckets: Sequence[Period], zone: tzinfo) -> list[datetime]:
    """Each bucket's start and the last one's end, as UTC instants of local midnight."""
    days = [p.start for p in buckets] + [buckets[-1].end + timedelta(days=1)]
    return [datetime.combine(d, time(0), tzinfo=zone).astimezone(UTC) for d in days]


def _bucket(column: Any, edges: Sequence[datetime], lo: int = 0, hi: int | None = None) -> Any:
    """The bucket's index for a timestamp: a CASE nested as a binary search over the edges."""
    hi = len(edges) - 2 if hi is None else hi
    if lo == hi:
        return literal(lo)
    mid = (lo + hi + 1) // 2
    return case((column < edges[mid], _bucket(column, edges, lo, mid - 1)),
                else_=_bucket(column, edges, mid, hi))


def _within(column: Any, edges: Sequence[datetime]) -> ColumnElement[bool]:
    return and_(column >= edges[0], column < edges[-1])


def _trace_bucket(by: str) -> InstrumentedAttribute[date]:
    return StatsTrace.week if by == "week" else StatsTrace.month


def _key_of(buckets: Sequence[Period]) -> Callable[[Any], str | None]:
    by_index = {i: p.key for i, p in enumerate(buckets)}
    by_start = {p.start: p.key for p in buckets}

    def key(value: Any) -> str | None:
        if isinstance(value, int):
            return by_index.get(value)
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        if isinstance(value, datetime):
            value = value.date()
        return by_start.get(value)

    return key


# -- tables --------------------------------------------------------------------------------


def _ordered(found: Iterable[str], known: Sequence[str]) -> list[str]:
    found = set(found)
    rest = sorted(c for c in found if c not in known and c != UNKNOWN)
    return [c for c in known if c in found] + rest + ([UNKNOWN] if UNKNOWN in found else [])


def _grouped(session: Session, query: Select[Any], key: Callable[[Any], str | None],
             buckets: Sequence[Period]) -> dict[str, dict[str, int]]:
    """(bucket, category, count) rows into cells per period, NULL categories as unknown."""
    cells: dict[str, dict[str, int]] = {p.key: {} for p in buckets}
    for bucket, category, count in session.execute(query):
        period = key(bucket)
        if period is None:
            continue
        name = UNKNOWN if category is None or category == "" else str(category)
        cells[period][name] = cells[period].get(name, 0) + int(count)
    return cells


def _grouped_many(session: Session, query: Select[Any], key: Callable[[Any], str | None],
                  buckets: Sequence[Period], names: Sequence[str]) -> dict[str, dict[str, dict[str, int]]]:
    """(bucket, category, category ..., count) rows into cells per period for each category:
    one scan of the source for several tables, each the margin of the groups it returns."""
    out: dict[str, dict[str, dict[str, int]]] = {n: {p.key: {} for p in buckets} for n in names}
    for found in session.execute(query):
        period = key(found[0])
        if period is None:
            continue
        count = int(found[-1])
        for name, category in zip(names, found[1:-1], strict=True):
            cell = UNKNOWN if category is None or category == "" else str(category)
            row = out[name][period]
            row[cell] = row.get(cell, 0) + count
    return out


def _additive(name: str, measure: str, dimension: str, cells: dict[str, dict[str, int]],
              known: Sequence[str] = (), always: Sequence[str] = ()) -> Table:
    categories = _ordered({c for row in cells.values() for c in row} | set(always), known)
    counts = {p: ({c: row.get(c, 0) for c in categories}, sum(row.values())) for p, row in cells.items()}
    return Table(name, measure, dimension, True, categories, counts)


def _grouped_regions(cells: dict[str, dict[str, int]], k: int) -> dict[str, dict[str, int]]:
    return {p: disclosure.group_small(row, k, region_of) for p, row in cells.items()}


class _Query:
    """The sources, bucketed for one report."""

    def __init__(self, session: Session, buckets: Sequence[Period], by: str, zone: tzinfo) -> None:
        self.session, self.buckets, self.by = session, buckets, by
        self.edges = _edges(buckets, zone)
        self.key = _key_of(buckets)

    def stamped(self, column: Any, category: Any, *where: Any) -> dict[str, dict[str, int]]:
        bucket = _bucket(column, self.edges).label("bucket")
        query = (select(bucket, category.label("category"), func.count())
                 .where(_within(column, self.edges), *where).group_by(bucket, category))
        return _grouped(self.session, query, self.key, self.buckets)

    def stamped_many(self, column: Any, categories: dict[str, Any],
                     *where: Any) -> dict[str, dict[str, dict[str, int]]]:
        bucket = _bucket(column, self.edges).label("bucket")
        labelled = [c.label(f"c_{n}") for n, c in categories.items()]
        query = (select(bucket, *labelled, func.count())
                 .where(_within(column, self.edges), *where).group_by(bucket, *labelled))
        return _grouped_many(self.session, query, self.key, self.buckets, list(categories))

    def traced_many(self, kinds: Sequence[str], categories: dict[str, Any]) -> dict[str, dict[str, dict[str, int]]]:
        bucket = _trace_bucket(self.by)
        labelled = [c.label(f"c_{n}") for n, c in categories.items()]
        query = (select(bucket, *labelled, func.count())
                 .where(StatsTrace.kind.in_(kinds), bucket >= self.buckets[0].start,
                        bucket <= self.buckets[-1].start)
                 .group_by(bucket, *labelled))
        return _grouped_many(self.session, query, self.key, self.buckets, list(categories))


def _screening_lists(q: _Query) -> list[Table]:
    """Trafficking indicators and vulnerabilities: several per person, counted in one pass."""
    bucket = _trace_bucket(q.by)
    columns: list[Any] = [bucket, func.count()]
    for code in INDICATOR_CODES:
        columns.append(func.sum(case((StatsTrace.indicators.like(f"%,{code},%"), 1), else_=0)))
    columns.append(func.sum(case((StatsTrace.indicators != "", 1), else_=0)))
    for code in VULNERABILITY_CODES:
        columns.append(func.sum(case((StatsTrace.vulnerabilities.like(f"%,{code},%"), 1), else_=0)))
    columns.append(func.sum(case((StatsTrace.vulnerabilities != "", 1), else_=0)))
    query = (select(*columns).where(StatsTrace.kind == "screening", bucket >= q.buckets[0].start,
                                    bucket <= q.buckets[-1].start).group_by(bucket))
    n_ind = len(INDICATOR_CODES)
    ind = Table("screenings_by_indicator", "screenings", "trafficking_indicator", False, list(INDICATOR_CODES))
    vul = Table("screenings_by_vulnerability", "screenings", "vulnerability", False, list(VULNERABILITY_CODES))
    any_ind: dict[str, dict[str, int]] = {p.key: {} for p in q.buckets}
    any_vul: dict[str, dict[str, int]] = {p.key: {} for p in q.buckets}
    for p in q.buckets:
        ind.counts[p.key] = ({c: 0 for c in INDICATOR_CODES}, 0)
        vul.counts[p.key] = ({c: 0 for c in VULNERABILITY_CODES}, 0)
    for found in q.session.execute(query):
        period = q.key(found[0])
        if period is None:
            continue
        total, sums = int(found[1]), [int(v or 0) for v in found[2:]]
        ind.counts[period] = (dict(zip(INDICATOR_CODES, sums[:n_ind], strict=True)), total)
        with_ind = sums[n_ind]
        vul_sums = sums[n_ind + 1:]
        vul.counts[period] = (dict(zip(VULNERABILITY_CODES, vul_sums[:-1], strict=True)), total)
        any_ind[period] = {"yes": with_ind, "no": total - with_ind}
        any_vul[period] = {"yes": vul_sums[-1], "no": total - vul_sums[-1]}
    return [
        _additive("screenings_with_indicators", "screenings", "any_trafficking_indicator", any_ind,
                  ("yes", "no"), ("yes", "no")),
        ind,
        _additive("screenings_with_vulnerabilities", "screenings", "any_vulnerability", any_vul,
                  ("yes", "no"), ("yes", "no")),
        vul,
    ]


def _sla_state(now: datetime) -> Any:
    """The first caseworker reply against the case's reply time (INTAKE_SLA_MINUTES, office
    time): met, late, not yet and overdue, or not yet and still due. One table only: a second
    one over the same cases (hours to reply, say) would let a complement of one be read off
    the other."""
    return case(
        (Case.first_response_at.is_(None),
         case((and_(Case.sla_due_at.is_not(None), Case.sla_due_at < now), "overdue"), else_="waiting")),
        (or_(Case.sla_due_at.is_(None), Case.first_response_at <= Case.sla_due_at), "met"),
        else_="late",
    )


def _split(cells: dict[str, dict[str, dict[str, int]]], kind: str) -> dict[str, dict[str, int]]:
    """The channel cells of one kind of event, from cells by (kind, channel)."""
    return {p: {c.partition("|")[2]: n for c, n in row.items() if c.startswith(kind + "|")}
            for p, row in cells["kind_channel"].items()}


def report(session: Session, first: date, last: date, by: str, zone: tzinfo, k: int,
           now: datetime, progress: Callable[[int, int], None] | None = None) -> Report:
    """Count every table for the buckets covering ``first`` to ``last``; ``progress`` hears
    (done, of) after each query."""
    today = now.astimezone(zone).date()
    buckets = periods(first, last, by, today)
    q = _Query(session, buckets, by, zone)
    screening = {"channel": StatsTrace.channel, "language": StatsTrace.language,
                 "programme": StatsTrace.programme, "eligibility": StatsTrace.eligibility,
                 "priority": StatsTrace.priority}

    def conversations() -> list[Table]:
        found = q.stamped_many(Conversation.created_at, {"channel": Conversation.channel,
                                                         "language": Conversation.language})
        return [_additive("conversations_by_channel", "conversations", "channel", found["channel"], NAMES),
                _additive("conversations_by_language", "conversations", "language", found["language"])]

    def screenings() -> list[Table]:
        found = q.traced_many(("screening",), screening)
        known = {"channel": NAMES, "language": (), "programme": PROGRAMMES, "eligibility": ELIGIBILITY,
                 "priority": PRIORITIES}
        return [_additive(f"screenings_by_{n}", "screenings", n, found[n], known[n]) for n in screening]

    def places() -> list[Table]:
        found = q.traced_many(("screening",), {"nationality": StatsTrace.nationality,
                                               "destination": StatsTrace.destination})
        return [_additive(f"screenings_by_{n}", "screenings", n, _grouped_regions(found[n], k))
                for n in ("nationality", "destination")]

    def cases() -> list[Table]:
        found = q.stamped_many(Case.opened_at, {"priority": Case.priority, "programme": Case.programme,
                                                "sla": _sla_state(now)})
        return [_additive("cases_opened_by_priority", "cases_opened", "priority", found["priority"], PRIORITIES),
                _additive("cases_opened_by_programme", "cases_opened", "programme", found["programme"], PROGRAMMES),
                _additive("cases_closed_by_outcome", "cases_closed", "outcome",
                          q.stamped(Case.closed_at, Case.outcome, Case.status == "closed"), OUTCOMES),
                _additive("cases_by_sla", "cases_opened", "first_reply_sla", found["sla"], SLA, SLA)]

    def referrals() -> list[Table]:
        found = q.stamped_many(Referral.created_at, {"partner": Referral.partner, "status": Referral.status})
        return [_additive("referrals_by_partner", "referrals", "partner", found["partner"]),
                _additive("referrals_by_status", "referrals", "status", found["status"], REFERRAL_STATUSES)]

    def leaving() -> list[Table]:
        found = q.traced_many(("stop", "erase"), {"kind_channel": StatsTrace.kind + "|" + StatsTrace.channel})
        return [_additive("stops_by_channel", "stops", "channel", _split(found, "stop"), NAMES),
                _additive("erasures_by_channel", "erasures", "channel", _split(found, "erase"), NAMES)]

    steps: list[Callable[[], list[Table]]] = [conversations, screenings, places, lambda: _screening_lists(q),
                                              cases, referrals, leaving]
    tables: list[Table] = []
    for done, step in enumerate(steps, start=1):
        tables.extend(step())
        if progress is not None:
            progress(done, len(steps))
    return Report(buckets[0].start, buckets[-1].end, by, buckets, tables, now)
