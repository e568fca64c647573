"""conversation.language_source: how the conversation's language was set (explicit | text | prior)

A language taken from the device (web page, Telegram app, phone country) is only a prior: the
person's first message that says more decides. Existing conversations keep what they have and
count as settled by text.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("language_source", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation") as batch:
        batch.drop_column("language_source")
