"""api_token.scope and api_token.expires_at: what a token may do, and until when

Scopes: read (look), act (claim, reply, note, close), supervise (everything a supervisor may).
Tokens made before keep working as they did, as supervise tokens with no expiry; new ones
expire (90 days unless asked otherwise).

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("scope", sa.String(16), nullable=False, server_default="supervise"))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scope")
