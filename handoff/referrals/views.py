"""What the console shows of referrals: the case's panel, and the form's preview."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Contact, Conversation
from handoff.cards import mask
from handoff.models import Case
from handoff.referrals import consent, service
from handoff.referrals.fields import FIELDS, field_name, purpose_name, values_of
from handoff.referrals.models import ReferralConsent
from handoff.referrals.partners import Directory, Partner
from handoff.referrals.words import w

__all__ = ["Draft", "panel", "preview"]


def _consents(session: Session, contact_id: int) -> list[ReferralConsent]:
    return list(session.scalars(select(ReferralConsent).where(
        ReferralConsent.contact_id == contact_id, ReferralConsent.status != "superseded")
        .order_by(ReferralConsent.id.desc())))


def panel(session: Session, case: Case, directory: Directory, lang: str) -> dict[str, Any]:
    """The case page's referral card: referrals, the person's answers, what can be done."""
    names = {p.id: p.name for p in directory}
    referrals = []
    for row in service.for_case(session, case.id):
        item = service.item(row, directory)
        item["fields_named"] = ", ".join(field_name(f, lang) for f in row.fields)
        item["purpose_named"] = purpose_name(row.purpose, lang)
        item["status_named"] = w(row.status, lang)
        item["answerable"] = [s for s, sources in service.ANSWERS.items() if row.status in sources]
        referrals.append(item)
    answers = [{**consent.item(c), "partner_name": names.get(c.partner, c.partner),
                "fields_named": ", ".join(field_name(f, lang) for f in c.fields),
                "purpose_named": purpose_name(c.purpose, lang), "status_named": w(c.status, lang),
                "method_named": w("by_phone" if c.method == "phone" else "by_message", lang)}
               for c in _consents(session, case.contact_id)]
    return {"referrals": referrals, "consents": answers}


class Draft:
    """A referral being prepared in the form: partner, purpose, fields, checked."""

    def __init__(self, directory: Directory, query: Any) -> None:
        self.partner: Partner | None = directory.get(str(query.get("partner", "")))
        wanted = str(query.get("purpose", ""))
        accepts = self.partner.accepts if self.partner else ()
        self.purpose = wanted if wanted in accepts else (accepts[0] if len(accepts) == 1 else "")
        self.fields = [code for code in FIELDS if query.get(f"field_{code}") == "1"]
        self.notify = query.get("notify", "1") == "1"
        self.paper = query.get("paper") == "1"


def preview(session: Session, case: Case, draft: Draft, revealed: bool, lang: str) -> dict[str, Any] | None:
    """Exactly what would go, as the partner would read it, and whether the person agreed."""
    if draft.partner is None or not draft.fields or not draft.purpose:
        return None
    # Read only: a preview takes no lock on the person (a referral sent from it does).
    contact, conv = session.get(Contact, case.contact_id), session.get(Conversation, case.conversation_id)
    assert contact is not None and conv is not None  # the foreign keys guarantee them
    values = values_of(draft.fields, conv.record or {}, conv.language or case.language,
                       service.phone_address(contact), lang="pt")
    if "phone" in values and not revealed and values["phone"] != "—":
        values["phone"] = f"{mask(values['phone'])} {w('sent_in_full', lang)}"
    answer = consent.latest(session, contact.id, draft.partner.id)
    refusal = consent.refusal(answer, draft.partner, draft.fields)
    if refusal is None and answer is not None and answer.purpose != draft.purpose:
        refusal = f"the person agreed to share for {answer.purpose}, not {draft.purpose}"
    return {"rows": [(field_name(code, lang), values[code]) for code in draft.fields],
            "covered": refusal is None, "why_not": refusal,
            "purpose_named": purpose_name(draft.purpose, lang)}
