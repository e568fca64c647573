"""Revealing a person's address: an explicit, audited step, never a side effect of reading.

The case card masks the address, the number the person gave and long numbers in what they
wrote (handoff.cards). A reader of the case (handoff.views.reads) reveals them by saying why;
the audit keeps who, when, why, and the reveal lasts ``REVEAL_FOR`` for that reader and case,
long enough to make the call, short enough that a screen left open hides it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff import views
from handoff.errors import Invalid
from handoff.models import AuditEntry, Case, Caseworker

__all__ = ["MAX_NOTE", "REASONS", "REVEAL_FOR", "Revealed", "reveal", "revealed"]

REVEAL_FOR = timedelta(minutes=15)
# Why an address is needed; "other" must say why in a note.
REASONS = ("contact_person", "safety", "referral", "identity", "other")
MAX_NOTE = 200


@dataclass(frozen=True)
class Revealed:
    """A reveal still in force: when, why, and the note that explained it."""

    at: datetime
    reason: str
    note: str

    def as_json(self) -> dict[str, Any]:
        return {"revealed_at": self.at.isoformat(), "reason": self.reason, "note": self.note or None}


def _reason(reason: Any, note: Any) -> tuple[str, str]:
    """The reason code and the note, checked: a known reason, and a note when it is "other"."""
    if not isinstance(reason, str) or reason not in REASONS:
        raise Invalid(f"reason must be one of: {', '.join(REASONS)}")
    if note is not None and not isinstance(note, str):
        raise Invalid("note must be text")
    text = " ".join((note or "").split())
    if len(text) > MAX_NOTE:
        raise Invalid(f"a note is {MAX_NOTE} characters at most")
    if reason == "other" and len(text) < 3:
        raise Invalid("say why in a note when the reason is other")
    return reason, text


def reveal(session: Session, cw: Caseworker, case: Case, reason: Any, note: Any, now: datetime) -> Revealed:
    """Reveal ``case``'s address to ``cw`` for ``REVEAL_FOR``, audited with the reason."""
    views.must_read(session, cw, case)
    code, text = _reason(reason, note)
    # Timed by the service's clock, which says how long the reveal lasts.
    session.add(AuditEntry(caseworker_id=cw.id, action="reveal", case_id=case.id, at=now,
                           detail={"reason": code, "note": text}))
    return Revealed(now, code, text)


def revealed(session: Session, cw: Caseworker, case: Case, now: datetime) -> Revealed | None:
    """The reveal of ``case`` to ``cw`` still in force, if any (and only while they may read it)."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.case_id == case.id, AuditEntry.caseworker_id == cw.id,
               AuditEntry.action == "reveal", AuditEntry.at >= now - REVEAL_FOR)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None or not views.reads(session, cw, case):
        return None
    detail = entry.detail or {}
    return Revealed(entry.at, str(detail.get("reason", "")), str(detail.get("note", "")))
