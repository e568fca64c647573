"""Privacy by design: no personal data in the logs or in the database file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from channels.fakes import FakeTwilioAPI
from channels.fakes.twilio_api import sign
from core import logs
from tests.bot.conftest import settings_for
from tests.bot.test_webhooks import PUBLIC, wait_for

PHONE = "+351912345670"
SECRET_TEXT = "Joaquim Fonseca keeps my passport at Rua das Flores 12"
ANSWERS = ["sim", "não", "sim", SECRET_TEXT, "Lisboa", "brasileiro", "não", "sim", "não", "1", "1", "não",
           "1", "não", "não", "não", "nenhum", "1"]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def sms_conversation(sqlite_db, tmp_path: Path) -> Iterator[tuple[list[str], Path, object]]:
    """A whole screening over SMS through the webhook, with production logging."""
    logs.setup(json_lines=True, level=logging.DEBUG)
    capture = Capture()
    capture.setFormatter(logs.JSONFormatter())
    capture.addFilter(logs._Context())
    logging.getLogger().addHandler(capture)
    fake = FakeTwilioAPI()
    try:
        with fake.serve() as base_url:
            settings = settings_for(sqlite_db, tmp_path, TWILIO_ACCOUNT_SID=fake.account_sid,
                                    TWILIO_AUTH_TOKEN=fake.auth_token, TWILIO_FROM_NUMBER="+351300000000",
                                    TWILIO_API_BASE_URL=base_url, INTAKE_PUBLIC_URL=PUBLIC,
                                    INTAKE_OUTBOX_POLL_SECONDS="0.1")
            app = build(settings)
            with TestClient(create_app(app)) as client:
                for i, text in enumerate(ANSWERS, 1):
                    params = fake.inbound(text, from_=PHONE)
                    headers = {"X-Twilio-Signature": sign(fake.auth_token, PUBLIC + "/webhooks/twilio/messages", params)}
                    assert client.post("/webhooks/twilio/messages", data=params, headers=headers).status_code == 200
                    wait_for(lambda n=i: len({r["To"] for r in fake.delivered}) == 1 and len(fake.delivered) >= n)
            yield capture.lines, tmp_path, app
    finally:
        logging.getLogger().removeHandler(capture)
        logging.getLogger().setLevel(logging.WARNING)


def test_a_whole_conversation_logs_no_personal_data(sms_conversation):
    lines, _path, _app = sms_conversation
    text = "\n".join(lines)
    assert lines, "the conversation should have been logged"
    assert '"conversation_id": 1' in text  # structured: every turn names its conversation
    for needle in (PHONE, PHONE[1:], "912345670", "Joaquim", "passport", "Flores", "brasileiro"):
        assert needle not in text, needle


def test_the_database_file_holds_no_phone_number_or_message(sms_conversation):
    _lines, _path, app = sms_conversation
    app.db.dispose()
    url = app.settings.database_url
    db_file = Path(url.split("///", 1)[1])
    raw = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert len(raw) > 10_000
    for needle in (PHONE, "912345670", "Joaquim", "Flores", "brasileiro", "Lisboa"):
        assert needle.encode() not in raw, needle
        assert needle.encode("utf-16-le") not in raw, needle
