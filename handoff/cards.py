"""The case card: a case as the API returns it and the console shows it.

The intake record and the outcome are labelled in the caseworker's language; the transcript
stays in the language the person wrote in, oldest first. The person's address, the number they
gave and any long number they wrote stay masked until a reader reveals them (handoff.reveal):
a glance over a shoulder, or a screen left open, shows the last two digits and nothing more.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Contact, Conversation, Message
from dialogs.screening import NEEDS_NUMBER
from handoff.i18n import code_label, field_label, field_value
from handoff.models import Case, CaseNote, Caseworker
from handoff.pseudonym import pseudonym
from handoff.reply import blocked_reason
from handoff.sla import Policy

__all__ = ["case_detail", "case_summary", "conversation_item", "how_to_reach", "mask", "mask_numbers",
           "transcript"]

SHOWN = 2  # trailing characters a masked value keeps, enough to tell two people apart
# A phone number, a passport or an account number written in a message: nine digits or more,
# perhaps split by spaces, dots, dashes or brackets, perhaps after a "+".
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s.\-()]*\d){8,}")


def mask(value: str | None) -> str | None:
    """``value`` with all but its last characters hidden: "•••••••••••41"."""
    if not value:
        return value
    return "•" * max(0, len(value) - SHOWN) + value[-SHOWN:]


def mask_numbers(text: str) -> str:
    """``text`` with every long number in it masked, the rest as written."""
    return _LONG_NUMBER.sub(lambda m: mask(re.sub(r"\D", "", m.group())) or "", text)



def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def waiting_seconds(case: Case, now: datetime) -> int:
    """How long the person has waited for a first human answer (so far, or in total)."""
    end = case.first_response_at or case.closed_at or now
    return max(0, int((end - case.opened_at).total_seconds()))


def unread_since(case: Case) -> datetime | None:
    """When the person wrote what nobody holding the case has read yet, if they did."""
    last = case.last_inbound_at
    if last is None or case.status == "closed":
        return None
    return last if last > (case.seen_at or case.opened_at) else None


def case_summary(case: Case, policy: Policy, now: datetime, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": case.id,
        "pseudonym": pseudonym(case.contact_id),
        "conversation_id": case.conversation_id,
        "channel": case.channel,
        "status": case.status,
        "language": case.language,
        "programme": case.programme,
        "eligibility": case.eligibility,
        "priority": case.priority,
        "reasons": list(case.reasons or []),
        "assignee": (
            {"id": case.assignee_id, "name": names.get(case.assignee_id, "")} if case.assignee_id else None
        ),
        "opened_at": _iso(case.opened_at),
        "claimed_at": _iso(case.claimed_at),
        "closed_at": _iso(case.closed_at),
        "outcome": case.outcome,
        "waiting_seconds": waiting_seconds(case, now),
        "sla": policy.status(case, now),
        "escalated": case.escalated_at is not None,
        "follows": case.follows_id,
        "unread_at": _iso(unread_since(case)),
        "last_activity_at": _iso(max(filter(None, (case.last_inbound_at, case.last_activity_at,
                                                   case.opened_at)))),
    }


def transcript(session: Session, conversation_id: int, after: int = 0,
               revealed: bool = False) -> list[dict[str, Any]]:
    """Messages after id ``after``, oldest first; the person's long numbers masked unless
    ``revealed``."""
    rows = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.id > after)
        .order_by(Message.id)
    ).all()
    return [
        {
            "id": m.id,
            "direction": m.direction,
            "author": m.author,
            "text": m.body if revealed or m.direction == "out" else mask_numbers(m.body),
            "status": m.status,
            "at": _iso(m.created_at),
        }
        for m in rows
    ]


def names_of(session: Session) -> dict[int, str]:
    return {cw.id: cw.name for cw in session.scalars(select(Caseworker))}


def case_detail(session: Session, case: Case, policy: Policy, now: datetime, lang: str,
                revealed: bool = False) -> dict[str, Any]:
    """The full case card; ``lang`` (pt|en) is the caseworker's language for labels. Unless
    ``revealed``, the address and the numbers in it are masked."""
    conv = session.get(Conversation, case.conversation_id)
    contact = session.get(Contact, case.contact_id)
    record: dict[str, Any] = dict(conv.record or {}) if conv else {}
    address = contact.address if contact else None
    reach = how_to_reach(record, address, lang)
    messages = transcript(session, case.conversation_id, revealed=revealed)
    if not revealed:
        record, address, reach = _masked(record), mask(address), _masked_reach(reach)
    names = names_of(session)
    notes = session.scalars(select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id))
    out = case_summary(case, policy, now, names)
    out.update(
        {
            "address": address,
            "address_revealed": revealed,
            "record": record,
            "record_labelled": [
                {"field": k, "label": field_label(k, lang), "value": field_value(k, v, lang)}
                for k, v in record.items()
            ],
            "outcome_labelled": {
                "programme": code_label(case.programme, lang) if case.programme else None,
                "eligibility": code_label(case.eligibility, lang) if case.eligibility else None,
                "priority": code_label(case.priority, lang),
                "reasons": [code_label(r, lang) for r in case.reasons or []],
            },
            "rules_version": (conv.outcome or {}).get("rules_version") if conv else None,
            "transcript": messages,
            "unanswered": bool(messages) and messages[-1]["direction"] == "in",
            "notes": [
                {"id": n.id, "text": n.body, "author": names.get(n.caseworker_id or 0, ""), "at": _iso(n.created_at)}
                for n in notes
            ],
            "contact": reach,
            "contact_status": contact.status if contact else None,
            "can_send": None if contact is None else blocked_reason(contact, case.channel, now) is None,
            "blocked_reason": None if contact is None else blocked_reason(contact, case.channel, now),
        }
    )
    return out


def _masked(record: dict[str, Any]) -> dict[str, Any]:
    """The record with the number the person gave masked (not the "this_number" code)."""
    number = record.get("contact_phone")
    if isinstance(number, str) and number != "this_number":
        return record | {"contact_phone": mask(number)}
    return record


def _masked_reach(reach: dict[str, Any]) -> dict[str, Any]:
    """How to reach the person, without the number to dial until it is revealed."""
    return reach | {"phone": mask(reach["phone"]), "action": None} if reach["phone"] else reach


def how_to_reach(record: dict[str, Any], address: str | None, lang: str) -> dict[str, Any]:
    """How the person asked to be contacted, and the number to call or text when they gave
    one (or write from one): the console shows a call action for a phone call."""
    how = record.get("contact_preference") or "this_chat"
    number = record.get("contact_phone")
    if number == "this_number":
        number = address or None
    by_phone = how in NEEDS_NUMBER and bool(number)
    return {
        "preference": how,
        "label": code_label(how, lang),
        "phone": number if by_phone else None,
        "action": (f"tel:{number}" if how == "phone_call" else f"sms:{number}") if by_phone else None,
    }


def conversation_item(session: Session, conv: Conversation) -> dict[str, Any]:
    """A conversation as the supervisors' view lists it (DESIGN.md §3)."""
    open_case = session.scalars(
        select(Case.id).where(Case.conversation_id == conv.id).order_by(Case.id.desc())
    ).first()
    return {
        "id": conv.id,
        "channel": conv.channel,
        "status": conv.status,
        "language": conv.language,
        "expecting": conv.expecting,
        "record": _masked(dict(conv.record or {})),
        "outcome": conv.outcome,
        "case_id": open_case,
        "state": conv.state,
        "updated_at": _iso(conv.updated_at),
    }
