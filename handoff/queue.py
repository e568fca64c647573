"""The queue: open, list, claim, release, reassign, note and close cases; sweep idle claims.

Every function runs inside a caller's transaction. Claims are atomic: PostgreSQL locks the
chosen row (``FOR UPDATE SKIP LOCKED`` for "next case", ``FOR UPDATE`` for a named one);
SQLite's ``BEGIN IMMEDIATE`` already serialises writers. Lock order is always contact, then
case (as the turn pipeline does), so a caseworker's action never deadlocks with a turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, literal, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Contact, Conversation, Message
from core.turnsql import ConversationRow, TurnSQL
from handoff.errors import Conflict, Forbidden, Invalid, NotFound
from handoff.models import PRIORITIES, AuditEntry, Case, CaseNote, Caseworker
from handoff.sla import Policy

__all__ = [
    "OUTCOMES",
    "add_note",
    "audit",
    "claim",
    "claim_next",
    "close",
    "get_case",
    "lock_for_person",
    "open_case",
    "open_case_rows",
    "ordered",
    "reassign",
    "release",
    "sweep_idle",
    "unanswered",
]

# Close codes: what came of the case (listed in the OpenAPI document).
OUTCOMES = (
    "referred_arvore",
    "referred_eu_trafficking_fund",
    "referred_trafficking_support",
    "referred_asylum",
    "referred_other",
    "information_given",
    "not_eligible",
    "no_response",
    "duplicate",
    "withdrawn",
)


def base_language(locale: str | None) -> str:
    return (locale or "en").replace("-", "_").split("_")[0].lower()


def audit(session: Session, who: Caseworker | None, action: str, case_id: int | None = None, **detail: Any) -> None:
    session.add(AuditEntry(caseworker_id=who.id if who else None, action=action, case_id=case_id, detail=detail))


def _priority(asked: str | None) -> str:
    """The priority a case opens with: what the outcome (or the caller) asks, if it is one."""
    return asked if asked in PRIORITIES else "normal"


def new_case(conv: Conversation | ConversationRow, wanted: str, policy: Policy,
             now: datetime) -> dict[str, Any]:
    """What a new case holds, column by column: the one rule for both ways of opening one."""
    outcome = conv.outcome or {}
    return {
        "conversation_id": conv.id, "contact_id": conv.contact_id, "channel": conv.channel,
        "language": conv.language or "en", "lang": base_language(conv.language),
        "status": "queued", "priority": wanted, "rank": PRIORITIES[wanted],
        "reasons": [str(r) for r in outcome.get("reasons") or []],
        "programme": outcome.get("programme"), "eligibility": outcome.get("eligibility"),
        "opened_at": now, "queued_at": now, "sla_due_at": policy.due(wanted, now), "version": 0,
    }


def open_case(
    session: Session, conv: Conversation, policy: Policy, now: datetime, priority: str | None = None
) -> tuple[Case, bool]:
    """The conversation's open case, created or raised to ``priority``; True when new."""
    outcome = conv.outcome or {}
    wanted = _priority(priority or outcome.get("priority"))
    reasons = [str(r) for r in outcome.get("reasons") or []]
    existing = session.scalars(
        select(Case).where(Case.conversation_id == conv.id, Case.status != "closed").with_for_update()
    ).first()
    if existing is not None:
        if PRIORITIES[wanted] < existing.rank:
            existing.priority, existing.rank = wanted, PRIORITIES[wanted]
            existing.sla_due_at = policy.due(wanted, existing.opened_at)
        existing.reasons = list(dict.fromkeys([*existing.reasons, *reasons]))
        existing.programme = outcome.get("programme") or existing.programme
        existing.eligibility = outcome.get("eligibility") or existing.eligibility
        return existing, False
    created = Case(**new_case(conv, wanted, policy, now))
    session.add(created)
    session.flush()
    audit(session, None, "open", created.id, priority=wanted)
    return created, True


# The same case, written by the turn's own connection (see ``open_case_rows``).
OPEN_CASE_EXISTS = "SELECT id FROM handoff_case WHERE conversation_id = :conv AND status <> 'closed'"
_CASE_COLUMNS = ("conversation_id", "contact_id", "channel", "language", "lang", "status",
                 "priority", "rank", "reasons", "programme", "eligibility", "opened_at",
                 "queued_at", "sla_due_at", "version")
