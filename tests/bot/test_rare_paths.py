"""Rare paths beside the driver-level turn: a quick exit that deletes, database errors, 'info'
during a handoff, and the sender's bookkeeping."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from bot.app import App, build
from bot.web import create_app
from channels.base import Capabilities, Inbound
from channels.fake import RecordingChannel
from core.db import Database
from core.models import Message, Outbox
from tests.bot.conftest import settings_for

DELETES = "telegram"  # a channel that can delete what the bot sent


class DeletingChannel(RecordingChannel):
    """Records deletions too, like Telegram's deleteMessages; it stands in for Telegram's
    transport, and what the pipeline may do there comes from Telegram's capabilities."""

    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, can_delete=True)

    def __init__(self, name: str = "fake") -> None:
        super().__init__(name)
        self.deleted: list[str] = []

    async def delete_messages(self, address: str, ids: list[str]) -> None:
        self.deleted.extend(ids)


@pytest.fixture
def deleting(db: Database, tmp_path: Path) -> Iterator[tuple[App, DeletingChannel]]:
    channel = DeletingChannel()
    application = build(settings_for(db, tmp_path), channels={DELETES: channel})
    yield application, channel
    application.db.dispose()


def say(app: App, body: str, channel: str = "fake", **kw) -> object:
    return app.pipeline.handle(Inbound(channel=channel, address="chat-1", text=body, **kw))


def drain(app: App) -> None:
    """Deliver everything, a conversation's messages in order."""
    async def main() -> None:
        while await app.sender.drain_once():
            pass
    asyncio.run(main())


def test_a_quick_exit_deletes_what_was_sent_then_asks_to_delete_the_chat(deleting):
    app, channel = deleting
    app.pipeline.handle(Inbound(channel=DELETES, address="chat-1", kind="start", meta={"language": "en"}))
    say(app, "yes", DELETES)
    drain(app)
    sent_before = [f"fake-{i}" for i in range(1, len(channel.sent) + 1)]
    turn = say(app, "exit", DELETES)
    assert [r.text for r in turn.replies] == ["Please also delete this chat."]
    with app.db.sessions() as s:
        kinds = [k for (k,) in s.execute(select(Outbox.kind).where(Outbox.status == "pending")
                                         .order_by(Outbox.id))]
    assert kinds == ["delete", "message"]  # the deletion goes first
    drain(app)
    assert channel.deleted == sent_before  # not the note, which came after
    assert channel.texts()[-1] == "Please also delete this chat."


