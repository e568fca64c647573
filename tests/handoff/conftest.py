"""Fixtures for the caseworker side: an App with recording channels and a TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from starlette.testclient import TestClient

from bot.web import create_app
from tests.handoff.helpers import make_app


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """Cheap argon2 parameters: the tests check the logic, not the cost of guessing."""
    from argon2 import PasswordHasher

    from handoff import auth

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def hub(db, tmp_path) -> Iterator[SimpleNamespace]:
    """The app, its channels, a settable clock and an HTTP client, on SQLite and PostgreSQL."""
    app, channels, clock = make_app(db, tmp_path)
    with TestClient(create_app(app)) as client:
        yield SimpleNamespace(app=app, db=db, channels=channels, clock=clock, client=client)
