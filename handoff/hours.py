"""Office hours and Portuguese public holidays: when a person can expect an answer.

Everything is computed in the office's time zone (``INTAKE_TIMEZONE``) and returned in UTC.
SLA clocks only run while the office is open, so the SLA helpers here count office minutes.
Office hours are written like ``mon-fri 09:00-18:00`` (several spans joined by ``;``, e.g.
``mon-thu 09:00-18:00; fri 09:00-15:00``); extra closed days come from ``INTAKE_HOLIDAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["OfficeHours", "easter", "portuguese_holidays"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def easter(year: int) -> date:
    """Easter Sunday (Gregorian), by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def portuguese_holidays(year: int) -> set[date]:
    """The thirteen national public holidays of Portugal (Lei 7/2009, art. 234, as amended)."""
    sunday = easter(year)
    fixed = [(1, 1), (4, 25), (5, 1), (6, 10), (8, 15), (10, 5), (11, 1), (12, 1), (12, 8), (12, 25)]
    days = {date(year, m, d) for m, d in fixed}
    days |= {sunday - timedelta(days=2), sunday, sunday + timedelta(days=60)}  # Good Friday, Easter, Corpus Christi
    return days


def _parse(spec: str) -> dict[int, list[tuple[time, time]]]:
    """``mon-fri 09:00-18:00; sat 10:00-13:00`` -> {weekday: [(start, end), ...]}."""
    week: dict[int, list[tuple[time, time]]] = {}
    for part in spec.split(";"):
        part = part.strip()
        if not part:
            continue
        days, _, spans = part.partition(" ")
        first, _, last = days.lower().partition("-")
        lo, hi = _DAYS.index(first), _DAYS.index(last or first)
        for span in spans.replace(" ", "").split(","):
            start, _, end = span.partition("-")
            opening = (time.fromisoformat(start), time.fromisoformat(end))
            for day in range(lo, hi + 1):
                week.setdefault(day, []).append(opening)
    for spans_of_day in week.values():
        spans_of_day.sort()
    return week


@dataclass
class OfficeHours:
    """The office's opening times, its time zone and the days it is closed."""

    spec: str = "mon-fri 09:00-18:00"
    timezone: str = "Europe/Lisbon"
    extra_holidays: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.timezone)
        self.week = _parse(self.spec)

    def is_holiday(self, day: date) -> bool:
        return day in portuguese_holidays(day.year) or day in self.extra_holidays

    def _spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """Opening spans of one local day, as aware UTC datetimes."""
        if self.is_holiday(day):
            return []
        return [
            (
                datetime.combine(day, start, self.zone).astimezone(UTC),
                datetime.combine(day, end, self.zone).astimezone(UTC),
            )
            for start, end in self.week.get(day.weekday(), [])
        ]

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        return any(start <= at < end for start, end in self._spans(local.date()))

    def next_opening(self, at: datetime) -> datetime | None:
        """When the office next opens at or after ``at`` (``at`` itself when open)."""
        day = at.astimezone(self.zone).date()
        for offset in range(370):  # a year of closed days means the spec opens nothing
            for start, end in self._spans(day + timedelta(days=offset)):
                if at < end:
                    return max(start, at)
        return None

    def add_office_minutes(self, at: datetime, minutes: float) -> datetime:
        """The moment when ``minutes`` of office time have passed after ``at``."""
        left = timedelta(minutes=minutes)
        day = at.astimezone(self.zone).date()
        for offset in range(3700):
            for start, end in self._spans(day + timedelta(days=offset)):
                if end <= at:
                    continue
                begin = max(start, at)
                if begin + left <= end:
                    return begin + left
                left -= end - begin
        return at + timedelta(minutes=minutes)  # no office hours configured: wall-clock time

    def office_minutes_between(self, start: datetime, end: datetime) -> float:
        """Office minutes that passed between two moments (0 when ``end`` is earlier)."""
        if end <= start:
            return 0.0
        total = timedelta()
        day, last = start.astimezone(self.zone).date(), end.astimezone(self.zone).date()
        while day <= last:
            for lo, hi in self._spans(day):
                overlap = min(hi, end) - max(lo, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total.total_seconds() / 60
