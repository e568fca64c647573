"""Alembic environment: runs migrations on the connection ``intake db upgrade`` hands over."""

from __future__ import annotations

from alembic import context

import core.models  # noqa: F401  (registers the tables on the metadata)
import handoff.models  # noqa: F401
from core.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `intake db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
