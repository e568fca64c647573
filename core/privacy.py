"""Erasure and the quick exit: what the pipeline does when a person asks to leave no trace.

Erasure removes what identifies or was said by the person and keeps an aggregate-only trace
(channel, language, outcome codes, dates) for statistics. The address is replaced so that a
new message from the same phone starts afresh, as a stranger; the confirmation goes out to
the old address, kept encrypted on that one outbox row until it is sent.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import Contact, Conversation, Message, Outbox

__all__ = ["EraseHook", "erase_contact", "forgotten", "quick_exit"]

# Erases another package's personal data about a contact (e.g. case notes); the application
# passes them in (the pipeline's ``erase_hooks``), nothing registers itself on import.
EraseHook = Callable[[Session, Contact], None]
# What an erased outcome keeps: codes only, nothing a person wrote.
KEPT_OUTCOME = ("programme", "eligibility", "priority", "rules_version")
# Longer than a provider call may take (the channels' timeouts are 10-15 s).
IN_FLIGHT = timedelta(seconds=30)


def erase_contact(session: Session, contact: Contact, keep_for: set[int] | None = None,
                  hooks: Iterable[EraseHook] = ()) -> None:
    """Erase a contact's data in this transaction, and through ``hooks`` what other packages
    hold about them; outbox rows in ``keep_for`` still go out."""
    keep_for = keep_for or set()
    address = contact.address
    conversations = session.scalars(select(Conversation).where(Conversation.contact_id == contact.id)).all()
    conv_ids = [c.id for c in conversations]
    for conv in conversations:
        conv.record = {}
        conv.expecting = None
        conv.source = None
        if conv.outcome:
            conv.outcome = {k: v for k, v in conv.outcome.items() if k in KEPT_OUTCOME}
        conv.status = "closed"
    received: list[str] = []
    if conv_ids:
        for message in session.scalars(select(Message).where(Message.conversation_id.in_(conv_ids))):
            if message.id in keep_for:
                continue
            if message.direction == "in" and message.provider_id:
                received.append(message.provider_id)
            message.body = ""
            message.kind = "erased"
            message.provider_id = None
            message.delivery_ref = None
    in_flight = session.scalar(select(func.count()).select_from(Outbox).where(
        Outbox.conversation_id.in_(conv_ids), Outbox.status == "sending")) if conv_ids else 0
    session.execute(
        update(Outbox)
        .where(Outbox.conversation_id.in_(conv_ids), Outbox.status.in_(("pending", "sending")),
               Outbox.id.not_in(keep_for or {-1}))
        .values(status="cancelled", lease_until=None)
    )
    # An outbox row has its message's id (core.models).
    for row in session.scalars(select(Outbox).where(Outbox.id.in_(keep_for or {-1}))):
        row.address, row.force = address, True
    if conversations and address:
        # A message with the provider right now gets its id when the call returns: wait for it.
        _forget_at_provider(session, contact, conversations[-1], address, received,
                            after=IN_FLIGHT if in_flight else timedelta(0))
    for hook in hooks:
        hook(session, contact)
    contact.address = ""
    contact.address_hash = "erased:" + secrets.token_hex(16)
    contact.secret_hash = None
    contact.status = "erased"
    contact.last_inbound_at = None


def _forget_at_provider(session: Session, contact: Contact, conv: Conversation, address: str,
                        received: list[str], after: timedelta) -> None:
    """Queue a "forget" row: after the confirmation has gone, the sender asks the provider to
    delete what it stores of every message both ways. The provider's ids (with which the
    number and the text could be read back from the provider's account) leave our rows then;
    meanwhile they are kept only on this row, encrypted like any message body."""
    sent = [pid for (pids,) in session.execute(
        select(Outbox.provider_ids).where(Outbox.conversation_id.in_(
            select(Conversation.id).where(Conversation.contact_id == contact.id))))
        for pid in (pids or [])]
    session.execute(update(Outbox).where(Outbox.conversation_id.in_(
        select(Conversation.id).where(Conversation.contact_id == contact.id))).values(provider_ids=[]))
    msg = Message(conversation_id=conv.id, channel=conv.channel, direction="out", author="bot",
                  kind="forget", body=json.dumps({"sent": sent, "received": received}),
                  turn=conv.version, status="queued")
    session.add(msg)
    session.flush()
    session.add(Outbox(message_id=msg.id, conversation_id=conv.id, contact_id=contact.id,
                       channel=conv.channel, kind="forget", force=True, options=[], address=address,
                       next_attempt_at=utcnow() + after))


def forgotten(session: Session, contact_id: int, message_id: int) -> None:
    """The provider was asked to forget: no provider id of this person's messages stays with us."""
    theirs = select(Conversation.id).where(Conversation.contact_id == contact_id)
    session.execute(update(Outbox).where(Outbox.conversation_id.in_(theirs)).values(provider_ids=[]))
    # The confirmation, sent after the erasure, is the one message that still has a reference.
    session.execute(update(Message).where(Message.conversation_id.in_(theirs))
                    .values(delivery_ref=None, provider_id=None))
    session.execute(update(Message).where(Message.id == message_id).values(body="", kind="erased"))


def quick_exit(session: Session, contact: Contact, conv: Conversation, can_delete: bool) -> None:
    """End now: nothing more is sent, and where the channel allows it, delete what we sent."""
    session.execute(
        update(Outbox)
        # By conversation, which the outbox is indexed by: by contact would read every row ever sent.
        .where(Outbox.conversation_id.in_(select(Conversation.id).where(Conversation.contact_id == contact.id)),
               Outbox.status.in_(("pending", "sending")))
        .values(status="cancelled", lease_until=None)
    )
    conv.status = "closed"
    # No unsolicited follow-up, from the bot or a caseworker, until the person writes again.
    contact.status = "stopped"
    if can_delete:
        # One "delete" row: the sender removes every message of ours the provider still has.
        msg = Message(conversation_id=conv.id, channel=conv.channel, direction="out", author="bot",
                      kind="delete", body="", turn=conv.version, status="queued")
        session.add(msg)
        session.flush()
        session.add(Outbox(message_id=msg.id, conversation_id=conv.id, contact_id=contact.id,
                           channel=conv.channel, kind="delete", force=True, options=[],
                           next_attempt_at=utcnow()))
