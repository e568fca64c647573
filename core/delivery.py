"""Delivery reports (provider status callbacks) applied to outbound messages, never backwards."""

from __future__ import annotations

from sqlalchemy import select, update

from channels.base import Delivery
from core.db import Database
from core.models import Contact, Conversation, Message

__all__ = ["RANK", "apply"]

# Callbacks can arrive out of order ("sent" after "delivered"): a status only replaces one of
# lower rank. Failure is final whatever came before it, except after a confirmed delivery.
RANK = {"queued": 1, "sent": 2, "sending": 2, "failed": 3, "undelivered": 3, "delivered": 4, "read": 5}
OPTED_OUT_CODES = frozenset({"21610"})


def apply(db: Database, delivery: Delivery) -> bool:
    """Record the report; returns False when no message of ours has that provider id."""
    with db.transaction() as s:
        message = s.scalars(
            select(Message)
            .where(
                Message.channel == delivery.channel,
                Message.delivery_ref == delivery.provider_id,
                Message.direction == "out",
            )
            .with_for_update()
        ).first()
        if message is None:
            return False
        if RANK.get(delivery.status, 0) > RANK.get(message.status, 0):
            message.status = delivery.status
        if delivery.error_code in OPTED_OUT_CODES:
            conv = s.get(Conversation, message.conversation_id)
            if conv is not None:
                s.execute(update(Contact).where(Contact.id == conv.contact_id).values(status="stopped"))
                if conv.status == "bot":
                    conv.status = "stopped"
        return True
