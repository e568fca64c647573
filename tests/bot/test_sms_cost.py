"""What a screening costs on SMS, counted as the SMS channel bills it, through the real pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import locales
from bot.app import App, build
from channels.base import Inbound, Option, Outbound
from channels.fake import RecordingChannel
from channels.segments import count_segments
from channels.twilio import SmsChannel
from core.db import Database
from core.models import Conversation, Message, Outbox
from tests.bot.conftest import settings_for

PHONE = "+351910000321"
# The simple ARVoRe case typed as a person in Portugal would (tests/dialogs/test_screening.py).
SAYS = ["sim", "não", "sim", "Lisboa", "brasileiro", "não", "sim", "não", "1", "1", "não", "1",
        "não", "não", "não", "nenhum", "1"]
SMS = SmsChannel("AC" + "0" * 32, "test-token", from_number="+351300000000")


@pytest.fixture
def sms_app(db: Database, tmp_path: Path) -> Iterator[App]:
    application = build(settings_for(db, tmp_path), channels={"sms": RecordingChannel("sms")})
    yield application
    application.db.dispose()


def text(app: App, body: str, n: int) -> object:
    return app.pipeline.handle(Inbound(channel="sms", address=PHONE, text=body, provider_id=f"SM{n}"))


def sent(app: App) -> list[tuple[str, int]]:
    """(kind, segments) of every message queued for the person, in order."""
    with app.db.sessions() as s:
        rows = s.execute(select(Message.kind, Message.body, Outbox.options)
                         .join(Outbox, Outbox.message_id == Message.id).order_by(Message.id)).all()
    out = []
    for kind, body, options in rows:
        message = Outbound(channel="sms", address=PHONE, text=body,
                           options=tuple(Option(o["label"], o["value"]) for o in options or []))
        out.append((kind, sum(count_segments(part) for part in SMS.render(message))))
    return out


def test_a_complete_arvore_screening_in_portuguese_costs_at_most_22_segments(sms_app):
    # 22: the greeting says how to delete one's data, and the vulnerabilities question that more
    # than one answer is possible (one segment each; it was 20 without them, 28 at first).
    for n, body in enumerate(["olá", *SAYS]):
        text(sms_app, body, n)
    with sms_app.db.sessions() as s:
        conv = s.scalars(select(Conversation)).one()
        assert conv.status == "handoff" and conv.outcome["programme"] == "arvore"
    messages = sent(sms_app)
    assert sum(segments for _, segments in messages) <= 22, messages
    assert max(segments for kind, segments in messages if kind == "prompt") <= 2


def test_info_is_answered_by_the_bot_while_a_caseworker_has_the_case(sms_app):
    for n, body in enumerate(["olá", *SAYS]):
        text(sms_app, body, n)
    before = len(sent(sms_app))
    turn = text(sms_app, "info", 99)
    assert turn.status == "handoff"  # the case stays with the caseworker
    assert len(turn.replies) == 2 and len(sent(sms_app)) == before + 2
    more = locales.translator("pt").gettext("More information:")
    assert all(reply.text.startswith(more) for reply in turn.replies)
    # Anything else still goes to the caseworker alone.
    assert text(sms_app, "obrigado", 100).replies == []


@pytest.mark.parametrize(("language", "messages"), [("pt", 1), ("ro", 1), ("zh_Hans", 1), ("ar", 2),
                                                   ("hi", 2), ("bn", 2)])
def test_the_greeting_shares_the_question_only_where_it_stays_within_two_segments(sms_app, language, messages):
    turn = sms_app.pipeline.handle(Inbound(channel="sms", address=PHONE, kind="start",
                                           meta={"language": language}))
    assert len(turn.replies) == messages and turn.expecting["field"] == "consent"
    assert turn.replies[-1].options  # the question, with its menu, is always one message
    assert all(segments <= 2 for kind, segments in sent(sms_app) if kind == "prompt")
