"""stats_trace: the codes kept for statistics, which erasure leaves in place

One row per completed screening, opt-out and erasure: codes, the month and the ISO week; no
person, no address, no day.

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_trace",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("programme", sa.String(32), nullable=True),
        sa.Column("eligibility", sa.String(32), nullable=True),
        sa.Column("priority", sa.String(16), nullable=True),
        sa.Column("nationality", sa.String(2), nullable=True),
        sa.Column("destination", sa.String(2), nullable=True),
        sa.Column("indicators", sa.String(400), nullable=False),
        sa.Column("vulnerabilities", sa.String(400), nullable=False),
    )
    op.create_index("ix_stats_trace_month", "stats_trace", ["kind", "month"])
    op.create_index("ix_stats_trace_week", "stats_trace", ["kind", "week"])


def downgrade() -> None:
    op.drop_table("stats_trace")
