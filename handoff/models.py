"""Tables of the caseworker side: cases, notes, caseworkers, tokens, sessions, audit, notifications.

A case is a period of caseworker attention for one person: it opens when the screening hands
the conversation over (or danger is detected), waits in the queue, is claimed by one caseworker
and is closed with an outcome code. Note bodies are encrypted at rest like the transcript.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, Encrypted, UTCDateTime, utcnow

__all__ = [
    "PRIORITIES",
    "ROLES",
    "ApiToken",
    "AuditEntry",
    "Case",
    "CaseNote",
    "Caseworker",
    "ConsoleSession",
    "Notification",
]

# Queue order: a lower rank is served first.
PRIORITIES = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
ROLES = ("caseworker", "supervisor", "admin")


class Case(Base):
    """A period of caseworker attention for one person (one conversation)."""

    __tablename__ = "handoff_case"
    __table_args__ = (
        # At most one open case per conversation, even when two turns race to open one.
        Index(
            "uq_handoff_case_open",
            "conversation_id",
            unique=True,
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
        Index(
            "ix_handoff_case_queued",
            "rank",
            "queued_at",
            postgresql_where=text("status = 'queued'"),
            sqlite_where=text("status = 'queued'"),
        ),
        Index("ix_handoff_case_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16), default="en")  # the person's locale, pt_BR
    lang: Mapped[str] = mapped_column(String(8), default="en")  # its base language, for routing
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|claimed|closed
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    rank: Mapped[int] = mapped_column(Integer, default=2)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    programme: Mapped[str | None] = mapped_column(String(32), default=None)
    eligibility: Mapped[str | None] = mapped_column(String(32), default=None)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("caseworker.id", ondelete="SET NULL"), default=None
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # waiting since
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The closed case this one follows up: the person wrote again soon after it closed.
    follows_id: Mapped[int | None] = mapped_column(
        ForeignKey("handoff_case.id", ondelete="SET NULL"), default=None
    )
    # When its holder last read it: a message from the person after this is unread.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class CaseNote(Base):
    """An internal note on a case: seen by caseworkers only, never sent to the person."""

    __tablename__ = "case_note"
    __table_args__ = (Index("ix_case_note_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("handoff_case.id", ondelete="CASCADE"))
    caseworker_id: Mapped[int | None] = mapped_column(
        ForeignKey("caseworker.id", ondelete="SET NULL"), default=None
    )
    body: Mapped[str] = mapped_column(Encrypted, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Caseworker(Base):
    """A person who works the queue; ``role`` is caseworker, supervisor or admin."""

    __tablename__ = "caseworker"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="caseworker")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # base codes: ["pt", "en"]
    ui_language: Mapped[str] = mapped_column(String(8), default="pt")
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """A REST API token: only its sha256 is stored; revoked tokens stop working at once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworker.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # read | act | supervise (handoff.auth.SCOPES); the caseworker's role still limits it.
    scope: Mapped[str] = mapped_column(String(16), default="supervise", server_default="supervise")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ConsoleSession(Base):
    """A signed-in browser: the cookie holds a random token, the table its hash and CSRF secret."""

    __tablename__ = "console_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("caseworker.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Who viewed, replied to, exported, claimed or closed what, and when."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    caseworker_id: Mapped[int | None] = mapped_column(
        ForeignKey("caseworker.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(Integer, default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Notification(Base):
    """A team notification (new urgent case, SLA breach) waiting for delivery: a small outbox."""

    __tablename__ = "handoff_notification"
    __table_args__ = (
        Index(
            "ix_handoff_notification_due",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # urgent_case|sla_breach
    case_id: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


# The referral tables join the metadata wherever the caseworker side's tables do.
from handoff.referrals.models import Referral, ReferralConsent  # noqa: E402, F401

# The statistical trace (codes only, kept by erasure) joins it the same way.
from handoff.stats.trace import StatsTrace  # noqa: E402, F401
