"""What the caseworkers' screens list: the queries behind the REST API and the console.

Every function runs inside the caller's transaction and returns rows or cards ready to show;
the web modules only parse the request and render what these return.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from core import store
from core.models import Conversation
from handoff import queue
from handoff.cards import case_summary, conversation_item, names_of
from handoff.errors import Forbidden
from handoff.models import AuditEntry, Case, Caseworker
from handoff.sla import Policy

__all__ = [
    "active_caseworkers",
    "audit_log",
    "board",
    "bot_conversations",
    "case_list",
    "find_caseworker",
    "held_by_colleague",
    "must_read",
    "person_conversations",
    "reads",
]


SUPERVISORS = ("supervisor", "admin")
# What a caseworker did on a case that shows they held it (a claim, or work on it).
HELD = ("claim", "reply", "note", "close", "release")


def _held(cw: Caseworker) -> Any:
    return exists().where(AuditEntry.caseworker_id == cw.id, AuditEntry.case_id == Case.id,
                          AuditEntry.action.in_(HELD))


def reads(session: Session, cw: Caseworker, case: Case) -> bool:
    """Need to know: supervisors read every case; a caseworker the one they hold or held."""
    if cw.role in SUPERVISORS or case.assignee_id == cw.id:
        return True
    return bool(session.scalar(select(_held(cw)).where(Case.id == case.id)))


def must_read(session: Session, cw: Caseworker, case: Case) -> None:
    """Refuse, saying what may be known: that the case exists, its status and who holds it."""
    if reads(session, cw, case):
        return
    if case.status == "queued":
        raise Forbidden(f"case {case.id} is in the queue: claim it to read it")
    holder = names_of(session).get(case.assignee_id or 0) if case.status == "claimed" else None
    raise Forbidden(f"case {case.id} is with {holder}" if holder else
                    f"case {case.id} is {case.status}: only those who held it and supervisors read it")


def _colleagues(c: Case, cw: Caseworker) -> bool:
    """A case a colleague holds, seen by an ordinary caseworker."""
    return c.status == "claimed" and c.assignee_id != cw.id and cw.role not in SUPERVISORS


def held_by_colleague(c: Case, names: dict[int, str]) -> dict[str, Any]:
    """All a caseworker learns of a colleague's case: that it exists, and who holds it."""
    holder = {"id": c.assignee_id, "name": names.get(c.assignee_id or 0, "")} if c.assignee_id else None
    return {"id": c.id, "status": c.status, "assignee": holder, "restricted": True}


def _card(c: Case, cw: Caseworker, policy: Policy, now: datetime, names: dict[int, str]) -> dict[str, Any]:
    if _colleagues(c, cw):
        return held_by_colleague(c, names)
    return case_summary(c, policy, now, names) | {"speaks": c.lang in cw.languages}


def case_list(session: Session, cw: Caseworker, status: str | None, policy: Policy,
              now: datetime) -> list[dict[str, Any]]:
    """Cases with ``status``: open ones in this caseworker's queue order, closed ones newest
    first (for a caseworker, those they held); without a status, every case not closed."""
    stmt = queue.ordered(cw, status) if status != "closed" else select(Case).where(
        Case.status == "closed").order_by(Case.closed_at.desc())
    if status == "closed":
        queue.audit(session, cw, "list_closed", None)
        if cw.role not in SUPERVISORS:
            stmt = stmt.where(_held(cw))
    if status is None:
        stmt = stmt.where(Case.status != "closed")
    names = names_of(session)
    return [_card(c, cw, policy, now, names) for c in session.scalars(stmt.limit(500))]


def board(session: Session, cw: Caseworker, policy: Policy, now: datetime) -> dict[str, list[dict[str, Any]]]:
    """The console's queue: waiting cases, this caseworker's, and the ones others hold."""
    names = names_of(session)
    rows = session.scalars(queue.ordered(cw, None).where(Case.status != "closed").limit(300)).all()

    def card(c: Case) -> dict[str, Any]:
        return _card(c, cw, policy, now, names)

    return {
        "queued": [card(c) for c in rows if c.status == "queued"],
        "mine": [card(c) for c in rows if c.status == "claimed" and c.assignee_id == cw.id],
        "others": [card(c) for c in rows if c.status == "claimed" and c.assignee_id != cw.id],
    }


def person_conversations(session: Session, cw: Caseworker, channel: str,
                         address: str) -> list[dict[str, Any]]:
    """One person's conversations, newest first. A supervisor looking a person up is audited."""
    contact = store.find_contact(session, channel, address)
    if contact is None:
        return []
    stmt = _latest_conversations().where(Conversation.contact_id == contact.id)
    queue.audit(session, cw, "view_conversations", None, channel=channel)
    return [conversation_item(session, c) for c in session.scalars(stmt)]


def bot_conversations(session: Session, channel: str | None) -> list[dict[str, Any]]:
    """The people still with the bot, newest first, on one channel or on all."""
    stmt = _latest_conversations().where(Conversation.status == "bot")
    if channel:
        stmt = stmt.where(Conversation.channel == channel)
    return [conversation_item(session, c) for c in session.scalars(stmt)]


def _latest_conversations() -> Select[Conversation]:
    return select(Conversation).order_by(Conversation.updated_at.desc()).limit(200)


def audit_log(session: Session, case_id: int | None = None, caseworker_id: int | None = None,
              action: str | None = None) -> list[dict[str, Any]]:
    """The latest 500 audit entries, newest first; only those of one case, one caseworker or
    one action when given."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)
    if case_id is not None:
        stmt = stmt.where(AuditEntry.case_id == case_id)
    if caseworker_id is not None:
        stmt = stmt.where(AuditEntry.caseworker_id == caseworker_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    names = names_of(session)
    return [
        {"id": e.id, "at": e.at.isoformat(), "caseworker_id": e.caseworker_id,
         "caseworker": names.get(e.caseworker_id or 0), "action": e.action, "case_id": e.case_id,
         "detail": e.detail}
        for e in session.scalars(stmt)
    ]


def find_caseworker(session: Session, caseworker_id: int | None = None,
                    email: str | None = None) -> Caseworker | None:
    """The caseworker with this id, else with this email (any case), else None."""
    found = session.get(Caseworker, caseworker_id) if caseworker_id is not None else None
    if found is None and email is not None:
        found = session.scalars(select(Caseworker).where(Caseworker.email == email.lower())).first()
    return found


def active_caseworkers(session: Session) -> Sequence[Caseworker]:
    """Who a case can be reassigned to."""
    return session.scalars(select(Caseworker).where(Caseworker.active.is_(True))).all()
