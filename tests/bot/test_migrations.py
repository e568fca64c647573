"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

import core.models  # noqa: F401  (tables on the metadata)
import handoff.models  # noqa: F401
from bot import migrate
from core.db import Base, Database
from tests.conftest import PG_URL, TEST_KEYS


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_delivery_references_are_indexed_only_where_set(db):
    index = next(i for i in inspect(db.engine).get_indexes("message") if i["name"] == "ix_message_delivery_ref")
    where = index.get("dialect_options", {})
    text = str(where.get(f"{db.dialect}_where", "")).lower()
    assert "delivery_ref is not null" in text


# -- 0006: a database that has data in it --------------------------------------------------------

OLD_ROWS = [
    "INSERT INTO contact (id, channel, address_hash, address, status, created_at, window_count) "
    "VALUES (1, 'telegram', 'h1', 'x', 'active', '2026-11-01 10:00:00.000000', 4)",
    "INSERT INTO conversation (id, contact_id, channel, flow, state, record, status, version, "
    "created_at, updated_at) VALUES (7, 1, 'telegram', 'screening', 'ask', 'x', 'bot', 2, "
    "'2026-11-01 10:00:00.000000', '2026-11-01 10:00:00.000000')",
    *(
        "INSERT INTO message (id, conversation_id, channel, direction, author, kind, body, provider_id, "
        f"turn, status, created_at) VALUES ({mid}, 7, 'telegram', '{way}', 'bot', 'text', 'x', {pid}, 1, "
        "'queued', '2026-11-01 10:00:00.000000')"
        for mid, way, pid in ((10, "in", "'501'"), (11, "out", "NULL"), (12, "out", "NULL"))
    ),
    # Outbox ids of their own, as every release before 0006 wrote them.
    *(
        "INSERT INTO outbox (id, message_id, conversation_id, contact_id, channel, kind, force, options, "
        f"language, status, attempts, next_attempt_at, provider_ids, created_at) VALUES ({oid}, {mid}, 7, 1, "
        f"'telegram', 'message', false, '[]', 'pt', '{status}', 0, '2026-11-01 10:00:00.000000', '[]', "
        "'2026-11-01 10:00:00.000000')"
        for oid, mid, status in ((1, 11, "sent"), (2, 12, "pending"))
    ),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def at_0005(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated to 0005 only, holding a conversation (its own schema on PostgreSQL)."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("INTAKE_TEST_POSTGRES_URL is not set")
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migration_0006 CASCADE"))
            conn.execute(text("CREATE SCHEMA migration_0006"))
        admin.dispose()
        database = Database(PG_URL + "?options=-csearch_path%3Dmigration_0006", TEST_KEYS)
    else:
        database = Database(f"sqlite:///{tmp_path / 'old.db'}", TEST_KEYS)
    migrate.upgrade(database.engine, "0005")
    with database.engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.execute(text(sql))
    yield database
    database.dispose()


def test_0006_keeps_every_row_and_gives_outbox_rows_their_messages_ids(at_0005):
    migrate.upgrade(at_0005.engine)
    with at_0005.engine.begin() as conn:
        assert conn.execute(text("SELECT id, message_id, status FROM outbox ORDER BY id")).all() == [
            (11, 11, "sent"), (12, 12, "pending")]
        assert conn.execute(text("SELECT count(*) FROM message")).scalar_one() == 3
        # Replies without a provider id no longer meet in the unique index; inbound ids still do.
        conn.execute(text(OLD_ROWS[2].replace("(10,", "(13,").replace("'in'", "'out'").replace("'501'", "NULL")))
        with pytest.raises(IntegrityError), conn.begin_nested():
            conn.execute(text(OLD_ROWS[2].replace("(10,", "(14,")))
        if at_0005.dialect == "sqlite":
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1  # back on
        # The references survived the copies: deleting the conversation still cascades.
        conn.execute(text("DELETE FROM conversation WHERE id = 7"))
        assert conn.execute(text("SELECT count(*) FROM message")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 0
    with at_0005.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
