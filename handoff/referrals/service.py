"""Referrals from a case: prepared from the fields a caseworker chose, checked against the
person's consent, queued for delivery, answered by the partner, withdrawn by the person.

Every function runs inside the caller's transaction; the courier (``courier``) delivers what
is queued after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.registry import NAMES, capabilities
from dialogs.base import Reply, Text
from handoff.errors import Conflict, Invalid, NotFound
from handoff.models import Case, Caseworker
from handoff.queue import audit, lock_for_person, must_hold
from handoff.referrals import consent, sheet
from handoff.referrals.fields import values_of
from handoff.referrals.models import STATUSES, Referral
from handoff.referrals.partners import Directory, Partner

if TYPE_CHECKING:
    from core.models import Contact
    from core.pipeline import Pipeline

__all__ = ["ANSWERS", "answer", "create", "item", "mark_sent", "partner_of", "withdraw_contact"]

# What a partner (or a caseworker for them) may say of a referral, from which statuses.
ANSWERS = {"acknowledged": ("sent",), "accepted": ("sent", "acknowledged"),
           "declined": ("sent", "acknowledged")}


def partner_of(directory: Directory, partner_id: Any) -> Partner:
    found = directory.get(partner_id) if isinstance(partner_id, str) else None
    if found is None:
        raise Invalid(f"unknown partner {partner_id!r}: GET /api/v1/partners lists them")
    return found


def _reference() -> str:
    return "R-" + secrets.token_hex(6).upper()


def phone_address(contact: Contact) -> str | None:
    """The number the person writes from, when their channel has one (SMS, WhatsApp)."""
    if contact.channel in NAMES and capabilities(contact.channel).phone_address and contact.address:
        return contact.address.removeprefix("whatsapp:")
    return None


def create(session: Session, directory: Directory, case_id: int, cw: Caseworker, partner_id: Any,
           fields: Any, purpose: Any, notify: bool, now: datetime, *, paper: bool = False,
           can_mail: bool = True) -> Referral:
    """A referral of case ``case_id`` to a partner, with only ``fields``; Conflict (409) when the
    person has not agreed to exactly this. ``paper``: printed and handed over, whatever the
    partner's own channel."""
    partner = partner_of(directory, partner_id)
    delivery = "paper" if paper else partner.delivery
    if delivery == "email" and not can_mail:
        raise Conflict("no mail server is configured (INTAKE_SMTP_HOST): send it on paper instead")
    chosen = consent.chosen_fields(fields)
    found, contact, conv = lock_for_person(session, case_id)
    must_hold(found, cw, "refer")
    if contact.status == "erased":
        raise Conflict("the person erased their data: nothing can be shared")
    agreed = consent.covering(session, contact.id, partner, chosen)
    purpose = purpose if isinstance(purpose, str) and purpose else agreed.purpose
    if purpose != agreed.purpose:
        raise Conflict(f"the person agreed to share for {agreed.purpose}, not {purpose}")
    values = values_of(chosen, conv.record or {}, conv.language or found.language, phone_address(contact))
    row = Referral(
        reference=_reference(), case_id=found.id, contact_id=contact.id, consent_id=agreed.id,
        partner=partner.id, purpose=purpose, fields=chosen, shared=values, status="prepared",
        notify_person=notify, created_by=cw.id, note="", created_at=now, delivery=delivery,
        delivery_status="none" if delivery == "paper" else "pending", attempts=0,
        next_attempt_at=now,
    )
    session.add(row)
    session.flush()
    audit(session, cw, "referral", found.id, referral=row.id, partner=partner.id, fields=chosen,
          purpose=purpose, delivery=delivery)
    return row


def get(session: Session, referral_id: int, lock: bool = False) -> Referral:
    stmt = select(Referral).where(Referral.id == referral_id)
    if lock:
        stmt = stmt.with_for_update()
    found = session.scalars(stmt).first()
    if found is None:
        raise NotFound(f"referral {referral_id} does not exist")
    return found


def tell_person(session: Session, pipeline: Pipeline, row: Referral, directory: Directory) -> None:
    """The person hears that their details went, and to whom (unless that is unsafe)."""
    if not row.notify_person or row.case_id is None:
        return
    _case, contact, conv = lock_for_person(session, row.case_id)
    if contact.status != "active":
        return
    partner = directory.get(row.partner)
    language = conv.language or "en"
    told = Reply((Text(consent.SENT, {"organisation": partner.short if partner else row.partner}),), kind="info")
    pipeline.queue(session, contact, conv, [pipeline.renderer.reply(told, language)], language)


def mark_sent(session: Session, pipeline: Pipeline, directory: Directory, referral_id: int,
              cw: Caseworker | None, now: datetime) -> Referral:
    """A referral delivered: by the courier, or on paper by a caseworker who says so."""
    row = get(session, referral_id, lock=True)
    if row.status != "prepared":
        raise Conflict(f"referral {row.id} is {row.status}, not prepared")
    if cw is not None:
        if row.delivery != "paper":
            raise Conflict(f"referral {row.id} goes by {row.delivery}: it is marked sent when delivered")
        if row.case_id is not None:
            found = session.get(Case, row.case_id)
            if found is not None:
                must_hold(found, cw, "mark a referral sent")
    row.status, row.sent_at = "sent", now
    audit(session, cw, "referral_sent", row.case_id, referral=row.id, partner=row.partner)
    tell_person(session, pipeline, row, directory)
    return row


