"""Fixtures for the bot tests: the real application wired to a recording channel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import App, build
from bot.settings import load
from channels.fake import RecordingChannel
from core.db import Database
from tests.conftest import TEST_KEYS


def settings_for(db: Database, tmp_path: Path, **extra: str):
    env = {
        "DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "INTAKE_DATA_DIR": str(tmp_path / "data"),
        "INTAKE_ENCRYPTION_KEYS": TEST_KEYS[0],
        "INTAKE_SECRET_KEY": "test-secret-" + "k" * 32,
        **extra,
    }
    return load(env, dotenv=None)


@pytest.fixture
def app(db: Database, tmp_path: Path) -> Iterator[App]:
    """The real pipeline, dialogs, catalogs and handoff, delivering to a RecordingChannel."""
    application = build(settings_for(db, tmp_path), channels={"fake": RecordingChannel("fake")})
    yield application
    application.db.dispose()
