"""privacy and protection: delivery references on messages; flood window on contacts; outbox kinds, forced delivery, kept address

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message") as batch_op:
        batch_op.add_column(sa.Column("delivery_ref", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_message_delivery_ref"), ["delivery_ref"], unique=False)
    with op.batch_alter_table("contact") as batch_op:
        batch_op.add_column(sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("window_count", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default="message", nullable=False))
        batch_op.add_column(sa.Column("force", sa.Boolean(), server_default=sa.text("false"), nullable=False))
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message") as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_delivery_ref"))
        batch_op.drop_column("delivery_ref")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("force")
        batch_op.drop_column("kind")
    with op.batch_alter_table("contact") as batch_op:
        batch_op.drop_column("window_count")
        batch_op.drop_column("window_started_at")
