"""Shared fixtures: a migrated database on SQLite and PostgreSQL, a pipeline with fakes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bot import migrate
from core.db import Base, Database

TEST_KEYS = (Fernet.generate_key().decode(),)
PG_URL = os.environ.get("INTAKE_TEST_POSTGRES_URL")
_pg_migrated: list[bool] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In CI a PostgreSQL test that would be skipped is a failure instead."""
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI is set but INTAKE_TEST_POSTGRES_URL is not: PostgreSQL tests would be skipped")


def _fresh_postgres() -> Database:
    assert PG_URL
    db = Database(PG_URL, TEST_KEYS)
    if not _pg_migrated:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(db.engine)
        _pg_migrated.append(True)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: a SQLite file, then PostgreSQL when configured."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("INTAKE_TEST_POSTGRES_URL is not set")
        database = _fresh_postgres()
    else:
        database = Database(f"sqlite:///{tmp_path / 'test.db'}", TEST_KEYS)
        migrate.upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'test.db'}", TEST_KEYS)
    migrate.upgrade(database.engine)
    yield database
    database.dispose()
