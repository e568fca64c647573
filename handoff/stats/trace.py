"""The statistical trace: codes kept for counting, written when they happen, kept by erasure.

Erasure blanks the intake record (core.privacy), and nationality, destination, trafficking
indicators and vulnerabilities live only there. So when a screening decides its outcome, when
a person opts out and when a person is erased, one row of codes is written here, in the same
transaction: no contact or conversation id, no address, nothing anyone wrote, and no day,
only the calendar month and the ISO week (in the office's time zone) it fell in. Nothing
links a row back to a person, and erasure has nothing here to remove.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Index, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, utcnow
from core.models import Contact, Conversation
from dialogs.screening import EXPLOITATION, INDICATORS, QUESTIONS

if TYPE_CHECKING:
    from core.pipeline import Tallied
    from core.turnsql import TurnSQL

__all__ = ["INDICATOR_CODES", "KINDS", "VULNERABILITY_CODES", "StatsTrace", "Tracer", "month_of",
           "week_of"]

KINDS = ("screening", "stop", "erase")
INDICATOR_CODES = (*(code for code, _ in INDICATORS), EXPLOITATION)
VULNERABILITY_CODES = tuple(
    c.value for q in QUESTIONS if q.state == "vulnerabilities" for c in q.options if c.value != "none")
_COUNTRY = 2  # ISO 3166-1 alpha-2; anything else is not a country code and is not kept


class StatsTrace(Base):
    """One counted event (a completed screening, an opt-out, an erasure) as codes only."""

    __tablename__ = "stats_trace"
    __table_args__ = (
        Index("ix_stats_trace_month", "kind", "month"),
        Index("ix_stats_trace_week", "kind", "week"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # screening|stop|erase
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    week: Mapped[date] = mapped_column(Date)  # the Monday of the ISO week
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    programme: Mapped[str | None] = mapped_column(String(32), default=None)
    eligibility: Mapped[str | None] = mapped_column(String(32), default=None)
    priority: Mapped[str | None] = mapped_column(String(16), default=None)
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    destination: Mapped[str | None] = mapped_column(String(2), default=None)
    # Known codes between commas (",debt,unpaid_wages,"): counted in SQL with LIKE.
    indicators: Mapped[str] = mapped_column(String(400), default="")
    vulnerabilities: Mapped[str] = mapped_column(String(400), default="")


INSERT = (
    "INSERT INTO stats_trace (kind, month, week, channel, language, programme, eligibility, "
    "priority, nationality, destination, indicators, vulnerabilities) "
    "VALUES (:kind, :month, :week, :channel, :language, :programme, :eligibility, :priority, "
    ":nationality, :destination, :indicators, :vulnerabilities)"
)


def month_of(day: date) -> date:
    return day.replace(day=1)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _country(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and len(value) == _COUNTRY and value.isalpha() else None


def _codes(values: Any, known: Iterable[str]) -> str:
    """Only codes from the fixed list: a list field never carries what someone wrote here."""
    given = set(values) if isinstance(values, list | tuple) else set()
    chosen = [code for code in known if code in given]
    return f",{','.join(chosen)}," if chosen else ""


def row(kind: str, when: datetime, zone: tzinfo, channel: str, language: str | None,
        outcome: Mapping[str, Any] | None = None, record: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The trace row for an event: codes, and the month and week (never the day)."""
    day = when.astimezone(zone).date()
    outcome, record = outcome or {}, record or {}
    return {
        "kind": kind, "month": month_of(day), "week": week_of(day), "channel": channel[:16],
        "language": (language or None) and language[:16],
        "programme": outcome.get("programme"), "eligibility": outcome.get("eligibility"),
        "priority": outcome.get("priority"),
        "nationality": _country(record.get("nationality")),
        "destination": _country(record.get("destination_country")),
        "indicators": _codes(record.get("trafficking_indicators"), INDICATOR_CODES),
        "vulnerabilities": _codes(record.get("vulnerabilities"), VULNERABILITY_CODES),
    }


class Tracer:
    """Writes the trace: a pipeline tally (screenings, opt-outs) and an erase hook."""

    def __init__(self, zone: tzinfo | str = "Europe/Lisbon") -> None:
        self.zone = ZoneInfo(zone) if isinstance(zone, str) else zone
        self._insert: dict[bool, str] = {}

    def tally(self, raw: Any, sql: TurnSQL, now: datetime, event: Tallied) -> None:
        """In the turn's transaction, with one driver-level statement (core.pipeline.Tally)."""
        values = row(event.event, now, self.zone, event.channel, event.language, event.outcome,
                     event.record)
        statement = self._insert.get(sql.postgres)
        if statement is None:
            statement = self._insert[sql.postgres] = sql.prepare(INSERT)
        if not sql.postgres:  # stored as SQLAlchemy's Date stores it on SQLite: ISO text
            values = {**values, "month": values["month"].isoformat(), "week": values["week"].isoformat()}
        raw.execute(statement, values)

    def on_erase(self, session: Session, contact: Contact) -> None:
        """An erase hook (core.privacy): count the erasure, in the person's last language."""
        language = session.scalar(select(Conversation.language).where(
            Conversation.contact_id == contact.id).order_by(Conversation.id.desc()).limit(1))
        session.add(StatsTrace(**row("erase", utcnow(), self.zone, contact.channel, language)))
