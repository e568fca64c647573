"""outbox rows whose lease ran out, indexed: the sender no longer scans every row ever sent

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WHERE = sa.text("status = 'sending'")


def upgrade() -> None:
    op.create_index("ix_outbox_leased", "outbox", ["lease_until"], sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade() -> None:
    op.drop_index("ix_outbox_leased", table_name="outbox")
