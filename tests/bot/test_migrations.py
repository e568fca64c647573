"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import bot.models  # noqa: F401  (tables on the metadata)
import handoff.models  # noqa: F401
from bot.db import Base


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_delivery_references_are_indexed_only_where_set(db):
    index = next(i for i in inspect(db.engine).get_indexes("message") if i["name"] == "ix_message_delivery_ref")
    where = index.get("dialect_options", {})
    text = str(where.get(f"{db.dialect}_where", "")).lower()
    assert "delivery_ref is not null" in text
