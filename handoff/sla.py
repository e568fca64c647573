"""Service levels: the first-response deadline of a case, counted in office time only.

A case's clock starts when it opens; it runs only while the office is open (nights, weekends
and holidays do not count) and stops at the first caseworker reply. A deadline that passes
without a reply is a breach: the sweep marks it escalated and tells the team.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from handoff.hours import OfficeHours

if TYPE_CHECKING:
    from handoff.config import HandoffSettings
    from handoff.models import Case

__all__ = ["Policy"]


@dataclass
class Policy:
    """SLA minutes per priority, office hours, how long a claim may sit idle, and how long a
    closed case may be reopened by the person writing again."""

    office: OfficeHours = field(default_factory=OfficeHours)
    minutes: dict[str, int] = field(
        default_factory=lambda: {"urgent": 30, "high": 240, "normal": 480, "low": 1440}
    )
    claim_idle: timedelta = timedelta(minutes=30)
    # A person who writes again this soon after their case closed reopens it (zero: never).
    reopen_within: timedelta = timedelta(days=14)

    @classmethod
    def from_settings(cls, settings: HandoffSettings) -> Policy:
        extra = tuple(date.fromisoformat(d) for d in getattr(settings, "holidays", ()))
        office = OfficeHours(
            getattr(settings, "office_hours", "mon-fri 09:00-18:00"), settings.timezone, extra
        )
        return cls(
            office=office,
            minutes=dict(getattr(settings, "sla_minutes", ())) or cls().minutes,
            claim_idle=timedelta(minutes=getattr(settings, "claim_idle_minutes", 30)),
            reopen_within=timedelta(days=max(0, getattr(settings, "reopen_days", 14))),
        )

    def due(self, priority: str, opened_at: datetime) -> datetime:
        return self.office.add_office_minutes(opened_at, self.minutes.get(priority, 480))

    def status(self, case: Case, now: datetime) -> dict[str, Any]:
        """The SLA as the API and the console show it."""
        due = case.sla_due_at or self.due(case.priority, case.opened_at)
        answered = case.first_response_at
        if answered is not None:
            return {
                "due_at": due.isoformat(),
                "met": answered <= due,
                "breached": answered > due,
                "minutes_left": None,
                "paused": False,
            }
        breached = now > due
        left = 0.0 if breached else self.office.office_minutes_between(now, due)
        return {
            "due_at": due.isoformat(),
            "met": False,
            "breached": breached,
            "minutes_left": round(left),
            "paused": not self.office.is_open(now),  # the clock does not run out of hours
        }