def test_a_database_outage_in_a_turn_is_a_503_not_a_500(db: Database, tmp_path: Path, monkeypatch):
    app = build(settings_for(db, tmp_path), channels={"fake": RecordingChannel("fake")})
    driver = app.db.engine.dialect.loaded_dbapi

    def down(*args, **kwargs):  # what the driver raises for "database is locked" or a lost server
        raise driver.OperationalError("database is locked")

    with TestClient(create_app(app), raise_server_exceptions=False) as client:
        started = client.post("/api/chat/sessions", json={"language": "en"})
        assert started.status_code == 201
        session, token = started.json()["session_id"], started.json()["token"]
        monkeypatch.setattr(app.pipeline.sql, "open_turn", down)
        answer = client.post(f"/api/chat/sessions/{session}/messages", json={"text": "yes"},
                             headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 503 and answer.headers["Retry-After"]


def test_sqlite_busy_at_begin_is_wrapped_like_any_database_error(sqlite_db: Database):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    holder = sqlite3.connect(str(sqlite_db.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with sqlite_db.engine.connect() as conn:
            conn.connection.driver_connection.execute("PRAGMA busy_timeout=50")
            with pytest.raises(OperationalError):
                conn.begin()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_turn_begins_on_the_driver_and_a_busy_database_is_a_database_error(sqlite_db: Database, tmp_path: Path):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    app = build(settings_for(sqlite_db, tmp_path), channels={"fake": RecordingChannel("fake")})
    holder = sqlite3.connect(str(sqlite_db.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with app.db.turn_connection() as pooled:
            pooled.driver_connection.execute("PRAGMA busy_timeout=50")
        with pytest.raises(OperationalError):
            say(app, "hello")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert say(app, "hello").replies  # the same connection, with nothing left open on it


def test_a_failed_turn_keeps_nothing_and_leaves_its_connection_clean(db: Database, tmp_path: Path, monkeypatch):
    app = build(settings_for(db, tmp_path), channels={"fake": RecordingChannel("fake")})
    say(app, "hello")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a dialog")

    with monkeypatch.context() as patch:
        patch.setattr(app.pipeline, "_run", broken)
        with pytest.raises(RuntimeError):
            say(app, "yes", provider_id="p-1")
    with app.db.sessions() as s:
        stored = s.scalars(select(Message.provider_id).where(Message.direction == "in")).all()
    assert stored == [None]  # the failed turn's message was rolled back ...
    assert app.db.engine.pool.checkedout() == (1 if db.dialect == "sqlite" else 0)
    turn = say(app, "yes", provider_id="p-1")  # ... so the provider's retry is a new turn
    assert not turn.duplicate and turn.replies


def test_sqlite_turns_share_one_connection_which_dispose_closes(sqlite_db: Database, tmp_path: Path):
    app = build(settings_for(sqlite_db, tmp_path), channels={"fake": RecordingChannel("fake")})
    drivers = set()
    for text in ("hello", "yes", "exit"):  # "exit" takes the ORM's rare path, on the same connection
        say(app, text)
        with app.db.turn_connection() as pooled:
            assert not pooled.driver_connection.in_transaction
            drivers.add(id(pooled.driver_connection))
    assert len(drivers) == 1
    app.db.dispose()
    assert app.db.engine.pool.checkedout() == 0
    assert say(app, "hello").replies  # a new one, opened when needed


def test_info_mid_screening_during_a_handoff_goes_to_the_caseworker(deleting):
    app, _ = deleting
    app.pipeline.handle(Inbound(channel="fake", address="chat-1", kind="start", meta={"language": "en"}))
    say(app, "yes")
    assert say(app, "talk to a person").status == "handoff"
    turn = say(app, "info")
    assert turn.replies == [] and turn.status == "handoff"  # no question re-asked over the caseworker


def test_a_delivery_cancelled_while_under_way_stays_cancelled(deleting):
    app, _ = deleting
    app.pipeline.handle(Inbound(channel=DELETES, address="chat-1", kind="start", meta={"language": "en"}))
    jobs = app.sender._claim()
    assert jobs
    with app.db.engine.begin() as conn:  # an erasure while the message is with the provider
        conn.execute(update(Outbox.__table__).values(status="cancelled"))
        conn.execute(update(Message.__table__).where(Message.__table__.c.direction == "out")
                     .values(kind="erased", body=""))
    app.sender._done([(job, [f"prov-{job.outbox_id}"]) for job in jobs])
    with app.db.sessions() as s:
        assert set(s.scalars(select(Outbox.status))) == {"cancelled"}
        assert set(s.scalars(select(Message.delivery_ref).where(Message.direction == "out"))) == {None}


def test_a_message_with_the_provider_during_an_erasure_is_forgotten_too(deleting):
    from datetime import timedelta

    from core import privacy
    from core.db import utcnow
    from core.models import Contact

    app, _ = deleting
    app.pipeline.handle(Inbound(channel=DELETES, address="chat-9", kind="start", meta={"language": "en"},
                                provider_id="in-1"))
    jobs = app.sender._claim()  # the greeting is with the provider now
    assert jobs
    with app.db.transaction() as s:
        contact = s.scalars(select(Contact)).one()
        privacy.erase_contact(s, contact)
    app.sender._done([(job, [f"prov-{job.outbox_id}"]) for job in jobs])  # its call returns
    with app.db.sessions() as s:
        in_flight = s.get(Outbox, jobs[0].outbox_id)
        assert in_flight.status == "cancelled"
        assert in_flight.provider_ids == [f"prov-{jobs[0].outbox_id}"]  # kept, to forget
        forget = s.scalars(select(Outbox).where(Outbox.kind == "forget")).one()
        assert forget.next_attempt_at > utcnow() + timedelta(seconds=20)  # after the call returned
        body = s.get(Message, forget.message_id).body
    assert "in-1" in body and "prov-" not in body  # named when it returns, at the forget's claim
    with app.db.engine.begin() as conn:
        conn.execute(update(Outbox.__table__).where(Outbox.__table__.c.kind == "forget")
                     .values(next_attempt_at=utcnow()))
    channel = app.channels[DELETES]
    forgot: list[tuple[list[str], list[str]]] = []

    async def remember(address: str, sent, received) -> None:
        forgot.append((list(sent), list(received)))

    channel.forget = remember  # type: ignore[method-assign]
    drain(app)
    assert forgot == [([f"prov-{jobs[0].outbox_id}"], ["in-1"])]
    with app.db.sessions() as s:
        assert all(ids == [] for ids in s.scalars(select(Outbox.provider_ids)))
        assert s.get(Message, forget.message_id).body == ""
