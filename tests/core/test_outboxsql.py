"""The sender's driver-level statements read what the ORM wrote, and write what it reads."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from core.db import Database
from core.models import Contact, Conversation, Message, Outbox
from core.outboxsql import OutboxSQL
from tests.conftest import TEST_KEYS

NOW = datetime(2026, 11, 28, 9, 30, 15, 250, tzinfo=UTC)


def _queued(db: Database, *, channel: str = "sms", kept_address: str | None = None,
            force: bool = False, contact_status: str = "active", person: int = 1) -> int:
    """One contact, conversation, outbound message and outbox row, through the ORM."""
    with db.transaction() as s:
        contact = Contact(channel=channel, address_hash=f"h-{channel}-{kept_address}-{person}",
                          address="+351910000001", status=contact_status)
        s.add(contact)
        s.flush()
        conv = Conversation(contact_id=contact.id, channel=channel, flow="screening", state="", record={})
        s.add(conv)
        s.flush()
        message = Message(conversation_id=conv.id, channel=channel, direction="out", author="bot",
                          kind="question", body="Olá! Posso ajudar?", status="queued", created_at=NOW)
        s.add(message)
        s.flush()
        row = Outbox(message_id=message.id, conversation_id=conv.id, contact_id=contact.id, channel=channel,
                     options=[{"label": "Sim", "value": "yes"}], language="pt", address=kept_address,
                     force=force, next_attempt_at=NOW, created_at=NOW)
        s.add(row)
        s.flush()
        return row.id


def test_a_claim_decodes_what_the_orm_wrote_and_leases_it(db):
    oid = _queued(db)
    sql = OutboxSQL(db, ("sms",))
    with sql.transaction() as raw:
        assert sql.claim(raw, NOW - timedelta(seconds=1), 10, expired=True) == []  # not due yet
        [claimed] = sql.claim(raw, NOW, 10, expired=True)
        sql.lease(raw, [claimed.id], NOW + timedelta(seconds=60))
    assert claimed.id == oid and claimed.channel == "sms" and claimed.kind == "message"
    assert claimed.address == "+351910000001" and claimed.body == "Olá! Posso ajudar?"
    assert claimed.options == [{"label": "Sim", "value": "yes"}] and claimed.language == "pt"
    assert claimed.created_at == NOW and claimed.attempts == 0 and claimed.force is False
    assert claimed.contact_status == "active"
    with db.sessions() as s:
        row = s.get(Outbox, oid)
        assert row.status == "sending" and row.attempts == 1
        assert row.lease_until == NOW + timedelta(seconds=60)
    with sql.transaction() as raw:
        assert sql.claim(raw, NOW, 10, expired=True) == []  # leased
        [again] = sql.claim(raw, NOW + timedelta(seconds=61), 10, expired=True)  # the lease ran out
        assert again.id == oid
        assert sql.claim(raw, NOW + timedelta(seconds=61), 10, expired=False) == []


def test_settling_writes_what_the_orm_reads(db):
    oid = _queued(db, kept_address="+351920000002", force=True)
    sql = OutboxSQL(db, ("sms",))
    with sql.transaction() as raw:
        [claimed] = sql.claim(raw, NOW, 10, expired=False)
        assert claimed.address == "+351920000002" and claimed.force is True  # the kept one goes first
        sql.lease(raw, [claimed.id], NOW + timedelta(seconds=60))
        sql.settle(raw, [(claimed.id, claimed.message_id, ["SM" + "9" * 70, "SM2"])], NOW)
    with db.sessions() as s:
        row = s.get(Outbox, oid)
        assert row.status == "sent" and row.sent_at == NOW and row.lease_until is None
        assert row.provider_ids == ["SM" + "9" * 70, "SM2"] and row.address is None
        message = s.get(Message, claimed.message_id)
        assert message.status == "sent" and message.delivery_ref == "SM" + "9" * 62  # 64 at most
    with sql.transaction() as raw:
        assert sql.sent_ids(raw, claimed.conversation_id) == ("SM" + "9" * 70, "SM2")


def test_rows_settled_meanwhile_or_of_other_channels_are_left_alone(db):
    sms, telegram = _queued(db), _queued(db, channel="telegram")
    with OutboxSQL(db, ("telegram",)).transaction() as raw:
        [claimed] = OutboxSQL(db, ("telegram",)).claim(raw, NOW, 10, expired=False)
    assert claimed.id == telegram
    none = OutboxSQL(db, ())
    with none.transaction() as raw:
        assert none.claim(raw, NOW, 10, expired=True) == []  # no channels, nothing to take
    sql = OutboxSQL(db, ("sms",))
    with db.transaction() as s:
        row = s.get(Outbox, sms)
        row.status, message_id = "cancelled", row.message_id  # an erasure while it was out
    with sql.transaction() as raw:
        sql.settle(raw, [(sms, message_id, ["SM1"])], NOW)
    with db.sessions() as s:
        assert s.get(Outbox, sms).status == "cancelled"


def test_an_error_rolls_the_pass_back_and_frees_the_connection(db):
    oid = _queued(db)
    sql = OutboxSQL(db, ("sms",))
    try:
        with sql.transaction() as raw:
            [claimed] = sql.claim(raw, NOW, 10, expired=False)
            sql.lease(raw, [claimed.id], NOW + timedelta(seconds=60))
            raise RuntimeError("the pass failed half-way")
    except RuntimeError:
        pass
    with db.sessions() as s:
        assert s.get(Outbox, oid).status == "pending"  # the lease was never written
    with sql.transaction() as raw:  # the connection is usable again
        assert [c.id for c in sql.claim(raw, NOW, 10, expired=False)] == [oid]


def test_senders_in_parallel_claim_each_row_once(db):
    """Four processes' senders (each its own engine and connections) drain one outbox:
    every row is claimed by exactly one of them (SKIP LOCKED on PostgreSQL, the write lock
    on SQLite)."""
    queued = {_queued(db, person=i) for i in range(60)}
    url = db.engine.url.render_as_string(hide_password=False)
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def sender() -> None:
        own = Database(url, TEST_KEYS)
        sql = OutboxSQL(own, ("sms",))
        try:
            while True:
                with sql.transaction() as raw:
                    got = sql.claim(raw, NOW, 5, expired=True)
                    sql.lease(raw, [c.id for c in got], NOW + timedelta(seconds=60))
                if not got:
                    return
                with lock:
                    claimed.extend(c.id for c in got)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert set(claimed) == queued and set(Counter(claimed).values()) == {1}