OPEN_CASE = (f"INSERT INTO handoff_case ({', '.join(_CASE_COLUMNS)}) "
             f"VALUES ({', '.join(':' + c for c in _CASE_COLUMNS)})")
AUDIT_ENTRY = "INSERT INTO audit_log (at, action, case_id, detail) VALUES (:now, :action, :case, :detail)"


def open_case_rows(raw: Any, sql: TurnSQL, conv: ConversationRow, policy: Policy, now: datetime) -> int | None:
    """``open_case`` for the common case, in the statements of the turn (core.turnsql): a new
    case that nobody needs to hear of at once. None, having written nothing, when the
    conversation has an open case already or the case is urgent (``open_case`` handles both)."""
    outcome = conv.outcome or {}
    wanted = _priority(outcome.get("priority"))
    if wanted == "urgent" or raw.execute(sql.prepare(OPEN_CASE_EXISTS), {"conv": conv.id}).fetchone():
        return None
    when = sql.time(now)
    values = new_case(conv, wanted, policy, now)
    values.update(reasons=sql.json(values["reasons"]), opened_at=when, queued_at=when,
                  sla_due_at=sql.time(values["sla_due_at"]))
    case_id = sql.new_id(raw.execute(sql.returning(OPEN_CASE), values))
    raw.execute(sql.prepare(AUDIT_ENTRY), {
        "now": when, "action": "open", "case": case_id, "detail": sql.json({"priority": wanted}),
    })
    return case_id


def ordered(cw: Caseworker | None, status: str | None = "queued", now: datetime | None = None) -> Select[Case]:
    """Cases in queue order for this caseworker.

    Urgent cases first (safety does not wait for anything); then those past their reply time
    (``now`` given); then priority; then the caseworker's languages; then the longest waiting.
    A high-priority case in a language nobody on shift reads still comes before a normal one
    they do: it can be passed on, it must not sink.
    """
    stmt = select(Case)
    if status:
        stmt = stmt.where(Case.status == status)
    speaks = [base_language(x) for x in (cw.languages if cw else [])]
    match = case((Case.lang.in_(speaks), 0), else_=1) if speaks else literal(0)
    urgent = case((Case.rank == 0, 0), else_=1)
    late = literal(0) if now is None else case(
        (and_(Case.first_response_at.is_(None), Case.sla_due_at < now), 0), else_=1)
    return stmt.order_by(urgent, late, Case.rank, match, Case.queued_at, Case.id)


def get_case(session: Session, case_id: int, lock: bool = False) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = session.scalars(stmt).first()
    if found is None:
        raise NotFound(f"case {case_id} does not exist")
    return found