def answer(session: Session, row: Referral, status: Any, note: Any, cw: Caseworker | None,
           now: datetime) -> Referral:
    """The partner's answer, recorded by hand (``cw``) or arriving on their webhook."""
    if status not in ANSWERS:
        raise Invalid(f"status must be one of {', '.join(ANSWERS)}")
    if row.status not in ANSWERS[status]:
        raise Conflict(f"referral {row.id} is {row.status}: it cannot become {status}")
    if note is not None and (not isinstance(note, str) or len(note) > consent.MAX_NOTE):
        raise Invalid(f"note must be text of at most {consent.MAX_NOTE} characters")
    if cw is not None and row.case_id is not None:
        found = session.get(Case, row.case_id)
        if found is not None and found.status != "closed":
            must_hold(found, cw, "record a partner's answer")
    row.status, row.answered_at = status, now
    if note:
        row.note = note.strip()
    audit(session, cw, "referral_answer", row.case_id, referral=row.id, partner=row.partner, status=status)
    return row


def notice_given(session: Session, row: Referral, cw: Caseworker) -> Referral:
    """A paper partner was told by hand to delete what they received (the person withdrew)."""
    if not row.notice_due or row.delivery != "paper":
        raise Conflict(f"referral {row.id} owes no notice to give by hand")
    if row.case_id is not None:
        found = session.get(Case, row.case_id)
        if found is not None and found.status != "closed":
            must_hold(found, cw, "record that the partner was told")
    row.notice_due = False
    audit(session, cw, "referral_notice_sent", row.case_id, referral=row.id, partner=row.partner, by_hand=True)
    return row


def withdraw_contact(session: Session, contact_id: int, now: datetime) -> list[Referral]:
    """The person withdrew: nothing more goes; partners who already hold their details are
    asked to delete them (a notice through the same delivery). Returns those referrals."""
    consent.withdraw_all(session, contact_id, now)
    told: list[Referral] = []
    for row in session.scalars(select(Referral).where(
            Referral.contact_id == contact_id, Referral.status != "withdrawn").with_for_update()):
        in_flight = row.delivery_status == "sending"  # the courier settles it, then the notice goes
        delivered = row.status != "prepared"
        row.status, row.withdrawn_at = "withdrawn", now
        if delivered or in_flight:
            row.notice_due = True
            told.append(row)
            if not in_flight and row.delivery != "paper":
                row.delivery_status, row.next_attempt_at, row.attempts = "pending", now, 0
        elif row.delivery_status == "pending":
            row.delivery_status = "cancelled"
        audit(session, None, "referral_withdrawn", row.case_id, referral=row.id, partner=row.partner)
    return told


def forget(session: Session, contact_id: int) -> None:
    """Erasure: the shared values and notes go; partner, purpose, status and dates stay."""
    from handoff.referrals.models import ReferralConsent

    for row in session.scalars(select(Referral).where(Referral.contact_id == contact_id)):
        row.shared, row.note = {}, ""
        if row.delivery_status == "pending" and not row.notice_due:
            row.delivery_status = "cancelled"
    for given in session.scalars(select(ReferralConsent).where(ReferralConsent.contact_id == contact_id)):
        given.note = ""
        if given.status == "asked":
            given.status = "superseded"


def item(row: Referral, directory: Directory, with_values: bool = False) -> dict[str, Any]:
    partner = directory.get(row.partner)
    out: dict[str, Any] = {
        "id": row.id, "reference": row.reference, "case_id": row.case_id, "partner": row.partner,
        "partner_name": partner.name if partner else row.partner, "purpose": row.purpose,
        "fields": list(row.fields), "status": row.status, "delivery": row.delivery,
        "delivery_status": row.delivery_status, "notify_person": row.notify_person,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        "withdrawal_notice_due": row.notice_due,
        "last_error": row.last_error,
    }
    if with_values:
        out["values"] = dict(row.shared or {})
        out["note"] = row.note or None
    return out


def for_case(session: Session, case_id: int) -> Sequence[Referral]:
    return session.scalars(select(Referral).where(Referral.case_id == case_id).order_by(Referral.id)).all()


def by_status(session: Session, status: str | None, case_ids: Any | None) -> Sequence[Referral]:
    if status is not None and status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    stmt = select(Referral).order_by(Referral.id.desc()).limit(500)
    if status is not None:
        stmt = stmt.where(Referral.status == status)
    if case_ids is not None:
        stmt = stmt.where(Referral.case_id.in_(case_ids))
    return session.scalars(stmt).all()


def letter(session: Session, row: Referral, partner: Partner, operator: str) -> sheet.Letter:
    """What the partner reads: the chosen values, the purpose, how consent was given."""
    from handoff.referrals.models import ReferralConsent

    given = session.get(ReferralConsent, row.consent_id) if row.consent_id else None
    return sheet.Letter(
        reference=row.reference, partner_name=partner.name, purpose=row.purpose,
        fields=tuple(row.fields), values=dict(row.shared or {}),
        consent_method=given.method if given else "—",
        consent_at=given.answered_at if given else None,
        notice_version=given.notice_version if given else "—",
        operator=operator, created_at=row.created_at)


def printed(session: Session, row: Referral, directory: Directory, operator: str, cw: Caseworker) -> bytes:
    """The referral sheet as PDF, for a partner who takes paper; audited as an export."""
    if not row.shared:
        raise Invalid("the person's data was erased: there is no sheet to print")
    audit(session, cw, "referral_sheet", row.case_id, referral=row.id)
    return sheet.pdf(letter(session, row, partner_of(directory, row.partner), operator))
