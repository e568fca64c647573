"""handoff_case.follows_id and seen_at: the closed case a follow-up continues, and when the
holder last read the case

A person who writes again within INTAKE_REOPEN_DAYS of their case closing is answered by a
person, in the same conversation, through a new case that names the one it follows. A message
from the person after seen_at shows the case as unread in the queue.

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_case") as batch:
        batch.add_column(sa.Column("follows_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key("fk_handoff_case_follows", "handoff_case", ["follows_id"], ["id"],
                                 ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("handoff_case") as batch:
        batch.drop_constraint("fk_handoff_case_follows", type_="foreignkey")
        batch.drop_column("seen_at")
        batch.drop_column("follows_id")
