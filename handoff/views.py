"""What the caseworkers' screens list: the queries behind the REST API and the console.

Every function runs inside the caller's transaction and returns rows or cards ready to show;
the web modules only parse the request and render what these return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, select
from sqlalchemy.orm import Session

from channels.registry import NAMES
from core import store
from core.models import Conversation, Message
from handoff import queue
from handoff.cards import case_summary, conversation_item, names_of
from handoff.errors import Forbidden, NotFound
from handoff.models import PRIORITIES, AuditEntry, Case, Caseworker
from handoff.pseudonym import contact_of
from handoff.sla import Policy

__all__ = [
    "Filters",
    "active_caseworkers",
    "audit_log",
    "board",
    "bot_conversations",
    "case_list",
    "find_caseworker",
    "held_by_colleague",
    "mark_seen",
    "must_read",
    "open_languages",
    "overview",
    "person_conversations",
    "person_message",
    "reads",
    "recent_deliveries",
]


SUPERVISORS = ("supervisor", "admin")
# What a caseworker did on a case that shows they held it (a claim, or work on it).
HELD = ("claim", "reply", "note", "close", "release")


STATUSES = ("queued", "claimed", "closed")


@dataclass(frozen=True)
class Filters:
    """What a caseworker narrowed the queue to; an unknown value narrows nothing."""

    status: str | None = None
    language: str | None = None
    channel: str | None = None
    priority: str | None = None
    holder: int | None = None
    search: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        def pick(name: str, allowed: Sequence[str]) -> str | None:
            value = query.get(name, "")
            return value if value in allowed else None

        holder = query.get("holder", "")
        language = query.get("language", "").strip().lower()
        return cls(
            status=pick("status", STATUSES), channel=pick("channel", NAMES),
            priority=pick("priority", tuple(PRIORITIES)),
            language=language if language.isascii() and language.isalpha() and len(language) <= 8 else None,
            holder=int(holder) if holder.isascii() and holder.isdigit() and len(holder) < 10 else None,
            search=" ".join(query.get("q", "").split())[:64],
        )

    @property
    def narrowed(self) -> bool:
        return any((self.language, self.channel, self.priority, self.holder, self.search))

    def apply(self, stmt: Select[Case]) -> Select[Case]:
        if self.language:
            stmt = stmt.where(Case.lang == self.language)
        if self.channel:
            stmt = stmt.where(Case.channel == self.channel)
        if self.priority:
            stmt = stmt.where(Case.priority == self.priority)
        if self.holder is not None:
            stmt = stmt.where(Case.assignee_id == self.holder)
        if self.search:
            stmt = stmt.where(_found(self.search))
        return stmt


def _found(search: str) -> Any:
    """A case id ("12", "#12") or a pseudonym ("Bamiro", every case of that person)."""
    number = search.lstrip("#")
    if number.isascii() and number.isdigit() and len(number) < 10:
        return Case.id == int(number)
    contact = contact_of(search)
    return Case.contact_id == contact if contact is not None else false()


def _held(cw: Caseworker) -> Any:
    return exists().where(AuditEntry.caseworker_id == cw.id, AuditEntry.case_id == Case.id,
                          AuditEntry.action.in_(HELD))


def readable(cw: Caseworker) -> Any:
    """Which cases a caseworker may read, as a condition on Case; None for supervisors (all)."""
    return None if cw.role in SUPERVISORS else (Case.assignee_id == cw.id) | _held(cw)


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
              now: datetime, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Cases with ``status``: open ones in this caseworker's queue order, closed ones newest
    first (for a caseworker, those they held); without a status, every case not closed."""
    stmt = queue.ordered(cw, status, now) if status != "closed" else select(Case).where(
        Case.status == "closed").order_by(Case.closed_at.desc())
    if status == "closed":
        queue.audit(session, cw, "list_closed", None)
        if cw.role not in SUPERVISORS:
            stmt = stmt.where(_held(cw))
    if status is None:
        stmt = stmt.where(Case.status != "closed")
    if filters is not None:
        stmt = filters.apply(stmt)
    names = names_of(session)
    return [_card(c, cw, policy, now, names) for c in session.scalars(stmt.limit(500))]


