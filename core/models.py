"""Tables: contacts, conversations, messages and the outbox.

A contact is one address on one channel (a Telegram chat, a phone number, a web chat
session). Its row is the per-person lock: every turn starts with ``SELECT ... FOR UPDATE``
on it. Addresses, message bodies and the intake record are encrypted at rest; addresses are
found by a keyed hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, Encrypted, EncryptedJSON, UTCDateTime, utcnow

__all__ = ["Contact", "Conversation", "Message", "Outbox", "SendRate"]


class Contact(Base):
    """One person's address on one channel."""

    __tablename__ = "contact"
    __table_args__ = (UniqueConstraint("channel", "address_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Encrypted)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active|stopped|erased
    secret_hash: Mapped[str | None] = mapped_column(String(64), default=None)  # web chat token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person last wrote, to the minute: a turn writes this row only when it is a minute
    # old (core.turnsql), which keeps the row out of most commits. The WhatsApp window and
    # retention need no finer clock, and an older value closes that window early, never late.
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    conversations: Mapped[list[Conversation]] = relationship(back_populates="contact")


class Conversation(Base):
    """A run of the dialog with one contact: its state, the record so far and its outcome."""

    __tablename__ = "conversation"
    __table_args__ = (Index("ix_conversation_contact", "contact_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    flow: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(64), default="")
    record: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)
    expecting: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    # explicit (the person chose it) | text (what they wrote) | prior (the device, their phone's
    # country): a prior gives way to the first message that says more.
    language_source: Mapped[str | None] = mapped_column(String(8), default=None)
    status: Mapped[str] = mapped_column(String(16), default="bot")  # bot|handoff|closed|stopped
    source: Mapped[str | None] = mapped_column(String(64), default=None)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Flood control: the person's messages counted in the current one-minute window. Here, not on
    # the contact, as this row is written on every turn anyway; a new conversation carries it on.
    window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    window_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    contact: Mapped[Contact] = relationship(back_populates="conversations")


class Message(Base):
    """One message in either direction, as it was written (bodies encrypted)."""

    __tablename__ = "message"
    __table_args__ = (
        # The dedupe key of inbound messages. Partial: replies have none, and indexing their
        # NULLs would cost every reply an index write far from the inbound's page.
        Index(
            "ix_message_provider_id",
            "channel",
            "provider_id",
            unique=True,
            postgresql_where=text("provider_id IS NOT NULL"),
            sqlite_where=text("provider_id IS NOT NULL"),
        ),
        Index("ix_message_conversation", "conversation_id", "id"),
        # Only sent messages have one: partial, so a turn's inserts do not write it.
        Index(
            "ix_message_delivery_ref",
            "delivery_ref",
            postgresql_where=text("delivery_ref IS NOT NULL"),
            sqlite_where=text("delivery_ref IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(3))  # in|out
    author: Mapped[str] = mapped_column(String(16))  # person|bot|caseworker
    kind: Mapped[str] = mapped_column(String(16), default="text")
    body: Mapped[str] = mapped_column(Encrypted, default="")
    provider_id: Mapped[str | None] = mapped_column(String(64), default=None)  # inbound: dedupe key
    # Outbound: the provider's id for what we sent, so delivery reports can find it. Not unique:
    # Telegram numbers messages per chat.
    delivery_ref: Mapped[str | None] = mapped_column(String(64), default=None)
    turn: Mapped[int] = mapped_column(Integer, default=0)  # the conversation version it belongs to
    status: Mapped[str] = mapped_column(String(16), default="received")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SendRate(Base):
    """A token bucket per channel, shared by every sender process: a provider's limit for one
    sender (Telegram's per bot, Twilio's per number) holds whatever the number of workers."""

    __tablename__ = "send_rate"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Outbox(Base):
    """A message waiting to be delivered; written in the turn's transaction, sent after it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_due",
            "next_attempt_at",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_outbox_conversation", "conversation_id", "id"),
        # Leases that ran out (a sender died mid-delivery): found without a scan.
        Index(
            "ix_outbox_leased",
            "lease_until",
            postgresql_where=text("status = 'sending'"),
            sqlite_where=text("status = 'sending'"),
        ),
    )

    # The row's id is its message's id: one key, not two, so a lookup by message needs
    # no index of its own, and id order is the order the messages were written in.
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16), default="message", server_default="message")  # message|delete
    # Deliver even though the person has since stopped or erased: the confirmation of that.
    force: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # Where to deliver when the contact's own address is gone (erasure); cleared once sent.
    address: Mapped[str | None] = mapped_column(Encrypted, default=None)
    options: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(16), default="en")
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    provider_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    message: Mapped[Message] = relationship()


@event.listens_for(Outbox, "before_insert")
def _outbox_id_is_its_message_id(_mapper: Any, _connection: Any, row: Outbox) -> None:
    row.id = row.message_id
