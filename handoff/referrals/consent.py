"""Consent to refer: asked in the person's language, answered by their message (or given by
phone and recorded by a caseworker), withdrawn by their message at any time.

It is separate from consent to store: it names one partner, the fields that may go to it and
why. A referral needs the latest answer about that partner to be "given" and to cover every
field chosen; withdrawal ends every agreement the person gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs.base import N_, Choice, Reply, Text
from dialogs.sharing import is_withdrawal, plain_yes
from dialogs.understand import read_polarity, units_of
from handoff.errors import Conflict, Invalid
from handoff.queue import audit
from handoff.referrals.fields import FIELDS, field_text, purpose_text
from handoff.referrals.models import ReferralConsent
from handoff.referrals.partners import Partner

if TYPE_CHECKING:
    from channels.base import Inbound
    from core.models import Contact, Conversation
    from core.pipeline import Pipeline
    from handoff.models import Case, Caseworker

__all__ = ["NOTICE_VERSION", "answer", "ask", "covering", "record_by_phone", "refusal", "withdraw_all"]

# The version of the consent question's wording, kept with each answer.
NOTICE_VERSION = "referral-2026-12"
MAX_NOTE = 300

QUESTION = N_("May we share {details} with {organisation}? Why: {purpose}. We share nothing else. "
              "You can change your mind at any time: write 'withdraw'.")
GIVEN = N_("Thank you. We will share only those details with {organisation}.")
REFUSED = N_("All right. We will not share your details with {organisation}.")
ASKED_TO_DELETE = N_("We have also asked {organisations} to delete what we sent them.")
SENT = N_("We have sent your details to {organisation}. They may contact you.")
YES_NO = (Choice("yes", Text(N_("Yes"))), Choice("no", Text(N_("No"))))
FIELD = "referral_consent"  # expecting.field while the question waits for an answer


def latest(session: Session, contact_id: int, partner: str | None = None) -> ReferralConsent | None:
    """The person's latest answer (about ``partner``), questions replaced by later ones aside."""
    stmt = select(ReferralConsent).where(ReferralConsent.contact_id == contact_id,
                                         ReferralConsent.status != "superseded")
    if partner is not None:
        stmt = stmt.where(ReferralConsent.partner == partner)
    return session.scalars(stmt.order_by(ReferralConsent.id.desc()).limit(1)).first()


def chosen_fields(fields: Any) -> list[str]:
    """The fields a caseworker chose, checked: at least one, each a known code."""
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise Invalid("fields must be a list of field codes")
    chosen = list(dict.fromkeys(fields))
    if not chosen:
        raise Invalid("choose at least one field to share: nothing is shared by default")
    unknown = [f for f in chosen if f not in FIELDS]
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    return chosen


def _checked(fields: Any, purpose: Any, partner: Partner) -> list[str]:
    chosen = chosen_fields(fields)
    if purpose not in partner.accepts:
        raise Invalid(f"{partner.id} accepts the purposes {', '.join(partner.accepts)}, not {purpose!r}")
    return chosen


def details(pipeline: Pipeline, fields: Sequence[str], language: str) -> str:
    """The fields as the person reads them, joined the way their language joins a list."""
    words = [pipeline.renderer.text(field_text(code), language) for code in fields]
    try:
        return format_list(words, locale=language)
    except (ValueError, LookupError):
        return ", ".join(words)


def question(pipeline: Pipeline, partner: Partner, purpose: str, fields: Sequence[str],
             language: str) -> Reply:
    return Reply((Text(QUESTION, {"details": details(pipeline, fields, language),
                                  "organisation": partner.short, "purpose": purpose_text(purpose)}),),
                 options=YES_NO)


def ask(session: Session, pipeline: Pipeline, case: Case, contact: Contact, conv: Conversation,
        partner: Partner, purpose: Any, fields: Any, cw: Caseworker, now: datetime) -> ReferralConsent:
    """Send the question; an earlier question still unanswered is replaced by this one."""
    chosen = _checked(fields, purpose, partner)
    if contact.status != "active":
        raise Conflict("the person cannot be written to (they stopped or erased their data): "
                       "ask them by phone and record their answer")
    for pending in session.scalars(select(ReferralConsent).where(
            ReferralConsent.contact_id == contact.id, ReferralConsent.status == "asked")):
        pending.status = "superseded"
    row = ReferralConsent(contact_id=contact.id, conversation_id=conv.id, case_id=case.id,
                          partner=partner.id, purpose=purpose, fields=chosen, status="asked",
                          method="message", notice_version=NOTICE_VERSION, note="",
                          recorded_by=cw.id, asked_at=now)
    session.add(row)
    language = conv.language or "en"
    reply = question(pipeline, partner, purpose, chosen, language)
    rendered = pipeline.renderer.reply(reply, language)
    pipeline.queue(session, contact, conv, [rendered], language, author="caseworker")
    conv.expecting = {"field": FIELD, "type": "yes_no",
                      "options": [{"label": label, "value": value} for label, value in rendered.options]}
    session.flush()
    audit(session, cw, "referral_consent_asked", case.id, partner=partner.id, fields=chosen, purpose=purpose)
    return row


