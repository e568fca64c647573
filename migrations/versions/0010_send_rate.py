"""send_rate: a token bucket per channel, shared by every sender process

With several workers, a provider's limit for one sender (Telegram's messages per second per
bot, Twilio's per number) must be kept by all of them together: each claim takes tokens from
this row, under its lock.

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_rate",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_rate")
