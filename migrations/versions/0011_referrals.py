"""referral_consent and referral: consent to share with one partner, and the referrals

Consent to refer is separate from consent to store. A referral keeps an encrypted snapshot of
the chosen fields and its own delivery queue (lease, retries) for e-mail and webhooks.

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "referral_consent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("conversation_id", sa.Integer(),
                  sa.ForeignKey("conversation.id", ondelete="SET NULL"), nullable=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("handoff_case.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("notice_version", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), sa.ForeignKey("caseworker.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_referral_consent_contact", "referral_consent", ["contact_id", "id"])
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(40), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("handoff_case.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("contact.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("consent_id", sa.Integer(),
                  sa.ForeignKey("referral_consent.id", ondelete="SET NULL"), nullable=True),
        sa.Column("partner", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("shared", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("notify_person", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("caseworker.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("delivery_status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("notice_due", sa.Boolean(), nullable=False, server_default=sa.text("false")),
    )
    op.create_index("ix_referral_case", "referral", ["case_id", "id"])
    op.create_index("ix_referral_status", "referral", ["status", "id"])
    op.create_index("ix_referral_due", "referral", ["next_attempt_at"],
                    postgresql_where=sa.text("delivery_status = 'pending'"),
                    sqlite_where=sa.text("delivery_status = 'pending'"))


def downgrade() -> None:
    op.drop_table("referral")
    op.drop_table("referral_consent")
