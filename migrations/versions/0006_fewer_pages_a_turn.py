"""fewer pages a turn: provider ids unique only where set, outbox rows take their message's id, the flood count moves to the conversation

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WHERE = sa.text("provider_id IS NOT NULL")
PROVIDER_UNIQUE = "CONSTRAINT uq_message_channel_provider_id UNIQUE (channel, provider_id)"
MESSAGE_UNIQUE = "CONSTRAINT uq_outbox_message_id UNIQUE (message_id)"
WINDOW = ("window_started_at", "window_count")

# Why (bench/engine.py): a turn stores the person's message and two or three replies.
# - The replies have no provider id. In the (channel, provider_id) unique index their NULLs sat
#   at the far end from the inbound ids, so every commit wrote a second leaf page of it.
# - The outbox row's own id and the unique index on its message_id were a second key for the
#   same thing: each commit wrote a page of that index too. Now the row takes its message's id,
#   and a lookup by message is a lookup by primary key.
# - The flood counter changed the contact row on every message, so every commit wrote its page.
#   The conversation row is written on every turn anyway; the contact is now written only when
#   its status changes or its last-seen time is a minute old (core.turnsql).


def _rebuild_sqlite(table: str, drop: str | None, select: str = "*", add: str | None = None) -> None:
    """SQLite cannot drop or add a table constraint: the table is copied with the change
    (SQLite's own procedure for altering a table; bot.migrate runs it with foreign keys off,
    or dropping the old message table would cascade into the outbox)."""
    conn = op.get_bind()
    create, = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).one()
    indexes = [sql for sql, in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,))]
    body = create.split("(", 1)[1]
    if drop is not None:
        body, found = re.subn(r",\s*" + re.escape(drop), "", body)
        assert found == 1, f"{table} has no {drop!r}"
    if add is not None:
        body = body.rstrip().removesuffix(")").rstrip() + f", \n\t{add}\n)"
    conn.exec_driver_sql(f"CREATE TABLE {table}_new (" + body)
    conn.exec_driver_sql(f"INSERT INTO {table}_new SELECT {select} FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE {table}_new RENAME TO {table}")
    for sql in indexes:
        conn.exec_driver_sql(sql)


def _outbox_columns() -> str:
    conn = op.get_bind()
    names = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(outbox)")]
    return ", ".join("message_id" if name == "id" else name for name in names)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite("message", PROVIDER_UNIQUE)
        _rebuild_sqlite("outbox", MESSAGE_UNIQUE, _outbox_columns())
    else:
        op.drop_constraint("uq_message_channel_provider_id", "message", type_="unique")
        op.drop_constraint("uq_outbox_message_id", "outbox", type_="unique")
        # Through negative ids: a primary key is checked row by row, and a row may take an id
        # that another still holds.
        op.execute("UPDATE outbox SET id = -message_id")
        op.execute("UPDATE outbox SET id = message_id")
    # Inbound messages only: the provider's id is the dedupe key of a turn.
    op.create_index("ix_message_provider_id", "message", ["channel", "provider_id"], unique=True,
                    sqlite_where=WHERE, postgresql_where=WHERE)
    # A count within one minute: nothing of it is worth carrying over.
    op.add_column("conversation", sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("conversation", sa.Column("window_count", sa.Integer(), server_default="0", nullable=False))
    for column in WINDOW:
        op.execute(f"ALTER TABLE contact DROP COLUMN {column}")  # SQLite 3.35+ has it too


def downgrade() -> None:
    op.add_column("contact", sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("contact", sa.Column("window_count", sa.Integer(), server_default="0", nullable=False))
    for column in WINDOW:
        op.execute(f"ALTER TABLE conversation DROP COLUMN {column}")
    op.drop_index("ix_message_provider_id", table_name="message")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite("message", None, add=PROVIDER_UNIQUE)
        _rebuild_sqlite("outbox", None, add=MESSAGE_UNIQUE)
    else:  # outbox ids stay their messages' ids: still unique, and in the same order
        op.create_unique_constraint("uq_message_channel_provider_id", "message", ["channel", "provider_id"])
        op.create_unique_constraint("uq_outbox_message_id", "outbox", ["message_id"])
