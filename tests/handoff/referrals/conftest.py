"""Fixtures for referrals: the real application (dialogs, catalogs, handoff) with a recording
SMS channel, a real SMTP server on this host, a partner webhook, and an HTTP client."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from bot.app import build
from bot.web import create_app
from channels.fake import RecordingChannel
from core.db import Database
from tests.bot.conftest import settings_for

SECRET = "partner-shared-secret-for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An SMTP server on this host that keeps what it receives; it can be down."""

    def __init__(self, port: int) -> None:
        self.port, self.messages, self.controller = port, [], None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self) -> list[tuple[list[str], EmailMessage]]:
        return list(self.messages)


class Hook(BaseHTTPRequestHandler):
    """A partner's webhook: records each POST and answers 200 (or what ``status`` says)."""

    received: ClassVar[list[tuple[dict[str, str], dict[str, Any]]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).received.append((dict(self.headers), json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def partners_file(tmp_path: Path, smtp_port: int, hook_port: int) -> Path:
    path = tmp_path / "partners.toml"
    path.write_text(f'''
[[partner]]
id = "apav-test"
name = "APAV"
kind = "victim_support"
languages = ["pt", "en"]
regions = ["all"]
accepts = ["victim_support", "legal_advice"]
delivery = "email"
email = "referrals@apav.test"
source = "https://example.org/apav"
reviewed = 2026-12-01
verified = true

[[partner]]
id = "cpr-test"
name = "CPR"
kind = "asylum"
languages = ["pt", "en"]
regions = ["all"]
accepts = ["asylum"]
delivery = "webhook"
webhook = "http://127.0.0.1:{hook_port}/referrals"
secret_env = "INTAKE_TEST_CPR_SECRET"
source = "https://example.org/cpr"
reviewed = 2026-12-01
verified = true

[[partner]]
id = "paper-test"
name = "SOS-Criança"
kind = "child_protection"
languages = ["pt"]
regions = ["all"]
accepts = ["child_protection"]
delivery = "paper"
source = "https://example.org/sos"
reviewed = 2026-12-01
verified = true
''', encoding="utf-8")
    return path


@pytest.fixture
def office(db: Database, tmp_path: Path, monkeypatch) -> Iterator[SimpleNamespace]:
    monkeypatch.setenv("INTAKE_TEST_CPR_SECRET", SECRET)
    mailbox = Mailbox(free_port())
    mailbox.start()
    Hook.received, Hook.status = [], 200
    hook_server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook_server.serve_forever, daemon=True).start()
    settings = settings_for(
        db, tmp_path, INTAKE_SMTP_HOST="127.0.0.1", INTAKE_SMTP_PORT=str(mailbox.port),
        INTAKE_SMTP_FROM="casos@intake.test", INTAKE_SMTP_SECURITY="none", INTAKE_INLINE_WORKER="0",
        INTAKE_PARTNERS_FILE=str(partners_file(tmp_path, mailbox.port, hook_server.server_address[1])),
    )
    sms = RecordingChannel("sms")
    app = build(settings, channels={"sms": sms})
    try:
        with TestClient(create_app(app)) as client:
            yield SimpleNamespace(app=app, db=db, sms=sms, client=client, mailbox=mailbox, hooks=Hook)
    finally:
        mailbox.stop()
        hook_server.shutdown()
        app.db.dispose()


def courier_pass(app: Any, later: Any = None) -> int:
    """One delivery pass of the courier (``later``: as if at that time)."""
    return asyncio.run(app.handoff.referrals.courier.deliver(later))


def deliver_messages(app: Any) -> None:
    async def drain() -> None:
        while await app.sender.drain_once():
            pass

    asyncio.run(drain())
