"""Tables of referrals: the person's consent to share with one organisation, and the referrals.

Consent to refer is not consent to store: it names one partner, the fields that may go to it
and why, and is given (or refused, or later withdrawn) by the person's own message or, by
phone, recorded by a caseworker. A referral is a snapshot of the chosen fields' values,
encrypted at rest, with its own delivery queue (lease, retries) so nothing is lost or sent twice.
Erasure blanks the snapshot and the notes; partner, status and dates stay for statistics.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Encrypted, EncryptedJSON, UTCDateTime, utcnow

__all__ = ["STATUSES", "Referral", "ReferralConsent"]

STATUSES = ("prepared", "sent", "acknowledged", "accepted", "declined", "withdrawn")


class ReferralConsent(Base):
    """A person's answer about sharing named details with one named partner."""

    __tablename__ = "referral_consent"
    __table_args__ = (Index("ix_referral_consent_contact", "contact_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_case.id", ondelete="SET NULL"))
    partner: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="asked")  # asked|given|refused|withdrawn|superseded
    method: Mapped[str] = mapped_column(String(16), default="message")  # message|phone
    notice_version: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Encrypted, default="")  # a caseworker's note of a phone consent
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("caseworker.id", ondelete="SET NULL"), default=None)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Referral(Base):
    """The chosen details of one person, sent (or to be sent) to one partner."""

    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_case", "case_id", "id"),
        Index("ix_referral_status", "status", "id"),
        Index(
            "ix_referral_due",
            "next_attempt_at",
            postgresql_where=text("delivery_status = 'pending'"),
            sqlite_where=text("delivery_status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sent with every delivery: a partner that sees it twice (a retry after a crash) knows it.
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("handoff_case.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referral_consent.id", ondelete="SET NULL"))
    partner: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(32))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    shared: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON, default=dict)  # field -> value sent
    status: Mapped[str] = mapped_column(String(16), default="prepared")
    notify_person: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("caseworker.id", ondelete="SET NULL"), default=None)
    note: Mapped[str] = mapped_column(Encrypted, default="")  # the partner's answer, as recorded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The delivery queue: email|webhook|paper; pending|sending|sent|failed|none (paper).
    delivery: Mapped[str] = mapped_column(String(16), default="email")
    delivery_status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    # A withdrawal notice owed to the partner (they hold the data): delivered like the referral.
    notice_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