def lock_for_person(session: Session, case_id: int) -> tuple[Case, Contact, Conversation]:
    """Lock the person (contact row) then the case: the order the turn pipeline uses."""
    contact_id = session.scalar(select(Case.contact_id).where(Case.id == case_id))
    if contact_id is None:
        raise NotFound(f"case {case_id} does not exist")
    contact = session.scalars(
        select(Contact).where(Contact.id == contact_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    found = get_case(session, case_id, lock=True)
    conv = session.get(Conversation, found.conversation_id, populate_existing=True)
    assert conv is not None  # the foreign key guarantees it
    return found, contact, conv


def _take(found: Case, cw: Caseworker, now: datetime) -> None:
    found.status, found.assignee_id = "claimed", cw.id
    found.claimed_at = found.last_activity_at = now
    found.version += 1


def claim(session: Session, case_id: int, cw: Caseworker, now: datetime) -> Case:
    found = get_case(session, case_id, lock=True)
    if found.status == "claimed" and found.assignee_id == cw.id:
        return found  # claiming twice is harmless (a double click)
    if found.status != "queued":
        raise Conflict(f"case {case_id} is {found.status}, not queued")
    _take(found, cw, now)
    audit(session, cw, "claim", found.id)
    return found


def claim_next(session: Session, cw: Caseworker, now: datetime) -> Case | None:
    """Claim the first case of this caseworker's queue order; None when the queue is empty."""
    found = session.scalars(ordered(cw, now=now).limit(1).with_for_update(skip_locked=True)).first()
    if found is None:
        return None
    _take(found, cw, now)
    audit(session, cw, "claim", found.id)
    return found


def must_hold(found: Case, cw: Caseworker, acting: str) -> None:
    """Only the assignee acts on a claimed case; supervisors may step in."""
    if found.status == "closed":
        raise Conflict(f"case {found.id} is closed")
    if found.status != "claimed":
        raise Conflict(f"claim case {found.id} before you {acting}")
    if found.assignee_id != cw.id and cw.role not in ("supervisor", "admin"):
        raise Forbidden(f"case {found.id} is claimed by another caseworker")


def release(session: Session, case_id: int, cw: Caseworker, now: datetime) -> Case:
    found = get_case(session, case_id, lock=True)
    must_hold(found, cw, "release it")
    found.status, found.assignee_id, found.claimed_at = "queued", None, None
    found.version += 1
    audit(session, cw, "release", found.id)
    return found


def reassign(session: Session, case_id: int, to: Caseworker, by: Caseworker, now: datetime) -> Case:
    if by.role not in ("supervisor", "admin"):
        raise Forbidden("only supervisors reassign cases")
    if not to.active:
        raise Invalid(f"{to.email} is not an active caseworker")
    found = get_case(session, case_id, lock=True)
    if found.status == "closed":
        raise Conflict(f"case {case_id} is closed")
    _take(found, to, now)
    audit(session, by, "reassign", found.id, to=to.id)
    return found


def add_note(session: Session, case_id: int, cw: Caseworker, text: str, now: datetime) -> CaseNote:
    text = text.strip()
    if not text:
        raise Invalid("a note needs text")
    if len(text) > 4000:
        raise Invalid("a note can be at most 4000 characters")
    found = get_case(session, case_id)
    if found.status == "closed":
        raise Conflict(f"case {found.id} is closed")
    if found.status == "claimed" and found.assignee_id != cw.id and cw.role == "caseworker":
        raise Forbidden(f"case {found.id} is claimed by another caseworker")
    note = CaseNote(case_id=found.id, caseworker_id=cw.id, body=text)
    session.add(note)
    if found.status == "claimed" and found.assignee_id == cw.id:
        found.last_activity_at = now  # working on the case keeps the claim alive
    session.flush()
    audit(session, cw, "note", found.id)
    return note


def unanswered(session: Session, conversation_id: int) -> bool:
    """Whether the last message of the conversation is the person's, with no answer after it."""
    last = session.scalars(select(Message.direction).where(Message.conversation_id == conversation_id)
                           .order_by(Message.id.desc()).limit(1)).first()
    return last == "in"


def close(session: Session, case_id: int, cw: Caseworker, outcome: str, now: datetime,
          anyway: bool = True) -> Case:
    """Close the case and hand the person back to the bot (writing again soon reopens it).
    Unless ``anyway``, refused while the person's last message has no answer."""
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome must be one of: {', '.join(OUTCOMES)}")
    found, _contact, conv = lock_for_person(session, case_id)
    must_hold(found, cw, "close it")
    if not anyway and unanswered(session, conv.id):
        raise Conflict("the person's last message has no answer: close anyway, or answer first")
    found.status, found.outcome, found.closed_at = "closed", outcome, now
    found.version += 1
    if conv.status == "handoff":
        # The pipeline starts a fresh conversation on the person's next message.
        conv.status = "closed"
    audit(session, cw, "close", found.id, outcome=outcome)
    return found


def forget_contact(session: Session, contact: Contact) -> None:
    """Erasure (core.privacy): close the person's open cases and blank every note on them,
    the notes that explained a reveal of their address included."""
    cases = session.scalars(select(Case).where(Case.contact_id == contact.id)).all()
    for found in cases:
        if found.status != "closed":
            found.status, found.outcome, found.closed_at = "closed", "withdrawn", utcnow()
            found.version += 1
        for note in session.scalars(select(CaseNote).where(CaseNote.case_id == found.id)):
            note.body = ""
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.case_id == found.id,
                                                              AuditEntry.action == "reveal")):
            entry.detail = {**(entry.detail or {}), "note": ""}


def sweep_idle(session: Session, policy: Policy, now: datetime) -> Sequence[int]:
    """Claims idle longer than the policy allows go back to the queue (keeping their place)."""
    stale = session.scalars(
        select(Case)
        .where(Case.status == "claimed", Case.last_activity_at < now - policy.claim_idle)
        .with_for_update(skip_locked=True)
    ).all()
    for found in stale:
        found.status, found.assignee_id, found.claimed_at = "queued", None, None
        found.version += 1
        audit(session, None, "auto_release", found.id)
    return [c.id for c in stale]
