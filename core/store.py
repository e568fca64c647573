"""Storage of contacts and conversations: race-free get-or-create and the per-person lock.

The contact row is the lock. ``INSERT ... ON CONFLICT DO NOTHING`` creates it without a race,
then ``SELECT ... FOR UPDATE`` locks it on PostgreSQL; on SQLite the whole write transaction
already holds the database's write lock (``BEGIN IMMEDIATE``), so the clause is a no-op there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.db import cipher, utcnow
from core.models import Contact, Conversation, Message, Outbox

__all__ = ["address_hash", "current_conversation", "find_contact", "lock_contact", "replies_after"]


def address_hash(channel: str, address: str) -> str:
    return cipher().lookup_hash(channel, address)


def lock_contact(session: Session, channel: str, address: str) -> Contact:
    """Get or create the contact for (channel, address) and lock it for this transaction."""
    digest = address_hash(channel, address)
    locked = (
        select(Contact)
        .where(Contact.channel == channel, Contact.address_hash == digest)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    contact = session.scalars(locked).first()
    if contact is not None:  # the common case: one query
        return contact
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # ON CONFLICT DO NOTHING: two first messages racing both insert, one row survives.
    session.execute(
        insert(Contact)
        .values(channel=channel, address_hash=digest, address=address, status="active",
                created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["channel", "address_hash"])
    )
    return session.scalars(locked).one()


def find_contact(session: Session, channel: str, address: str) -> Contact | None:
    digest = address_hash(channel, address)
    return session.scalars(
        select(Contact).where(Contact.channel == channel, Contact.address_hash == digest)
    ).first()


def current_conversation(session: Session, contact: Contact) -> Conversation | None:
    """The contact's latest conversation (open or not); callers decide whether to start anew."""
    return session.scalars(
        select(Conversation)
        .where(Conversation.contact_id == contact.id)
        .order_by(Conversation.id.desc())
        .limit(1)
    ).first()


def replies_after(session: Session, contact: Contact, after: int,
                  limit: int = 200) -> list[tuple[Message, list[dict[str, Any]] | None]]:
    """What was sent to the contact after message ``after``, in any of their conversations,
    oldest first, each with the quick replies its outbox row offers (None once it is gone)."""
    rows = session.execute(
        select(Message, Outbox.options)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(Outbox, Outbox.id == Message.id)  # the row has its message's id
        .where(
            Conversation.contact_id == contact.id,
            Message.direction == "out",
            Message.id > after,
        )
        .order_by(Message.id)
        .limit(limit)
    ).all()
    return [(m, options) for m, options in rows]