def board(session: Session, cw: Caseworker, policy: Policy, now: datetime,
          filters: Filters | None = None) -> dict[str, list[dict[str, Any]]]:
    """The console's queue: waiting cases, this caseworker's, and the ones others hold; or,
    filtered by the closed status, the closed cases this caseworker may read."""
    filters = filters or Filters()
    if filters.status == "closed":
        return {"closed": case_list(session, cw, "closed", policy, now, filters)}
    names = names_of(session)
    stmt = filters.apply(queue.ordered(cw, filters.status, now).where(Case.status != "closed"))
    rows = session.scalars(stmt.limit(300)).all()

    def card(c: Case) -> dict[str, Any]:
        return _card(c, cw, policy, now, names)

    return {
        "queued": [card(c) for c in rows if c.status == "queued"],
        "mine": [card(c) for c in rows if c.status == "claimed" and c.assignee_id == cw.id],
        "others": [card(c) for c in rows if c.status == "claimed" and c.assignee_id != cw.id],
    }


def overview(session: Session, now: datetime) -> dict[str, Any]:
    """The supervisor's view of the day: open cases by status and priority, those past their
    reply time, and who holds what and since when."""
    counts = {(status, priority): n for status, priority, n in session.execute(
        select(Case.status, Case.priority, func.count()).where(Case.status != "closed")
        .group_by(Case.status, Case.priority))}
    late = session.scalar(select(func.count()).where(
        Case.status != "closed", Case.first_response_at.is_(None), Case.sla_due_at < now)) or 0
    held = session.execute(
        select(Caseworker.id, Caseworker.name, func.count(Case.id), func.min(Case.claimed_at))
        .join(Case, and_(Case.assignee_id == Caseworker.id, Case.status == "claimed"))
        .group_by(Caseworker.id, Caseworker.name).order_by(func.count(Case.id).desc())).all()
    return {
        "counts": {status: {p: counts.get((status, p), 0) for p in PRIORITIES} for status in ("queued", "claimed")},
        "totals": {status: sum(counts.get((status, p), 0) for p in PRIORITIES) for status in ("queued", "claimed")},
        "breached": late,
        "holders": [{"id": i, "name": name, "cases": n,
                     "oldest_minutes": int((now - since).total_seconds() // 60) if since else None}
                    for i, name, n, since in held],
    }


def open_languages(session: Session) -> list[str]:
    """The base languages of the open cases, for the queue's filter."""
    return [lang for lang in session.scalars(select(Case.lang).where(Case.status != "closed").distinct()) if lang]


def recent_deliveries(session: Session, conversation_id: int, last: int = 20) -> list[dict[str, Any]]:
    """The delivery status of the latest messages sent to the person (newest first)."""
    rows = session.execute(select(Message.id, Message.status).where(
        Message.conversation_id == conversation_id, Message.direction == "out")
        .order_by(Message.id.desc()).limit(last))
    return [{"id": i, "status": status} for i, status in rows]


def person_message(session: Session, conversation_id: int, message_id: int) -> Message:
    """A message the person wrote in this conversation, or NotFound."""
    found = session.get(Message, message_id)
    if found is None or found.conversation_id != conversation_id or found.direction != "in":
        raise NotFound(f"message {message_id} is not the person's in this case")
    return found


def mark_seen(case: Case, cw: Caseworker, now: datetime) -> None:
    """Its holder read the case: what the person wrote so far is no longer unread."""
    if case.assignee_id == cw.id and case.last_inbound_at is not None and (
            case.seen_at is None or case.seen_at < case.last_inbound_at):
        case.seen_at = now


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
