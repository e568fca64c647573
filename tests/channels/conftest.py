"""Fixtures for the channel tests: recorded webhook bodies and the fake providers on real sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from channels.fakes import FakeTelegramAPI, FakeTwilioAPI

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "123456:TEST-token_for-the-fake"


def load(name: str) -> Any:
    """A recorded body, e.g. ``load("telegram/text")``."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def _telegram_server() -> Iterator[tuple[FakeTelegramAPI, str]]:
    fake = FakeTelegramAPI(token=TOKEN)
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def telegram_api(_telegram_server: tuple[FakeTelegramAPI, str]) -> tuple[FakeTelegramAPI, str]:
    """The running fake Bot API (emptied) and the base URL to give the bot."""
    _telegram_server[0].reset()
    return _telegram_server


@pytest.fixture(scope="session")
def _twilio_server() -> Iterator[tuple[FakeTwilioAPI, str]]:
    fake = FakeTwilioAPI()
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def twilio_api(_twilio_server: tuple[FakeTwilioAPI, str]) -> tuple[FakeTwilioAPI, str]:
    """The running fake Twilio REST API (emptied) and its base URL."""
    _twilio_server[0].reset()
    return _twilio_server
