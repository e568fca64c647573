"""delivery references indexed only where set: a turn's new messages no longer touch that index

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WHERE = sa.text("delivery_ref IS NOT NULL")


def upgrade() -> None:
    # Every message is written with no delivery reference; only the sender sets one, later.
    # A partial index keeps the turn's commit one page smaller (bench/engine.py).
    op.drop_index("ix_message_delivery_ref", table_name="message")
    op.create_index("ix_message_delivery_ref", "message", ["delivery_ref"],
                    sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index("ix_message_delivery_ref", table_name="message")
    op.create_index("ix_message_delivery_ref", "message", ["delivery_ref"])