def record_by_phone(session: Session, case: Case, contact: Contact, partner: Partner, purpose: Any,
                    fields: Any, note: Any, cw: Caseworker, now: datetime) -> ReferralConsent:
    """Consent the person gave by phone: the caseworker says how it was given."""
    chosen = _checked(fields, purpose, partner)
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise Invalid("say how the person gave their agreement (a note is required)")
    if len(note) > MAX_NOTE:
        raise Invalid(f"the note is at most {MAX_NOTE} characters")
    row = ReferralConsent(contact_id=contact.id, conversation_id=case.conversation_id, case_id=case.id,
                          partner=partner.id, purpose=purpose, fields=chosen, status="given",
                          method="phone", notice_version=NOTICE_VERSION, note=note, recorded_by=cw.id,
                          asked_at=now, answered_at=now)
    session.add(row)
    session.flush()
    audit(session, cw, "referral_consent_phone", case.id, partner=partner.id, fields=chosen, purpose=purpose)
    return row


# A "yes" recorded as consent must be one: a short reply, not a question, not a withdrawal.
# Anything less clear goes to the caseworker, who can ask again or call.
LONGEST_YES = 6  # words
QUESTION_MARKS = ("?", "？", "؟")


def read_answer(text: str, choice: str | None, locale: str, names: Sequence[str] = ()) -> str | None:
    """yes / no to the consent question, "withdraw", or None (for the caseworker to read)."""
    if choice in ("yes", "no"):
        return choice
    text = text.strip()
    if text in ("1", "2"):  # the numbered menu SMS shows
        return "yes" if text == "1" else "no"
    if is_withdrawal(text):
        return "withdraw"
    if not text or any(mark in text for mark in QUESTION_MARKS):
        return None
    found = read_polarity(text, locale)
    if found == "yes":
        return "yes" if len(units_of(text)) <= LONGEST_YES and plain_yes(text, locale, names) else None
    return "no" if found == "no" else None


def answer(session: Session, pipeline: Pipeline, contact: Contact, conv: Conversation,
           inbound: Inbound, partner_name: dict[str, str], now: datetime) -> bool:
    """The person's message, read as the answer to a consent question waiting for one. True
    when it was an answer (they are told what happens); anything else is for the caseworker."""
    pending = session.scalars(select(ReferralConsent).where(
        ReferralConsent.contact_id == contact.id, ReferralConsent.status == "asked")
        .order_by(ReferralConsent.id.desc()).limit(1)).first()
    if pending is None:
        return False
    said = read_answer(inbound.text, inbound.choice, conv.language or "en",
                       (partner_name.get(pending.partner, pending.partner),))
    if said not in ("yes", "no"):
        return False
    pending.status = "given" if said == "yes" else "refused"
    pending.answered_at = now
    conv.expecting = None
    language = conv.language or "en"
    name = partner_name.get(pending.partner, pending.partner)
    told = Reply((Text(GIVEN if said == "yes" else REFUSED, {"organisation": name}),), kind="info")
    pipeline.queue(session, contact, conv, [pipeline.renderer.reply(told, language)], language)
    audit(session, None, f"referral_consent_{pending.status}", pending.case_id, partner=pending.partner)
    return True


def has_agreements(session: Session, contact_id: int) -> bool:
    """Whether the person agreed, or was asked, to share with anyone (and has not withdrawn)."""
    from handoff.referrals.models import Referral

    return session.scalar(select(ReferralConsent.id).where(
        ReferralConsent.contact_id == contact_id, ReferralConsent.status.in_(("given", "asked")))
        .limit(1)) is not None or session.scalar(select(Referral.id).where(
            Referral.contact_id == contact_id, Referral.status != "withdrawn").limit(1)) is not None


def withdraw_all(session: Session, contact_id: int, now: datetime) -> list[ReferralConsent]:
    """End every agreement the person gave (and any question still open)."""
    ended = list(session.scalars(select(ReferralConsent).where(
        ReferralConsent.contact_id == contact_id, ReferralConsent.status.in_(("given", "asked")))))
    for row in ended:
        row.status = "withdrawn" if row.status == "given" else "superseded"
        row.withdrawn_at = now
    return ended


def covering(session: Session, contact_id: int, partner: Partner, fields: Sequence[str]) -> ReferralConsent:
    """The agreement that allows sending ``fields`` to ``partner``; Conflict saying why not."""
    found = latest(session, contact_id, partner.id)
    reason = refusal(found, partner, fields)
    if reason is not None:
        raise Conflict(reason)
    assert found is not None
    return found


def refusal(latest: ReferralConsent | None, partner: Partner, fields: Sequence[str]) -> str | None:
    if latest is None:
        return (f"the person has not agreed to share anything with {partner.id}: ask them "
                "(referral-consents, method message) or record their agreement given by phone")
    if latest.status == "asked":
        return f"the person has not answered yet whether we may share with {partner.id}"
    if latest.status == "refused":
        return f"the person refused to share their details with {partner.id}"
    if latest.status == "withdrawn":
        return f"the person withdrew their agreement to share with {partner.id}"
    missing = [f for f in fields if f not in latest.fields]
    if missing:
        return (f"the person agreed to share only {', '.join(latest.fields)} with {partner.id}, "
                f"not {', '.join(missing)}")
    return None


def item(row: ReferralConsent) -> dict[str, Any]:
    return {"id": row.id, "partner": row.partner, "purpose": row.purpose, "fields": list(row.fields),
            "status": row.status, "method": row.method, "notice_version": row.notice_version,
            "asked_at": row.asked_at.isoformat() if row.asked_at else None,
            "answered_at": row.answered_at.isoformat() if row.answered_at else None,
            "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None}
