"""The referrals side as the application plugs it in: the partner directory, the courier, and
the hooks the turn pipeline calls (an answer to a consent question, a withdrawal, erasure).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from babel.lists import format_list
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import Database, utcnow
from dialogs.base import Reply, Text
from dialogs.messages import WITHDRAWN
from dialogs.sharing import is_withdrawal
from handoff.models import Case
from handoff.referrals import consent, service
from handoff.referrals.courier import Courier
from handoff.referrals.partners import Directory, load

if TYPE_CHECKING:
    from channels.base import Inbound
    from core.models import Contact, Conversation
    from core.pipeline import Pipeline
    from dialogs.base import Step
    from handoff.config import HandoffSettings

__all__ = ["ReferralDesk"]


class ReferralDesk:
    """What referrals need at run time, built once per process."""

    def __init__(self, db: Database, pipeline: Pipeline, settings: HandoffSettings | None,
                 clock: Callable[[], datetime] = utcnow, directory: Directory | None = None) -> None:
        self.db, self.pipeline, self.clock = db, pipeline, clock
        self.directory = directory or load(getattr(settings, "partners_file", None))
        self.courier = Courier(db, pipeline, self.directory, settings, clock)

    def names(self) -> dict[str, str]:
        """Partners as the person reads them in messages."""
        return {p.id: p.short for p in self.directory}

    # -- hooks (inside the turn's transaction) ----------------------------------------------

    def on_inbound(self, session: Session, conv: Conversation, inbound: Inbound) -> bool:
        """A handed-off person's message: a withdrawal in their own words (from someone who
        agreed or was asked to share), or their answer to a consent question."""
        if is_withdrawal(inbound.text) and consent.has_agreements(session, conv.contact.id):
            language = conv.language or "en"
            said = Reply((Text(WITHDRAWN),), kind="info")
            self.pipeline.queue(session, conv.contact, conv, [self.pipeline.renderer.reply(said, language)],
                                language)
            self.on_withdraw(session, conv, inbound, None)
            return True
        return consent.answer(session, self.pipeline, conv.contact, conv, inbound, self.names(), self.clock())

    def on_withdraw(self, session: Session, conv: Conversation, inbound: Inbound, step: Step | None) -> None:
        """'withdraw': every agreement ends; partners holding their details are asked to
        delete them, and the person hears which (the dialog, or ``on_inbound``, said the rest)."""
        contact: Contact = conv.contact
        now = self.clock()
        conv.expecting = None if (conv.expecting or {}).get("field") == consent.FIELD else conv.expecting
        told = service.withdraw_contact(session, contact.id, now)
        case = session.scalars(select(Case).where(Case.conversation_id == conv.id, Case.status != "closed")).first()
        if case is not None:
            case.last_inbound_at = now
        names = list(dict.fromkeys(self.names().get(r.partner, r.partner) for r in told))
        if not names or contact.status != "active":
            return
        language = conv.language or "en"
        try:
            joined = format_list(names, locale=language)
        except (ValueError, LookupError):
            joined = ", ".join(names)
        note = Reply((Text(consent.ASKED_TO_DELETE, {"organisations": joined}),), kind="info")
        self.pipeline.queue(session, contact, conv, [self.pipeline.renderer.reply(note, language)], language)

    def forget(self, session: Session, contact: Contact) -> None:
        service.forget(session, contact.id)
